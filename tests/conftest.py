"""Fixtures compartidas por las pruebas."""

import os
import pathlib
import subprocess
import sys

import matplotlib
import pytest

# Las pruebas dibujan sin pantalla; las funciones de rnnbook.plots no eligen
# backend, así que lo elige quien las llama.
matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Construye el libro una vez por sesión y devuelve la carpeta HTML.

    Con ``RNNBOOK_HTML`` apuntando a un ``_build/html`` ya construido, la
    fixture lo usa sin volver a construir (útil al depurar las pruebas del
    sitio). Si no, construye en una carpeta temporal, con la caché de
    ejecución vacía y avisos como errores.
    """
    prebuilt = os.environ.get("RNNBOOK_HTML")
    if prebuilt:
        html = pathlib.Path(prebuilt)
        if not (html / "index.html").is_file():
            pytest.fail(f"RNNBOOK_HTML={prebuilt} no contiene index.html.")
        return html
    output = tmp_path_factory.mktemp("libro")
    jupyter_book = pathlib.Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book), "build", str(ROOT), "--path-output", str(output),
        "-W", "-n", "--keep-going",
    ]
    result = subprocess.run(command, capture_output=True, text=True,
                            check=False)
    (output / "build.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        pytest.fail(
            "La construcción del libro falló (código "
            f"{result.returncode}). Últimas líneas:\n"
            + "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        )
    return output / "_build" / "html"
