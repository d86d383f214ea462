# The two commands of the README: `make lab` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8888

.PHONY: lab test lint format system-deps bench sample-data clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab    - set up .venv and open the notebooks in JupyterLab"
	@echo "make test   - set up .venv with dev extras and run every test (lint included)"
	@echo "make bench  - run the benchmarks and rewrite docs/benchmarks.md"

# The venv is (re)installed only when pyproject.toml changes: the stamps depend on it.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.stamp-lab: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.stamp-dev: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(VENV)/.stamp-lab $@

lab: $(VENV)/.stamp-lab
	@sh scripts/lab.sh "$(VENV)" "$(PORT)"

system-deps:
	@sh scripts/system-deps.sh

test: $(VENV)/.stamp-dev system-deps
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.stamp-dev
	$(PY) benchmarks/run_all.py

sample-data: $(VENV)/.stamp-lab
	$(VENV)/bin/certlib sample-data data/sample-inventory

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
