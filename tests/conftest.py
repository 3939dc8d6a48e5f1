"""Fixtures shared by the audio tests: every example workout built once per session and heard one at a time.

The suite speaks with espeak-ng (AUDIOCOACH_ENGINE, set before anything is built, reaches the
CLI's subprocesses too): the neural voice on a cold cache would cost minutes on two cores for the
examples. Piper has its own tests on a few phrases and one short workout (test_piper.py).

`track` is one example as heard (tests/example_tracks.py): in `make test`, every example through its
excerpts and the REPRESENTATIVE few whole; the other examples whole are marked `full` (`make test-all`).
It is session-scoped and parametrised, so pytest runs every test of one track before decoding the next
and only one decoded track is held at a time.
"""

import os

os.environ["AUDIOCOACH_ENGINE"] = "espeak"
from pathlib import Path

import pytest

from tests.example_tracks import REPRESENTATIVE, ExampleBuilds, Track, listen

EXAMPLES = sorted((Path(__file__).parent.parent / "workouts").glob("*.yaml"))
EXAMPLES_BY_NAME = {path.stem: path for path in EXAMPLES}


def _views():
    for path in EXAMPLES:
        if path.stem in REPRESENTATIVE:
            yield pytest.param((path.stem, True), id=f"{path.stem}-whole")
        else:
            yield pytest.param((path.stem, False), id=f"{path.stem}-excerpts")
            yield pytest.param((path.stem, True), id=f"{path.stem}-whole", marks=pytest.mark.full)


@pytest.fixture(scope="session")
def example_builds(tmp_path_factory) -> ExampleBuilds:
    """The example workouts, each built (once) when a test first asks for it."""
    return ExampleBuilds(tmp_path_factory.mktemp("tracks"))


@pytest.fixture(scope="session", params=list(_views()))
def track(request, example_builds: ExampleBuilds) -> Track:
    name, whole = request.param
    return listen(name, example_builds.get(EXAMPLES_BY_NAME[name]), whole)
