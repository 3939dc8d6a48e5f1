"""The on-disk speech cache: one trimmed, levelled clip per distinct (text, engine identity).

Each entry checks itself: a header holds its sample rate, its length in samples and the
sha256 of its samples. An entry that does not match (truncated, garbled, emptied, odd length,
another format) is reported in one line and treated as missing, so the phrase is spoken again
and the entry replaced: a damaged cache never breaks a build nor changes a track.

Beside a clip, the clip as played at an output rate (float32, what resample() made of it), so a
warm build does not resample every clip again: checked the same way, tied to the very clip it
was made from (its sha256) and to the resampler's fingerprint; anything that does not match is
made again and replaced, silently (it is only a copy of what can be computed).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import platformdirs

from audiocoach.notices import notice

CACHE_FORMAT = 4  # bump when trimming, levelling or storage changes, so old entries are never reused
NATIVE_RATE = 22_050  # every clip is stored at this rate (Piper's and espeak's own)
MAGIC = b"ACSPEECH"
HEADER = struct.Struct("<8sIIQ32s")  # magic, format, sample rate, samples, sha256 of the sample bytes
SUFFIX = ".clip"
RESAMPLED_MAGIC = b"ACSPF32R"
# magic, format, sample rate, samples, sha256 of the float32 sample bytes, sha256 of the native clip's samples
RESAMPLED_HEADER = struct.Struct("<8sIIQ32s32s")


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
            return _damaged(path, what, err.strerror or str(err))
        problem = _problem(data)
        if problem:
            return _damaged(path, what, problem)
        return np.frombuffer(data, dtype="<i2", offset=HEADER.size).astype(np.int16)

    def resampled_path(self, key: str, rate: int) -> Path:
        return self.folder / key[:2] / f"{key}.{rate}-{resampler_fingerprint()}.f32"

    def load_resampled(self, key: str, rate: int) -> np.ndarray | None:
        """The clip of `key` as resampled to `rate` and stored by store_resampled (read-only float32), or
        None when missing, damaged or made from other samples than the clip now stored under `key`."""
        try:
            data = self.resampled_path(key, rate).read_bytes()
            with open(self.path(key), "rb") as native:
                native_header = native.read(HEADER.size)
        except OSError:
            return None
        if len(data) < RESAMPLED_HEADER.size or len(native_header) < HEADER.size:
            return None
        magic, version, stored_rate, samples, digest, source = RESAMPLED_HEADER.unpack_from(data)
        body = memoryview(data)[RESAMPLED_HEADER.size :]
        if (magic, version, stored_rate) != (RESAMPLED_MAGIC, CACHE_FORMAT, rate) or len(body) != 4 * samples:
            return None
        if source != HEADER.unpack(native_header)[4] or hashlib.sha256(body).digest() != digest:
            return None
        clip = np.frombuffer(data, dtype="<f4", offset=RESAMPLED_HEADER.size).astype(np.float32, copy=False)
        clip.flags.writeable = False
        return clip

    def store_resampled(self, key: str, rate: int, samples: np.ndarray) -> None:
        """Keep `samples` (float32, the stored clip of `key` resampled to `rate`) for load_resampled.

        Best effort: a cache that cannot be written costs only the resampling next time.
        """
        try:
            with open(self.path(key), "rb") as native:
                header = native.read(HEADER.size)
            if len(header) < HEADER.size:
                return
            body = np.asarray(samples, dtype="<f4").tobytes()
            head = RESAMPLED_HEADER.pack(RESAMPLED_MAGIC, CACHE_FORMAT, rate, len(body) // 4,
                                         hashlib.sha256(body).digest(), HEADER.unpack(header)[4])
            _write_atomically(self.resampled_path(key, rate), head + body)
        except OSError:
            pass

    def store(self, key: str, samples: np.ndarray) -> None:
        """Write atomically (temporary file + rename): a concurrent reader never sees half a clip."""
        body = np.asarray(samples, dtype="<i2").tobytes()
        header = HEADER.pack(MAGIC, CACHE_FORMAT, NATIVE_RATE, len(body) // 2, hashlib.sha256(body).digest())
        _write_atomically(self.path(key), header + body)


@lru_cache(maxsize=1)
def resampler_fingerprint() -> str:
    """Everything that decides resample()'s bits (its settings and numpy's version), hashed short: a
    resampled clip made by another resampler is never found."""
    from audiocoach.audio import resample

    settings = [resample.VERSION, resample.ZERO_CROSSINGS, resample.KAISER_BETA, resample.ROLLOFF, np.__version__]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:12]


def _write_atomically(target: Path, data: bytes) -> None:
    """Temporary file + rename: a concurrent reader never sees half an entry."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:8]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            raw.write(data)
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise


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


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
