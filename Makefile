# The two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# Emailed links point where the server really listens, unless TABLEE_SITE_URL says otherwise.
TABLEE_SITE_URL ?= http://127.0.0.1:$(PORT)
export TABLEE_SITE_URL

.PHONY: run site-url test lint venv venv-dev lock demo worker messages clean mutate

PIP := $(BIN)/python -m pip install -q --disable-pip-version-check

# `make run` installs the runtime lock only; `make test` adds the test and lint tools.
$(BIN)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) --no-deps -e .
	@touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.lock
	$(PIP) --require-hashes -r requirements-dev.lock
	@touch $@

venv: $(BIN)/.installed

venv-dev: $(BIN)/.installed-dev

run: venv
	@TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee -v 0 migrate
	@TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee demo
	@echo "Tablée: http://127.0.0.1:$(PORT)   (Ctrl-C to stop; the worker runs beside the server)"
	@TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee serve --port $(PORT)

site-url:  ## the address emailed links use (make run PORT=8123 serves there)
	@echo "$$TABLEE_SITE_URL"

test: venv-dev
	bash scripts/test.sh

# Mutation testing of what must never break (docs/testing.md); not part of `make test`.
# `make mutate` runs every scope, `make mutate SCOPE=rsvp` one (rsvp, outbox, access, imports, tables).
mutate: venv-dev
	$(BIN)/python scripts/mutate.py $(SCOPE)

lint: venv-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --config pyproject.toml
	TABLEE_DEBUG=1 $(BIN)/mypy

# French is the source language: the fr_CA catalogs stay empty, the en ones hold the English; only
# their plural entries repeat the French forms, so French picks them by its own rule (0 carte).
# A new catalog gets Django's placeholder plural rule, which crashes at start-up: set the real ones.
# The French strings first get Québec's typography (scripts/fr_typography.py; idempotent).
messages: venv
	$(BIN)/python scripts/fr_typography.py src/tablee
	cd src/tablee && TABLEE_DATA_DIR=$(CURDIR)/data TABLEE_DEBUG=1 ../../$(BIN)/tablee manage makemessages -l fr_CA -l en --no-obsolete --ignore 'engine/*'
	find src/tablee -path '*fr_CA*' -name django.po -exec sed -i 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n > 1);/' {} +
	find src/tablee -path '*/en/*' -name django.po -exec sed -i 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n != 1);/' {} +
	$(BIN)/python scripts/fr_plurals.py src/tablee
	cd src/tablee && TABLEE_DATA_DIR=$(CURDIR)/data TABLEE_DEBUG=1 ../../$(BIN)/tablee manage compilemessages
	@find src/tablee -path '*/en/*' -name django.po -exec msgfmt --statistics -o /dev/null {} \;

# Re-pin both locks after a change to pyproject.toml (uv from PyPI, in a throwaway tools venv).
UV := $(VENV)-tools/bin/uv
lock:
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV)-tools && $(VENV)-tools/bin/python -m pip install -q uv; }
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock

clean:
	rm -rf $(VENV) $(VENV)-tools data .mutate
