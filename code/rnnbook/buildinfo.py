"""Lectura de una construcción del libro: tiempos y valores pegados.

Con ``execute_notebooks: cache``, myst-nb guarda cada cuaderno que ejecuta en
la caché de jupyter-cache (por defecto, ``_build/.jupyter_cache`` dentro de
la carpeta de salida): el cuaderno con todas sus salidas y los segundos que
tardó, en ``data["execution_seconds"]``. De ahí salen los tiempos por
capítulo y los valores pegados con ``glue``, que viven en celdas
``remove-cell`` y por eso faltan en las copias de ``_build/jupyter_execute``.
"""

import datetime
import os
import pathlib
from dataclasses import dataclass

TIMING_PREFIX = "tiempo-"
"""Prefijo de los nombres pegados que son tiempos de reloj.

Por convención del libro, son los únicos valores que pueden cambiar entre
dos construcciones en la misma máquina, y :func:`compare_glued_values` no
los compara.
"""

CACHE_DB_NAME = "global.db"
"""Nombre del fichero SQLite de una caché de jupyter-cache (versión 1.0)."""


@dataclass(frozen=True)
class CurrentBuild:
    """Construcción del libro que está ejecutando el cuaderno actual.

    Attributes
    ----------
    cache_path : pathlib.Path
        Carpeta de la caché de jupyter-cache de esa construcción.
    started : datetime.datetime
        Arranque del proceso que construye el libro, en UTC.
    """

    cache_path: pathlib.Path
    started: datetime.datetime


@dataclass(frozen=True)
class ChapterTime:
    """Tiempo de ejecución de un capítulo, según la caché de ejecución.

    Attributes
    ----------
    docname : str
        Documento sin extensión, relativo a la carpeta del libro, como
        ``"book/01-datos-secuenciales"``.
    seconds : float
        Segundos que tardó en ejecutarse el cuaderno entero.
    executed : datetime.datetime
        Cuándo se ejecutó, en UTC.
    from_cache : bool or None
        ``True`` si la ejecución es anterior a la construcción indicada con
        ``since`` (el capítulo salió de la caché); ``None`` sin ``since``.
    """

    docname: str
    seconds: float
    executed: datetime.datetime
    from_cache: bool | None


def find_current_build():
    """Localiza la construcción que ejecuta este núcleo de Jupyter.

    myst-nb arranca el núcleo como proceso hijo del proceso de Sphinx, que
    tiene abierta la base de datos de jupyter-cache mientras ejecuta los
    cuadernos. La función busca ese fichero entre los abiertos por el
    proceso padre (el de ``JPY_PARENT_PID``, que fija jupyter_client).

    Returns
    -------
    CurrentBuild or None
        ``None`` si el padre no tiene abierta exactamente una caché: fuera
        de una construcción, si el sistema no deja leer los ficheros
        abiertos de otro proceso o si hay varias y no se sabe cuál es.
    """
    import psutil

    try:
        parent_pid = int(os.environ.get("JPY_PARENT_PID", os.getppid()))
        parent = psutil.Process(parent_pid)
        open_paths = [pathlib.Path(item.path) for item in parent.open_files()]
        started = parent.create_time()
    except (psutil.Error, ValueError):
        return None
    databases = {path for path in open_paths if path.name == CACHE_DB_NAME}
    if len(databases) != 1:
        return None
    return CurrentBuild(
        cache_path=databases.pop().parent,
        started=datetime.datetime.fromtimestamp(
            started, tz=datetime.timezone.utc
        ),
    )


def _as_utc(moment):
    # jupyter-cache guarda fechas UTC sin zona horaria en SQLite.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _docname(uri, source_root):
    path = pathlib.Path(uri)
    try:
        relative = path.resolve().relative_to(source_root)
    except ValueError:
        return None
    return relative.with_suffix("").as_posix()


def _open_cache(cache_path):
    cache_path = pathlib.Path(cache_path)
    if not (cache_path / CACHE_DB_NAME).is_file():
        # get_cache crearía una caché vacía en una ruta equivocada.
        raise FileNotFoundError(
            f"No hay caché de ejecución en {cache_path}: falta "
            f"{CACHE_DB_NAME}. Pasa la carpeta _build/.jupyter_cache de una "
            "construcción terminada."
        )
    from jupyter_cache import get_cache

    return get_cache(str(cache_path))


