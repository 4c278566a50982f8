# Two commands for people: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TANDEM_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test audit

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
# each spread over the machine's cores (pytest-xdist; idle workers take queued tests from busy
# ones), each naming its slowest tests. The browser tests drive the same views and services the
# rest of the suite checks on both databases, so they run once, on SQLite, as does the full-size
# demo load (marked sqlite_pass_only). mypy runs beside the SQLite pass, which leaves a core
# partly idle while the browser waits on the server; either failing fails the target.
PYTEST := $(BIN)/pytest -n auto --dist worksteal --durations=10

test: $(VENV)/.installed-dev var/static-build/tandem.css
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	@if [ -n "$$TANDEM_SKIP_AUDIT" ]; then \
		echo "DEPENDENCY AUDIT SKIPPED (TANDEM_SKIP_AUDIT): $$TANDEM_SKIP_AUDIT"; \
	else \
		$(MAKE) --no-print-directory audit; \
	fi
	@mkdir -p $(TANDEM_VAR_DIR); $(BIN)/mypy > $(TANDEM_VAR_DIR)/mypy.log 2>&1 & mypy=$$!; \
		DATABASE_URL=sqlite:///$(TANDEM_VAR_DIR)/test.sqlite3 DATABASE_CONN_MAX_AGE=0 $(PYTEST); \
		tests=$$?; wait $$mypy; typed=$$?; \
		echo "mypy:"; cat $(TANDEM_VAR_DIR)/mypy.log; \
		[ $$tests -eq 0 ] && [ $$typed -eq 0 ]
	@if [ -n "$$TANDEM_TEST_POSTGRES_URL" ]; then \
		echo "Running the suite again on PostgreSQL (the browser tests ran on SQLite)"; \
		DATABASE_URL="$$TANDEM_TEST_POSTGRES_URL" DATABASE_CONN_MAX_AGE=0 $(PYTEST) -m "not browser and not sqlite_pass_only"; \
	else \
		echo "PostgreSQL run skipped: TANDEM_TEST_POSTGRES_URL is not set"; \
	fi

# Known vulnerabilities in what Tandem installs, failing the run: every package of the Python
# environment (Tandem itself aside) checked against PyPI's advisories by pip-audit, which must
# answer for each one (--strict: a package it cannot look up fails the audit rather than passing
# unchecked), and the front-end build's npm packages, failing on a high or critical advisory.
# Either fails, saying so, on a machine that cannot reach these services; there
# TANDEM_SKIP_AUDIT="<why>" lets `make test` run without them and prints the reason.
audit: $(VENV)/.installed-dev node_modules/.package-lock.json
	@mkdir -p $(TANDEM_VAR_DIR)
	@$(BIN)/pip list --format=freeze --exclude-editable > $(TANDEM_VAR_DIR)/audited-packages.txt
	@$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --no-deps \
		--requirement $(TANDEM_VAR_DIR)/audited-packages.txt || { \
		echo "pip-audit failed: a known vulnerability is listed above, or PyPI's advisory data could"; \
		echo "not be read for a package (\"could not be audited\"), so it was not checked."; exit 1; }
	@npm audit --audit-level=high || { \
		echo "npm audit failed: a high or critical advisory is listed above, or the registry's"; \
		echo "audit service could not be reached."; exit 1; }
