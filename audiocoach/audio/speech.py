"""Spoken phrases: any speech engine (audiocoach/audio/engines), trimmed, levelled, cached on disk.

A phrase is spoken once per (text, engine identity) and kept in the checked on-disk cache
(speech_cache.py). `prepare` speaks every missing phrase of a build at once in a process pool
(speech_pool.py); a phrase asked for later is spoken in the same way, alone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import ceil
from pathlib import Path

import numpy as np

from audiocoach.audio.engines import VoiceSpec, engine_for
from audiocoach.audio.loudness import k_weighted_energy, level_clip
from audiocoach.audio.resample import resample
from audiocoach.audio.speech_cache import NATIVE_RATE, SpeechCache, cache_key
from audiocoach.audio.speech_pool import speak_all
from audiocoach.errors import BuildError
from audiocoach.memo import cache_dir as default_cache_dir

__all__ = ["Speech", "VoiceSpec", "ClipProfile", "prepare_many", "spoken_clip", "level_speech", "trim_silence",
           "SPEECH_LUFS", "SPEECH_PEAK_DBTP"]

# Every clip is stored and played at the same loudness (BS.1770, over the whole trimmed clip),
# so every cue sounds as loud as the others; where a clip's peaks would rise more than
# SPEECH_PEAK_DBTP - SPEECH_LUFS above that, a look-ahead limiter (windows of LIMITER_WINDOW_S)
# lowers them. The mix then raises or lowers everything by one gain per track (see levels.py).
# A track is -16 LUFS with the voice about 1 LU over that, and must peak under -1 dBTP after MP3
# coding (which adds up to 1 dB): so the voice's peaks may rise only 12.5 dB over its loudness,
# where espeak's rise 18.5 (median). Measured on the 317 phrases of the examples: the loudest
# syllables come down about 6 dB (9 at most), the quietest sounds go up about 10 (12 at most,
# so 64 phrases end up to 1 LU under SPEECH_LUFS) — the dense voice of broadcast speech.
SPEECH_LUFS = -20.0
SPEECH_PEAK_DBTP = -7.5
LIMITER_WINDOW_S = 0.015
NATIVE_PEAK_MARGIN_DB = 0.25  # resampled to the output rate, a clip's true peak rises by up to ~0.2 dB
PROFILE_STEP_S = 0.005  # resolution of a clip's energy profile (Speech.profile)
TRIM_FRACTION = 0.005  # silence ends where |sample| first reaches 0.5 % (-46 dB) of the clip's peak
MIN_PEAK = 64  # int16: a "phrase" quieter than this (-54 dBFS) is silence
PROFILE_KIND = "profile.f64"  # its cache entry (speech_cache.py): the energy at each point
CLIPS_KEPT = 16  # resampled clips kept in memory; repeated cues ("Go!") are not re-read


class Speech:
    """Speaks text in one voice, caching each distinct phrase on disk; BuildError for a bad voice."""

    def __init__(self, voice: VoiceSpec, sample_rate: int = 44100, cache_dir: Path | None = None):
        self.voice = voice
        self.engine = engine_for(voice)  # checks the voice, rate and model
        self._identity = self.engine.identity()
        self.sample_rate = sample_rate
        self.cache = SpeechCache(Path(cache_dir) if cache_dir is not None else default_cache_dir())
        self._lengths: dict[str, int] = {}  # text -> native samples; tiny, saves re-reading clips
        self._clips: OrderedDict[str, np.ndarray] = OrderedDict()
        self._profiles: dict[str, ClipProfile] = {}  # a few kB each

    def prepare(self, texts: Iterable[str]) -> None:
        """Speak every phrase of `texts` not yet cached, in parallel (see prepare_many)."""
        prepare_many([(self, texts)])

    def duration_ms(self, text: str) -> int:
        """Length of the trimmed clip in ms, rounded up (a cue placed this long after another never overlaps it)."""
        if text not in self._lengths:
            self._lengths[text] = len(self._native(text))
        samples = ceil(self._lengths[text] * self.sample_rate / NATIVE_RATE)
        return ceil(samples * 1000 / self.sample_rate)

    def clip(self, text: str) -> np.ndarray:
        """float32 mono at sample_rate, at SPEECH_LUFS with a true peak under SPEECH_PEAK_DBTP, sample 0
        where the speech starts (read-only)."""
        if text in self._clips:
            self._clips.move_to_end(text)
            return self._clips[text]
        samples = self._resampled(text)
        samples.flags.writeable = False  # shared by every caller: nobody may change it
        self._clips[text] = samples
        if len(self._clips) > CLIPS_KEPT:
            self._clips.popitem(last=False)
        return samples

    def profile(self, text: str) -> ClipProfile:
        """How the clip of `text` (as clip() gives it) spreads its K-weighted energy over time.

        The total is the clip's K-weighted energy (one FFT: about SPEECH_LUFS over its length, up
        to 1 LU under for a few phrases, see level_speech); how it spreads over the clip follows
        the clip's own energy, which costs no filtering and, over the 100 ms steps loudness works
        in, puts every example's prediction within 0.04 LU of the K-weighted spread's. Computed
        once per clip, then read back from the cache.
        """
        if text not in self._profiles:
            key = self._key(text)
            stored = self.cache.load_derived(key, PROFILE_KIND, "<f8")
            if stored is not None and len(stored[0]) == len(_profile_points(stored[1])):
                energy, length = stored
            else:
                native = self._native(text)
                energy, length = _cumulative_energy(native), len(native)
                self.cache.store_derived(key, PROFILE_KIND, energy)
            self._profiles[text] = ClipProfile(
                samples=ceil(length * self.sample_rate / NATIVE_RATE),
                seconds=_profile_points(length) / NATIVE_RATE,
                energy=energy,
            )
        return self._profiles[text]

    def _resampled(self, text: str) -> np.ndarray:
        """The clip at sample_rate: resampled once per rate, then read back from the cache."""
        if self.sample_rate == NATIVE_RATE:
            return resample(self._native(text).astype(np.float32) / 32768, NATIVE_RATE, NATIVE_RATE)
        key, kind = self._key(text), f"{self.sample_rate}.f32"
        stored = self.cache.load_derived(key, kind, "<f4")
        if stored is not None:
            return stored[0]
        samples = resample(self._native(text).astype(np.float32) / 32768, NATIVE_RATE, self.sample_rate)
        self.cache.store_derived(key, kind, samples)  # after _native: the clip it comes from is stored
        return samples

    def _key(self, text: str) -> str:
        return cache_key(text, self._identity)

    def _cached(self, text: str) -> np.ndarray | None:
        clip = self.cache.load(self._key(text), text)
        if clip is not None:
            self._lengths[text] = len(clip)
        return clip

    def _store(self, text: str, clip: np.ndarray) -> None:
        try:
            self.cache.store(self._key(text), clip)
        except OSError as err:
            raise BuildError(
                f"cannot write the speech cache in {self.cache.folder}: {err.strerror or err}",
                hint="set AUDIOCOACH_CACHE to a writable folder",
            ) from err
        self._lengths[text] = len(clip)

    def _native(self, text: str) -> np.ndarray:
        """The trimmed, levelled int16 clip at NATIVE_RATE, from the cache or freshly spoken (and stored)."""
        stored = self._cached(text)
        if stored is not None:
            return stored
        spoken: list[np.ndarray] = []
        speak_all([(self.voice, text)], spoken_clip, lambda _, clip: spoken.append(clip), workers=1)
        self._store(text, spoken[0])
        return spoken[0]


def prepare_many(wanted: Sequence[tuple[Speech, Iterable[str]]], workers: int | None = None) -> None:
    """Speak the phrases not yet cached of every (speech, texts) pair in one process pool, and
    cache them: a batch's voices and phrases share the pool's cores."""
    tasks: list[tuple[Speech, str]] = []
    seen: set[tuple[int, str]] = set()
    for speech, texts in wanted:
        for text in texts:
            if (id(speech), text) in seen or text in speech._lengths:
                continue
            seen.add((id(speech), text))
            if speech._cached(text) is None:
                tasks.append((speech, text))
    speak_all([(speech.voice, text) for speech, text in tasks], spoken_clip,
              lambda index, clip: tasks[index][0]._store(tasks[index][1], clip), workers)


def _profile_points(length: int) -> np.ndarray:
    """The samples of a native clip `length` long where its profile is given: every PROFILE_STEP_S, and its end."""
    return np.append(np.arange(0, length, round(PROFILE_STEP_S * NATIVE_RATE)), length)


def _cumulative_energy(native: np.ndarray) -> np.ndarray:
    """The clip's K-weighted energy up to each of its _profile_points, spread as its own energy is."""
    samples = native.astype(np.float64) / 32768
    running = np.concatenate([[0.0], np.cumsum(np.square(samples))])
    total = k_weighted_energy(samples, NATIVE_RATE)
    return running[_profile_points(len(samples))] * (total / running[-1])


