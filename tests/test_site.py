"""Pruebas del HTML del libro construido (marca ``book``).

Usan la fixture ``built_site`` de conftest.py, que construye el libro una
vez por sesión (o usa ``RNNBOOK_HTML``). Las comprobaciones son genéricas:
los capítulos salen de ``_toc.yml`` y de las páginas construidas.
"""

import re

import pytest
from bs4 import BeautifulSoup

from book_pages import ROOT, html_pages, toc_docnames

pytestmark = pytest.mark.book

LOG_PATTERNS = {
    "traza de Python": re.compile(r"Traceback \(most recent call last\)"),
    "aviso de Python": re.compile(
        r"\b\w*(Warning|Deprecation)\b:|\bUserWarning\b|\bFutureWarning\b"
    ),
    "línea WARNING": re.compile(r"\bWARNING\b"),
    # Registro de absl/TensorFlow en C++: «I0000 00:00:...», «W1204 15:58:...».
    "registro de TensorFlow": re.compile(r"\b[IWEF]\d{4} \d\d:\d\d:\d\d"),
    "registro con fecha": re.compile(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[.,]\d+: [IWEF] "
    ),
    "barra de progreso": re.compile(r"━|\d+/\d+ \[=*>?\.*\]|\bEpoch \d+/\d+"),
}
"""Rastros de registro que no deben llegar al texto de ninguna página."""

MOJIBAKE = ("Ã", "Â", "\ufffd")
"""Huellas de UTF-8 leído como Latin-1 y del carácter de sustitución."""

EXTERNAL_URL = re.compile(r"^(https?:)?//", re.IGNORECASE)
"""URL absoluta o relativa al protocolo, es decir, de otro sitio."""

RESOURCE_ATTRIBUTES = {
    "script": "src",
    "link": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}
"""Etiquetas que hacen que el navegador pida algo, con su atributo."""


def source_path(docname):
    """Devuelve el fichero fuente (.md o .ipynb) de un documento."""
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{docname}{suffix}"
        if path.is_file():
            return path
    raise FileNotFoundError(f"No hay fuente para {docname} en {ROOT}.")


def prose(markdown):
    """Quita de un capítulo MyST las celdas de código y su metadato."""
    return re.sub(
        r"^(`{3,})\{code-cell\}.*?^\1[ \t]*$", "", markdown,
        flags=re.DOTALL | re.MULTILINE,
    )


def read_soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_text(soup):
    """Texto de la página sin el código fuente escrito por los autores.

    Se quitan las celdas de entrada y los bloques de código que no son
    salida de una celda, porque el código puede nombrar avisos a propósito.
    Las salidas de las celdas sí se revisan.
    """
    for element in soup.select("script, style, .cell_input"):
        element.decompose()
    for block in soup.select("div[class*='highlight-']"):
        if block.find_parent(class_="cell_output") is None:
            block.decompose()
    return soup.get_text(" ")


@pytest.fixture(scope="module")
def chapters(built_site):
    """Pares (documento, ruta del HTML) de cada entrada de ``_toc.yml``."""
    return [(name, built_site / f"{name}.html") for name in toc_docnames()]


def test_toc_lists_chapters():
    assert len(toc_docnames()) >= 2


def test_every_toc_entry_has_page(chapters):
    missing = [name for name, path in chapters if not path.is_file()]
    assert missing == [], f"Capítulos de _toc.yml sin HTML: {missing}"


def test_pages_declare_spanish(built_site):
    wrong = {}
    for path in html_pages(built_site):
        lang = read_soup(path).html.get("lang")
        if lang != "es":
            wrong[str(path.relative_to(built_site))] = lang
    assert wrong == {}, f"Páginas sin lang=\"es\": {wrong}"


def test_pages_declare_utf8(built_site):
    wrong = []
    for path in html_pages(built_site):
        meta = read_soup(path).find("meta", charset=True)
        if meta is None or meta["charset"].lower() != "utf-8":
            wrong.append(str(path.relative_to(built_site)))
    assert wrong == [], f"Páginas sin <meta charset=\"utf-8\">: {wrong}"


