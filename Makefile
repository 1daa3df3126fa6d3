# pmkit: `make demo` serves the meeting app on a demo session; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pmkit-installed

.PHONY: setup system demo test lint bench screenshots clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the tests need: chromium (browser tests), poppler-utils (PDF checks),
# pango (PDF rendering). Installs only what is missing.
system:
	bash scripts/install-system-deps

demo: setup
	$(BIN)/pmkit demo

test: setup system
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check pmkit tests benchmarks
	$(BIN)/mypy

bench: setup system
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