def _latest_records(cache, source_root):
    # {docname: registro}. Si la caché guarda varias ejecuciones de un
    # capítulo (versiones anteriores), vale la última que se usó.
    source_root = pathlib.Path(source_root).resolve()
    latest = {}
    for record in cache.list_cache_records():
        docname = _docname(record.uri, source_root)
        if docname is None:
            continue
        previous = latest.get(docname)
        if previous is None or (_as_utc(record.accessed)
                                > _as_utc(previous.accessed)):
            latest[docname] = record
    return latest


def chapter_execution_times(cache_path, source_root, since=None):
    """Lee de una caché de ejecución cuánto tardó cada capítulo del libro.

    Parameters
    ----------
    cache_path : str or pathlib.Path
        Carpeta de la caché de jupyter-cache (la que contiene
        ``global.db``).
    source_root : str or pathlib.Path
        Carpeta del libro (la de ``_config.yml``). Los cuadernos de fuera de
        ella se ignoran.
    since : datetime.datetime, optional
        Inicio de la construcción que interesa. Con él, cada capítulo dice
        si se ejecutó en ella o salió de la caché.

    Returns
    -------
    list of ChapterTime
        Uno por capítulo, ordenados por ``docname``. Si la caché guarda
        varias ejecuciones del mismo capítulo (versiones anteriores), se
        toma la última que se usó.

    Raises
    ------
    FileNotFoundError
        Si ``cache_path`` no contiene ``global.db``.
    """
    cache = _open_cache(cache_path)
    if since is not None:
        since = _as_utc(since)
    chapters = []
    for docname, record in sorted(_latest_records(cache,
                                                  source_root).items()):
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        executed = _as_utc(record.created)
        from_cache = None if since is None else executed < since
        chapters.append(
            ChapterTime(docname, float(seconds), executed, from_cache)
        )
    return chapters


def glued_values(cache_path, source_root):
    """Reúne los valores pegados con ``glue`` en una construcción terminada.

    Parameters
    ----------
    cache_path : str or pathlib.Path
        Carpeta de la caché de jupyter-cache de la construcción.
    source_root : str or pathlib.Path
        Carpeta del libro (la de ``_config.yml``).

    Returns
    -------
    dict
        ``{(docname, nombre): datos}``, con ``datos`` el diccionario de
        representaciones (``"application/papermill.record/text/plain"``...)
        que guardó ``glue``.

    Raises
    ------
    FileNotFoundError
        Si ``cache_path`` no contiene ``global.db``.
    """
    cache = _open_cache(cache_path)
    values = {}
    for docname, record in sorted(_latest_records(cache,
                                                  source_root).items()):
        notebook = cache.get_cache_bundle(record.pk).nb
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get(
                    "name"
                )
                if name is not None:
                    values[(docname, name)] = dict(output.get("data", {}))
    return values


def _shown(data):
    # Una figura pegada trae la imagen entera; basta su representación de
    # texto, o los tipos de datos si no la tiene.
    if not isinstance(data, dict):
        return repr(data)
    for mime, value in data.items():
        if mime.endswith("text/plain"):
            return value
    return "<" + ", ".join(sorted(data)) + ">"


def compare_glued_values(first, second, ignore_prefix=TIMING_PREFIX):
    """Compara los valores pegados de dos construcciones.

    Parameters
    ----------
    first, second : dict
        Resultados de :func:`glued_values`.
    ignore_prefix : str
        Los nombres que empiezan así no se comparan.

    Returns
    -------
    list of str
        Una línea por diferencia (valor distinto o que solo está en una de
        las dos); vacía si coinciden.

    Examples
    --------
    >>> a = {("cap", "n"): {"text/plain": "3"},
    ...      ("cap", "tiempo-s"): {"text/plain": "1.2"}}
    >>> b = {("cap", "n"): {"text/plain": "4"},
    ...      ("cap", "tiempo-s"): {"text/plain": "1.9"}}
    >>> compare_glued_values(a, b)
    ["cap: 'n' vale 3 en la primera y 4 en la segunda"]
    """
    differences = []
    for key in sorted(set(first) | set(second)):
        docname, name = key
        if name.startswith(ignore_prefix):
            continue
        if key not in second:
            differences.append(f"{docname}: {name!r} solo está en la primera")
        elif key not in first:
            differences.append(f"{docname}: {name!r} solo está en la segunda")
        elif first[key] != second[key]:
            differences.append(
                f"{docname}: {name!r} vale {_shown(first[key])} en la "
                f"primera y {_shown(second[key])} en la segunda"
            )
    return differences