@dataclass(frozen=True)
class ClipProfile:
    """A clip's length in output samples and its cumulative K-weighted energy (full-scale power ×
    seconds) at `seconds` from its start, every PROFILE_STEP_S and at its end."""

    samples: int
    seconds: np.ndarray
    energy: np.ndarray

    def energy_between(self, start_s: np.ndarray, end_s: np.ndarray) -> np.ndarray:
        """Energy of the clip between these times (clipped to the clip), linearly interpolated."""
        return np.interp(end_s, self.seconds, self.energy) - np.interp(start_s, self.seconds, self.energy)


def level_speech(samples: np.ndarray) -> np.ndarray:
    """A trimmed int16 clip at NATIVE_RATE brought to SPEECH_LUFS with peaks under SPEECH_PEAK_DBTP (int16)."""
    levelled = level_clip(samples.astype(np.float64) / 32768, NATIVE_RATE, SPEECH_LUFS,
                          SPEECH_PEAK_DBTP - NATIVE_PEAK_MARGIN_DB, LIMITER_WINDOW_S)
    return np.rint(np.clip(levelled, -1.0, 32767 / 32768) * 32768).astype(np.int16)


def trim_silence(samples: np.ndarray) -> np.ndarray:
    """`samples` from the first to the last one reaching TRIM_FRACTION of the peak (empty if silent)."""
    level = np.abs(samples.astype(np.int32))
    peak = int(level.max(initial=0))
    if peak < MIN_PEAK:
        return samples[:0]
    loud = np.flatnonzero(level >= peak * TRIM_FRACTION)
    return samples[loud[0] : loud[-1] + 1]


def spoken_clip(voice: VoiceSpec, text: str) -> np.ndarray:
    """`text` in `voice`: trimmed, levelled int16 at NATIVE_RATE; BuildError if there is nothing to hear."""
    if not text.strip():
        raise BuildError(f"cannot speak an empty phrase {text!r}", hint="give the cue some words")
    engine = engine_for(voice)
    samples = engine.synthesize(text)
    if engine.sample_rate != NATIVE_RATE:
        samples = resample(samples.astype(np.float32), engine.sample_rate, NATIVE_RATE)
    pcm = np.rint(np.clip(samples, -1.0, 32767 / 32768) * 32768).astype(np.int16)
    trimmed = trim_silence(pcm)
    if not len(trimmed):
        raise BuildError(f"the speech engine produced no sound for {text!r}", hint="reword the phrase")
    return level_speech(trimmed)
