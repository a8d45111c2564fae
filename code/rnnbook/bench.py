"""Banco de pruebas: tiempos de entrenamiento y de construcción del libro.

Desde la carpeta del libro (la de ``_config.yml``)::

    python -m rnnbook.bench               # entrenamiento y construcción
    python -m rnnbook.bench --skip-book   # solo entrenamiento, unos minutos
    python -m rnnbook.bench --repro       # dos construcciones en frío

Las dos primeras escriben ``benchmarks/results.json`` y
``benchmarks/README.md``. Las construcciones se hacen sobre una copia de la
carpeta del libro en una carpeta temporal, con ``--path-output``: parten de
una caché de ejecución vacía, no tocan ``_build`` y no las altera que
alguien edite el libro mientras se mide.

``--repro`` construye dos veces en frío la misma copia del libro y compara
todos los valores pegados salvo los tiempos, que son los que empiezan por
``tiempo-``. Si alguno difiere, lo enumera y termina con código 1.
"""

import argparse
import datetime
import json
import logging
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from rnnbook import ARCHITECTURES
from rnnbook.buildinfo import (
    TIMING_PREFIX,
    chapter_execution_times,
    compare_glued_values,
    glued_values,
)
from rnnbook.recipes import SOURCE_BATCH_SIZE, SOURCE_EPOCHS, SOURCE_UNITS
from rnnbook.training_speed import (
    RECIPES,
    benchmark_training,
    format_training_table,
    machine_info,
    runs_as_dicts,
    summarize_runs,
)

logger = logging.getLogger("rnnbook.bench")

RESULTS_JSON = "results.json"
RESULTS_MARKDOWN = "README.md"
BUILD_LOG_TAIL = 40
"""Líneas del registro de construcción que muestra un error."""

SNAPSHOT_IGNORED = (".git", ".venv", "_build", "benchmarks", "__pycache__",
                    ".pytest_cache", ".ruff_cache", "*.egg-info")
"""Patrones de ficheros y carpetas que :func:`snapshot_book` no copia."""


def _jupyter_book_command():
    candidate = pathlib.Path(sys.executable).with_name("jupyter-book")
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("jupyter-book")
    if found is None:
        raise FileNotFoundError(
            "No se encuentra la orden jupyter-book junto a "
            f"{sys.executable} ni en el PATH; instala requirements.txt en "
            "este entorno."
        )
    return found


def check_book_root(path):
    """Comprueba que ``path`` es la carpeta del libro y la devuelve absoluta.

    Raises
    ------
    FileNotFoundError
        Si falta ``_config.yml`` o ``_toc.yml``.
    """
    root = pathlib.Path(path).resolve()
    for name in ("_config.yml", "_toc.yml"):
        if not (root / name).is_file():
            raise FileNotFoundError(
                f"{root} no es la carpeta del libro: falta {name}. Ejecuta "
                "la orden desde la raíz del repositorio o pasa --book-root."
            )
    return root


def build_book(root, output):
    """Construye el libro con avisos como errores y mide cuánto tarda.

    Parameters
    ----------
    root : pathlib.Path
        Carpeta del libro.
    output : pathlib.Path
        Carpeta para ``--path-output``; el registro de la construcción se
        guarda en ``output / "build.log"``.

    Returns
    -------
    wall_seconds, cpu_seconds : float
        Tiempo de pared y tiempo de CPU de la construcción y de todos sus
        procesos hijos (los núcleos que ejecutan los cuadernos).

    Raises
    ------
    RuntimeError
        Si ``jupyter-book`` termina con error; el mensaje trae el final del
        registro.
    """
    output.mkdir(parents=True, exist_ok=True)
    command = [
        _jupyter_book_command(), "build", str(root), "--path-output",
        str(output), "-W", "-n", "--keep-going",
    ]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True,
                               check=False)
    wall_seconds = time.perf_counter() - start
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = completed.stdout + completed.stderr
    (output / "build.log").write_text(log, encoding="utf-8")
    if completed.returncode != 0:
        tail = "\n".join(log.splitlines()[-BUILD_LOG_TAIL:])
        raise RuntimeError(
            f"La construcción en {output} falló con código "
            f"{completed.returncode}. Últimas líneas del registro:\n{tail}"
        )
    cpu_seconds = (
        children_after.ru_utime - children_before.ru_utime
        + children_after.ru_stime - children_before.ru_stime
    )
    return wall_seconds, cpu_seconds


def _cache_path(output):
    return output / "_build" / ".jupyter_cache"


