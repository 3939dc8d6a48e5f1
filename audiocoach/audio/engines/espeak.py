"""espeak-ng through pyttsx3, from the PyPI espeakng-loader (no system espeak).

espeak-ng keeps synthesis state between utterances (pitch flutter, phase, gain control), so
the n-th phrase a process speaks differs slightly from the same phrase spoken first. To make
a phrase's samples depend on nothing but (text, voice, rate), each phrase is spoken in a
freshly forked child whose engine has never spoken before (about 25 ms a phrase, once: the
result is cached). The child answers with a pickled exception or nothing, and is killed when
it does not answer in time. Where fork does not exist (Windows) the engine runs in-process,
and a phrase's samples may then depend on what the process said before.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import io
import os
import pickle
import select
import signal
import tempfile
import time
import wave
from functools import lru_cache
from pathlib import Path

import numpy as np

from audiocoach.audio.engines.base import VoiceSpec
from audiocoach.errors import BuildError
from audiocoach.versions import versions

RATE_WPM = (80, 450)  # what espeak-ng accepts; it would clamp anything else silently
SAMPLE_RATE = 22_050  # what the espeak driver of pyttsx3 writes
TIMEOUT_S = 60.0  # one phrase in the child; a hung child is killed, not waited for


class EspeakEngine:
    """pyttsx3 + espeak-ng speaking one voice at one rate."""

    sample_rate = SAMPLE_RATE

    def __init__(self, voice: VoiceSpec):
        if not RATE_WPM[0] <= voice.rate <= RATE_WPM[1]:
            raise BuildError(
                f"speech rate {voice.rate} words per minute is out of range",
                hint=f"use {RATE_WPM[0]}–{RATE_WPM[1]} (175 is a calm coach)",
            )
        check_voice(voice.name)
        self.voice = voice

    def identity(self) -> dict:
        return {"engine": "espeak", "voice": self.voice.name, "rate": self.voice.rate,
                "versions": versions("espeakng-loader", "pyttsx3")}

    def prepare(self) -> None:
        """Nothing: espeak-ng is loaded in each phrase's own child (see _load_espeak)."""

    def synthesize(self, text: str) -> np.ndarray:
        with tempfile.TemporaryDirectory(prefix="audiocoach-speech-") as folder:
            wav_path = Path(folder) / "phrase.wav"
            if hasattr(os, "fork"):
                _speak_forked(text, self.voice, wav_path)
            else:
                _load_espeak()
                _speak(text, self.voice, wav_path)
            if not wav_path.exists():
                raise BuildError(f"the speech engine wrote nothing for {text!r}", hint="reword the phrase")
            with wave.open(str(wav_path), "rb") as wav:
                raw = wav.readframes(wav.getnframes())
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768


def _speak(text: str, voice: VoiceSpec, wav_path: Path) -> None:
    """Run pyttsx3 in this process; BuildError for an unknown voice or an engine error."""
    import pyttsx3  # lazy: the speech engine loads only when a phrase is spoken, never for an up-to-date build
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
    except ValueError:
        # espeak-ng looks voices up by file and name only; a language such as "fr-fr" is found
        # through the file that declares it ("roa/fr")
        try:
            EspeakDriver.setProperty("voice", voice_file(voice.name))
        except ValueError as err:
            raise BuildError(f"unknown voice {voice.name!r}", hint=_voice_hint(voice.name)) from err
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
    if errors:
        raise BuildError(f"the speech engine failed on {text!r}: {errors[0]}",
                         hint="reword the phrase or try another voice")


