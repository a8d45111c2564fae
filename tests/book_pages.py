"""Páginas del libro según ``_toc.yml`` y según el sitio construido.

Lo comparten las pruebas del HTML (test_site.py) y del navegador
(test_browser.py).
"""

import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]


def toc_docnames():
    """Devuelve los documentos de ``_toc.yml`` en orden, raíz incluida.

    Recorre ``chapters``, ``parts`` y ``sections`` a cualquier profundidad.
    Cada nombre va sin extensión (``book/01-datos-secuenciales``).
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def collect(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                collect(entry.get(key))

    for key in ("chapters", "sections", "parts"):
        collect(toc.get(key))
    return [str(pathlib.PurePosixPath(name).with_suffix("")) for name in names]


def html_pages(html):
    """Devuelve las páginas HTML del sitio, sin las de ``_static`` y demás.

    Las carpetas que empiezan por «_» (``_static``, ``_sources``,
    ``_images``) contienen recursos, no páginas del libro.
    """
    return sorted(
        path for path in html.rglob("*.html")
        if not path.relative_to(html).parts[0].startswith("_")
    )