def snapshot_book(root, workdir):
    """Copia la carpeta del libro en ``workdir / "libro"`` y la devuelve.

    Construir la copia evita que una edición durante la medida vacíe la
    caché de ejecución y falsee la reconstrucción. Vale para los capítulos
    y para ``code/rnnbook``, que vigila la extensión
    ``execution_dependencies``. Las celdas siguen importando el ``rnnbook``
    instalado en el entorno, no el de la copia.

    Raises
    ------
    ValueError
        Si ``workdir`` existe y no está vacía.
    """
    workdir = pathlib.Path(workdir)
    if workdir.exists() and any(workdir.iterdir()):
        raise ValueError(
            f"{workdir} no está vacía; pasa una carpeta nueva para que la "
            "construcción en frío no reutilice una caché de ejecución."
        )
    return pathlib.Path(shutil.copytree(
        root, workdir / "libro",
        ignore=shutil.ignore_patterns(*SNAPSHOT_IGNORED), symlinks=True,
    ))


def benchmark_book(root, workdir):
    """Mide una construcción en frío, una reconstrucción y cada capítulo.

    Parameters
    ----------
    root : pathlib.Path
        Carpeta del libro.
    workdir : pathlib.Path
        Carpeta vacía o inexistente donde copiar el libro
        (:func:`snapshot_book`) y construirlo (``workdir / "salida"``).

    Returns
    -------
    dict
        ``cold_seconds``, ``cold_cpu_seconds``, ``rebuild_seconds``,
        ``rebuild_cpu_seconds`` y ``chapters``: lista de ``{"docname",
        "seconds"}`` leída de la caché de ejecución de la construcción en
        frío.
    """
    snapshot = snapshot_book(root, workdir)
    output = pathlib.Path(workdir) / "salida"
    logger.info("Construcción en frío de %s en %s", snapshot, output)
    cold_seconds, cold_cpu = build_book(snapshot, output)
    chapters = chapter_execution_times(_cache_path(output), snapshot)
    logger.info("Reconstrucción sin cambios en %s", output)
    rebuild_seconds, rebuild_cpu = build_book(snapshot, output)
    return {
        "cold_seconds": cold_seconds,
        "cold_cpu_seconds": cold_cpu,
        "rebuild_seconds": rebuild_seconds,
        "rebuild_cpu_seconds": rebuild_cpu,
        "chapters": [
            {"docname": chapter.docname, "seconds": chapter.seconds}
            for chapter in chapters
        ],
    }


def check_reproducibility(root, workdir):
    """Construye el libro dos veces en frío y compara los valores pegados.

    Parameters
    ----------
    root : pathlib.Path
        Carpeta del libro.
    workdir : pathlib.Path
        Carpeta vacía o inexistente donde copiar el libro una vez
        (:func:`snapshot_book`) y crear las dos construcciones de esa misma
        copia (``first`` y ``second``).

    Returns
    -------
    differences : list of str
        Valores pegados distintos entre las dos construcciones, sin contar
        los que empiezan por :data:`rnnbook.buildinfo.TIMING_PREFIX`.
    n_compared : int
        Cuántos valores se compararon.
    """
    snapshot = snapshot_book(root, workdir)
    builds = []
    for name in ("first", "second"):
        output = pathlib.Path(workdir) / name
        logger.info("Construcción en frío %s de %s en %s", name, snapshot,
                    output)
        build_book(snapshot, output)
        builds.append(glued_values(_cache_path(output), snapshot))
    n_compared = sum(
        1 for _, name in builds[0] if not name.startswith(TIMING_PREFIX)
    )
    return compare_glued_values(*builds), n_compared


def _load_average():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def _helper_summary(summary):
    # Resume en dos frases las filas de train_model que tienen sus dos
    # recetas de referencia.
    rows = [row for row in summary if row["recipe"] == "helper"
            and row["speedup"] is not None and row["vs_graph"] is not None]
    if not rows:
        return []
    source = {row["architecture"]: row for row in summary
              if row["recipe"] == "source"}
    not_worse = sum(row["mse"] <= source[row["architecture"]]["mse"]
                    for row in rows)
    within_spread = sum(
        source[row["architecture"]]["mse_min"] <= row["mse"]
        <= source[row["architecture"]]["mse_max"]
        for row in rows
    )
    speedups = [row["speedup"] for row in rows]
    ratios = [row["vs_graph"] for row in rows]
    return [
        f"En estas medianas, train_model es entre {min(speedups):.1f} y "
        f"{max(speedups):.1f} veces más rápida que la receta original y "
        f"tarda entre {min(ratios):.2f} y {max(ratios):.2f} veces lo que el "
        "bucle en un grafo. Su MSE mediano es igual o menor que el de la "
        f"receta original en {not_worse} de {len(rows)} arquitecturas, y "
        "queda entre el menor y el mayor MSE de la receta original con las "
        f"mismas semillas en {within_spread} de {len(rows)}.",
        "",
    ]


