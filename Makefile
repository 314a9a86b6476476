# Two commands: `make run` (serve the demo on http://127.0.0.1:8000) and `make test`.
# Without DATABASE_URL / REDIS_URL: SQLite and a broker kept in files under var/.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 found (pyenv reads .python-version for the plain names).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test lint format install dirs migrate demo clean check-python bench bench-50000 charge pannes

check-python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 ou plus récent est nécessaire." >&2; exit 1; }

$(BIN)/activate: | check-python
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt $(BIN)/activate
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

dirs:
	mkdir -p var/broker/out var/broker/processed var/broker/control var/emails var/documents

migrate: install dirs
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py seed_demo

run: demo
	@echo "ASEA : http://127.0.0.1:8000 (web, worker et planificateur ; Ctrl-C pour arrêter)"
	DJANGO_SETTINGS_MODULE=config.settings.dev PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho -f Procfile.dev start

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs on every core (pytest-xdist, one test database per worker); a file's tests stay
# on one worker, so that what a file seeds once serves all its tests. `make test PYTEST_WORKERS=0`
# runs it in one process.
PYTEST_WORKERS ?= auto
test: install dirs lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15

clean:
	rm -rf var .pytest_cache .ruff_cache

# Key pages at 100 and at 10,000 households on PostgreSQL (databases asea_bench_*; created once),
# then the crawl at 10,000: every page each demo role reaches by links, at most BENCH_OBJECTIF
# times the floor page (`make bench BENCH_OBJECTIF=4`). Fails if a key page or a crawled page
# misses its target; the report (var/bench/rapport.md) is written either way.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_OBJECTIF ?= 3
bench: install dirs
	mkdir -p var/bench
	for n in 100 10000; do \
		psql "$(BENCH_PG)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='asea_bench_$$n'" | grep -q 1 \
			|| psql "$(BENCH_PG)/postgres" -qc "CREATE DATABASE asea_bench_$$n"; \
		export DATABASE_URL="$(BENCH_PG)/asea_bench_$$n" DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0; \
		$(BIN)/python manage.py migrate --noinput -v0 \
		&& $(BIN)/python manage.py seed_scale --menages $$n --contacts $$((n * 50)) \
		&& $(BIN)/python manage.py bench --sortie var/bench/mesures-$$n.json || exit 1; \
	done
	rm -f var/bench/parcours-10000.json
	DATABASE_URL="$(BENCH_PG)/asea_bench_10000" DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0 \
		$(BIN)/python manage.py bench_crawl --objectif $(BENCH_OBJECTIF) --sortie var/bench/parcours-10000.json; \
		crawl=$$?; \
		if test -s var/bench/parcours-10000.json; then \
			$(BIN)/python bench/rapport.py var/bench/mesures-100.json var/bench/mesures-10000.json var/bench/rapport \
				var/bench/parcours-10000.json; \
		else \
			$(BIN)/python bench/rapport.py var/bench/mesures-100.json var/bench/mesures-10000.json var/bench/rapport \
				&& exit $$crawl; \
		fi

# The crawl at 50,000 households, several programmes of the national call on one instance (issue
# #21): asea_bench_50000 (created and seeded once) holds 25,000 households in each of the demo's two
# programmes (`seed_scale --dispositifs 2`) with 2,500,000 contacts asked for: 50 per household as
# at 10,000, so that each household's history is as long and only their number grows (about 5 min
# to load on 2 cores, 1.2 GB). Then the crawl of every page each demo role of
# both programmes reaches by links (`bench_crawl --dispositifs 2`), at most BENCH_50000_OBJECTIF
# times the floor page. Fails if a crawled page misses its target. When `make bench` has run, its
# report (var/bench/rapport.{md,json}) is written again with the worst pages at 50,000 after those
# at 10,000.
BENCH_50000_OBJECTIF ?= 4
bench-50000: install dirs
	mkdir -p var/bench
	psql "$(BENCH_PG)/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='asea_bench_50000'" | grep -q 1 \
		|| psql "$(BENCH_PG)/postgres" -qc "CREATE DATABASE asea_bench_50000"
	rm -f var/bench/parcours-50000.json
	export DATABASE_URL="$(BENCH_PG)/asea_bench_50000" DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0; \
		$(BIN)/python manage.py migrate --noinput -v0 \
		&& $(BIN)/python manage.py seed_scale --menages 50000 --dispositifs 2 --contacts 2500000 || exit 1; \
		$(BIN)/python manage.py bench_crawl --objectif $(BENCH_50000_OBJECTIF) --dispositifs 2 \
			--sortie var/bench/parcours-50000.json; \
		crawl=$$?; \
		if test -s var/bench/mesures-100.json -a -s var/bench/mesures-10000.json -a -s var/bench/parcours-50000.json; then \
			$(BIN)/python bench/rapport.py var/bench/mesures-100.json var/bench/mesures-10000.json var/bench/rapport \
				$$(test -s var/bench/parcours-10000.json && echo var/bench/parcours-10000.json) \
				var/bench/parcours-50000.json; \
		fi; \
		exit $$crawl

# Load test: gunicorn on loopback with the 10,000-household data set (make bench builds it), then
# 30 simulated users for 2 minutes. Then charge/verifier.py prints each page's p95 against its
# budget (charge/budgets.py) and fails if a p95 is over budget or any request failed.
# `make charge CHARGE_DB=postgres://…/other_db` runs against another 10,000-household database.
CHARGE_DB ?= $(BENCH_PG)/asea_bench_10000
CHARGE_USERS ?= 30
CHARGE_DUREE ?= 2m
.venv-charge/.installed: requirements-charge.txt | check-python
	$(PYTHON) -m venv .venv-charge
	.venv-charge/bin/pip install --disable-pip-version-check -q -r requirements-charge.txt
	touch $@

charge: install dirs .venv-charge/.installed
	mkdir -p var/charge
	rm -f var/charge/resultats_*.csv
	DATABASE_URL="$(CHARGE_DB)" DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL="$(CHARGE_DB)" DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=0 \
		$(BIN)/gunicorn -c config/gunicorn.py --bind 127.0.0.1:8765 --pid var/charge/gunicorn.pid \
		--access-logfile var/charge/acces.log --error-logfile var/charge/erreurs.log --daemon config.wsgi
	for i in $$(seq 60); do curl -sf -o /dev/null http://127.0.0.1:8765/comptes/connexion/ && break; sleep 1; done
	uptime
	.venv-charge/bin/locust -f charge/locustfile.py --headless --host http://127.0.0.1:8765 \
		-u $(CHARGE_USERS) -r 5 -t $(CHARGE_DUREE) --stop-timeout 10 --csv var/charge/resultats \
		--exit-code-on-error 1 --only-summary; status=$$?; \
		uptime; kill $$(cat var/charge/gunicorn.pid); \
		$(BIN)/python -m charge.verifier var/charge/resultats_stats.csv && exit $$status

# Fault tests against real processes: Redis stopped, PostgreSQL restarted, worker killed during a
# report. They stop and start this machine's services: development or CI machines only.
pannes: install dirs
	export DATABASE_URL="$(CHARGE_DB)" DJANGO_SETTINGS_MODULE=config.settings.dev; \
		$(BIN)/python manage.py migrate --noinput -v0 && $(BIN)/python manage.py seed_demo \
		&& REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" $(BIN)/python charge/pannes.py
