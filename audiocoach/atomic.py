"""Writing a file atomically: a temporary file beside the target, then one rename onto it.

A reader sees the old file or the new one, never half of one; a failed or interrupted write
leaves the old file and no temporary. The temporary is named ``.<target name>.<random>.tmp``,
which ``staging.remove_stale`` recognises after a kill -9. Errors are the OSError itself: each
caller says what it was writing (a BuildError for an output, nothing for a cache).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TypeVar

__all__ = ["write_atomic", "stage", "discard"]

T = TypeVar("T")


def stage(path: Path, content: bytes | str | Callable[[BinaryIO], T], *, fsync: bool = False) -> tuple[Path, T | None]:
    """Write ``content`` (bytes, text as UTF-8, or a function given the open file) to a new temporary
    file beside ``path`` with a normal file's mode; return its name and what the function returned."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            with contextlib.suppress(OSError, AttributeError):  # mkstemp makes it 0600: be a normal file
                os.fchmod(out.fileno(), 0o666 & ~_umask())
            result = None
            if callable(content):
                result = content(out)
            else:
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
            if fsync:
                out.flush()
                os.fsync(out.fileno())
    except BaseException:
        discard([tmp])
        raise
    return tmp, result


def write_atomic(path: Path, content: bytes | str | Callable[[BinaryIO], T], *, fsync: bool = False) -> T | None:
    """Stage ``content`` beside ``path`` and rename it into place; on any failure nothing is left behind."""
    tmp, result = stage(path, content, fsync=fsync)
    try:
        os.replace(tmp, path)
    except BaseException:
        discard([tmp])
        raise
    return result


def discard(paths: Iterable[Path | None]) -> None:
    """Remove these temporary files, those that exist."""
    for path in paths:
        if path is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