def _speak_forked(text: str, voice: VoiceSpec, wav_path: Path) -> None:
    """_speak in a forked child, so the engine always starts from its just-initialised state."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the caller's code
        _child(text, voice, wav_path, read_end, write_end)
    os.close(write_end)
    answer = None
    try:
        answer = _read_all(read_end, time.monotonic() + TIMEOUT_S)
    finally:
        os.close(read_end)
        if answer is None:  # timed out or interrupted: kill before waiting, or a hung child hangs us too
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    if answer is None:
        raise BuildError(f"the speech engine did not answer within {TIMEOUT_S:.0f} s on {text!r}",
                         hint="reword the phrase or try another voice")
    if answer:
        raise pickle.loads(answer)


def _child(text: str, voice: VoiceSpec, wav_path: Path, read_end: int, write_end: int) -> None:
    status = 1
    try:
        os.close(read_end)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)  # nothing the engine prints may reach our CLI's output
        os.dup2(quiet, 2)
        try:
            _load_espeak()
            _speak(text, voice, wav_path)
            answer = b""
        except BuildError as err:
            answer = pickle.dumps(err)
        except BaseException as err:  # noqa: BLE001 - anything else becomes a BuildError
            answer = pickle.dumps(BuildError(f"the speech engine failed on {text!r}: {err!r}"[:2000]))
        os.write(write_end, answer)
        status = 0
    finally:
        os._exit(status)


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything written to the pipe until it closes, or None if `deadline` passes first."""
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        data = os.read(fd, 65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _voice_hint(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), sorted(known_voices()), n=4, cutoff=0.6)
    return "try " + ", ".join(close or ["en-us", "en-gb", "de", "fr", "es"])


def check_voice(name: str) -> None:
    """BuildError unless espeak-ng has a voice by this name, id or language (plus an optional "+variant")."""
    base, plus, variant = name.lower().partition("+")
    if base in known_voices() and (not plus or variant in _variants()):
        return
    raise BuildError(f"unknown voice {name!r}", hint=_voice_hint(base))


def known_voices() -> frozenset[str]:
    """Names espeak-ng takes for a voice: ids ("gmw/de"), languages ("de", "en-us"), names ("german")."""
    return frozenset(_voice_files())


def voice_file(name: str) -> str:
    """The voice file id ("roa/fr") for any known name, id or language, with its "+variant" kept."""
    base, plus, variant = name.lower().partition("+")
    return _voice_files().get(base, base) + plus + variant


@lru_cache(maxsize=1)
def _voice_files() -> dict[str, str]:
    """Every name a voice answers to -> its file id; a file's own name wins over another's language."""
    import espeakng_loader  # lazy: espeak-ng's bundled library and data, only when espeak speaks

    lang_dir = Path(espeakng_loader.get_data_path()) / "lang"
    files: dict[str, str] = {}
    later: list[tuple[str, str]] = []  # names and languages, after every file's own name and id
    for path in sorted(p for p in lang_dir.rglob("*") if p.is_file()):
        ident = path.relative_to(lang_dir).as_posix().lower()
        files.setdefault(ident, ident)
        files.setdefault(path.name.lower(), ident)
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.strip().partition(" ")
            if key == "name" and value.strip():
                later.append((value.strip().lower(), ident))
            elif key == "language" and value.split():
                later.append((value.split()[0].lower(), ident))
    for name, ident in later:
        files.setdefault(name, ident)
    return files


@lru_cache(maxsize=1)
def _variants() -> frozenset[str]:
    import espeakng_loader  # lazy: espeak-ng's bundled library and data, only when espeak speaks

    variant_dir = Path(espeakng_loader.get_data_path()) / "voices" / "!v"
    return frozenset(p.name.lower() for p in variant_dir.iterdir() if p.is_file())


_ENGINE = None
_LOADED = False


def _load_espeak() -> None:
    """Make pyttsx3 find the espeak-ng from PyPI: load it globally first, point it at its data.

    Only ever in a phrase's own child: piper-tts carries its own espeak-ng inside its phonemizer,
    and a libespeak-ng loaded globally first takes over that one's symbols (a process that spoke
    espeak and then Piper crashed).
    """
    global _LOADED
    if _LOADED:
        return
    import espeakng_loader  # lazy: espeak-ng's bundled library and data, only when espeak speaks

    library = espeakng_loader.get_library_path()
    versioned = library + ".1"  # pyttsx3 asks the loader for "libespeak-ng.so.1" by name
    ctypes.CDLL(versioned if os.path.exists(versioned) else library, mode=ctypes.RTLD_GLOBAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    _LOADED = True
