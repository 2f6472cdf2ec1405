# Two commands on a fresh clone: `make run` (demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PIP_INSTALL := $(VENV)/bin/pip install -q -c requirements/constraints.txt

.PHONY: run install install-dev messages lint lint-checks test test-sqlite test-postgres \
        test-sqlite-run test-postgres-run coverage browser-deps makemessages bench clean \
        prod-check

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
	@echo "  tierslieux is served on http://127.0.0.1:$(PORT), its task worker beside it"
	@echo "  (bill runs, exports, e-mails).  Ctrl-C stops both."
	@echo ""
	@# The worker takes the jobs from the database (TASKS_BACKEND=database, for both
	@# processes); SQLite serialises its writes with the server's (WAL, IMMEDIATE).
	@# Job control (set -m) keeps Ctrl-C for the server; when it stops, the worker is asked
	@# to stop too, and finishes the task in hand first.
	@set -m; export TASKS_BACKEND=database; \
	$(PY) manage.py worker --no-reload --no-startup-delay --interval 1 --verbosity 0 & \
	worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Static checks: style, types, layers, module sizes, migrations, catalogues.
lint: install-dev messages lint-checks
lint-checks:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tierslieux
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_code.py
	$(PY) manage.py makemigrations --check --dry-run
	$(PROD_CHECK)
	$(PY) scripts/catalogues.py check
	@command -v xgettext >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y -q gettext || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q gettext; }; }
	$(PY) scripts/catalogues.py fresh

# Django's deployment checks with the settings a production process reads (a throwaway random
# key; SQLite is enough for the checks): no warning allowed.
PROD_CHECK := DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
  ALLOWED_HOSTS=tierslieux.example.org SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto \
  $(PY) manage.py check --deploy --fail-level WARNING
prod-check: install messages
	$(PROD_CHECK)

# From Debian: Chromium for the browser tests (never `playwright install`), Pango, which
# WeasyPrint needs to render invoices as PDF, and GNU gettext for the catalogue check.
browser-deps:
	@command -v chromium >/dev/null && command -v xgettext >/dev/null \
	  && /sbin/ldconfig -p | grep -q libpangoft2-1.0 || { \
	  echo "Installing Debian's chromium, pango and gettext for the tests…"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  PKGS="chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext"; \
	  $$SUDO apt-get install -y -q $$PKGS || { $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$PKGS; }; }

PYTEST := $(PY) -m pytest -q -p no:cacheprovider --durations=25
# Line coverage: `make coverage` measures it on the PostgreSQL pass, the fuller one (browser
# and PostgreSQL-only tests too). `make test` leaves it out: coverage's tracer makes a pass half
# as long again on Python 3.11, and the suite must stay within ten minutes on two cores.
COVERAGE_DIR := var/coverage

# The SQLite pass runs with the project's clock a year ahead: a test that hides a date of
# today fails here. The PostgreSQL pass runs at the real date, with the browser tests and the
# tests that need PostgreSQL (concurrent writers, triggers), which the SQLite pass leaves out;
# it has more to do, so it runs in two workers (a test module stays in one worker, so a
# module's data built once serves all its tests): the two passes then end together.
test-sqlite-run:
	@echo "== the suite on SQLite, the clock a year ahead"
	$(PYTEST) --clock-shift-days=365

test-postgres-run:
	@set -e; url=$$(scripts/pgcluster.sh start); \
	trap 'scripts/pgcluster.sh stop' EXIT; \
	echo "== the suite on PostgreSQL ($$url), at today's date"; \
	DATABASE_URL=$$url $(PYTEST) $(PYTEST_ARGS) -n 2 --dist loadfile

# The PostgreSQL pass with line coverage, then the report (tests and migrations left out).
coverage: install-dev messages browser-deps
	@rm -rf $(COVERAGE_DIR) && mkdir -p $(COVERAGE_DIR)
	COVERAGE_FILE=$(COVERAGE_DIR)/.coverage.postgres $(MAKE) --no-print-directory \
	  test-postgres-run PYTEST_ARGS="--cov=tierslieux --cov-report="
	@export COVERAGE_FILE=$(COVERAGE_DIR)/.coverage; \
	$(VENV)/bin/coverage combine -q $(COVERAGE_DIR)/.coverage.postgres \
	  && $(VENV)/bin/coverage report | tail -n 25

test-sqlite: install-dev messages browser-deps test-sqlite-run
test-postgres: install-dev messages browser-deps test-postgres-run

# Everything installed first, then lint and the two database passes side by side (on two
# cores they overlap). `make coverage` adds the line coverage.
test: install-dev messages browser-deps
	$(MAKE) --no-print-directory -j3 --output-sync=target lint-checks test-sqlite-run test-postgres-run

makemessages: install-dev
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --add-location file \
	  --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'bench/*'

# The booking benchmarks of docs/PERFORMANCE.md: SQLite, then a throwaway PostgreSQL.
bench: install-dev messages
	$(PY) bench/bookings_bench.py
	$(PY) bench/bookings_bench.py --postgres
	$(PY) bench/billrun_bench.py
	$(PY) bench/billrun_bench.py --postgres
	$(PY) bench/economics_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
