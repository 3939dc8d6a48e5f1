"""The on-disk speech cache: one trimmed, levelled WAV per distinct (text, voice, rate, engine version)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import wave
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import platformdirs

CACHE_FORMAT = 3  # bump when trimming, levelling or storage changes, so old entries are never reused
NATIVE_RATE = 22_050  # what the espeak driver of pyttsx3 writes


def default_cache_dir() -> Path:
    """$AUDIOCOACH_CACHE if set, else the platform's user cache folder for audiocoach."""
    configured = os.environ.get("AUDIOCOACH_CACHE")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("audiocoach"))


def cache_key(text: str, voice: str, rate: int) -> str:
    """sha256 of everything that decides the samples: text, voice, rate, engine versions, format."""
    identity = {
        "text": text,
        "voice": voice,
        "rate": rate,
        "engine": dict(_engine_versions()),
        "format": CACHE_FORMAT,
    }
    canonical = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SpeechCache:
    """Trimmed, levelled int16 clips at NATIVE_RATE under `<root>/speech/<key[:2]>/<key>.wav`."""

    def __init__(self, root: Path):
        self.folder = Path(root) / "speech"

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.wav"

    def load(self, key: str) -> np.ndarray | None:
        """The stored clip, or None when missing or unreadable (it is then simply made again)."""
        try:
            with wave.open(str(self.path(key)), "rb") as wav:
                if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, NATIVE_RATE):
                    return None
                data = wav.readframes(wav.getnframes())
        except (OSError, EOFError, wave.Error):
            return None
        return np.frombuffer(data, dtype="<i2").astype(np.int16)

    def store(self, key: str, samples: np.ndarray) -> None:
        """Write atomically (temporary file + rename): a concurrent reader never sees half a clip."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key[:8]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as wav:
                wav.setnchannels(1)
                wav.setsampwidth(2)
                wav.setframerate(NATIVE_RATE)
                wav.writeframes(np.asarray(samples, dtype="<i2").tobytes())
            os.replace(tmp, target)
        except BaseException:
            _remove(tmp)
            raise


@lru_cache(maxsize=1)
def _engine_versions() -> tuple[tuple[str, str], ...]:
    # espeakng-loader pins the espeak-ng build and its data; pyttsx3 writes the WAV.
    versions = []
    for dist in ("espeakng-loader", "pyttsx3"):
        try:
            versions.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            versions.append((dist, "unknown"))
    return tuple(versions)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
