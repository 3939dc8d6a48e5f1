"""How loud a mix will be, known before it is mixed: the one gain that brings a track to its target.

Measuring the mix would mean rendering it twice. Instead its BS.1770 integrated loudness is
predicted from its parts, at the resolution the measure itself works at (100 ms steps, 400 ms
blocks): each clip's K-weighted energy profile placed where the clip plays, plus each beat's
K-weighted energy (plain or accented, times the ducking gain at its onset) in the step it falls
in. Speech and beats are independent, so their energies add; the gating then runs over the
predicted blocks exactly as a meter would over the real ones. Since gating does not care about
scale, one evaluation gives the gain: target minus the predicted loudness.

The gain is limited by the true peak: no clip peaks above SPEECH_PEAK_DBTP at SPEECH_LUFS, and a
beat's peak is known, so the loudest the track can be is known too. A beat that is loud compared
with a track's speech counts in the loudness measure (BS.1770 only ignores blocks 10 LU under the
average) and pulls it down, so the voice would have to rise past the ceiling; then the beat is
lowered, 1 dB at a time, until the target fits under the ceiling with a BEAT_MARGIN_DB margin
(or, if it never does, to where the track comes closest; the gain then stops at the ceiling).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from audiocoach.audio.beats import beat_onsets_for, beat_sound, sound_energy
from audiocoach.audio.loudness import (
    block_powers, db_to_gain, gated_loudness, k_weighted, step_bounds, steps_in, true_peak,
)
from audiocoach.audio.speech import SPEECH_PEAK_DBTP

if TYPE_CHECKING:
    from audiocoach.audio.mixer import MixSpec

TRUE_PEAK_CEILING_DBTP = -2.0  # in the mix; MP3 coding adds a few tenths of a dB and the target is -1 dBTP
BEAT_MARGIN_DB = 2.0  # a beat must fit even if it measured this much louder than predicted
LOWER_STEP_DB = 1.0
MAX_LOWER_DB = 40.0


@dataclass(frozen=True)
class Levels:
    """What levelling decided for a mix."""

    gain_db: float  # on the whole mix (MixSpec.gain_db)
    beat_level_db: float  # the beat level played: the one asked for, or lower (see the module docstring)
    predicted_lufs: float  # integrated loudness of the mix with that gain
    peak_dbtp: float  # the highest true peak the mix can reach, by construction


def levelled(spec: MixSpec, speech) -> MixSpec:
    """`spec` with the gain (and beat level) that give it spec.loudness_lufs; the target itself is cleared."""
    levels = plan_levels(spec, speech)
    return replace(spec, gain_db=levels.gain_db, beat_level_db=levels.beat_level_db, loudness_lufs=None)


def plan_levels(spec: MixSpec, speech) -> Levels:
    """The gain that brings `spec` (played by `speech`, which has .profile(text)) to spec.loudness_lufs."""
    from audiocoach.audio.mixer import beat_gain

    target = spec.loudness_lufs if spec.loudness_lufs is not None else -16.0
    rate = spec.sample_rate
    steps = steps_in(spec.total_samples, rate)
    bounds = step_bounds(rate, steps)
    seconds = spec.total_samples / rate
    voice, starts, ends = _speech_energy(spec, speech, bounds)
    beats = _beat_energy(spec, bounds, starts, ends)
    has_beats = bool(np.any(beats > 0))
    beat_peak = 0.0
    if has_beats:
        beat_peak = beat_gain(spec) * db_to_gain(_beat_peak_db(spec.beat_sound, rate, spec.accent_every > 0))
    voice_peak = db_to_gain(SPEECH_PEAK_DBTP) if len(starts) else 0.0
    floor = db_to_gain(-spec.duck_db) if spec.duck and spec.duck_db > 0 else 1.0

    def loudness(lower_db: float) -> float:
        return gated_loudness(block_powers(voice + beats * 10 ** (lower_db / 10), seconds))

    def highest_gain(lower_db: float) -> float:
        beat = beat_peak * db_to_gain(lower_db)
        worst = max(voice_peak + floor * beat, beat)  # a beat peak meeting a voice peak, or a beat alone
        return TRUE_PEAK_CEILING_DBTP - 20 * np.log10(worst) if worst > 0 else np.inf

    lower = 0.0
    if has_beats and len(starts):
        def room(db: float) -> float:  # what is left under the ceiling, even with the beat a margin louder
            return highest_gain(db) - (target - min(loudness(db), loudness(db + BEAT_MARGIN_DB)))

        lower = _lowest_needed(room)
    predicted = loudness(lower)
    gain = 0.0 if predicted == -np.inf else min(target - predicted, highest_gain(lower))
    peak = max(voice_peak + floor * beat_peak * db_to_gain(lower), beat_peak * db_to_gain(lower))
    return Levels(
        gain_db=float(gain),
        beat_level_db=spec.beat_level_db + lower,
        predicted_lufs=float(predicted + gain),
        peak_dbtp=float(20 * np.log10(peak) + gain) if peak > 0 else -np.inf,
    )


def _lowest_needed(room) -> float:
    """The first of 0, -1, -2 … dB (down to -MAX_LOWER_DB) at which room(dB) >= 0: the beat lowered
    no more than it must be. If none has room, the first within 0.1 dB of the most room."""
    tried = []
    lower = 0.0
    while lower >= -MAX_LOWER_DB:
        here = room(lower)
        if here >= 0:
            return lower
        tried.append((lower, here))
        lower -= LOWER_STEP_DB
    most = max(here for _, here in tried)
    return next(lower for lower, here in tried if here >= most - 0.1)


def _speech_energy(spec: MixSpec, speech, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """K-weighted energy of the speech in each step (clips at SPEECH_LUFS), and each clip's start and end."""
    energy = np.zeros(len(bounds) - 1)
    starts = np.array([event.start_sample for event in spec.speech], dtype=np.int64)
    ends = np.empty_like(starts)
    rate = spec.sample_rate
    for i, event in enumerate(spec.speech):
        profile = speech.profile(event.text)
        start = event.start_sample
        end = ends[i] = start + profile.samples
        end = min(end, spec.total_samples)  # the mixer cuts a clip at the end of the track
        first = int(np.searchsorted(bounds, start, "right")) - 1
        last = int(np.searchsorted(bounds, end, "left"))
        if first >= last:
            continue
        edges = (np.clip(bounds[first : last + 1], start, end) - start) / rate
        energy[first:last] += profile.energy_between(edges[:-1], edges[1:])
    return energy, starts, ends


