# CooperaNet: the README's commands. `make run` = platform on the embedded default; `make test` = whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_SETTINGS := cooperanet.settings.dev

.PHONY: install messages setup run test lint makemessages clean bench bench-smoke

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles -v 0

# Idempotent: safe to re-run (migrate, reference data by natural key, demo data only when empty).
setup: install messages
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --no-input -v 0
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_reference_data
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo_data --if-empty

run: setup
	@echo "CooperaNet en http://$(HOST):$(PORT)/  (administración: /cms/, API: /api/docs/)"
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(VENV)/bin/daphne -b $(HOST) -p $(PORT) \
		--websocket_timeout 86400 --websocket-max-message-size 16384 --websocket-max-frame-size 16384 \
		cooperanet.asgi:application

lint: install
	$(VENV)/bin/ruff check .

test: install messages lint
	DJANGO_SETTINGS_MODULE=cooperanet.settings.test $(PY) manage.py makemigrations --check --dry-run -v 1
	DJANGO_SETTINGS_MODULE=cooperanet.settings.test $(PY) manage.py check --fail-level WARNING
	$(VENV)/bin/pytest -q tests -m "not e2e"
	# Browser tests in a network namespace with only loopback where the machine allows it (root, as CI).
	tests/e2e/without_internet.sh $(VENV)/bin/pytest -q tests -m e2e

# City-scale figures on PostgreSQL + Redis (bench/README.md); about 15 minutes, never part of `make test`.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://cooperanet@127.0.0.1:5432/cooperanet)
BENCH_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/run.py --json bench/results/latest.json

bench-smoke: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/run.py --smoke --json var/bench-smoke.json

makemessages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=bench

clean:
	rm -rf $(VENV) var staticfiles
