"""Benchmarks: `make bench` (or `python -m benchmarks.bench`). See README, "Benchmarks"."""
