# Two commands for a fresh machine: `make run` and `make test`.
# Django 6 needs Python 3.12+; the first suitable interpreter found is used (see docs/adr/0001).
PYTHON ?= $(shell for p in python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) python3.11 python3; do if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
DEV := CRADLE_DEBUG=1

.PHONY: install run demo test lint data browser clean bench

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (3.12+ for Django 6)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# The web server and a background worker (`cradle db_worker`, ADR 0020) together: the worker
# runs in the background and the trap stops it (SIGTERM: it finishes the task it is running,
# at a second Ctrl-C it stops at once) whenever the server ends, by Ctrl-C or otherwise.
# $(1): extra environment for both.
define serve_with_worker
	@echo "Starting a background worker (cradle db_worker) beside the web server; Ctrl-C stops both."
	@trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(1) $(BIN)/cradle db_worker & worker=$$!; \
	  $(DEV) $(1) $(BIN)/cradle runserver 127.0.0.1:8000
endef

## make run: embedded SQLite database in ./var, reference data loaded, server on :8000 and a
## background worker beside it (Ctrl-C stops both)
run: install
	$(DEV) $(BIN)/cradle migrate --no-input
	$(DEV) $(BIN)/cradle data load
	$(DEV) $(BIN)/cradle quality load-standards
	@echo "(For a demo with synthetic teams and demo sign-ins: make demo)"
	$(call serve_with_worker,)

## make demo: make run, plus 12 synthetic teams (labelled, never shown publicly; earlier
## synthetic data replaced) and demo sign-ins printed (a practitioner and a network analyst)
demo: install
	$(DEV) $(BIN)/cradle migrate --no-input
	$(DEV) $(BIN)/cradle data load
	$(DEV) $(BIN)/cradle quality load-standards
	$(DEV) $(BIN)/cradle synth --teams 12 --years 3 --seed 1 --clear
	$(DEV) $(BIN)/cradle demoaccounts
	$(call serve_with_worker,CRADLE_DEMO=1)

## make test: the whole suite (unit, integration, browser); DATABASE_URL picks the database
test: install browser
	$(BIN)/pytest

# Browser tests drive Debian's Chromium (nothing is downloaded at test time).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium fonts-liberation"; exit 1; fi; }

lint: install
	$(BIN)/ruff check .

## make data: rebuild the shipped reference data from ../shared/data
data: install
	$(DEV) $(BIN)/cradle data build

clean:
	rm -rf $(VENV) var

## make bench: latency of the public pages on the production server, and the outcomes bulk
## import's rows per second beside a plain bulk insert, and the pooled report beside a DuckDB
## query of the same rows (reports, not tests)
bench: install
	$(BIN)/python bench/public_pages.py
	$(BIN)/python bench/outcomes_import.py
	$(BIN)/python bench/pooled.py