def format_report(results):
    """Escribe los resultados de :func:`run_benchmark` como página Markdown.

    Returns
    -------
    str
    """
    machine = results["machine"]
    settings = results["settings"]
    load_before, load_after = results["load_average"]
    lines = [
        "# Resultados del banco de pruebas",
        "",
        "Generado por `python -m rnnbook.bench` "
        f"({' '.join(results['arguments']) or 'sin opciones'}) el "
        f"{results['date']}. No se edita a mano: se vuelve a generar.",
        "",
        "## Máquina",
        "",
        f"- CPU: {machine['cpu']}, {machine['logical_cores']} núcleos "
        f"lógicos ({machine['physical_cores']} físicos), "
        f"{machine['memory_gb']} GB de memoria.",
        f"- Sistema: {machine['system']}.",
        f"- Python {machine['python']}, TensorFlow {machine['tensorflow']}, "
        f"Keras {machine['keras']}, NumPy {machine['numpy']}.",
        f"- Carga media (1, 5 y 15 min) al empezar: {load_before}; al "
        f"terminar: {load_after}. Con más procesos activos que núcleos, los "
        "tiempos de pared crecen y el tiempo de CPU cambia menos.",
        "",
        "## Entrenamiento",
        "",
        f"Un modelo por arquitectura ({settings['units']} unidades, "
        f"{settings['epochs']} épocas, lotes de {settings['batch_size']}) "
        "sobre las 95 ventanas de 5 pasos de la secuencia 0..99 "
        f"estandarizada, con las semillas {settings['seeds']}. Cada cifra es "
        "la mediana entre semillas. El tiempo va de construir el modelo a "
        "tenerlo entrenado. El MSE es el de las ventanas de entrenamiento en "
        "la escala estandarizada (`results.json` guarda también el RMSE en "
        "unidades de la serie y cada entrenamiento por separado). "
        "«Aceleración» es el tiempo de la receta original dividido por el de "
        "la fila; «frente al grafo», el de la fila dividido por el del bucle "
        "en un grafo.",
        "",
        "- receta original: arrays de NumPy a `model.fit`, como el cuaderno "
        "de partida.",
        "- train_model: `rnnbook.training.train_model`, la de los "
        "capítulos: todas las épocas en un único grafo de TensorFlow.",
        "- bucle en un grafo: `rnnbook.graph_loop.train_in_graph`, el mismo "
        "paso por lote sin validación ni parada temprana.",
        "",
        format_training_table(results["training"]["summary"]),
        "",
    ]
    lines += _helper_summary(results["training"]["summary"])
    book = results.get("book")
    lines += ["## Construcción del libro", ""]
    if book is None:
        lines += ["No medida en esta ejecución (`--skip-book`).", ""]
        return "\n".join(lines)
    lines += [
        "| construcción | tiempo (s) | CPU (s) |",
        "|---|---:|---:|",
        f"| en frío (caché de ejecución vacía) "
        f"| {book['cold_seconds']:.1f} | {book['cold_cpu_seconds']:.1f} |",
        f"| de nuevo, sin cambios | {book['rebuild_seconds']:.1f} "
        f"| {book['rebuild_cpu_seconds']:.1f} |",
        "",
        "Tiempo de ejecución de cada capítulo en la construcción en frío, "
        "según la caché de jupyter-cache:",
        "",
        "| capítulo | tiempo (s) |",
        "|---|---:|",
    ]
    for chapter in book["chapters"]:
        lines.append(f"| {chapter['docname']} | {chapter['seconds']:.1f} |")
    total = sum(chapter["seconds"] for chapter in book["chapters"])
    lines += [f"| total | {total:.1f} |", ""]
    return "\n".join(lines)


