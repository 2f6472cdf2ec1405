# Two commands on a fresh clone: `make run` (demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PIP_INSTALL := $(VENV)/bin/pip install -q -c requirements/constraints.txt

.PHONY: run install install-dev messages lint test test-sqlite test-postgres browser-deps \
        makemessages bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml requirements/constraints.txt
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: install
	$(PY) scripts/catalogues.py compile

run: install messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  tierslieux is served on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tierslieux
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/catalogues.py check
	@command -v xgettext >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y -q gettext || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q gettext; }; }
	$(PY) scripts/catalogues.py fresh

# From Debian: Chromium for the browser tests (never `playwright install`), and Pango, which
# WeasyPrint needs to render invoices as PDF.
browser-deps:
	@command -v chromium >/dev/null && /sbin/ldconfig -p | grep -q libpangoft2-1.0 || { \
	  echo "Installing Debian's chromium and pango for the tests…"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  PKGS="chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	  $$SUDO apt-get install -y -q $$PKGS || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$PKGS; }; }

test-sqlite: install-dev messages browser-deps
	$(PY) -m pytest -q -p no:cacheprovider

test-postgres: install-dev messages browser-deps
	@set -e; url=$$(scripts/pgcluster.sh start); \
	trap 'scripts/pgcluster.sh stop' EXIT; \
	echo "== the suite again on PostgreSQL ($$url)"; \
	DATABASE_URL=$$url $(PY) -m pytest -q -p no:cacheprovider

test: lint test-sqlite test-postgres

makemessages: install-dev
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --add-location file \
	  --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'bench/*'

# The booking benchmarks of docs/PERFORMANCE.md: SQLite, then a throwaway PostgreSQL.
bench: install-dev messages
	$(PY) bench/bookings_bench.py
	$(PY) bench/bookings_bench.py --postgres
	$(PY) bench/billrun_bench.py
	$(PY) bench/billrun_bench.py --postgres

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
