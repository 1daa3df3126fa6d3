# pmkit: `make demo` serves the meeting app on a demo session; `make test` runs the tests;
# `make docs` builds the documentation.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pmkit-installed
AXE := .tools/node_modules/axe-core/axe.min.js

.PHONY: setup system hub demo test test-fast lint docs bench screenshots clean catalogs

setup: $(STAMP) $(AXE)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	PYBABEL=$(BIN)/pybabel bash scripts/catalogs compile
	touch $(STAMP)

# The translation catalogs (pmkit/locale): extract the marked strings, update each language's
# catalog, compile them (pmkit.i18n explains the conventions; the README how to add a language).
catalogs: $(STAMP)
	PYBABEL=$(BIN)/pybabel bash scripts/catalogs

# axe-core (accessibility checks in the browser tests), from the npm registry into .tools/
$(AXE): scripts/install-axe
	bash scripts/install-axe

# Debian packages the tests need: chromium (browser tests), poppler-utils (PDF checks),
# pango (PDF rendering), postgresql (the PostgreSQL workspace's tests start their own
# server), nodejs and npm (the hub's proxy, and axe-core for the accessibility tests).
# Installs only what is missing.
system:
	bash scripts/install-system-deps

# JupyterHub and configurable-http-proxy in .hub/ (deploy/jupyterhub/ and its test).
hub: system
	bash scripts/install-hub

# the demo needs the Python environment alone (no npm, no browser)
demo: $(STAMP)
	$(BIN)/pmkit demo

# Everything, as CI runs it: the docs' strict build, the tests that start no server or
# browser on both cores, the server and PostgreSQL tests (no browser) on both cores, a file
# to a core, then the browser and hub tests one at a time (they time real pages).
test: system setup hub
	$(BIN)/mkdocs build --strict --quiet --site-dir .site-check
	$(BIN)/python -m pytest -q -n 2 -m "not browser and not server"
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "server and not browser"
	$(BIN)/python -m pytest -m browser

# The unit tests (no server, no browser, no subprocesses, no PDF, no property search): under
# a minute on two cores, for every small change.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not browser and not server and not slow and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check pmkit tests benchmarks scripts
	$(BIN)/mypy

# The documentation site: the command-line and settings references regenerated from the
# parser and the settings table, then MkDocs into site/ with warnings as errors.
docs: $(STAMP)
	$(BIN)/python -m pmkit.cli.reference docs/reference
	$(BIN)/mkdocs build --strict

bench: system setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache site

# The pictures of the board in README.md and docs/, from a real `pmkit serve` in headless Chromium.
screenshots: system setup
	$(BIN)/python scripts/screenshots.py
