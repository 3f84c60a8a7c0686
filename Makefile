# The two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint venv demo worker messages clean

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
		|| $(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(BIN)/.installed

run: venv
	@TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee -v 0 migrate
	@TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee demo
	@echo "Tablée: http://127.0.0.1:$(PORT)   (Ctrl-C to stop; the worker runs beside the server)"
	@TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		TABLEE_DEBUG=$${TABLEE_DEBUG:-1} $(BIN)/tablee serve --port $(PORT)

test: venv
	bash scripts/test.sh

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --config pyproject.toml

# French is the source language: the fr_CA catalogs stay empty, the en ones hold the English.
# A new catalog gets Django's placeholder plural rule, which crashes at start-up: set the real ones.
messages: venv
	cd src/tablee && TABLEE_DATA_DIR=$(CURDIR)/data TABLEE_DEBUG=1 ../../$(BIN)/tablee manage makemessages -l fr_CA -l en --no-obsolete --ignore 'engine/*'
	find src/tablee -path '*fr_CA*' -name django.po -exec sed -i 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n > 1);/' {} +
	find src/tablee -path '*/en/*' -name django.po -exec sed -i 's/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n != 1);/' {} +
	cd src/tablee && TABLEE_DATA_DIR=$(CURDIR)/data TABLEE_DEBUG=1 ../../$(BIN)/tablee manage compilemessages
	@find src/tablee -path '*/en/*' -name django.po -exec msgfmt --statistics -o /dev/null {} \;

clean:
	rm -rf $(VENV) data
