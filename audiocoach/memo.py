"""Small results kept on disk between runs, where recomputing them would cost every warm build.

Each entry is named by a sha256 of everything that decides it, and holds the sha256 of its own
payload before the payload: a truncated or garbled entry is never returned (it is computed again),
and entries are written through audiocoach.atomic, so a reader sees a whole entry or none. A value
found here is always the value that would be computed, so outputs never depend on the cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from audiocoach.atomic import write_atomic

__all__ = ["cache_dir", "recall", "remember"]


def cache_dir() -> Path:
    """$AUDIOCOACH_CACHE if set, else the platform's user cache folder for audiocoach."""
    configured = os.environ.get("AUDIOCOACH_CACHE")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("audiocoach"))


def _entry(kind: str, key: str) -> Path:
    return cache_dir() / "memo" / kind / hashlib.sha256(key.encode("utf-8")).hexdigest()


def recall(kind: str, key: str) -> bytes | None:
    """The payload remembered for `key`, or None (never stored, unreadable or damaged)."""
    try:
        data = _entry(kind, key).read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    return payload if len(digest) == 32 and hashlib.sha256(payload).digest() == digest else None


def remember(kind: str, key: str, payload: bytes) -> None:
    """Keep `payload` for `key`. Best effort: a cache that cannot be written costs only the recomputing."""
    path = _entry(kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, hashlib.sha256(payload).digest() + payload)
    except OSError:
        pass
