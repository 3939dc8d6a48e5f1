"""Built-in music: drums, bass, chords and an arpeggio generated at any tempo, no files needed.

A four-bar loop in 4/4 on a sixteenth-note grid: a kick on every beat (the step the runner
matches), a clap on 2 and 4, off-beat hi-hats with soft sixteenths, a bass on the off-beat
eighths, a sustained chord per bar and a plucked arpeggio in eighths. The seed picks the chord
progression and the key. Every note is rendered whole once (audiocoach.music.sounds) and placed
at round(step × samples per step) from sample 0, so any sample depends only on its index: any
chunking gives the same samples, the piece starts on a downbeat at sample 0 and loops forever
without a seam. Each (bpm, rate, seed) is levelled to BUILTIN_LUFS over one loop.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from audiocoach.audio.loudness import integrated_loudness
from audiocoach.errors import BuildError
from audiocoach.music import sounds

BUILTIN_LUFS = -20.0  # integrated loudness (BS.1770) of the built-in music at any bpm, rate and seed
SLOWEST_BPM, FASTEST_BPM = 40.0, 300.0
STEPS_PER_BEAT, STEPS_PER_BAR, BARS = 4, 16, 4
LOOP_STEPS = STEPS_PER_BAR * BARS

# Chord per bar: (bass root, chord voicing for the pad); MIDI notes, in A minor / C major.
PROGRESSIONS: tuple[tuple[tuple[int, tuple[int, int, int]], ...], ...] = (
    ((45, (57, 60, 64)), (41, (57, 60, 65)), (48, (55, 60, 64)), (43, (55, 59, 62))),  # Am F C G
    ((45, (57, 60, 64)), (43, (55, 59, 62)), (41, (57, 60, 65)), (43, (55, 59, 62))),  # Am G F G
    ((48, (55, 60, 64)), (43, (55, 59, 62)), (45, (57, 60, 64)), (41, (57, 60, 65))),  # C G Am F
)
TRANSPOSE = (0, -2, 3, -4, 2)  # semitones, by seed // len(PROGRESSIONS): stays in a bass/pad friendly range
ARPEGGIO = (0, 1, 2, 3, 2, 1, 2, 1)  # chord-tone index per eighth: up, down, a turn
GAIN = {"kick": 0.7, "snare": 0.6, "hat": 0.35, "ghost": 0.14, "open": 0.25, "bass": 0.32, "pad": 0.08,
        "pluck": 0.13}

Event = tuple[str, int, float, float]  # instrument, MIDI note (0 for drums), length in steps, gain


def builtin_block(bpm: float, sample_rate: int, first: int, last: int, seed: int = 0) -> np.ndarray:
    """Samples [first, last) of the built-in music at `bpm`, counted from sample 0 of the piece (mono float32).

    A pure function of its arguments; loops every four bars forever; levelled to BUILTIN_LUFS.
    """
    if not (math.isfinite(bpm) and SLOWEST_BPM <= bpm <= FASTEST_BPM):
        raise BuildError(f"built-in music at {bpm} bpm", hint=f"use {SLOWEST_BPM:g}–{FASTEST_BPM:g} bpm")
    if sample_rate <= 0 or not 0 <= first <= last or seed < 0:
        raise BuildError(f"built-in music: bad request (rate {sample_rate}, samples {first}–{last}, seed {seed})")
    return (_raw(bpm, sample_rate, first, last, seed) * _level(bpm, sample_rate, seed)).astype(np.float32)


@lru_cache(maxsize=64)
def _level(bpm: float, rate: int, seed: int) -> float:
    """The gain that brings one loop (after the first, so the tails of the loop before sound in it) to BUILTIN_LUFS."""
    loop = round(LOOP_STEPS * _step_samples(bpm, rate))
    measured = integrated_loudness(_raw(bpm, rate, loop, 2 * loop, seed), rate)
    return float(10 ** ((BUILTIN_LUFS - measured) / 20))


def _step_samples(bpm: float, rate: int) -> float:
    return rate * 60.0 / (bpm * STEPS_PER_BEAT)


def _raw(bpm: float, rate: int, first: int, last: int, seed: int) -> np.ndarray:
    """The unlevelled mix of [first, last): every note that sounds there, added in (step, event) order."""
    step = _step_samples(bpm, rate)
    out = np.zeros(last - first)
    longest = max(len(sounds.kick(rate)), len(sounds.hat(rate, True)), _pad_steps() * step)
    for index in range(max(0, math.floor(first / step) - math.ceil(longest / step) - 1), math.ceil(last / step)):
        start = round(index * step)
        for kind, note, length, gain in _pattern(seed)[index % LOOP_STEPS]:
            sound = _sound(kind, note, round(length * step), rate)
            a, b = max(first, start), min(last, start + len(sound))
            if a < b:
                out[a - first: b - first] += gain * sound[a - start: b - start]
    return out


def _sound(kind: str, note: int, length: int, rate: int) -> np.ndarray:
    if kind == "kick":
        return sounds.kick(rate)
    if kind == "snare":
        return sounds.snare(rate)
    if kind in ("hat", "ghost", "open"):
        return sounds.hat(rate, kind == "open")
    return {"bass": sounds.bass, "pad": sounds.pad, "pluck": sounds.pluck}[kind](note, length, rate)


def _pad_steps() -> int:
    return STEPS_PER_BAR + 3  # a chord rings three sixteenths into the next bar, fading under it


@lru_cache(maxsize=32)
def _pattern(seed: int) -> tuple[tuple[Event, ...], ...]:
    """The events starting on each of the loop's 64 sixteenths, in a fixed order."""
    progression = PROGRESSIONS[seed % len(PROGRESSIONS)]
    shift = TRANSPOSE[(seed // len(PROGRESSIONS)) % len(TRANSPOSE)]
    steps: list[list[Event]] = [[] for _ in range(LOOP_STEPS)]
    for bar, (root, chord) in enumerate(progression):
        for i in range(STEPS_PER_BAR):
            steps[bar * STEPS_PER_BAR + i] = _events(bar, i, root + shift, tuple(n + shift for n in chord))
    return tuple(tuple(events) for events in steps)


def _events(bar: int, i: int, root: int, chord: tuple[int, ...]) -> list[Event]:
    """What starts on sixteenth `i` of bar `bar` (0-based) over the chord with bass `root`."""
    events: list[Event] = []
    if i % 4 == 0:
        events.append(("kick", 0, 0, GAIN["kick"]))
    if i in (4, 12):
        events.append(("snare", 0, 0, GAIN["snare"]))
    last_offbeat = bar == BARS - 1 and i == 14  # an open hat closes the loop
    if i % 4 == 2:
        events.append(("open", 0, 0, GAIN["open"]) if last_offbeat else ("hat", 0, 0, GAIN["hat"]))
        octave = 12 if i == 10 else 0  # the third off-beat jumps an octave: the bass walks, not drones
        events.append(("bass", root + octave, 1.8, GAIN["bass"]))
    elif i % 2:
        events.append(("ghost", 0, 0, GAIN["ghost"]))
    if i == 0:
        events.extend(("pad", note, _pad_steps(), GAIN["pad"]) for note in chord)
    if i % 2 == 0:
        tones = (*chord, chord[0] + 12)
        events.append(("pluck", tones[ARPEGGIO[i // 2]] + 12, 2.0, GAIN["pluck"]))
    return events
