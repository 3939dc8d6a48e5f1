"""Spoken phrases: pyttsx3 driving the espeak-ng shipped by espeakng-loader, cached on disk.

espeak-ng keeps synthesis state between utterances (pitch flutter, phase, gain control), so
the n-th phrase a process speaks differs slightly from the same phrase spoken first. To make
a phrase's samples depend on nothing but (text, voice, rate), each phrase is spoken in a
freshly forked child whose engine has never spoken before (about 25 ms a phrase, once: the
result is cached). Where fork does not exist (Windows) the engine runs in-process instead,
and a phrase's samples may then depend on what the process said before.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import io
import os
import select
import signal
import tempfile
import time
import wave
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from pathlib import Path

import numpy as np

from audiocoach.audio.loudness import k_weighted_energy, level_clip
from audiocoach.audio.resample import resample
from audiocoach.audio.speech_cache import NATIVE_RATE, SpeechCache, cache_key, default_cache_dir
from audiocoach.errors import BuildError

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
RATE_WPM = (80, 450)  # what espeak-ng accepts; it would clamp anything else silently
SYNTH_TIMEOUT_S = 60.0
CLIPS_KEPT = 16  # resampled clips kept in memory; repeated cues ("Go!") are not re-read


@dataclass(frozen=True)
class VoiceSpec:
    """An espeak-ng voice ("en-us", "de", "gmw/en-us", "German", "en-us+f3" …) and a rate."""

    name: str = "en-us"
    rate: int = 175  # words per minute


class Speech:
    """Speaks text through pyttsx3 + the PyPI espeak-ng, caching each distinct (text, voice, rate) on disk."""

    def __init__(self, voice: VoiceSpec, sample_rate: int = 44100, cache_dir: Path | None = None):
        if not RATE_WPM[0] <= voice.rate <= RATE_WPM[1]:
            raise BuildError(
                f"speech rate {voice.rate} words per minute is out of range",
                hint=f"use {RATE_WPM[0]}–{RATE_WPM[1]} (175 is a calm coach)",
            )
        check_voice(voice.name)
        self.voice = voice
        self.sample_rate = sample_rate
        self.cache = SpeechCache(Path(cache_dir) if cache_dir is not None else default_cache_dir())
        self._lengths: dict[str, int] = {}  # text -> native samples; tiny, saves re-reading clips
        self._clips: OrderedDict[str, np.ndarray] = OrderedDict()
        self._profiles: dict[str, ClipProfile] = {}  # a few kB each

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
        native = self._native(text)
        samples = resample(native.astype(np.float32) / 32768, NATIVE_RATE, self.sample_rate)
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
        in, puts every example's prediction within 0.04 LU of the K-weighted spread's.
        """
        if text not in self._profiles:
            native = self._native(text).astype(np.float64) / 32768
            running = np.concatenate([[0.0], np.cumsum(np.square(native))])
            step = round(PROFILE_STEP_S * NATIVE_RATE)
            at = np.append(np.arange(0, len(native), step), len(native))
            total = k_weighted_energy(native, NATIVE_RATE)
            self._profiles[text] = ClipProfile(
                samples=ceil(len(native) * self.sample_rate / NATIVE_RATE),
                seconds=at / NATIVE_RATE,
                energy=running[at] * (total / running[-1]),
            )
        return self._profiles[text]

    def _native(self, text: str) -> np.ndarray:
        """The trimmed, levelled int16 clip at NATIVE_RATE, from the cache or freshly spoken (and stored)."""
        key = cache_key(text, self.voice.name, self.voice.rate)
        stored = self.cache.load(key)
        if stored is not None and len(stored):
            return stored
        if not text.strip():
            raise BuildError(f"cannot speak an empty phrase {text!r}", hint="give the cue some words")
        spoken = trim_silence(synthesize(text, self.voice))
        if not len(spoken):
            raise BuildError(f"the speech engine produced no sound for {text!r}", hint="reword the phrase")
        spoken = level_speech(spoken)
        try:
            self.cache.store(key, spoken)
        except OSError as err:
            raise BuildError(
                f"cannot write the speech cache in {self.cache.folder}: {err.strerror or err}",
                hint="set AUDIOCOACH_CACHE to a writable folder",
            ) from err
        return spoken


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


def synthesize(text: str, voice: VoiceSpec) -> np.ndarray:
    """Raw int16 samples of `text` at NATIVE_RATE, silence included; BuildError if the engine fails."""
    _load_espeak()
    with tempfile.TemporaryDirectory(prefix="audiocoach-speech-") as folder:
        wav_path = Path(folder) / "phrase.wav"
        run = _speak_forked if hasattr(os, "fork") else _speak
        failure = run(text, voice, wav_path)
        if failure is None and not wav_path.exists():
            failure = "engine: no file was written"
        if failure is not None:
            raise _engine_error(failure, text, voice)
        with wave.open(str(wav_path), "rb") as wav:
            return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)


