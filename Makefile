# The two commands: `make serve` runs the archive, `make test` runs the tests (CI: .ci/run).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help serve test lint format bench clean
.DEFAULT_GOAL := help

help:
	@echo "make serve   venv + install, then serve the archive with the example works on http://$(HOST):$(PORT)"
	@echo "make test    venv + install, then the test suite (SQLite, then PostgreSQL when installed)"
	@echo "make lint    ruff check and format check"
	@echo "make format  ruff format and autofix"
	@echo "make bench   parsing throughput benchmark"
	@echo "make clean   remove the venv and build files (not ./data)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/ficarchive serve --examples --host $(HOST) --port $(PORT)

# The suite runs on SQLite, then again on a real PostgreSQL server on loopback when one is
# installed (CI installs it: .ci/run). Set SKIP_POSTGRES=1 to run SQLite only. Browser tests
# (marker `browser`) drive Debian's Chromium and skip, saying so, when it is not installed.
test: $(STAMP)
	$(BIN)/python -m pytest
	@if [ -n "$(SKIP_POSTGRES)" ]; then echo "PostgreSQL run skipped (SKIP_POSTGRES)"; \
	elif ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "== the same suite on PostgreSQL (browser tests ran above) =="; \
	  scripts/with-postgres $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser"; \
	else echo "PostgreSQL not installed: PostgreSQL run skipped (apt-get install postgresql)"; fi

lint: $(STAMP)
	$(BIN)/ruff check ficarchive tests bench
	$(BIN)/ruff format --check ficarchive tests bench

format: $(STAMP)
	$(BIN)/ruff format ficarchive tests bench
	$(BIN)/ruff check --fix ficarchive tests bench

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) build *.egg-info
