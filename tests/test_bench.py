import json
import textwrap

import pytest

from rnnbook import bench
from rnnbook.training_speed import TrainingRun, summarize_runs

NOTEBOOK_HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def _write_book(root, cell_code):
    """Escribe un libro mínimo de una página ejecutable con ``cell_code``."""
    root.mkdir(parents=True)
    (root / "_config.yml").write_text(
        "title: Prueba\nexecute:\n  execute_notebooks: cache\n"
    )
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: cap\n"
    )
    (root / "index.md").write_text("# Inicio\n")
    (root / "cap.md").write_text(
        NOTEBOOK_HEADER + "# Capítulo\n\n```{code-cell} ipython3\n"
        + textwrap.dedent(cell_code).strip() + "\n```\n"
    )
    return root


GLUE_CELL = """
    import os
    import time
    from myst_nb import glue
    glue("n", 3, display=False)
    glue("tiempo-s", time.perf_counter(), display=False)
    glue("azar", int.from_bytes(os.urandom(8), "big"), display=False)
"""


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    return _write_book(tmp_path_factory.mktemp("libro") / "libro", GLUE_CELL)


def _results(book=None):
    runs = [
        TrainingRun(
            architecture="lstm", recipe=recipe, seed=0, wall_seconds=wall,
            cpu_seconds=wall, mse=1e-4, rmse=0.3, n_params=10451,
        )
        for recipe, wall in (("source", 9.0), ("helper", 1.5),
                             ("graph", 1.2))
    ]
    return {
        "date": "2026-01-01T00:00:00+00:00",
        "arguments": ["--skip-book"],
        "machine": {"cpu": "CPU de prueba", "logical_cores": 2,
                    "physical_cores": 2, "memory_gb": 8.0,
                    "system": "Linux", "python": "3.11.7",
                    "tensorflow": "2.21.0", "keras": "3.15.1",
                    "numpy": "2.4.6"},
        "settings": {"epochs": 200, "batch_size": 32, "units": 50,
                     "seeds": [0]},
        "training": {"runs": [], "summary": summarize_runs(runs)},
        "book": book,
        "load_average": [[0.5, 0.4, 0.3], [1.0, 0.6, 0.4]],
    }


def test_check_book_root_rejects_folder_without_config(tmp_path):
    with pytest.raises(FileNotFoundError, match="falta _config.yml"):
        bench.check_book_root(tmp_path)


def test_check_book_root_returns_absolute_path(small_book):
    assert bench.check_book_root(small_book) == small_book.resolve()


def test_format_report_without_book():
    report = bench.format_report(_results())
    assert report.startswith("# Resultados del banco de pruebas\n")
    assert "- CPU: CPU de prueba, 2 núcleos lógicos (2 físicos)" in report
    assert "| LSTM | train_model | 10451 | 1.50 | 1.50 | 1.00e-04 |" in report
    assert "| 6.00× | 1.25× |" in report
    assert "No medida en esta ejecución (`--skip-book`)." in report
    assert ("train_model es entre 6.0 y 6.0 veces más rápida que la receta "
            "original y tarda entre 1.25 y 1.25 veces") in report
    assert "igual o menor que el de la receta original en 1 de 1" in report
    assert "con las mismas semillas en 1 de 1." in report


def test_format_report_with_book():
    book = {"cold_seconds": 600.0, "cold_cpu_seconds": 900.0,
            "rebuild_seconds": 12.5, "rebuild_cpu_seconds": 10.0,
            "chapters": [{"docname": "book/01", "seconds": 40.0},
                         {"docname": "book/02", "seconds": 60.5}]}
    report = bench.format_report(_results(book))
    assert "| en frío (caché de ejecución vacía) | 600.0 | 900.0 |" in report
    assert "| de nuevo, sin cambios | 12.5 | 10.0 |" in report
    assert "| book/02 | 60.5 |" in report
    assert "| total | 100.5 |" in report


def test_write_results_round_trip(tmp_path):
    results = _results()
    json_path, markdown_path = bench.write_results(results, tmp_path / "b")
    assert json.loads(json_path.read_text(encoding="utf-8")) == results
    assert markdown_path.read_text(encoding="utf-8") == bench.format_report(
        results
    )


def test_parser_defaults():
    options = bench.build_parser().parse_args([])
    assert options.seeds == 5
    assert options.epochs == 200
    assert options.architectures == ["rnn", "lstm", "gru"]
    assert not options.skip_book
    assert not options.repro


@pytest.mark.parametrize(
    "arguments",
    [["--seeds", "0"], ["--epochs", "dos"], ["--architectures", "rnn,tcn"],
     ["--architectures", ","]],
)
def test_parser_rejects_bad_values(arguments, capsys):
    with pytest.raises(SystemExit):
        bench.build_parser().parse_args(arguments)
    assert "error:" in capsys.readouterr().err


def test_main_skip_book_writes_results(tmp_path):
    output = tmp_path / "resultados"
    code = bench.main(["--skip-book", "--seeds", "1", "--epochs", "1",
                       "--architectures", "rnn", "--output", str(output)])
    assert code == 0
    results = json.loads((output / "results.json").read_text("utf-8"))
    assert [run["recipe"] for run in results["training"]["runs"]] == [
        "source", "helper", "graph",
    ]
    assert results["book"] is None
    assert results["settings"]["seeds"] == [0]
    assert (output / "README.md").is_file()


def test_benchmark_book_times_builds_and_chapters(small_book, tmp_path):
    book = bench.benchmark_book(small_book, tmp_path / "trabajo")
    assert book["cold_seconds"] > 0
    assert book["rebuild_seconds"] > 0
    assert book["cold_cpu_seconds"] > 0
    assert [chapter["docname"] for chapter in book["chapters"]] == ["cap"]
    assert book["chapters"][0]["seconds"] > 0


def test_benchmark_book_rejects_used_workdir(small_book, tmp_path):
    (tmp_path / "trabajo").mkdir()
    (tmp_path / "trabajo" / "viejo.txt").write_text("x")
    with pytest.raises(ValueError, match="no está vacía"):
        bench.benchmark_book(small_book, tmp_path / "trabajo")


def test_snapshot_book_skips_build_folders(small_book, tmp_path):
    (small_book / "_build").mkdir(exist_ok=True)
    (small_book / "_build" / "viejo.txt").write_text("x")
    copy = bench.snapshot_book(small_book, tmp_path / "trabajo")
    assert copy == tmp_path / "trabajo" / "libro"
    assert (copy / "cap.md").read_text() == (small_book / "cap.md").read_text()
    assert (copy / "_config.yml").is_file()
    assert not (copy / "_build").exists()


def test_check_reproducibility_reports_only_untimed_changes(small_book,
                                                            tmp_path):
    differences, n_compared = bench.check_reproducibility(small_book,
                                                          tmp_path)
    assert n_compared == 2
    assert len(differences) == 1
    assert differences[0].startswith("cap: 'azar' vale ")


def test_build_book_reports_failure(tmp_path):
    root = _write_book(tmp_path / "roto", "raise ValueError('roto')")
    with pytest.raises(RuntimeError, match="falló con código") as failure:
        bench.build_book(root, tmp_path / "salida")
    assert "cap.err.log" in str(failure.value)
