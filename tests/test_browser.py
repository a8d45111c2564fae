"""Recorre el sitio construido en Chromium (marca ``browser``).

Sirve el HTML de la fixture ``built_site`` en 127.0.0.1 y abre cada página
con Playwright sobre el Chromium del sistema (no descarga navegadores). La
ruta del ejecutable sale de ``RNNBOOK_CHROMIUM`` o, por defecto,
``/usr/bin/chromium`` (paquete «chromium» de Debian). Cada página se visita
una sola vez; las pruebas revisan después lo que se anotó en la visita.

Las capturas de cada capítulo quedan en ``<html>/../screenshots/``.
"""

import dataclasses
import functools
import http.server
import os
import pathlib
import re
import shutil
import threading
import urllib.parse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

from book_pages import html_pages, toc_docnames

pytestmark = [pytest.mark.browser, pytest.mark.book]

CHROMIUM = os.environ.get("RNNBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEARCH_TERM = "compuerta"
PAGE_TIMEOUT_MS = 30_000
SEARCH_TIMEOUT_MS = 10_000

ENGLISH_UI = [
    "Announcement", "Back to top", "By", "Click to hide", "Click to show",
    "Close", "Collapse", "Contents", "Copied", "Copy", "Copyright", "Dark",
    "Download", "Edit this page", "Examples", "Expand", "Fullscreen",
    "Hide code", "Hide Search Matches", "Index", "Last updated", "Launch",
    "Light", "Link to this", "Made with", "Main", "Menu", "Module Index",
    "Navigation", "Next", "Notes", "On this page", "Open an issue", "Page",
    "Parameters", "Permalink", "Please activate JavaScript", "Powered by",
    "Previous", "Print to PDF", "Raises", "Return type", "Returns",
    "Search", "Searching", "Section Navigation", "Show code", "Show source",
    "Site navigation", "Skip to main content", "Switch to",
    "System settings", "Theme", "Toggle", "Type", "Version", "Yields",
    "module", "next page", "previous page",
]
"""Textos de interfaz en inglés que ninguna página debe mostrar.

Se buscan como palabras completas y distinguiendo mayúsculas, en el texto
visible (sin código ni fórmulas) y en los atributos que lee el usuario o su
lector de pantalla.
"""

ENGLISH_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH_UI)) + r")(?![\w-])"
)

