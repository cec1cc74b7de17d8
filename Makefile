# TNW-dossier: the two commands of the README are `make run` and `make test`.
# Each one installs what it needs by itself (venv, pip packages, apt packages).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv lint typecheck test-sqlite test-postgres system-deps clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -m pip install --quiet -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import tnw, django, holidays, stdnum" && touch $(STAMP)

venv: $(STAMP)

## The main job on the embedded default (SQLite).
run: $(STAMP)
	@bash scripts/run.sh

## All tests: lint, types, the test suite on SQLite and on a real PostgreSQL server.
test: $(STAMP) system-deps lint typecheck test-sqlite test-postgres

system-deps:
	@bash scripts/system-deps.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy src/tnw/rules src/tnw/dossier src/tnw/worklists

test-sqlite: $(STAMP)
	bash scripts/pytest.sh sqlite

test-postgres: $(STAMP)
	bash scripts/pytest.sh postgres

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
