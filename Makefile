# The two commands a newcomer needs are `make run` and `make test`; the rest are helpers.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := niangjia.settings

.PHONY: run test setup deps migrate demo translations lint fmt bench lock e2e clean messages mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the lock files change.
$(VENV)/.deps: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock -r requirements-dev.lock
	touch $@

deps: $(VENV)/.deps

translations: deps
	$(BIN)/python manage.py compiletranslations

setup: deps translations

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  职工娘家 is running at http://127.0.0.1:$(PORT)/  (staff back office: /staff/, API docs: /api/docs/)"
	@echo "  Demo accounts, all with password demo-pass-2025:"
	@echo "    admin, dwk_rights, szs_rights, dwk_court, dwk_hrss, cc_stations, tj_care,"
	@echo "    sjz_craft, yx_venues, ent_demo, craft_demo, worker_demo"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser journeys only (Debian's chromium; `.ci/run` installs it).
e2e: setup
	$(BIN)/python -m pytest e2e $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Mutation testing of the legal modules (#12 §7), on demand (minutes, not part of `make test`):
# mutmut mutates rights/calculators.py and rights/deadlines.py one change at a time, runs their
# tests against each, then reports each module's kill ratio and fails under 90%. docs/mutation.md
MUTATION_DB := $(CURDIR)/var/mutation-test.sqlite3
MUTATION_CHILDREN ?= 2
mutation: setup
	rm -rf mutants $(MUTATION_DB)*
	mkdir -p var
	MUTATION_TEST_DB=$(MUTATION_DB) $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python scripts/mutation_report.py --list-survivors

bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Regenerate the pinned closures from requirements*.in (run after editing an .in file).
lock: | $(BIN)/python
	rm -rf /tmp/niangjia-lock && $(PYTHON) -m venv /tmp/niangjia-lock
	/tmp/niangjia-lock/bin/pip install --quiet -r requirements.in
	/tmp/niangjia-lock/bin/pip freeze --exclude pip > requirements.lock
	/tmp/niangjia-lock/bin/pip install --quiet -r requirements-dev.in
	/tmp/niangjia-lock/bin/pip freeze --exclude pip | grep -vxFf requirements.lock > requirements-dev.lock

clean:
	rm -rf $(VENV) var db.sqlite3*

# Extract new UI strings; drafts zh-Hant with OpenCC (review it), lists English still missing.
messages: deps
	$(BIN)/python manage.py makemessages -l zh_Hant -l en --ignore=.venv --ignore=static --ignore=e2e --ignore=bench
	$(BIN)/python manage.py draft_translations
