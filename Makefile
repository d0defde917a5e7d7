# OST Safe: `make run` and `make test` set everything up inside this folder.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: setup run serve test test-fast test-browser test-postgres check-production check-container lint audit bench bench-region bench-pages bench-load bench-cpu bench-signs bench-dashboard bench-effort seed clean

setup: $(VENV)/.installed var/frontend/.copied var/staticfiles

var/staticfiles:
	mkdir -p var/staticfiles

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Only the compiled front-end files the pages use, so static file serving stays small and fast. Their source maps
# come too: the files name them, and production's collectstatic refuses a file that names one that is missing.
GOVUK := node_modules/govuk-frontend/dist/govuk
MOJ := node_modules/@ministryofjustice/frontend/moj
var/frontend/.copied: node_modules/.installed Makefile
	rm -rf var/frontend
	mkdir -p var/frontend/govuk var/frontend/moj var/frontend/htmx
	cp -R $(GOVUK)/assets/. var/frontend/
	cp -R $(MOJ)/assets/. var/frontend/
	cp $(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.css.map var/frontend/govuk/
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map var/frontend/govuk/
	cp $(MOJ)/moj-frontend.min.css $(MOJ)/moj-frontend.min.css.map var/frontend/moj/
	cp $(MOJ)/moj-frontend.min.js $(MOJ)/moj-frontend.min.js.map var/frontend/moj/
	cp node_modules/htmx.org/dist/htmx.min.js var/frontend/htmx/
	touch $@

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST)

# The production server (gunicorn, ostsafe/config/gunicorn.py) on PostgreSQL with the demo service, at
# http://127.0.0.1:8000/: what the container runs, on this machine. DATABASE_URL chooses another database.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ostsafe_serve
serve: setup
	$(PY) bin/create-database "$(SERVE_DATABASE_URL)"
	DATABASE_URL=$(SERVE_DATABASE_URL) DJANGO_DEBUG=false $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(SERVE_DATABASE_URL) $(PY) manage.py seed_demo --if-empty
	DATABASE_URL=$(SERVE_DATABASE_URL) $(PY) manage.py demo_logins
	DATABASE_URL=$(SERVE_DATABASE_URL) DJANGO_DEBUG=false DJANGO_LOG_FORMAT=json GUNICORN_BIND=$(HOST) \
		$(VENV)/bin/gunicorn -c ostsafe/config/gunicorn.py

seed: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# The whole suite: unit, API, access matrix and browser tests (SQLite unless DATABASE_URL says otherwise).
test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not browser and not slow and not live"

test-browser: setup
	$(PY) -m pytest -m browser

test-postgres: setup
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/ostsafe $(PY) -m pytest

# Build and serve the production configuration on a fresh PostgreSQL database (what CI does; see bin/check-production).
check-production: setup
	./bin/check-production

# Build the container image and start compose.yaml, then check it as the IT team would (bin/check-container; needs a
# Docker engine; CI runs it). `./bin/check-container --stand-ins` where Docker Hub cannot be reached.
check-container:
	./bin/check-container

# Lint: style, formatting, missing migrations, the import contracts (pyproject: one-way layers), types in every
# service and selector, and bandit's security checks (medium and above; each exception marked in the code, with why).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy ostsafe/*/services.py ostsafe/*/selectors.py dependency_audit/*.py
	$(VENV)/bin/bandit -q -r ostsafe dependency_audit -x '*/tests/*,*/migrations/*' -ll

# Known vulnerabilities in the pinned Python and front-end packages: pip-audit against OSV and npm audit where
# api.osv.dev can be reached, else pip-audit against the pinned copy in dependency_audit/osv (bin/audit-dependencies).
audit:
	./bin/audit-dependencies

bench: setup
	$(PY) -m bench
	$(PY) -m bench.warning_signs
	$(PY) -m bench.dashboard

# The region of 10,000 service users (PostgreSQL; built in about a minute and a half, or kept with
# OSTSAFE_BENCH_REUSE_REGION=1): a pharmacy feed against COPY, then the manager's access log (about 10 minutes in all,
# the first time filling the log with 2 million events).
bench-region: setup
	$(PY) -m bench.feed
	OSTSAFE_BENCH_REUSE_REGION=1 $(PY) -m bench.access_log

# The main pages (caseload, every family tab, tasks, the counter, the manager's pages) on regions of 1,000 and 10,000
# service users, interleaved in rounds: the same queries on both, and the time flat (warm, cold, after one change, busy).
bench-pages: setup
	OSTSAFE_BENCH_REUSE_REGION=1 $(PY) -m bench.pages

# 50 signed-in keyworkers for 5 minutes on the trivial signed-in page, then on mixed pages, under gunicorn with the
# production settings on the region (loopback only; about 11 minutes).
bench-load: setup
	OSTSAFE_BENCH_REUSE_REGION=1 $(PY) -m bench.load

# CPU time a request for the load test's pages through the test client (about a minute on a kept region): the quick
# guide to bench-load's ratio while working on a page.
bench-cpu: setup
	OSTSAFE_BENCH_REUSE_REGION=1 $(PY) -m bench.cpu

# The practice dashboard against hand-written SQL on a region of 10,000 service users (PostgreSQL).
bench-dashboard: setup
	$(PY) -m bench.dashboard

# Clicks and keystrokes of the main tasks in Chromium (TREE=path measures another checkout, e.g. a git worktree).
bench-effort: setup
	$(PY) -m bench.effort $(if $(TREE),--tree $(TREE))

# The warning-signs benchmark alone (a region of 1,000 and one of 10,000 service users on PostgreSQL).
bench-signs: setup
	$(PY) -m bench.warning_signs

clean:
	rm -rf $(VENV) node_modules var staticfiles
