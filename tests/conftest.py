"""Fixtures shared by the audio tests: every example workout built and decoded once per session.

The suite speaks with espeak-ng (AUDIOCOACH_ENGINE, set before anything is built, reaches the
CLI's subprocesses too): the neural voice on a cold cache would cost minutes on two cores for the
twelve examples. Piper has its own tests on a few phrases and one short workout (test_piper.py).
"""

import os

os.environ["AUDIOCOACH_ENGINE"] = "espeak"
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from audiocoach.audio.speech import Speech
from audiocoach.coaching.plan import Plan
from audiocoach.pipeline import build_file, plan_file, speech_for
from tests.audio_helpers import decode_mp3, speech_regions

EXAMPLES = sorted((Path(__file__).parent.parent / "workouts").glob("*.yaml"))


@dataclass
class Track:
    """A built example: its plan, the voice that spoke it, the decoded samples and where speech is heard."""

    plan: Plan
    speech: Speech
    samples: np.ndarray
    rate: int
    heard: list[tuple[int, int]]

    def sample(self, ms: int) -> int:
        return ms * self.rate // 1000


@pytest.fixture(scope="session")
def tracks(tmp_path_factory) -> dict[str, Track]:
    out = tmp_path_factory.mktemp("tracks")
    built = {}
    for path in EXAMPLES:
        result = build_file(path, out)
        workout, plan = plan_file(path)
        speech = speech_for(workout)
        samples, rate = decode_mp3(result.output)
        built[path.stem] = Track(plan, speech, samples, rate, speech_regions(samples, rate))
    return built


@pytest.fixture(params=[p.stem for p in EXAMPLES])
def track(request, tracks) -> Track:
    return tracks[request.param]
