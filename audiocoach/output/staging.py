"""Putting a track and its sidecars in place all together, or not at all.

- ``output_lock(output)``: one build of an output at a time, across processes. The lock lives
  in the temporary folder (nothing is left beside the MP3) and dies with its holder.
- ``remove_stale(targets)``: temporary files of these outputs left by a build that was killed
  (kill -9, power loss); safe under the lock, as no other build of them is under way.
- ``commit_together(staged)``: rename every staged file onto its target; if one rename fails,
  the targets already replaced get their previous files back.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from audiocoach.errors import BuildError

__all__ = ["output_lock", "remove_stale", "commit_together", "staged_name"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds of one output are not serialized
    fcntl = None  # type: ignore[assignment]  # the module, or None where there is none


def _lock_path(output: Path) -> Path:
    folder = Path(tempfile.gettempdir()) / f"audiocoach-locks-{os.getuid() if hasattr(os, 'getuid') else 0}"
    folder.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256(os.fsencode(os.path.realpath(output))).hexdigest()[:32]
    return folder / f"{digest}.lock"


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the lock of `output` (waiting for another process's build of it to finish)."""
    if fcntl is None:
        yield
        return
    try:
        path = _lock_path(output)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # no temporary folder to lock in: build unserialized rather than not at all
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def staged_name(target: Path) -> Path:
    """A fresh temporary name beside `target` (not created: the writer creates it), matched by
    remove_stale. Unique enough: only the holder of the output's lock stages its files."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")


def remove_stale(targets: Iterable[Path]) -> None:
    """Remove the temporary files of each target that a killed build left. Hold its lock.

    Matched exactly — `.<name>.<random>.tmp`, the encoder's `..<name>.<random>.tmp.<random>.tmp`,
    a backup `.<name>.<pid>.old.tmp` — so another output's files (`a.mp3.b.mp3` beside `a.mp3`)
    are never taken for these."""
    for target in targets:
        name = re.escape(target.name)
        stale = re.compile(rf"\.{name}\.(?:{_RANDOM}|\d+\.old)\.tmp"  # staged, or a backup
                           rf"|\.\.{name}\.{_RANDOM}\.tmp\.{_RANDOM}\.tmp"  # the encoder's, of a staged MP3
                           rf"|{name}\.{_RANDOM}\.tmp")  # a hidden target's own (the build record's)
        try:
            names = [entry.name for entry in os.scandir(target.parent) if entry.name.startswith(".")]
        except OSError:
            continue
        for found in names:
            path = target.parent / found
            if stale.fullmatch(found) and path.is_file() and not path.is_symlink():
                with contextlib.suppress(OSError):
                    path.unlink()


_RANDOM = "[a-z0-9_]+"  # what mkstemp and token_hex put in a temporary name: no dots


def commit_together(staged: dict[Path, Path]) -> None:
    """Rename each staged file onto its target, all or none: on a failure the targets already
    replaced get their previous files back (or are removed when they had none), and the staged
    files are removed."""
    replaced: dict[Path, Path | None] = {}  # target -> the backup of its previous file
    target = None
    try:
        for target, tmp in staged.items():
            backup = _backup(target)
            try:
                os.replace(tmp, target)
            except BaseException:
                _discard([backup])
                raise
            replaced[target] = backup
    except BaseException as err:
        _roll_back(replaced)
        _discard(staged.values())
        if isinstance(err, OSError):
            raise BuildError(f"cannot write {target}: {err.strerror or err}",
                             hint="check that nothing else (a folder, a read-only file) is in its place") from err
        raise
    _discard(replaced.values())


def _backup(target: Path) -> Path | None:
    """A hard link to the file now at `target`, to restore it by (None when there is none, or
    the file system has no hard links)."""
    if not target.is_file() or target.is_symlink():
        return None
    backup = target.with_name(f".{target.name}.{os.getpid()}.old.tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            backup.unlink()
        os.link(target, backup)
    except OSError:
        return None
    return backup


def _roll_back(replaced: dict[Path, Path | None]) -> None:
    for target, backup in replaced.items():
        with contextlib.suppress(OSError):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink()


def _discard(paths: Iterable[Path | None]) -> None:
    for path in paths:
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def ensure_folder(folder: Path) -> None:
    """Create `folder` (and its parents) for the output, or a BuildError saying which."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(f"cannot create output folder {folder}: {err.strerror}",
                         hint="choose another with -o") from err