def _beat_energy(spec: MixSpec, bounds: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """K-weighted energy of the beats in each step, at spec.beat_level_db, ducked as the mixer ducks them."""
    from audiocoach.audio.mixer import beat_gain

    steps = len(bounds) - 1
    energy = np.zeros(steps)
    if spec.beat_sound == "none" or not spec.beats:
        return energy
    rate = spec.sample_rate
    scale = beat_gain(spec) ** 2
    plain = sound_energy(spec.beat_sound, rate) * scale
    accent = sound_energy(spec.beat_sound, rate, accent=True) * scale
    centre = _energy_centre(spec.beat_sound, rate)
    for span in spec.beats:
        if span.end_sample <= span.start_sample:
            continue
        count = int((span.end_sample - span.start_sample) * span.spm / (60 * rate)) + 2
        ks = np.arange(count, dtype=np.int64)
        onsets = beat_onsets_for(ks, span.start_sample, span.spm, rate)
        inside = onsets < span.end_sample
        ks, onsets = ks[inside], onsets[inside]
        hit = np.full(len(ks), plain)
        if spec.accent_every:
            hit[ks % spec.accent_every == 0] = accent
        hit *= _duck(spec, onsets, starts, ends) ** 2
        step = np.searchsorted(bounds, onsets + centre, "right") - 1
        keep = step < steps
        energy += np.bincount(step[keep], weights=hit[keep], minlength=steps)
    return energy


def _duck(spec: MixSpec, onsets: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The mixer's beat gain at each onset, relative to the unducked level (1.0 away from speech)."""
    if not spec.duck or spec.duck_db <= 0 or not len(starts):
        return np.ones(len(onsets))
    rate = spec.sample_rate
    attack = round(spec.duck_attack_ms * rate / 1000)
    release = round(spec.duck_release_ms * rate / 1000)
    floor = db_to_gain(-spec.duck_db)
    t = onsets.astype(np.float64)
    after = np.searchsorted(starts, onsets, "right")  # clips starting at or before each onset
    gain = np.ones(len(t))
    has_prev = after > 0
    end = ends[np.maximum(after - 1, 0)].astype(np.float64)
    released = floor + (1 - floor) * (t - end) / max(release, 1)
    from_prev = np.where(t < end, floor, np.where(t < end + release, released, 1.0))
    gain = np.where(has_prev, np.minimum(gain, from_prev), gain)
    has_next = after < len(starts)
    start = starts[np.minimum(after, len(starts) - 1)].astype(np.float64)
    attacked = 1 - (1 - floor) * (t - (start - attack)) / max(attack, 1)
    from_next = np.where(t >= start - attack, attacked, 1.0)
    return np.where(has_next, np.minimum(gain, from_next), gain)


@lru_cache(maxsize=32)
def _energy_centre(name: str, rate: int) -> int:
    """Samples from a beat's onset to the middle of its K-weighted energy."""
    sound = beat_sound(name, rate).astype(np.float64)
    power = np.square(k_weighted(sound, rate))
    return int(round(np.sum(np.arange(len(sound)) * power) / np.sum(power))) if np.sum(power) > 0 else 0


@lru_cache(maxsize=32)
def _beat_peak_db(name: str, rate: int, accented: bool) -> float:
    """True peak (dBTP) of the loudest beat sound a span plays, at unit gain."""
    return max(true_peak(beat_sound(name, rate, accent), rate) for accent in ((False, True) if accented else (False,)))
