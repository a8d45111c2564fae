import datetime
import subprocess
import sys

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from rnnbook.buildinfo import (
    CACHE_DB_NAME,
    chapter_execution_times,
    compare_glued_values,
    find_current_build,
    glued_values,
)

PREFIX = "application/papermill.record/"


def _glue_output(name, text):
    return nbformat.v4.new_output(
        "display_data",
        data={PREFIX + "text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": PREFIX}},
    )


def _notebook(code, glued):
    cell = nbformat.v4.new_code_cell(
        code, outputs=[_glue_output(name, text) for name, text in glued]
    )
    return nbformat.v4.new_notebook(cells=[cell])


def _store(cache, uri, code, seconds, glued=()):
    bundle = CacheBundleIn(_notebook(code, glued), str(uri),
                           data={"execution_seconds": seconds})
    return cache.cache_notebook_bundle(bundle, check_validity=False)


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "libro"
    (root / "book").mkdir(parents=True)
    cache_path = tmp_path / "salida" / "_build" / ".jupyter_cache"
    cache = get_cache(str(cache_path))
    _store(cache, root / "book" / "02-b.md", "x = 2", 2.5,
           [("n-b", "7"), ("tiempo-b-s", "0.3")])
    _store(cache, root / "book" / "01-a.md", "x = 1", 1.5, [("n-a", "'a'")])
    _store(cache, tmp_path / "otro" / "c.md", "x = 3", 9.0)
    return root, cache_path, cache


def test_chapter_execution_times_reads_records(book):
    root, cache_path, _ = book
    chapters = chapter_execution_times(cache_path, root)
    assert [chapter.docname for chapter in chapters] == ["book/01-a",
                                                         "book/02-b"]
    assert [chapter.seconds for chapter in chapters] == [1.5, 2.5]
    assert chapters[0].from_cache is None
    assert chapters[0].executed.tzinfo is datetime.timezone.utc


def test_chapter_execution_times_marks_cached_chapters(book):
    root, cache_path, _ = book
    now = datetime.datetime.now(datetime.timezone.utc)
    later = chapter_execution_times(cache_path, root,
                                    since=now + datetime.timedelta(hours=1))
    earlier = chapter_execution_times(cache_path, root,
                                      since=now - datetime.timedelta(hours=1))
    assert [chapter.from_cache for chapter in later] == [True, True]
    assert [chapter.from_cache for chapter in earlier] == [False, False]


def test_chapter_execution_times_takes_last_used_version(book):
    root, cache_path, cache = book
    newer = _store(cache, root / "book" / "01-a.md", "x = 10", 4.0)
    chapters = chapter_execution_times(cache_path, root)
    assert chapters[0].seconds == 4.0
    # Volver a usar la versión antigua (como hace myst-nb al tomarla de la
    # caché) la convierte en la vigente.
    older = [record for record in cache.list_cache_records()
             if record.uri.endswith("01-a.md") and record.pk != newer.pk]
    cache.get_cache_bundle(older[0].pk)
    chapters = chapter_execution_times(cache_path, root)
    assert chapters[0].seconds == 1.5


def test_chapter_execution_times_requires_cache(tmp_path):
    with pytest.raises(FileNotFoundError, match="falta global.db"):
        chapter_execution_times(tmp_path / "nada", tmp_path)
    assert not (tmp_path / "nada").exists()


def test_glued_values_reads_every_chapter(book):
    root, cache_path, _ = book
    values = glued_values(cache_path, root)
    assert values == {
        ("book/01-a", "n-a"): {PREFIX + "text/plain": "'a'"},
        ("book/02-b", "n-b"): {PREFIX + "text/plain": "7"},
        ("book/02-b", "tiempo-b-s"): {PREFIX + "text/plain": "0.3"},
    }


def test_compare_glued_values_identical():
    values = {("cap", "n"): {"text/plain": "1"}}
    assert compare_glued_values(values, dict(values)) == []


def test_compare_glued_values_ignores_timings():
    first = {("cap", "tiempo-s"): {"text/plain": "1.0"}}
    second = {("cap", "tiempo-s"): {"text/plain": "2.0"}}
    assert compare_glued_values(first, second) == []


def test_compare_glued_values_reports_each_difference():
    first = {("cap", "a"): {PREFIX + "text/plain": "1"},
             ("cap", "b"): {"image/png": "xx"}}
    second = {("cap", "a"): {PREFIX + "text/plain": "2"},
              ("cap", "c"): {"text/plain": "3"}}
    assert compare_glued_values(first, second) == [
        "cap: 'a' vale 1 en la primera y 2 en la segunda",
        "cap: 'b' solo está en la primera",
        "cap: 'c' solo está en la segunda",
    ]


def test_find_current_build_outside_build(monkeypatch):
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    assert find_current_build() is None


def _run_fake_builder(tmp_path, n_caches):
    # Un proceso que hace de constructor: abre las bases de datos y lanza un
    # hijo que busca la suya, como myst-nb con su núcleo. Va aparte de
    # pytest porque este proceso puede tener abiertas cachés de otras
    # pruebas.
    paths = [tmp_path / f"cache{index}" / CACHE_DB_NAME
             for index in range(n_caches)]
    for path in paths:
        path.parent.mkdir()
    child = (
        "from rnnbook.buildinfo import find_current_build\n"
        "build = find_current_build()\n"
        "print(build and build.cache_path)\n"
        "print(build and build.started.timestamp())\n"
    )
    builder = (
        "import os, subprocess, sys\n"
        f"handles = [open(path, 'wb') for path in {[str(p) for p in paths]}]\n"
        "env = dict(os.environ, JPY_PARENT_PID=str(os.getpid()))\n"
        f"subprocess.run([sys.executable, '-c', {child!r}], env=env,\n"
        "               check=True)\n"
        "import psutil\n"
        "print(psutil.Process().create_time())\n"
    )
    completed = subprocess.run([sys.executable, "-c", builder],
                               capture_output=True, text=True, check=True)
    return paths, completed.stdout.splitlines()


def test_find_current_build_uses_parent_open_cache(tmp_path):
    paths, (found, started, builder_started) = _run_fake_builder(tmp_path, 1)
    assert found == str(paths[0].parent)
    assert float(started) == pytest.approx(float(builder_started))


def test_find_current_build_ambiguous_caches(tmp_path):
    _, (found, started, _) = _run_fake_builder(tmp_path, 2)
    assert found == "None"
    assert started == "None"
