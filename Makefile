# make demo: build every workouts/*.yaml into output/.  make test: run the test suite.
# Each makes .venv on first use and installs what it needs from PyPI (no apt, no ffmpeg).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: demo test clean

demo: $(VENV)/.installed
	$(VENV)/bin/audiocoach build workouts -o output

test: $(VENV)/.installed-test
	$(PY) -m pytest -q

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) output/*.mp3 .pytest_cache
