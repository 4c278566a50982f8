# Two commands for people: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TANDEM_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

var/static-build/tandem.css: node_modules/.package-lock.json scripts/build-assets.mjs src/tandem/frontend/tandem.scss
	npm run --silent build

run: $(VENV)/.installed var/static-build/tandem.css
	DEBUG=true $(BIN)/tandem migrate --no-input -v0
	DEBUG=true $(BIN)/tandem standards load
	DEBUG=true $(BIN)/tandem demo
	@echo
	@echo "Tandem is at http://127.0.0.1:8000/ (sign in with a demo login above; Ctrl+C stops it)"
	DEBUG=true $(BIN)/tandem runserver 127.0.0.1:8000

# The suite runs on SQLite always, and again on PostgreSQL when TANDEM_TEST_POSTGRES_URL is set,
# the two passes side by side (each spread over the machine's cores by pytest-xdist; each waits
# on its database part of the time, so together they keep the cores busier), each pass's output
# printed whole when it ends. The browser tests drive the same views and services the rest of
# the suite checks on both databases, so they run once, on SQLite. Both keep CI within 10 minutes.
test: $(VENV)/.installed-dev var/static-build/tandem.css
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/mypy
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

.PHONY: test-sqlite test-postgres
test-sqlite:
	@echo "The suite on SQLite, with the browser tests"
	DATABASE_URL=sqlite:///$(TANDEM_VAR_DIR)/test.sqlite3 DATABASE_CONN_MAX_AGE=0 $(BIN)/pytest -n auto

test-postgres:
	@if [ -n "$$TANDEM_TEST_POSTGRES_URL" ]; then \
		echo "The suite on PostgreSQL (the browser tests run in the SQLite pass)"; \
		DATABASE_URL="$$TANDEM_TEST_POSTGRES_URL" DATABASE_CONN_MAX_AGE=0 $(BIN)/pytest -n auto -m "not browser"; \
	else \
		echo "PostgreSQL run skipped: TANDEM_TEST_POSTGRES_URL is not set"; \
	fi
