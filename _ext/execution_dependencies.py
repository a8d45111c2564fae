"""Vuelve a ejecutar los cuadernos cuando cambia el código que importan.

Con ``execute_notebooks: cache``, myst-nb identifica cada cuaderno en la
caché de jupyter-cache por el código de sus celdas, y Sphinx solo vuelve a
leer los documentos cuyo fichero fuente cambió. Ninguno de los dos mira el
paquete que importan las celdas: si cambia una función de ``rnnbook``, la
siguiente construcción sirve los resultados viejos.

Esta extensión calcula un SHA-256 del contenido de las carpetas de
``execution_dependencies`` (rutas relativas a la carpeta del libro) y lo
compara con el que guardó la última construcción terminada, en el fichero
``dependencies.sha256`` dentro de la carpeta de jupyter-cache. Si difieren,
o si falta el fichero, vacía la caché de ejecución y marca todos los
documentos para volver a leerlos, así que myst-nb ejecuta de nuevo cada
cuaderno. El sello se escribe solo cuando la construcción termina sin
excepción: una construcción interrumpida no deja la caché por válida.

Configuración (en ``sphinx: config:`` de ``_config.yml``)::

    execution_dependencies:
      - code/rnnbook
"""

import hashlib
import pathlib
import shutil

from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

STAMP_NAME = "dependencies.sha256"
_IGNORED_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache"}
_IGNORED_SUFFIXES = {".pyc", ".pyo"}


def hash_dependencies(root, paths):
    """Calcula el SHA-256 de los ficheros bajo ``paths``.

    Parameters
    ----------
    root : pathlib.Path
        Carpeta respecto a la que se resuelven las rutas relativas.
    paths : list of str
        Carpetas o ficheros de los que dependen los cuadernos.

    Returns
    -------
    str
        Resumen hexadecimal. Cambia si cambia el contenido, el nombre o la
        lista de ficheros; no depende de fechas de modificación ni de los
        ``__pycache__``.

    Raises
    ------
    ConfigError
        Si alguna ruta no existe.
    """
    digest = hashlib.sha256()
    for entry in paths:
        base = (root / entry).resolve()
        if not base.exists():
            raise ConfigError(
                f"execution_dependencies: no existe la ruta {entry!r} "
                f"(resuelta como {base}). Corrige la lista en _config.yml."
            )
        for path in _files_under(base):
            name = path.relative_to(base.parent).as_posix()
            digest.update(name.encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _files_under(base):
    """Devuelve base si es un fichero, o sus ficheros en orden estable."""
    if base.is_file():
        return [base]
    return sorted(
        path for path in base.rglob("*")
        if path.is_file() and not _is_ignored(path.relative_to(base))
    )


def _is_ignored(relative):
    if relative.suffix in _IGNORED_SUFFIXES:
        return True
    return any(part in _IGNORED_DIRS for part in relative.parts)


def _cache_dir(env):
    # myst-nb resuelve la ruta de la caché al iniciar el constructor
    # («builder-inited»), antes de este evento.
    return pathlib.Path(env.mystnb_config.execution_cache_path)


def _current_hash(app):
    return hash_dependencies(
        pathlib.Path(app.srcdir), app.config.execution_dependencies
    )


def mark_outdated(app, env, added, changed, removed):
    """Vacía la caché y pide releer todo si cambiaron las dependencias."""
    # El entorno de Sphinx se guarda entre construcciones: se reescribe el
    # resumen en cada una para que write_stamp no guarde uno viejo.
    env.execution_dependencies_hash = None
    if not app.config.execution_dependencies:
        return []
    current = _current_hash(app)
    env.execution_dependencies_hash = current
    cache_dir = _cache_dir(env)
    stamp = cache_dir / STAMP_NAME
    previous = stamp.read_text().strip() if stamp.is_file() else None
    if previous == current:
        return []
    if cache_dir.exists():
        logger.info(
            "execution_dependencies: cambió el código de %s o falta su "
            "resumen. Se vacía la caché de ejecución %s",
            ", ".join(app.config.execution_dependencies), cache_dir,
        )
        # La caché solo deriva de los cuadernos y del código, así que no se
        # pierde nada que no se pueda volver a calcular.
        shutil.rmtree(cache_dir)
    return sorted(env.found_docs)


def write_stamp(app, exception):
    """Guarda el resumen usado por una construcción que terminó bien."""
    current = getattr(app.env, "execution_dependencies_hash", None)
    if exception is not None or current is None:
        return
    cache_dir = _cache_dir(app.env)
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / STAMP_NAME).write_text(current + "\n")


def setup(app):
    app.add_config_value("execution_dependencies", [], "env", [list])
    app.connect("env-get-outdated", mark_outdated)
    app.connect("build-finished", write_stamp)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