def run_benchmark(root=None, *, seeds=(0, 1, 2, 3, 4), epochs=SOURCE_EPOCHS,
                  architectures=ARCHITECTURES, skip_book=False,
                  arguments=()):
    """Ejecuta el banco de pruebas completo y devuelve sus resultados.

    Parameters
    ----------
    root : pathlib.Path, optional
        Carpeta del libro; hace falta salvo con ``skip_book``.
    seeds, epochs, architectures
        Como en :func:`rnnbook.training_speed.benchmark_training`.
    skip_book : bool
        No medir la construcción del libro.
    arguments : sequence of str
        Opciones de la línea de órdenes, para dejarlas en el informe.

    Returns
    -------
    dict
        Lo que se guarda en ``results.json``.
    """
    if not skip_book:
        root = check_book_root(root)
    load_before = _load_average()
    logger.info("Entrenamiento: %s, semillas %s", ", ".join(architectures),
                list(seeds))
    runs = benchmark_training(architectures, RECIPES, seeds, epochs=epochs)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
        "arguments": list(arguments),
        "machine": machine_info(),
        "settings": {"epochs": epochs, "batch_size": SOURCE_BATCH_SIZE,
                     "units": SOURCE_UNITS, "seeds": list(seeds)},
        "training": {"runs": runs_as_dicts(runs),
                     "summary": summarize_runs(runs)},
        "book": None,
    }
    if not skip_book:
        with tempfile.TemporaryDirectory(prefix="rnnbook-bench-") as workdir:
            results["book"] = benchmark_book(root, pathlib.Path(workdir))
    results["load_average"] = [load_before, _load_average()]
    return results


def write_results(results, directory):
    """Guarda ``results.json`` y ``README.md`` en ``directory``.

    Returns
    -------
    list of pathlib.Path
        Los dos ficheros escritos.
    """
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / RESULTS_JSON
    json_path.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    markdown_path = directory / RESULTS_MARKDOWN
    markdown_path.write_text(format_report(results), encoding="utf-8")
    return [json_path, markdown_path]


def _parse_architectures(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ARCHITECTURES]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"arquitecturas no válidas: {text!r}; usa una lista separada "
            f"por comas de {', '.join(ARCHITECTURES)}."
        )
    return names


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} no es un entero positivo."
        )
    return value


def build_parser():
    """Crea el analizador de opciones de ``python -m rnnbook.bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m rnnbook.bench",
        description="Mide el entrenamiento de SimpleRNN, LSTM y GRU con tres "
        "recetas y la construcción del libro, y guarda los resultados.",
    )
    parser.add_argument(
        "--skip-book", action="store_true",
        help="no construir el libro (solo el entrenamiento; unos minutos)",
    )
    parser.add_argument(
        "--repro", action="store_true",
        help="construir el libro dos veces en frío y comparar los valores "
        "pegados (unos 20 minutos); no escribe resultados",
    )
    parser.add_argument(
        "--seeds", type=_positive_int, default=5,
        help="semillas por arquitectura y receta (por defecto, 5)",
    )
    parser.add_argument(
        "--epochs", type=_positive_int, default=SOURCE_EPOCHS,
        help=f"épocas de cada entrenamiento (por defecto, {SOURCE_EPOCHS})",
    )
    parser.add_argument(
        "--architectures", type=_parse_architectures,
        default=list(ARCHITECTURES),
        help="arquitecturas separadas por comas (por defecto, rnn,lstm,gru)",
    )
    parser.add_argument(
        "--book-root", type=pathlib.Path, default=pathlib.Path("."),
        help="carpeta del libro, la de _config.yml (por defecto, la actual)",
    )
    parser.add_argument(
        "--output", type=pathlib.Path, default=pathlib.Path("benchmarks"),
        help="carpeta donde escribir results.json y README.md "
        "(por defecto, benchmarks)",
    )
    return parser


def main(argv=None):
    """Ejecuta la orden y devuelve el código de salida."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    options = build_parser().parse_args(arguments)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    if options.repro:
        root = check_book_root(options.book_root)
        with tempfile.TemporaryDirectory(prefix="rnnbook-repro-") as workdir:
            differences, n_compared = check_reproducibility(
                root, pathlib.Path(workdir)
            )
        if differences:
            print(f"{len(differences)} de {n_compared} valores pegados "
                  "difieren entre las dos construcciones:")
            for line in differences:
                print(f"  {line}")
            return 1
        print(f"Los {n_compared} valores pegados que no son tiempos "
              "coinciden en las dos construcciones.")
        return 0

    results = run_benchmark(
        options.book_root, seeds=tuple(range(options.seeds)),
        epochs=options.epochs, architectures=options.architectures,
        skip_book=options.skip_book, arguments=arguments,
    )
    for path in write_results(results, options.output):
        print(f"Escrito {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
