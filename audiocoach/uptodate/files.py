"""Which files a command works on: the workout files named, and those in the folders named.

A folder gives its ``*.yaml`` workouts in name order; a roster in it (a file whose top level
has ``runners:`` and no ``steps:``) is not a workout and is left out of builds and lists, and
offered to ``check``. A path that names nothing, something that is not a regular file (a FIFO
would wait forever), or finds no workout at all is an error with a hint. Kept light: an
up-to-date build goes through here without loading YAML or pydantic.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from audiocoach.errors import AudiocoachError

__all__ = ["WORKOUT_SUFFIXES", "workout_files", "roster_files", "is_roster", "is_programme", "read_regular"]

WORKOUT_SUFFIXES = (".yaml", ".yml")
_SNIFF_BYTES = 64_000
_TOP_KEY = re.compile(rb"^(runners|steps)\s*:", re.MULTILINE)


def workout_files(paths: Iterable[str | Path]) -> list[Path]:
    """The workout files named, folders expanded to their workouts (rosters left out), in name order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [p for p in _yaml_files(path) if not is_roster(p)]
        else:
            _check_regular(path)
            found.append(path)
    if not found:
        shown = ", ".join(str(p) for p in paths) or "nothing"
        raise AudiocoachError(f"nothing to do: {shown} holds no workout (.yaml) file",
                              hint="give workout .yaml files, or folders that hold some (a roster goes to --roster)")
    return found


def roster_files(paths: Iterable[str | Path]) -> list[Path]:
    """The rosters named, and those found in the folders named."""
    found: list[Path] = []
    for path in map(Path, paths):
        found += [p for p in (_yaml_files(path) if path.is_dir() else [path]) if is_roster(p)]
    return found


def is_roster(path: Path) -> bool:
    """Whether the file's top level has `runners:` and no `steps:` (read from its first 64 KB)."""
    try:
        head = read_regular(path, _SNIFF_BYTES)
    except AudiocoachError:
        return False
    keys = {m.group(1) for m in _TOP_KEY.finditer(head)}
    return keys == {b"runners"}


_PROGRAMME_KEY = re.compile(rb"^program\s*:", re.MULTILINE)


def is_programme(path: Path) -> bool:
    """Whether the file is a programme: its top level has `program:` (read from its first 64 KB)."""
    try:
        head = read_regular(path, _SNIFF_BYTES)
    except AudiocoachError:
        return False
    return _PROGRAMME_KEY.search(head) is not None


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """Up to `limit` bytes of a regular file; never waits on a FIFO or a device (AudiocoachError)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise _not_regular(os.fsdecode(path))
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read(limit)
        finally:
            os.close(fd)
    except OSError as err:
        raise AudiocoachError(f"can't read the file: {err.strerror or err}", file=os.fsdecode(path)) from None


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in WORKOUT_SUFFIXES and p.is_file())


def _check_regular(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise AudiocoachError(f"{path}: no such file or folder",
                              hint="check the spelling; give workout .yaml files or folders of them") from None
    except OSError as err:
        raise AudiocoachError(f"{path}: {err.strerror or err}", hint="check the path") from None
    if not stat.S_ISREG(mode):
        raise _not_regular(str(path))


def _not_regular(filename: str) -> AudiocoachError:
    return AudiocoachError("this is not a regular file (a pipe, socket or device)", file=filename,
                           hint="save the workout to a .yaml file and give its path")
