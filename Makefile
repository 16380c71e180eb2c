# Cumbre: the two commands of the README, and a few for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.12 or newer on the PATH (.python-version selects one under pyenv).
BOOT_PYTHON := $(shell for p in python3 python3.13 python3.12 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
# axe-core, the accessibility checker the browser tests run in each page (npm, tests only).
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.14.1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format install web worker messages

help:
	@echo "make run    run Cumbre with a demo exercise on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff check and format check"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(BOOT_PYTHON)" ]; then \
		echo "Cumbre needs Python 3.12 or newer (Django 6 requires it)."; \
		echo "Found: $$(python3 --version 2>&1 || echo 'no python3')."; \
		echo "Install Python 3.12+ (for example 'pyenv install 3.12') and run make again."; \
		exit 1; fi
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Removing $(VENV), which was made with an older Python."; rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(BOOT_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# The Spanish and Portuguese catalogues, compiled whenever their source changes.
CATALOGUES := $(wildcard wargame/locale/*/LC_MESSAGES/django.po)
COMPILED := $(CATALOGUES:.po=.mo)

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet compile --input-file $< --output-file $@

install: $(VENV)/.installed $(COMPILED)

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py setup_demo --url http://$(HOST):$(PORT)/
	@echo "Starting the web server, a Celery worker and beat. Ctrl-C stops all of them."
	@# The worker runs in the background, the web server in the foreground: Ctrl-C reaches
	@# both, and leaving the recipe for any reason stops the worker too.
	@DEBUG=true $(VENV)/bin/celery -A wargame worker --beat --concurrency 2 --loglevel INFO & \
	worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=true $(PY) manage.py runserver --noreload $(HOST):$(PORT)

$(AXE):
	@command -v npm >/dev/null || { echo "The accessibility tests need npm (Node.js) to fetch axe-core."; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION)

test: install $(AXE)
	@# Compiled modules are written and kept even where the environment says not to
	@# (PYTHONDONTWRITEBYTECODE): otherwise each of the three workers, and every server and
	@# Celery worker the tests start, compiles the whole project again, and pytest rewrites
	@# every test module's assertions again in each worker.
	@PYTHONDONTWRITEBYTECODE= $(PY) -m compileall -q -j 0 wargame tests
	@# Three workers on two cores: many tests wait on browsers, servers and workers of their own,
	@# and a fourth cost more CPU than it saved waiting (README, Tests).
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest -n 3 --dist worksteal

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# After changing user-visible text: the catalogues gain the new messages (to be translated).
messages: install
	$(PY) manage.py makemessages --locale es --locale pt_BR --no-obsolete \
		--ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'var/*' --ignore 'docs/*'

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
