"""Pruebas de la invalidación de la caché de ejecución.

La extensión ``_ext/execution_dependencies.py`` vuelve a ejecutar los
capítulos cuando cambia el código que importan. Las pruebas de construcción
usan un libro mínimo en una carpeta temporal: un capítulo que imprime lo que
devuelve una función de un paquete a su lado. Tardan unos segundos por
construcción, sin TensorFlow.
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest
import yaml
from sphinx.errors import ConfigError

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXTENSION_DIR = ROOT / "_ext"
JUPYTER_BOOK = pathlib.Path(sys.executable).with_name("jupyter-book")
BUILD_TIMEOUT_S = 300

CHAPTER = """\
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

# Capítulo de prueba

```{code-cell} ipython3
import time

from paquete_prueba.calculo import resultado

print(f"resultado={resultado()}")
print(f"ejecutado={time.time_ns()}")
```
"""

CONFIG = {
    "title": "Libro de prueba",
    "author": "Pruebas",
    "only_build_toc_files": True,
    "execute": {"execute_notebooks": "cache", "stderr_output": "remove"},
}


def _load_extension():
    spec = importlib.util.spec_from_file_location(
        "execution_dependencies", EXTENSION_DIR / "execution_dependencies.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execution_dependencies = _load_extension()


def write_book(folder, with_extension):
    """Escribe el libro mínimo; con o sin la extensión de la caché."""
    config = dict(CONFIG)
    if with_extension:
        config["sphinx"] = {
            "local_extensions": {
                "execution_dependencies": str(EXTENSION_DIR)
            },
            "config": {"execution_dependencies": ["paquete_prueba"]},
        }
    (folder / "_config.yml").write_text(yaml.safe_dump(config))
    (folder / "_toc.yml").write_text("format: jb-book\nroot: capitulo\n")
    (folder / "capitulo.md").write_text(CHAPTER, encoding="utf-8")
    (folder / "paquete_prueba").mkdir()
    (folder / "paquete_prueba" / "__init__.py").write_text("")
    set_result(folder, 1)


def set_result(folder, value):
    """Cambia la función que importa el capítulo para que devuelva value."""
    source = f"""\
        def resultado():
            return {value!r}
        """
    path = folder / "paquete_prueba" / "calculo.py"
    path.write_text(textwrap.dedent(source))


def build(folder):
    """Construye el libro y devuelve (resultado, ejecutado) de la página."""
    # Sin .pyc: el núcleo no debe leer bytecode viejo de calculo.py si dos
    # versiones caen en el mismo segundo con el mismo tamaño.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    command = [str(JUPYTER_BOOK), "build", str(folder), "-W", "-n",
               "--keep-going"]
    result = subprocess.run(
        command, capture_output=True, text=True, env=env,
        timeout=BUILD_TIMEOUT_S, check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"La construcción falló:\n{log[-3000:]}"
    page = (folder / "_build" / "html" / "capitulo.html").read_text("utf-8")
    value = re.search(r"resultado=(\d+)", page)
    executed = re.search(r"ejecutado=(\d+)", page)
    assert value is not None, "La página no muestra «resultado=»."
    assert executed is not None, "La página no muestra «ejecutado=»."
    return value.group(1), executed.group(1)


@pytest.fixture
def book_with_extension(tmp_path):
    write_book(tmp_path, with_extension=True)
    return tmp_path


@pytest.fixture
def book_without_extension(tmp_path):
    write_book(tmp_path, with_extension=False)
    return tmp_path


def read_stamp(folder):
    stamp = (folder / "_build" / ".jupyter_cache"
             / execution_dependencies.STAMP_NAME)
    return stamp.read_text().strip()


def test_code_change_reexecutes_chapter(book_with_extension):
    first, _ = build(book_with_extension)
    first_stamp = read_stamp(book_with_extension)
    set_result(book_with_extension, 2)
    second, _ = build(book_with_extension)
    second_stamp = read_stamp(book_with_extension)
    assert first == "1"
    assert second == "2"
    assert re.fullmatch(r"[0-9a-f]{64}", first_stamp)
    assert second_stamp != first_stamp


def test_stale_page_without_extension(book_without_extension):
    # La misma secuencia sin la extensión: jupyter-book sirve la página
    # vieja. Si esto dejara de pasar, la prueba anterior no demostraría nada.
    first, _ = build(book_without_extension)
    set_result(book_without_extension, 2)
    second, _ = build(book_without_extension)
    assert first == "1"
    assert second == "1"


def test_unchanged_code_keeps_cache(book_with_extension):
    _, first_run = build(book_with_extension)
    # Cambiar solo la prosa obliga a Sphinx a releer el capítulo, pero el
    # código de las celdas y del paquete es el mismo: debe salir de la caché.
    chapter = book_with_extension / "capitulo.md"
    chapter.write_text(chapter.read_text("utf-8") + "\nOtra frase.\n",
                       encoding="utf-8")
    _, second_run = build(book_with_extension)
    assert second_run == first_run


def _package(tmp_path):
    package = tmp_path / "paquete"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    (package / "datos").mkdir()
    (package / "datos" / "b.txt").write_text("hola\n")
    return package


def test_hash_is_stable(tmp_path):
    _package(tmp_path)
    first = execution_dependencies.hash_dependencies(tmp_path, ["paquete"])
    second = execution_dependencies.hash_dependencies(tmp_path, ["paquete"])
    assert first == second
    assert re.fullmatch(r"[0-9a-f]{64}", first)


@pytest.mark.parametrize("change", ["content", "new_file", "rename"])
def test_hash_follows_changes(tmp_path, change):
    package = _package(tmp_path)
    before = execution_dependencies.hash_dependencies(tmp_path, ["paquete"])
    if change == "content":
        (package / "a.py").write_text("x = 2\n")
    elif change == "new_file":
        (package / "c.py").write_text("")
    else:
        (package / "a.py").rename(package / "z.py")
    after = execution_dependencies.hash_dependencies(tmp_path, ["paquete"])
    assert after != before


def test_hash_ignores_bytecode(tmp_path):
    package = _package(tmp_path)
    before = execution_dependencies.hash_dependencies(tmp_path, ["paquete"])
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0\1")
    after = execution_dependencies.hash_dependencies(tmp_path, ["paquete"])
    assert after == before


def test_hash_accepts_single_file(tmp_path):
    package = _package(tmp_path)
    digest = execution_dependencies.hash_dependencies(
        tmp_path, ["paquete/a.py"]
    )
    (package / "datos" / "b.txt").write_text("adiós\n")
    assert execution_dependencies.hash_dependencies(
        tmp_path, ["paquete/a.py"]
    ) == digest


def test_hash_rejects_missing_path(tmp_path):
    with pytest.raises(ConfigError, match="no existe la ruta 'falta'"):
        execution_dependencies.hash_dependencies(tmp_path, ["falta"])


def test_book_config_tracks_package():
    config = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
    sphinx_config = config["sphinx"]["config"]
    assert "execution_dependencies" in sphinx_config["extensions"]
    assert "code/rnnbook" in sphinx_config["execution_dependencies"]


def _cache_keys():
    """Devuelve las claves de los pasos de CI que guardan jupyter-cache."""
    keys = []
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text("utf-8"))
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                uses = step.get("uses", "")
                with_ = step.get("with", {})
                if (uses.startswith("actions/cache")
                        and ".jupyter_cache" in str(with_.get("path", ""))):
                    keys.append(with_["key"])
    return keys


def test_ci_caches_execution():
    assert len(_cache_keys()) >= 1


@pytest.mark.parametrize(
    "pattern", ["code/**", "book/**", "requirements.txt", "_config.yml"]
)
def test_ci_cache_key_hashes(pattern):
    for key in _cache_keys():
        hashed = re.findall(r"'([^']+)'", " ".join(
            re.findall(r"hashFiles\(([^)]*)\)", key)
        ))
        assert pattern in hashed, f"La clave {key!r} no incluye {pattern!r}."