def _speak(text: str, voice: VoiceSpec, wav_path: Path) -> str | None:
    """Run pyttsx3 in this process; None on success, else "voice: …" or "engine: …"."""
    import pyttsx3
    from pyttsx3.drivers import _espeak
    from pyttsx3.drivers.espeak import EspeakDriver

    global _ENGINE
    if _ENGINE is None:
        _ENGINE = pyttsx3.init("espeak")  # espeak-ng can be initialised once per process
    # espeak-ng runs asynchronously here: parameter changes and synthesis are queued for its own
    # thread, and pyttsx3's runAndWait cancels whatever is still queued when it starts and returns
    # before long phrases are done. So: set the voice and rate directly (not through pyttsx3's
    # queue), let them land, and wait for the synthesis to finish before reading the file.
    _espeak.Synchronize()
    try:
        EspeakDriver.setProperty("voice", voice.name)
    except ValueError as err:
        return f"voice: {err}"
    EspeakDriver.setProperty("rate", voice.rate)
    _espeak.Synchronize()
    errors: list[BaseException] = []
    token = _ENGINE.connect("error", lambda exception=None, **_: errors.append(exception))
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to …"
            _ENGINE.save_to_file(text, str(wav_path))
            _ENGINE.runAndWait()
            _espeak.Synchronize()
    finally:
        _ENGINE.disconnect(token)
    return f"engine: {errors[0]}" if errors else None


def _speak_forked(text: str, voice: VoiceSpec, wav_path: Path) -> str | None:
    """_speak in a forked child, so the engine always starts from its just-initialised state."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the caller's code
        status = 1
        try:
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)  # nothing the engine prints may reach our CLI's output
            os.dup2(quiet, 2)
            os.write(write_end, (_speak(text, voice, wav_path) or "").encode()[:4000])
            status = 0
        except BaseException as err:
            with contextlib.suppress(BaseException):
                os.write(write_end, f"engine: {err!r}".encode()[:4000])
        finally:
            os._exit(status)
    os.close(write_end)
    reaped = False
    try:
        message = _read_all(read_end, time.monotonic() + SYNTH_TIMEOUT_S)
        _, wait_status = os.waitpid(pid, 0)
        reaped = True
        if message is None:
            return f"engine: no answer within {SYNTH_TIMEOUT_S:.0f} s"
        if os.waitstatus_to_exitcode(wait_status) != 0 and not message:
            return "engine: the speech process failed"
        return message or None
    finally:
        os.close(read_end)
        if not reaped:  # timed out or interrupted: do not leave the child behind
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _read_all(fd: int, deadline: float) -> str | None:
    """Everything written to the pipe until it closes, or None if `deadline` passes first."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        data = os.read(fd, 4096)
        if not data:
            return b"".join(chunks).decode(errors="replace")
        chunks.append(data)


def _engine_error(failure: str, text: str, voice: VoiceSpec) -> BuildError:
    kind, _, detail = failure.partition(": ")
    if kind == "voice":
        return BuildError(f"unknown voice {voice.name!r}", hint=_voice_hint(voice.name))
    return BuildError(f"the speech engine failed on {text!r}: {detail}", hint="reword the phrase or try another voice")


def _voice_hint(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), sorted(known_voices()), n=4, cutoff=0.6)
    return "try " + ", ".join(close or ["en-us", "en-gb", "de", "fr", "es"])


def check_voice(name: str) -> None:
    """BuildError unless espeak-ng has a voice by this name, id or language (plus an optional "+variant")."""
    base, plus, variant = name.lower().partition("+")
    if base in known_voices() and (not plus or variant in _variants()):
        return
    raise BuildError(f"unknown voice {name!r}", hint=_voice_hint(base))


@lru_cache(maxsize=1)
def known_voices() -> frozenset[str]:
    """Names espeak-ng takes for a voice: ids ("gmw/de"), languages ("de", "en-us"), names ("german")."""
    import espeakng_loader

    lang_dir = Path(espeakng_loader.get_data_path()) / "lang"
    names: set[str] = set()
    for path in lang_dir.rglob("*"):
        if not path.is_file():
            continue
        names.update((path.name.lower(), path.relative_to(lang_dir).as_posix().lower()))
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.strip().partition(" ")
            if key == "name" and value.strip():
                names.add(value.strip().lower())
            elif key == "language" and value.split():
                names.add(value.split()[0].lower())
    return frozenset(names)


@lru_cache(maxsize=1)
def _variants() -> frozenset[str]:
    import espeakng_loader

    variant_dir = Path(espeakng_loader.get_data_path()) / "voices" / "!v"
    return frozenset(p.name.lower() for p in variant_dir.iterdir() if p.is_file())


_ENGINE = None
_LOADED = False


def _load_espeak() -> None:
    """Make pyttsx3 find the espeak-ng from PyPI: load it globally first, point it at its data."""
    global _LOADED
    if _LOADED:
        return
    import espeakng_loader

    library = espeakng_loader.get_library_path()
    versioned = library + ".1"  # pyttsx3 asks the loader for "libespeak-ng.so.1" by name
    ctypes.CDLL(versioned if os.path.exists(versioned) else library, mode=ctypes.RTLD_GLOBAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    # Import the driver here (it opens the library but does not initialise espeak), so each
    # forked child inherits it instead of importing it again.
    import pyttsx3.drivers.espeak  # noqa: F401

    _LOADED = True
