# Two commands a new user needs:
#   make demo   set up .venv and audit the bundled sample report (HTML + JSON in framing-out/)
#   make test   set up .venv (and Debian's chromium for the browser tests, when run as root) and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/framing: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/framing

setup: $(BIN)/framing

demo: setup
	$(BIN)/framing check corpus/sample/sample_report.pdf --out framing-out --fail-on none

browser:
	bash scripts/install-browser

test: setup browser
	$(BIN)/python -m pytest

.PHONY: setup demo browser test
