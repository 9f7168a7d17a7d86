# Quick start: `make demo` (set up and run the main job), `make test` (set up and run the tests).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/truce analyze gaza-ceasefire
	$(BIN)/truce report gaza-ceasefire -o report.html --backtest israel-hamas --force

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench:
	bash benchmarks/run.sh

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build src/*.egg-info