def test_figures_are_images_with_alt(chapters):
    problems = []
    for name, path in chapters:
        for figure in read_soup(path).find_all("figure"):
            image = figure.find("img")
            label = f"{name}#{figure.get('id', '?')}"
            if image is None:
                problems.append(f"{label}: la figura no tiene <img>")
                continue
            alt = (image.get("alt") or "").strip()
            if not alt:
                problems.append(f"{label}: <img> sin texto alternativo")
            elif re.search(r"\.(png|jpe?g|svg|gif)$", alt, re.IGNORECASE):
                problems.append(f"{label}: el alt es un nombre de fichero")
    assert problems == [], "\n".join(problems)


def test_glued_text_is_rendered(chapters):
    problems = []
    for name, path in chapters:
        expected = len(re.findall(
            r"\{glue:text\}`", prose(source_path(name).read_text("utf-8"))
        ))
        soup = read_soup(path)
        pasted = soup.select("span.pasted-text")
        if len(pasted) < expected:
            problems.append(
                f"{name}: {expected} roles glue:text en la fuente, "
                f"{len(pasted)} valores pegados en el HTML"
            )
        empty = [span for span in pasted if not span.get_text(strip=True)]
        if empty:
            problems.append(f"{name}: {len(empty)} valores pegados vacíos")
    assert problems == [], "\n".join(problems)


def test_no_unresolved_glue(built_site):
    pages = [
        str(path.relative_to(built_site))
        for path in html_pages(built_site)
        if "{glue" in page_text(read_soup(path))
    ]
    assert pages == [], f"Roles glue sin resolver en: {pages}"


def test_no_stderr_outputs(built_site):
    pages = [
        str(path.relative_to(built_site))
        for path in html_pages(built_site)
        if read_soup(path).select(".output.stderr, .output.traceback")
    ]
    assert pages == [], f"Salidas de error o stderr en: {pages}"


@pytest.mark.parametrize("kind", sorted(LOG_PATTERNS))
def test_no_log_lines(built_site, kind):
    pattern = LOG_PATTERNS[kind]
    hits = {}
    for path in html_pages(built_site):
        match = pattern.search(page_text(read_soup(path)))
        if match:
            hits[str(path.relative_to(built_site))] = match.group(0)
    assert hits == {}, f"{kind} en las páginas: {hits}"


def test_no_mojibake(built_site):
    hits = {}
    for path in html_pages(built_site):
        text = page_text(read_soup(path))
        found = [mark for mark in MOJIBAKE if mark in text]
        if found:
            hits[str(path.relative_to(built_site))] = found
    assert hits == {}, f"Caracteres mal codificados: {hits}"


def test_accented_headings_survive(chapters):
    missing = []
    for name, path in chapters:
        text = page_text(read_soup(path))
        for line in prose(source_path(name).read_text("utf-8")).splitlines():
            if not line.startswith("#"):
                continue
            for word in re.findall(r"\w*[^\x00-\x7f]\w*", line):
                if word not in text:
                    missing.append(f"{name}: {word!r}")
    assert missing == [], f"Palabras con tilde o ñ perdidas: {missing}"


def test_book_contains_accents(chapters):
    text = " ".join(page_text(read_soup(path)) for _, path in chapters)
    assert re.search(r"[áéíóúñ]", text)


def test_no_third_party_resources(built_site):
    hits = []
    for path in html_pages(built_site):
        soup = read_soup(path)
        page = str(path.relative_to(built_site))
        for tag, attribute in RESOURCE_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                value = element.get(attribute) or ""
                if EXTERNAL_URL.match(value.strip()):
                    hits.append(f"{page}: <{tag} {attribute}={value}>")
        for script in soup.find_all("script", src=False):
            for url in re.findall(r"(?:https?:)?//[\w.-]+\.\w+", script.text):
                hits.append(f"{page}: <script> en línea cita {url}")
    assert hits == [], "\n".join(hits)


def test_stylesheets_stay_local(built_site):
    hits = []
    for path in sorted((built_site / "_static").rglob("*.css")):
        css = path.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(
            r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)",
            css,
        ):
            hits.append(f"{path.relative_to(built_site)}: {url}")
    assert hits == [], "\n".join(hits)
