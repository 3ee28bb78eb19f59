# Janmat — the two everyday commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test services stop-services lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,notebooks]'
	touch $@

demo: setup
	$(BIN)/janmat demo

services: setup
	scripts/test-services.sh start

stop-services:
	scripts/test-services.sh stop

test: setup services
	source var/test-services.env && $(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/nlp.py
	$(BIN)/python benchmarks/crawl.py
	$(BIN)/python benchmarks/index.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