COLLECT_SCRIPT = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const images = Array.from(document.images);
  await Promise.all(images.map((image) => {
    image.loading = "eager";
    if (image.complete) return null;
    return new Promise((done) => {
      image.addEventListener("load", done, {once: true});
      image.addEventListener("error", done, {once: true});
    });
  }));

  const attributes = [];
  const names = ["title", "aria-label", "placeholder", "alt",
                 "data-tooltip", "data-bs-title", "data-bs-original-title",
                 "data-toggle-hint"];
  for (const element of document.querySelectorAll("*")) {
    for (const name of names) {
      const value = element.getAttribute(name);
      if (value) attributes.push(value);
    }
  }

  // Texto que lee una persona: sin código, fórmulas ni firmas de funciones.
  const clone = document.body.cloneNode(true);
  const skip = "script, style, pre, code, .cell_input, .cell_output, "
    + ".math, mjx-container, .sig, .highlight";
  clone.querySelectorAll(skip).forEach((element) => element.remove());
  const prose = clone.textContent;

  const search = document.querySelector("input[name='q']");
  return {
    lang: document.documentElement.lang,
    title: document.title,
    visibleText: document.body.innerText,
    prose: prose,
    attributes: attributes,
    brokenImages: images.filter((image) => image.naturalWidth === 0)
      .map((image) => image.currentSrc || image.src),
    texElements: document.querySelectorAll(".math").length,
    renderedMath: document.querySelectorAll("mjx-container").length,
    searchPlaceholder: search ? search.placeholder : null,
  };
}
"""

RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^\s$][^$\n]*\$")
"""Restos de TeX sin procesar: delimitadores \\( \\[ $$ o $...$."""


@dataclasses.dataclass
class PageVisit:
    """Lo anotado al abrir una página."""

    console_errors: list = dataclasses.field(default_factory=list)
    failed_requests: list = dataclasses.field(default_factory=list)
    foreign_requests: list = dataclasses.field(default_factory=list)
    data: dict = dataclasses.field(default_factory=dict)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    """Sirve el HTML en 127.0.0.1, en un puerto libre, durante el módulo."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    if not pathlib.Path(CHROMIUM).is_file():
        pytest.fail(
            f"No existe Chromium en {CHROMIUM}. Instálalo con "
            "«apt-get install chromium» o indica su ruta en RNNBOOK_CHROMIUM."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _open_page(browser, site_url, visit):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    site_host = urllib.parse.urlsplit(site_url).netloc

    def on_console(message):
        if message.type == "error":
            visit.console_errors.append(message.text)

    def on_request(request):
        parts = urllib.parse.urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != site_host:
            visit.foreign_requests.append(request.url)

    def on_response(response):
        if response.status >= 400:
            visit.failed_requests.append(f"{response.status} {response.url}")

    def on_failed(request):
        visit.failed_requests.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return page


@pytest.fixture(scope="module")
def visits(built_site, site_url, browser):
    """Visita cada página HTML del sitio; devuelve {ruta: PageVisit}."""
    screenshots = built_site.parent / "screenshots"
    shutil.rmtree(screenshots, ignore_errors=True)
    screenshots.mkdir()
    chapters = {f"{name}.html" for name in toc_docnames()}
    pages = [
        path.relative_to(built_site).as_posix()
        for path in html_pages(built_site)
    ]
    results = {}
    for relative in pages:
        visit = PageVisit()
        page = _open_page(browser, site_url, visit)
        page.goto(site_url + relative, wait_until="networkidle")
        visit.data = page.evaluate(COLLECT_SCRIPT)
        if relative in chapters:
            name = relative.removesuffix(".html").replace("/", "-")
            page.screenshot(path=screenshots / f"{name}.png", full_page=True)
        page.close()
        results[relative] = visit
    return results


def _report(found):
    return "\n".join(f"{page}: {items}" for page, items in found.items())


def test_site_has_pages(visits):
    assert len(visits) >= len(toc_docnames())


def test_no_console_errors(visits):
    found = {page: v.console_errors for page, v in visits.items()
             if v.console_errors}
    assert found == {}, _report(found)


def test_no_failed_requests(visits):
    found = {page: v.failed_requests for page, v in visits.items()
             if v.failed_requests}
    assert found == {}, _report(found)


def test_no_requests_to_other_hosts(visits):
    found = {page: v.foreign_requests for page, v in visits.items()
             if v.foreign_requests}
    assert found == {}, _report(found)


def test_images_load(visits):
    found = {page: v.data["brokenImages"] for page, v in visits.items()
             if v.data["brokenImages"]}
    assert found == {}, _report(found)


def test_math_is_rendered(visits):
    found = {
        page: f"{v.data['texElements']} fórmulas, "
              f"{v.data['renderedMath']} dibujadas por MathJax"
        for page, v in visits.items()
        if v.data["renderedMath"] < v.data["texElements"]
    }
    assert found == {}, _report(found)


def test_book_has_math(visits):
    # Los capítulos de RNN, LSTM y GRU escriben sus ecuaciones. Sin fórmulas
    # en ninguna página, la prueba anterior no comprobaría MathJax.
    assert any(v.data["texElements"] > 0 for v in visits.values())


def test_no_raw_tex(visits):
    found = {}
    for page, v in visits.items():
        leftovers = RAW_TEX.findall(v.data["prose"])
        if leftovers:
            found[page] = leftovers[:5]
    assert found == {}, _report(found)


def test_pages_are_spanish(visits):
    found = {page: v.data["lang"] for page, v in visits.items()
             if v.data["lang"] != "es"}
    assert found == {}, _report(found)


def test_no_english_ui_text(visits):
    found = {}
    for page, v in visits.items():
        texts = [v.data["title"], v.data["prose"], *v.data["attributes"]]
        words = sorted({
            match.group(1)
            for text in texts
            for match in ENGLISH_PATTERN.finditer(text)
        })
        if words:
            found[page] = words
    assert found == {}, _report(found)


def test_search_box_in_spanish(visits):
    chapters = [f"{name}.html" for name in toc_docnames()]
    found = {
        page: visits[page].data["searchPlaceholder"]
        for page in chapters
        if not (visits[page].data["searchPlaceholder"] or "").startswith(
            "Buscar"
        )
    }
    assert found == {}, _report(found)


def test_navigation_in_spanish(visits):
    # Todas las páginas menos la primera enlazan a la anterior.
    chapters = [f"{name}.html" for name in toc_docnames()]
    found = [
        page for page in chapters[1:]
        if "Anterior" not in visits[page].data["visibleText"]
    ]
    assert found == [], f"Sin el enlace «Anterior»: {found}"


def test_screenshots_saved(visits, built_site):
    screenshots = built_site.parent / "screenshots"
    expected = {
        f"{name.replace('/', '-')}.png" for name in toc_docnames()
    }
    saved = {path.name for path in screenshots.glob("*.png")}
    assert expected <= saved, f"Faltan capturas: {sorted(expected - saved)}"


def test_search_finds_term(browser, site_url):
    visit = PageVisit()
    page = _open_page(browser, site_url, visit)
    page.goto(f"{site_url}search.html?q={SEARCH_TERM}", wait_until="load")
    try:
        page.wait_for_selector(
            "#search-results ul.search li", timeout=SEARCH_TIMEOUT_MS
        )
    except PlaywrightTimeoutError:
        pytest.fail(
            f"La búsqueda de «{SEARCH_TERM}» no devolvió resultados en "
            f"{SEARCH_TIMEOUT_MS / 1000:.0f} s."
        )
    results = page.locator("#search-results ul.search li").count()
    page.close()
    assert results > 0
    assert visit.console_errors == []
