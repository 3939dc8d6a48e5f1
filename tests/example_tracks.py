"""The example workouts as the audio tests hear them: each built once per session, decoded one at a
time, and kept only as the windows a test listens to (the whole track, or excerpts around chosen cues).

Holding every example decoded at once took 3–4.6 GB (7.8 hours of audio); a track's excerpts take
a few MB. `make test` hears every example through its excerpts and a representative few whole;
`make test-all` hears every example whole as well (the `full` marker).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audiocoach.audio.speech import Speech
from audiocoach.coaching.plan import Plan
from audiocoach.coaching.schedule import PlacedCue
from audiocoach.coaching.timeline import TimedStep
from audiocoach.pipeline import build_file, plan_file, speech_for
from tests.audio_helpers import decode_mp3, speech_regions

# Heard whole in make test: a running interval workout, a core circuit, a workout in another language.
REPRESENTATIVE = ("hill-repeats", "core-circuit", "progresivos-es")
EXCERPT_BEFORE_MS = 10_000  # an excerpt starts this long before its anchor cue...
EXCERPT_AFTER_MS = 20_000  # ...and ends this long after its start
MIN_PART_MS = 10_000  # a step cut by an excerpt's edge is judged on a part at least this long


@dataclass(frozen=True)
class Window:
    """Part of a decoded track: its samples and the speech regions heard in them (both numbered from
    the window's first sample, which is sample `start` of the whole track)."""

    start: int
    samples: np.ndarray
    heard: list[tuple[int, int]]

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


@dataclass(frozen=True)
class Track:
    """A built example as heard: its plan, its voice, the length of the whole decoded track, and windows."""

    name: str
    plan: Plan
    speech: Speech
    rate: int
    length: int
    windows: tuple[Window, ...]
    whole: bool

    def sample(self, ms: int) -> int:
        return ms * self.rate // 1000

    def cues_inside(self, margin_ms: int) -> Iterator[tuple[PlacedCue, Window]]:
        """Each cue that lies, with `margin_ms` either side, inside a window (with that window)."""
        for cue in self.plan.cues:
            for window in self.windows:
                first = max(0, self.sample(cue.at_ms - margin_ms))
                last = min(self.length, self.sample(cue.end_ms + margin_ms))
                if window.start <= first and last <= window.end:
                    yield cue, window

    def parts(self, steps: Iterable[TimedStep]) -> Iterator[tuple[TimedStep, Window, int, int]]:
        """Each step's part [lo, hi) inside each window (window numbering): whole steps, and cut ones
        of at least MIN_PART_MS."""
        for step in steps:
            first, last = self.sample(step.start_ms), self.sample(step.end_ms)
            for window in self.windows:
                lo, hi = max(first, window.start), min(last, window.end)
                if (lo, hi) == (first, last) or hi - lo >= self.sample(MIN_PART_MS):
                    yield step, window, lo - window.start, hi - window.start


def excerpt_spans(plan: Plan) -> list[tuple[int, int]]:
    """[start, end) ms of the excerpts heard of a track: around its first and last cue, its first go
    word, and the cues nearest the middle of its longest step with a cadence and without one."""
    anchors = [plan.cues[0], plan.cues[-1], *[c for c in plan.cues if c.kind == "go"][:1]]
    for with_cadence in (True, False):
        steps = [s for s in plan.steps if (s.cadence_spm is not None) == with_cadence]
        if steps:
            step = max(steps, key=lambda s: s.end_ms - s.start_ms)
            middle = (step.start_ms + step.end_ms) // 2
            anchors.append(min(plan.cues, key=lambda c: abs(c.at_ms - middle)))
    spans: list[list[int]] = []
    for at in sorted({c.at_ms for c in anchors}):
        start = max(0, at - EXCERPT_BEFORE_MS)
        end = min(plan.duration_ms, start + EXCERPT_AFTER_MS + EXCERPT_BEFORE_MS)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


@dataclass(frozen=True)
class Built:
    mp3: Path
    plan: Plan
    speech: Speech


class ExampleBuilds:
    """The examples built into one folder, each on first request, shared by every test file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._built: dict[str, Built] = {}

    def get(self, path: Path) -> Built:
        if path.stem not in self._built:
            mp3 = build_file(path, self.folder).output
            workout, plan = plan_file(path)
            speech = speech_for(workout)
            self._built[path.stem] = Built(mp3, plan, speech)
        return self._built[path.stem]


def listen(name: str, built: Built, whole: bool) -> Track:
    """Decode a built example and keep what is heard of it: the whole track, or its excerpts."""
    samples, rate = decode_mp3(built.mp3)
    if whole:
        spans = [(0, len(samples))]
    else:
        spans = [(a * rate // 1000, b * rate // 1000) for a, b in excerpt_spans(built.plan)]
    windows = []
    for lo, hi in spans:
        part = samples[lo:hi] if whole else samples[lo:hi].copy()  # a copy lets the whole track go
        windows.append(Window(lo, part, speech_regions(part, rate)))
    return Track(name, built.plan, built.speech, rate, len(samples), tuple(windows), whole)
