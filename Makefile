# Two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo serve cluster bench load audit backup screenshots clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# --no-compile: a module is compiled when first imported; compiling all of the packages (1.3 GB) at install doubled its time.
$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PIP) install --quiet --no-compile -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet --no-compile -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo

## run: install, migrate, load the demo data, then serve the web app and the task worker together.
run: demo
	@echo "Starting the task worker and the web app on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker & \
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: install the test tools and run the whole suite.
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

## serve: production-style serving with gunicorn and the task worker (set DJANGO_ENV=production,
## SECRET_KEY, ALLOWED_HOSTS, PROXY_COUNT; see the README). Gunicorn believes X-Forwarded-Proto only
## from TRUSTED_PROXIES, and from nobody when PROXY_COUNT is 0, as Django does. CI runs this target
## (.ci/serve_check.py).
serve: install
	$(PY) manage.py collectstatic --no-input
	$(PY) manage.py migrate --no-input
	@trap 'kill 0' INT TERM EXIT; \
	if [ "$${PROXY_COUNT:-0}" = 0 ]; then allow=""; else allow="$${TRUSTED_PROXIES:-127.0.0.1,::1}"; fi; \
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} \
	  --forwarded-allow-ips "$$allow" & \
	$(PY) manage.py task_worker

## cluster: past one machine, on this one: PostgreSQL's database qa_cluster, Redis, an S3-compatible server
## (moto), two gunicorn processes (ports 8001 and 8002) and two RQ task workers, nothing shared on local
## disk; prints the addresses, Ctrl+C stops all (scripts/cluster.py; CI drives it with .ci/cluster_check.py).
cluster: install-dev
	$(PY) scripts/cluster.py --demo


## bench: benchmarks of reports and exports; prints `name: value unit` lines (not part of the tests).
bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

## load: load test on 127.0.0.1 against PostgreSQL (LOAD_DATABASE_URL, created if missing); not part of CI.
load: install-dev
	$(PY) bench/load.py

## audit: static security checks, and dependency vulnerabilities (pip-audit needs to reach PyPI's JSON API).
audit: install-dev
	$(VENV)/bin/bandit -q -r qa shops scorecards reports autoqa plans coaching api config -x "*/migrations/*" -ll
	$(PIP) install --quiet pip-audit==2.10.1 && $(VENV)/bin/pip-audit -r requirements.txt

## screenshots: every page each role reaches, at phone and desktop size, in var/screenshots/ (a fresh demo database).
screenshots: install-dev
	$(PY) scripts/screenshots.py

## backup: a copy of the database in var/backups (SQLite online backup, or pg_dump).
backup: install
	$(PY) manage.py backup_db

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
