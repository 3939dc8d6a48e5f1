"""How loud a mix will be, known before it is mixed: the voice as the anchor, the rest set against it.

The rule (dialogue-anchored, as broadcast loudness is): the voice measures VOICE_LUFS over the
samples where speech plays (speech-gated: the plan knows exactly where each clip plays, so the
gate is the plan's, not a speech detector's), and the whole track keeps its true peak under
TRUE_PEAK_CEILING_DBTP. Every clip is levelled to SPEECH_LUFS (speech.py, whatever engine spoke
it), so the voice's speech-gated loudness is known from the clips' energies alone, and one gain
puts it at the target. What plays under the voice — beats now, music later — is a `Bed`: set in
LU against the voice, ducked under speech by the one curve in ducking.py. Beds may make the track
louder than VOICE_LUFS integrated; that is the point (a beat the runner can follow outdoors).
Only the true peak can limit them: where a bed's peaks (alone, or a ducked bed's under a voice
peak) would pass the ceiling, the beds are lowered together just as far as they must be; the
voice is lowered only if its own peaks leave no room (they never do at SPEECH_PEAK_DBTP).

The track's BS.1770 integrated loudness is predicted too, for the record (benchmarks and the
tests compare it with the decoded MP3): each clip's K-weighted energy placed where it plays,
each beat's energy (ducked) in the 100 ms step it falls in, gated as a meter gates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from audiocoach.audio.beats import beat_onsets_for, beat_sound, level_gain, sound_energy
from audiocoach.audio.ducking import duck_curve, floor_gain
from audiocoach.audio.loudness import (
    block_powers,
    db_to_gain,
    gated_loudness,
    k_weighted,
    lufs,
    step_bounds,
    steps_in,
    true_peak,
)
from audiocoach.audio.speech import SPEECH_LUFS, SPEECH_PEAK_DBTP

if TYPE_CHECKING:
    from audiocoach.audio.mixer import MixSpec

VOICE_LUFS = -16.0  # the voice, speech-gated: as loud as podcast speech on a phone
TRUE_PEAK_CEILING_DBTP = -2.0  # in the mix; MP3 coding adds a few tenths of a dB and the target is -1 dBTP


@dataclass(frozen=True)
class Bed:
    """Something that plays under the voice (beats, music): its level in LU against the voice, its
    loudest true peak (linear, at that level, before the track's gain), whether it ducks under
    speech, and its K-weighted energy per 100 ms step (for the integrated-loudness record)."""

    level_db: float
    peak: float
    ducked: bool
    energy: np.ndarray


@dataclass(frozen=True)
class Levels:
    """What levelling decided for a mix."""

    gain_db: float  # on the whole mix (MixSpec.gain_db)
    beat_level_db: float  # the beat level played: the one asked for, or lower if its peaks had no room
    voice_lufs: float  # the voice's speech-gated loudness with that gain
    predicted_lufs: float  # integrated loudness of the whole mix with that gain (beds included)
    peak_dbtp: float  # the highest true peak the mix can reach, by construction
    bed_lower_db: float = 0.0  # how far every bed (beats, music) was lowered to fit under the ceiling


def levelled(spec: MixSpec, speech) -> MixSpec:
    """`spec` with the gain (and beat level) that put its voice at spec.voice_lufs; the target is cleared."""
    levels = plan_levels(spec, speech)
    music = tuple(replace(piece, level_db=piece.level_db + levels.bed_lower_db) for piece in spec.music)
    return replace(spec, gain_db=levels.gain_db, beat_level_db=levels.beat_level_db, voice_lufs=None, music=music)


def plan_levels(spec: MixSpec, speech) -> Levels:
    """The gain that puts the voice of `spec` (played by `speech`, which has .profile(text)) at
    spec.voice_lufs over speech, and the beat level that fits under the true-peak ceiling."""
    target = spec.voice_lufs if spec.voice_lufs is not None else VOICE_LUFS
    rate = spec.sample_rate
    bounds = step_bounds(rate, steps_in(spec.total_samples, rate))
    voice, starts, ends = _speech_energy(spec, speech, bounds)
    spoken = np.minimum(ends, spec.total_samples) - starts
    # with no speech at all, the beds sit where they would under a voice at the target
    voice_unity = float(lufs(np.sum(voice) / (np.sum(spoken) / rate))) if np.sum(spoken) > 0 else SPEECH_LUFS
    beds = [_beats_bed(spec, bounds, starts, ends), *_music_beds(spec, speech, bounds)]
    voice_peak = db_to_gain(SPEECH_PEAK_DBTP) if len(starts) else 0.0
    floor = floor_gain(spec.duck_db) if spec.duck and spec.duck_db > 0 else 1.0
    gain_db = target - voice_unity
    lower_db = _bed_room_db(voice_peak, beds, floor, TRUE_PEAK_CEILING_DBTP - gain_db)
    peak = _worst_peak(voice_peak, beds, floor, lower_db)
    if peak > 0:
        gain_db = min(gain_db, TRUE_PEAK_CEILING_DBTP - 20 * np.log10(peak))  # only if even quiet beds cannot fit
    energy = voice + sum(bed.energy for bed in beds) * 10 ** (lower_db / 10)
    integrated = gated_loudness(block_powers(energy, spec.total_samples / rate))
    return Levels(
        gain_db=float(gain_db),
        beat_level_db=spec.beat_level_db + lower_db,
        voice_lufs=float(voice_unity + gain_db) if len(starts) else -np.inf,
        predicted_lufs=float(integrated + gain_db),
        peak_dbtp=float(20 * np.log10(peak) + gain_db) if peak > 0 else -np.inf,
        bed_lower_db=lower_db,
    )


def _music_beds(spec: MixSpec, speech, bounds: np.ndarray) -> list[Bed]:
    """The music as a bed (audiocoach/music/mix.py), or none."""
    if not spec.music or spec.music_layer is None:
        return []
    bed = spec.music_layer.bed(spec, speech, bounds)
    return [] if bed is None else [bed]


def _worst_peak(voice_peak: float, beds: list[Bed], floor: float, lower_db: float) -> float:
    """The highest the mix can reach (linear, before gain): the beds' peaks meeting each other, or a
    voice peak with the ducked beds under it."""
    scale = db_to_gain(lower_db)
    beds_alone = sum(bed.peak for bed in beds) * scale
    under_voice = sum(bed.peak * (floor if bed.ducked else 1.0) for bed in beds) * scale
    return max(beds_alone, voice_peak + under_voice if voice_peak > 0 else 0.0)


def _bed_room_db(voice_peak: float, beds: list[Bed], floor: float, ceiling_dbtp: float) -> float:
    """How far (dB, <= 0) the beds must come down so the mix peaks under `ceiling_dbtp` (before gain)."""
    if _worst_peak(voice_peak, beds, floor, 0.0) <= db_to_gain(ceiling_dbtp):
        return 0.0
    ceiling = db_to_gain(ceiling_dbtp)
    alone = sum(bed.peak for bed in beds)
    under = sum(bed.peak * (floor if bed.ducked else 1.0) for bed in beds)
    room = min(ceiling / alone if alone else np.inf, (ceiling - voice_peak) / under if under else np.inf)
    if room <= 0:
        return 0.0  # the voice alone is over the ceiling: the gain gives way instead
    return float(np.floor(20 * np.log10(room) * 10) / 10)  # a tenth of a dB at a time, downwards


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


def beat_gain(spec: MixSpec) -> float:
    """The factor on beat_sound() for spec.beat_level_db LU against speech at SPEECH_LUFS (before gain_db)."""
    return level_gain(spec.beat_sound, spec.sample_rate, SPEECH_LUFS + spec.beat_level_db)


def _beats_bed(spec: MixSpec, bounds: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> Bed:
    """The beats as a bed: their peak at spec.beat_level_db and their energy per step, ducked as mixed."""
    steps = len(bounds) - 1
    energy = np.zeros(steps)
    if spec.beat_sound == "none" or not any(s.end_sample > s.start_sample for s in spec.beats):
        return Bed(spec.beat_level_db, 0.0, spec.duck, energy)
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
        hit *= _ducking_at(spec, onsets, starts, ends) ** 2
        step = np.searchsorted(bounds, onsets + centre, "right") - 1
        keep = step < steps
        energy += np.bincount(step[keep], weights=hit[keep], minlength=steps)
    peak = beat_gain(spec) * db_to_gain(_beat_peak_db(spec.beat_sound, rate, spec.accent_every > 0))
    return Bed(spec.beat_level_db, peak, spec.duck and spec.duck_db > 0, energy)


def _ducking_at(spec: MixSpec, onsets: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The mixer's ducking gain at each onset (1.0 away from speech)."""
    if not spec.duck or spec.duck_db <= 0:
        return np.ones(len(onsets))
    rate = spec.sample_rate
    return duck_curve(onsets, starts, ends, round(spec.duck_attack_ms * rate / 1000),
                      round(spec.duck_release_ms * rate / 1000), floor_gain(spec.duck_db))


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
