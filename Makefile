# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-unit test-integration bench lint permissions clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/chancery run

test: install
	$(BIN)/python -m pytest -q

test-unit: install
	$(BIN)/python -m pytest -q -m "not integration"

test-integration: install
	$(BIN)/python -m pytest -q -m integration

bench: install
	$(BIN)/python -m tests.bench.run

lint: install
	$(BIN)/ruff check shared services tests

permissions: install
	$(BIN)/chancery permissions > docs/permissions.md

clean:
	rm -rf var .pytest_cache
