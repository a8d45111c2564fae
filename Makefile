# Órdenes del libro. `make book` y `make test` preparan .venv si hace falta.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
LINT_PATHS := code tests _ext

.PHONY: book test lint serve clean

$(STAMP): requirements.txt requirements-lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements-lock.txt
	touch $(STAMP)

# La extensión _ext/execution_dependencies.py vacía la caché de ejecución
# cuando cambia code/rnnbook, así que no hace falta `make clean` tras tocar
# el paquete.
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

# Todas las pruebas: las del paquete, las de la caché, las del HTML (marca
# book: construyen el libro en una carpeta temporal) y las del navegador
# (marca browser: necesitan /usr/bin/chromium o RNNBOOK_CHROMIUM).
test: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/python -m pytest

# Tiempos de entrenamiento y de construcción del libro; escribe
# benchmarks/results.json y benchmarks/README.md. BENCH_ARGS pasa opciones,
# por ejemplo BENCH_ARGS=--skip-book.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m rnnbook.bench $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)

serve:
	@test -d _build/html || { echo "Falta _build/html: ejecuta antes 'make book'."; exit 1; }
	$(PYTHON) -m http.server $(PORT) --bind $(HOST) --directory _build/html

clean:
	rm -rf _build
	rm -f locales/*/LC_MESSAGES/*.mo
