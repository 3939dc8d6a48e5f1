"""The on-disk speech cache: one trimmed, levelled clip per distinct (text, engine identity).

Each entry checks itself: a header holds its sample rate, its length in samples and the
sha256 of its samples. An entry that does not match (truncated, garbled, emptied, odd length,
another format) is reported in one line and treated as missing, so the phrase is spoken again
and the entry replaced: a damaged cache never breaks a build nor changes a track.

Beside a clip, what builds compute from it (the clip resampled to an output rate, its loudness
profile), so that a warm build reads it instead of computing it again: checked the same way, and
tied to the very clip it was made from (its sha256) and to the code that made it (its
fingerprint). One that does not match is made again and replaced, silently: it is only a copy of
what can be computed.
"""

from __future__ import annotations

import hashlib
import json
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

from audiocoach.atomic import write_atomic
from audiocoach.notices import notice

CACHE_FORMAT = 4  # bump when trimming, levelling or storage changes, so old entries are never reused
NATIVE_RATE = 22_050  # every clip is stored at this rate (Piper's and espeak's own)
MAGIC = b"ACSPEECH"
HEADER = struct.Struct("<8sIIQ32s")  # magic, format, sample rate, samples, sha256 of the sample bytes
SUFFIX = ".clip"
DERIVED_MAGIC = b"ACSPDRVD"
# magic, format, bytes per item, items, sha256 of the items' bytes, sha256 of the samples of the clip they came from
DERIVED_HEADER = struct.Struct("<8sIIQ32s32s")
# the modules whose code decides what is derived (resampled clips, loudness profiles)
DERIVING_MODULES = ("resample.py", "loudness.py", "speech.py", "speech_cache.py")


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

    def derived_path(self, key: str, kind: str) -> Path:
        """Where what `kind` names (e.g. "16000.f32") derived from the clip of `key` is kept."""
        return self.folder / key[:2] / f"{key}.{derived_fingerprint()}.{kind}"

    def load_derived(self, key: str, kind: str, dtype: str) -> tuple[np.ndarray, int] | None:
        """What store_derived kept (read-only) and the length of the clip it came from; None when it is
        missing, damaged, or was made from other samples than the clip now stored under `key`."""
        try:
            data = self.derived_path(key, kind).read_bytes()
            with open(self.path(key), "rb") as native:
                head = native.read(HEADER.size)
        except OSError:
            return None
        if len(data) < DERIVED_HEADER.size or len(head) < HEADER.size:
            return None
        magic, version, width, items, digest, source = DERIVED_HEADER.unpack_from(data)
        body = memoryview(data)[DERIVED_HEADER.size :]
        clip = HEADER.unpack(head)
        if (magic, version, width) != (DERIVED_MAGIC, CACHE_FORMAT, np.dtype(dtype).itemsize):
            return None
        if len(body) != width * items or source != clip[4] or hashlib.sha256(body).digest() != digest:
            return None
        return np.frombuffer(data, dtype=dtype, offset=DERIVED_HEADER.size), clip[3]

    def store_derived(self, key: str, kind: str, values: np.ndarray) -> None:
        """Keep `values` (1-D, computed from the clip stored under `key`) for load_derived, and drop what
        other code derived for the same kind. Best effort: a cache that cannot be written costs only
        the computing next time."""
        try:
            with open(self.path(key), "rb") as native:
                head = native.read(HEADER.size)
            if len(head) < HEADER.size:
                return
            body = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<")).tobytes()
            header = DERIVED_HEADER.pack(DERIVED_MAGIC, CACHE_FORMAT, values.dtype.itemsize, len(values),
                                         hashlib.sha256(body).digest(), HEADER.unpack(head)[4])
            target = self.derived_path(key, kind)
            _write_atomically(target, header + body)
            for old in target.parent.glob(f"{key}.*.{kind}"):  # made by other code: never read again
                if old != target:
                    old.unlink(missing_ok=True)
        except OSError:
            pass

    def store(self, key: str, samples: np.ndarray) -> None:
        """Write atomically (temporary file + rename): a concurrent reader never sees half a clip."""
        body = np.asarray(samples, dtype="<i2").tobytes()
        header = HEADER.pack(MAGIC, CACHE_FORMAT, NATIVE_RATE, len(body) // 2, hashlib.sha256(body).digest())
        _write_atomically(self.path(key), header + body)


@lru_cache(maxsize=1)
def derived_fingerprint() -> str:
    """sha256 (short) of the code that derives values from clips, and of numpy's version: what other
    code derived is never found."""
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256(np.__version__.encode())
    for name in DERIVING_MODULES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _write_atomically(target: Path, data: bytes) -> None:
    """Make the folder, then temporary file + rename (audiocoach.atomic): a reader never sees half an entry."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)


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

