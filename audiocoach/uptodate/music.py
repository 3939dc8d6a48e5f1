"""What the music of a workout file is made of, for the build key: cheap, and free of numpy and pydantic.

An up-to-date build must notice a changed song without loading the language or decoding audio:
every file a `music:` key (or the runner's music) can reach is named with its size and mtime
(folders by their audio files, playlists by their own bytes' identity and their entries). A
song replaced, edited or added to a folder changes the key, and the track is built again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["music_identity"]

_PLAYLISTS = (".m3u", ".m3u8")
_MAX_FILES = 5_000  # a key over more files than a playlist holds is not worth its cost


def music_identity(raw: bytes, workout: Path, runner_music: object = None) -> list[list[object]] | None:
    """[path, size, mtime_ns] of every file the workout's music uses (None when it plays none)."""
    if b"music" not in raw and not runner_music:
        return None
    entries = [str(runner_music)] if isinstance(runner_music, str) else []
    entries += list(_music_entries(_data(raw)))
    base = workout.resolve().parent
    found: list[list[object]] = []
    for entry in entries:
        if entry.strip().lower() in ("builtin", "off"):
            continue
        path = Path(entry).expanduser()
        for file in _files(path if path.is_absolute() else base / path):
            found.append(_stat(file))
            if len(found) >= _MAX_FILES:
                return found
    return found


def _data(raw: bytes) -> Any:
    import yaml  # lazy: uptodate is standard library only; YAML loads only when a workout names music

    try:
        return yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None  # the loader will say what is wrong; the key only needs to be stable


def _music_entries(data: Any) -> Iterator[str]:
    """Every text under a `music:` key (its play list) anywhere in the document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "music":
                play = value.get("play") if isinstance(value, dict) else value
                yield from (str(v) for v in (play if isinstance(play, list) else [play]) if isinstance(v, str))
            else:
                yield from _music_entries(value)
    elif isinstance(data, list):
        for item in data:
            yield from _music_entries(item)


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        try:
            yield from sorted(p for p in path.iterdir() if p.is_file())
        except OSError:
            return
    elif path.suffix.lower() in _PLAYLISTS:
        yield path
        try:
            lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        except OSError:
            return
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                entry = Path(line)
                yield entry if entry.is_absolute() else path.parent / entry
    else:
        yield path


def _stat(path: Path) -> list[object]:
    try:
        info = os.stat(path)
        return [str(path), info.st_size, info.st_mtime_ns]
    except OSError:
        return [str(path), None, None]
