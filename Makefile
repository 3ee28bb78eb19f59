# Janmat — the two everyday commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: setup demo test system-packages test-system-packages services stop-services lint bench clean

setup: system-packages $(VENV)/.installed

# Python's venv module; Chromium, a Devanagari font, Maven and the JDKs for the tests. Installed with apt-get
# when run as root on Debian/Ubuntu; otherwise the one command to run is printed.
system-packages:
	@scripts/system-packages.sh setup

test-system-packages:
	@scripts/system-packages.sh test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,notebooks]'
	touch $@

demo: setup
	$(BIN)/janmat demo

services: setup test-system-packages
	scripts/test-services.sh start

stop-services:
	scripts/test-services.sh stop

# PYTEST_ARGS picks tests, e.g. `make test PYTEST_ARGS=tests/test_cli.py`.
test: setup test-system-packages services
	source var/test-services.env && $(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/nlp.py
	$(BIN)/python benchmarks/crawl.py
	$(BIN)/python benchmarks/index.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
