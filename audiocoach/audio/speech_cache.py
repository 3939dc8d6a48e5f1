"""The on-disk speech cache: one trimmed, levelled clip per distinct (text, engine identity).

Each entry checks itself: a header holds its sample rate, its length in samples and the
sha256 of its samples. An entry that does not match (truncated, garbled, emptied, odd length,
another format) is reported in one line and treated as missing, so the phrase is spoken again
and the entry replaced: a damaged cache never breaks a build nor changes a track.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

import numpy as np
import platformdirs

from audiocoach.atomic import write_atomic
from audiocoach.notices import notice

CACHE_FORMAT = 4  # bump when trimming, levelling or storage changes, so old entries are never reused
NATIVE_RATE = 22_050  # every clip is stored at this rate (Piper's and espeak's own)
MAGIC = b"ACSPEECH"
HEADER = struct.Struct("<8sIIQ32s")  # magic, format, sample rate, samples, sha256 of the sample bytes
SUFFIX = ".clip"


def default_cache_dir() -> Path:
    """$AUDIOCOACH_CACHE if set, else the platform's user cache folder for audiocoach."""
    configured = os.environ.get("AUDIOCOACH_CACHE")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("audiocoach"))


def cache_key(text: str, identity: dict) -> str:
    """sha256 of everything that decides the samples: the text, the engine's identity (engine,
    model hash, voice, rate, versions) and the cache format."""
    canonical = json.dumps({"text": text, "engine": identity, "format": CACHE_FORMAT},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SpeechCache:
    """Checked int16 clips at NATIVE_RATE under `<root>/speech/<key[:2]>/<key>.clip`."""

    def __init__(self, root: Path):
        self.folder = Path(root) / "speech"

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{SUFFIX}"

    def load(self, key: str, what: str = "") -> np.ndarray | None:
        """The stored clip; None when missing, or when damaged (then also a one-line notice naming `what`)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            _damaged(path, what, err.strerror or str(err))
            return None
        problem = _problem(data)
        if problem:
            _damaged(path, what, problem)
            return None
        return np.frombuffer(data, dtype="<i2", offset=HEADER.size).astype(np.int16)

    def store(self, key: str, samples: np.ndarray) -> None:
        """Write atomically (temporary file + rename): a concurrent reader never sees half a clip."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        body = np.asarray(samples, dtype="<i2").tobytes()
        header = HEADER.pack(MAGIC, CACHE_FORMAT, NATIVE_RATE, len(body) // 2, hashlib.sha256(body).digest())
        write_atomic(target, header + body)


def _problem(data: bytes) -> str | None:
    """What is wrong with an entry's bytes, or None when they check out."""
    if len(data) < HEADER.size:
        return "empty" if not data else f"only {len(data)} bytes"
    magic, version, rate, samples, digest = HEADER.unpack_from(data)
    if magic != MAGIC or version != CACHE_FORMAT or rate != NATIVE_RATE:
        return "not a clip of this version"
    body = memoryview(data)[HEADER.size:]
    if len(body) != 2 * samples:
        return f"{len(body)} bytes of samples where {2 * samples} were written"
    if samples == 0:
        return "no samples"
    if hashlib.sha256(body).digest() != digest:
        return "its samples do not match their checksum"
    return None


def _damaged(path: Path, what: str, problem: str) -> None:
    about = f" ({what!r})" if what else ""
    notice(f"speech cache entry {path.name}{about} was damaged ({problem}); speaking it again")
    return None

