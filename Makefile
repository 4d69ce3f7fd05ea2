# Samvirke — the two commands a newcomer needs: `make demo` and `make test`.
# Everything else is here for the people who keep Samvirke running.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve test test-slow test-postgres check lint typecheck migrations-check browser-deps clean

help:
	@echo "make demo           set up, migrate, load the demo data and serve http://$(HOST):$(PORT)"
	@echo "make test           set up and run the test suite but its slow tests (DATABASE_URL selects the database)"
	@echo "make test-slow      the slow tests (a live day, seed-demo runs, long browser scenes); CI runs both"
	@echo "make test-postgres  start a local PostgreSQL and run the whole test suite against it"
	@echo "make check          ruff, mypy, the migration check and the tests (what CI runs)"

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Samvirke needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/samvirke migrate --noinput
	$(BIN)/samvirke seed-demo
	@echo "Samvirke kører på http://$(HOST):$(PORT)/ med en baggrundsworker (stop med Ctrl+C)"
	@# The worker runs the background tasks (retraining the assistant, rota builds) beside the web server, and
	@# stops with it.
	@$(BIN)/samvirke db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/samvirke runserver $(HOST):$(PORT)

browser-deps:
	@tools/install-system-deps

# The slow tests (marked `slow`: 7 s or more each here) run in `make test-slow`; CI runs both targets.
test: install browser-deps
	$(BIN)/python -m pytest -m "not slow"

test-slow: install browser-deps
	$(BIN)/python -m pytest -m slow

test-postgres: install browser-deps
	eval "$$(tools/postgres)" && $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check samvirke tests bench tools
	$(BIN)/ruff format --check samvirke tests bench tools
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy samvirke tests

migrations-check: install
	$(BIN)/samvirke makemigrations --check --dry-run

check: lint typecheck migrations-check test test-slow

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
