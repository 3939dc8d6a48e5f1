"""The music part of a mix: the plan's music scheduled into pieces, measured, and played by the mixer.

`with_music` adds the pieces to a MixSpec (and takes the beats out of music steps when the
workout says `beats: {with_music: false}`); `music_track` is the mixer's third track; `music_bed`
tells levels.py how loud and how peaky the music will be, so the voice stays at its target and
the true peak under the ceiling with the music playing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from audiocoach.audio.ducking import duck_curve, floor_gain
from audiocoach.audio.levels import Bed
from audiocoach.audio.loudness import power
from audiocoach.audio.speech import SPEECH_LUFS
from audiocoach.music.measure import builtin_level, song_level
from audiocoach.music.resolve import step_music
from audiocoach.music.schedule import music_seed, schedule_music
from audiocoach.music.track import MusicTrack

if TYPE_CHECKING:
    from audiocoach.audio.mixer import ClipSource, MixSpec
    from audiocoach.coaching.plan import Plan
    from audiocoach.language import Workout
    from audiocoach.music.schedule import MusicPiece

__all__ = ["plan_music", "with_music", "music_track", "music_bed", "piece_gain", "MUSIC_LAYER"]


def plan_music(plan: Plan, workout: Workout, sample_rate: int) -> list[MusicPiece]:
    """The music pieces of `plan` (none when the workout plays no music)."""
    steps = step_music(workout, plan.steps, plan.duration_ms)
    if not any(steps):
        return []
    runner = workout.runner.name if workout.runner is not None else None
    return schedule_music(steps, sample_rate, music_seed(workout.title, runner))


def with_music(spec: MixSpec, plan: Plan, workout: Workout) -> MixSpec:
    """`spec` with the plan's music, measured; beats left out of music steps unless beats.with_music."""
    pieces = plan_music(plan, workout, spec.sample_rate)
    if not pieces:
        return spec
    levels = tuple(builtin_level(p.bpm or 0.0, spec.sample_rate) if isinstance(p.song, str)
                   else song_level(p.song, spec.sample_rate) for p in pieces)
    beats = spec.beats
    if not workout.beats.with_music:
        beats = tuple(span for span in beats if not _under_music(span.start_sample, span.end_sample, pieces))
    return replace(spec, music=tuple(pieces), music_levels=levels, beats=beats, music_layer=MUSIC_LAYER)


def _under_music(start: int, end: int, pieces: list[MusicPiece]) -> bool:
    middle = (start + end) // 2
    return any(p.start_sample <= middle < p.end_sample for p in pieces)


def piece_gain(spec: MixSpec, index: int) -> float:
    """Linear gain that sets piece `index` at its level against the voice (before the mix's gain)."""
    loudness = spec.music_levels[index][0]
    return float(10 ** ((SPEECH_LUFS + spec.music[index].level_db - loudness) / 20))


def _speech_bounds(spec: MixSpec, speech: ClipSource) -> tuple[np.ndarray, np.ndarray]:
    starts = np.array([event.start_sample for event in spec.speech], dtype=np.int64)
    lengths = np.array([speech.profile(event.text).samples for event in spec.speech], dtype=np.int64)  # type: ignore[attr-defined]
    return starts, starts + lengths


def music_track(spec: MixSpec, speech: ClipSource, gain: float) -> MusicTrack | None:
    """The mixer's music track for `spec` at the mix's `gain`, or None without music."""
    if not spec.music:
        return None

    rate = spec.sample_rate
    gains = [gain * piece_gain(spec, i) for i in range(len(spec.music))]
    return MusicTrack(spec.music, rate, gains, _speech_bounds(spec, speech),
                      round(spec.duck_attack_ms * rate / 1000), round(spec.duck_release_ms * rate / 1000))


def music_bed(spec: MixSpec, speech: ClipSource, bounds: np.ndarray) -> Bed | None:
    """The music as levels.py sees a bed: its loudest true peak at its level, and its energy per 100 ms
    step (each piece at its level, ducked at the step's middle; fades ignored: for the record only)."""
    if not spec.music:
        return None

    rate = spec.sample_rate
    starts, ends = _speech_bounds(spec, speech)
    steps = len(bounds) - 1
    energy = np.zeros(steps)
    peak = 0.0
    ducked = True
    beat_floor = floor_gain(spec.duck_db) if spec.duck and spec.duck_db > 0 else 1.0
    middles = (bounds[:-1] + bounds[1:]) // 2
    widths = np.diff(bounds) / rate
    for index, piece in enumerate(spec.music):
        gain = piece_gain(spec, index)
        peak = max(peak, gain * 10 ** (spec.music_levels[index][1] / 20))
        ducked = ducked and floor_gain(piece.duck_db) <= beat_floor
        lo, hi = np.searchsorted(middles, [piece.start_sample, piece.end_sample])
        if lo >= hi:
            continue
        curve = np.ones(hi - lo)
        if piece.duck_db > 0 and len(starts):
            curve = duck_curve(middles[lo:hi], starts, ends, round(spec.duck_attack_ms * rate / 1000),
                               round(spec.duck_release_ms * rate / 1000), floor_gain(piece.duck_db))
        energy[lo:hi] += power(SPEECH_LUFS + piece.level_db) * widths[lo:hi] * curve**2
    return Bed(min(p.level_db for p in spec.music), peak, ducked, energy)


class _MusicLayer:
    """The mixer's and levels.py's way to the music (MixSpec.music_layer): audio never imports this package."""

    def track(self, spec: MixSpec, speech: ClipSource, gain: float) -> MusicTrack | None:
        return music_track(spec, speech, gain)

    def bed(self, spec: MixSpec, speech: ClipSource, bounds: np.ndarray) -> Bed | None:
        return music_bed(spec, speech, bounds)


MUSIC_LAYER = _MusicLayer()
