# make demo: build every workouts/*.yaml into output/.  make test: run the test suite (minutes);
# make test-all: and the `full` audio checks of every example heard whole (README, "Tests").
# Each makes .venv on first use and installs what it needs from PyPI (no apt, no ffmpeg).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: demo programmes test test-all lint test-browser bench bench-outdoors bench-voice bench-hostile bench-sizes bench-season bench-music fuzz clean

demo: $(VENV)/.installed
	$(VENV)/bin/audiocoach build workouts -o output

# The programmes in programs/ (56 tracks, several minutes): output/<programme>/week-N/, a playlist
# per week, program.ics and overview.html. Not part of demo, which stays the 14 library sessions.
programmes: $(VENV)/.installed
	$(VENV)/bin/audiocoach build programs/faster-mile-6-weeks.yaml -o output
	$(VENV)/bin/audiocoach build programs/first-mile.yaml -o output

test: $(VENV)/.installed-test
	$(PY) -m pytest -q -m "not full"

test-all: $(VENV)/.installed-test
	$(PY) -m pytest -q

# ruff over the package, tests and benchmarks; mypy over audiocoach/ (settings in pyproject.toml).
lint: $(VENV)/.installed-lint
	$(VENV)/bin/ruff check audiocoach tests tests_browser benchmarks
	$(VENV)/bin/mypy

# index.html in headless Chromium (Debian's package, installed here when missing): players load,
# chapter links seek them; a 390 px screenshot is left in output/browser/.
test-browser: $(VENV)/.installed-test
	command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
	$(PY) -m pytest -q tests_browser

# About 30 minutes: every MP3 setting of benchmarks/sizes.py, measured on decoded audio.
bench-sizes: $(VENV)/.installed-test
	$(PY) -m benchmarks.sizes

# Several minutes: builds 10-min to 3-hour tracks and the pydub reference (--quick: see README).
bench: $(VENV)/.installed-test
	$(PY) -m benchmarks.bench

# Music under the coach (issue 18): 60 minutes with music warm against the LAME floor, cold
# (stretching included) beside stretching alone, 3-hour against 10-minute peak memory.
bench-music: $(VENV)/.installed-test
	$(PY) -m benchmarks.music

# Beats heard through street noise, today's mix (7fdc562) beside this checkout's (builds both: minutes).
bench-outdoors: $(VENV)/.installed-test
	$(PY) -m benchmarks.outdoors

# What an offline recognizer (Whisper base) hears of each voice engine: long (Whisper on the CPU; see
# README for measured times), never part of make test.
# Options via ARGS, e.g. make bench-voice ARGS="--quick --noise pink" (see python -m benchmarks.voice -h).
bench-voice: $(VENV)/.installed-bench
	$(PY) -m benchmarks.voice $(ARGS)

# How fast `check` answers hostile input up to the 1 MB limit (wall and CPU seconds; target < 2 s).
bench-hostile: $(VENV)/.installed-test
	$(PY) -m benchmarks.hostile

# Rubber Band time-stretch per minute of music, 16 and 44.1 kHz, faster and finer engines (about a minute).
.PHONY: bench-stretch
bench-stretch: $(VENV)/.installed-test
	$(PY) -m benchmarks.stretch $(ARGS)

# A club's season: a roster × the workouts built with --jobs 2 and on a 2-worker Dask LocalCluster (byte-identical
# tracks, shares of speech, mixing and encoding), then a season interrupted with SIGINT and resumed. Minutes.
bench-season: $(VENV)/.installed-test
	$(PY) -m benchmarks.season $(ARGS)

# At least 10,000 generated documents per fuzz test (make test runs a short profile).
fuzz: $(VENV)/.installed-test
	AUDIOCOACH_FUZZ=long $(PY) -m pytest -q tests/test_fuzz.py --hypothesis-show-statistics

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,cluster]'
	touch $@ $(VENV)/.installed

# With the cluster extra: mypy must see dask and distributed, which audiocoach/cluster.py imports,
# whether or not make test has run before (CI runs make lint first, in a fresh clone).
$(VENV)/.installed-lint: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[lint,cluster]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,cluster,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

clean:
	rm -rf $(VENV) output/*.mp3 .pytest_cache
