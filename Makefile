# The two commands of the README: `make lab` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8888

.PHONY: lab test slides app lint format system-deps bench sample-data clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab    - set up .venv and open the notebooks in JupyterLab"
	@echo "make test   - set up .venv with dev extras and run every test (lint included)"
	@echo "make bench  - run the benchmarks and rewrite docs/benchmarks.md"
	@echo "make slides - build the offline deck build/slides/90-slides.slides.html (needs npm once)"
	@echo "make app    - serve the live Voila app (notebooks/91-live-app.ipynb) on 127.0.0.1:PORT"

# The venv is (re)installed only when pyproject.toml changes: the stamps depend on it.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.stamp-lab: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.stamp-dev: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev,scale]'
	@touch $(VENV)/.stamp-lab $@

$(VENV)/.stamp-present: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[present]'
	@touch $(VENV)/.stamp-lab $@

lab: $(VENV)/.stamp-lab
	@sh scripts/lab.sh "$(VENV)" "$(PORT)"

# Presenters: an offline reveal.js deck (JS from package-lock.json, copied beside the HTML) and
# the live Voila app.
slides: $(VENV)/.stamp-lab
	@sh scripts/slides.sh "$(VENV)" build/slides

app: $(VENV)/.stamp-present
	@sh scripts/app.sh "$(VENV)" "$(PORT)"

system-deps:
	@sh scripts/system-deps.sh

test: $(VENV)/.stamp-dev system-deps
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.stamp-dev
	$(PY) benchmarks/run_all.py

sample-data: $(VENV)/.stamp-lab
	$(VENV)/bin/certlib sample-data data/sample-inventory --force

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build node_modules *.egg-info
