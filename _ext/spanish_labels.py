"""Pone en español los textos de la interfaz que otras piezas dejan en inglés.

La mayoría se traducen con ``language: es``, con el catálogo
``locales/es/LC_MESSAGES/sphinx.po`` y con las plantillas de ``_templates``.
Esta extensión cubre lo que no pasa por ningún catálogo:

- El ``aria-label`` «Toggle hidden content». myst-nb 1.4 lo escribe en el
  HTML del resumen de cada celda oculta, y se sustituye al escribir la
  página. togglebutton.js (sphinx-togglebutton 0.4) lo pone en el navegador
  en el botón de las advertencias desplegables, y lo sustituye un guion
  propio.
- La parte oculta que nombran los avisos de las celdas ocultas. myst-nb
  cambia ``{type}`` en ``nb_code_prompt_show`` y ``nb_code_prompt_hide``
  por «source», «output», «outputs» o «content».
- La palabra «module» de las entradas que Sphinx 7.4 añade al índice
  general por cada módulo documentado.
- El campo «Type» que napoleon escribe para el tipo de cada atributo.
  Sphinx solo pone en mayúscula el nombre de los campos que no conoce.
- La página ``index.html`` de la raíz, que solo redirige a la portada.
  sphinx-external-toc la escribe como una etiqueta ``<meta>`` suelta, sin
  idioma ni codificación.
"""

import html
import json
import pathlib

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode

ARIA_LABELS = {
    "Toggle hidden content": "Mostrar u ocultar el contenido",
}
"""Etiquetas ``aria-label`` en inglés y su traducción."""

INDEX_WORDS = {"module": "módulo"}
"""Palabras fijas del índice general y su traducción."""

HIDDEN_PARTS = {
    "source": "el código",
    "output": "la salida",
    "outputs": "las salidas",
    "content": "la celda",
}
"""Valores de ``{type}`` en los avisos de celdas ocultas y su traducción."""

FIELD_NAMES = {"Type": "Tipo"}
"""Nombres de campo sin traducir en la referencia y su traducción."""

_RELABEL_SCRIPT = """\
document.addEventListener("DOMContentLoaded", () => {
  const labels = %s;
  for (const [english, spanish] of Object.entries(labels)) {
    const selector = `[aria-label="${english}"]`;
    for (const element of document.querySelectorAll(selector)) {
      element.setAttribute("aria-label", spanish);
    }
  }
});
"""

_REDIRECT_PAGE = """\
<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={url}">
<title>{title}</title>
</head>
<body>
<p><a href="{url}">Ir a la portada de «{title}»</a>.</p>
</body>
</html>
"""

# sphinx-external-toc escribe su index.html en «build-finished» con la
# prioridad por defecto (500), y solo si no existe. Con 400, este va antes.
_REDIRECT_PRIORITY = 400

# togglebutton.js se añade con la prioridad por defecto (500) y registra su
# manejador de DOMContentLoaded al ejecutarse. Con una prioridad mayor, este
# guion se carga después, así que su manejador corre con los botones ya
# creados.
_SCRIPT_PRIORITY = 600


def relabel_body(app, pagename, templatename, context, doctree):
    """Sustituye las etiquetas en inglés del cuerpo de la página."""
    body = context.get("body")
    if not body:
        return
    for english, spanish in ARIA_LABELS.items():
        body = body.replace(
            f'aria-label="{english}"', f'aria-label="{spanish}"'
        )
    context["body"] = body


def relabel_hidden_cells(app, doctree, docname):
    """Traduce la parte oculta al final de los avisos de celdas ocultas.

    Corre después de las transformaciones de myst-nb, que ya cambiaron
    ``{type}`` por la palabra en inglés («Mostrar source» pasa a «Mostrar
    el código»).
    """
    for node in doctree.findall(HideCodeCellNode):
        for key in ("prompt_show", "prompt_hide"):
            head, _, last = node[key].rpartition(" ")
            if head and last in HIDDEN_PARTS:
                node[key] = f"{head} {HIDDEN_PARTS[last]}"


def relabel_fields(app, doctree, docname):
    """Traduce los nombres de campo que Sphinx deja en inglés."""
    for field_name in doctree.findall(nodes.field_name):
        spanish = FIELD_NAMES.get(field_name.astext())
        if spanish is not None:
            field_name[:] = [nodes.Text(spanish)]


def relabel_index(app, pagename, templatename, context, doctree):
    """Traduce las palabras fijas de las entradas del índice general."""
    if pagename != "genindex" or "genindexentries" not in context:
        return
    # Estructura de Sphinx 7.4: [(letra, [(entrada, (destinos, subentradas,
    # categoría))]], con subentradas como [(nombre, destinos)].
    translated = []
    for letter, entries in context["genindexentries"]:
        new_entries = []
        for name, (targets, sub_entries, category) in entries:
            sub_entries = [
                (INDEX_WORDS.get(sub_name, sub_name), sub_targets)
                for sub_name, sub_targets in sub_entries
            ]
            new_entries.append(
                (INDEX_WORDS.get(name, name), (targets, sub_entries, category))
            )
        translated.append((letter, new_entries))
    context["genindexentries"] = translated


def write_redirect_page(app, exception):
    """Escribe index.html en la raíz del sitio, en español, si hace falta."""
    if exception is not None or app.builder.format != "html":
        return
    root_doc = app.config.root_doc
    if root_doc == "index":
        return
    url = html.escape(app.builder.get_target_uri(root_doc), quote=True)
    title = html.escape(app.config.html_title or app.config.project)
    # Sin <link rel="icon">: la redirección cancelaría su petición, que el
    # navegador registra como fallida. Chromium 156 no pide /favicon.ico
    # antes de saltar a la portada.
    page = _REDIRECT_PAGE.format(url=url, title=title)
    pathlib.Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", relabel_body)
    app.connect("html-page-context", relabel_index)
    app.connect("doctree-resolved", relabel_fields)
    app.connect("doctree-resolved", relabel_hidden_cells)
    app.connect(
        "build-finished", write_redirect_page, priority=_REDIRECT_PRIORITY
    )
    app.add_js_file(
        None,
        body=_RELABEL_SCRIPT % json.dumps(ARIA_LABELS, ensure_ascii=False),
        priority=_SCRIPT_PRIORITY,
    )
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
