"""What open_song found about a file, remembered on disk so a warm build does not decode every song again.

open_song decodes each song to its end to be sure it is whole, and hashes its bytes: for an hour
of music that is seconds a build would spend on every run. The record is keyed by the file's
path, size and mtime (as the build key names the music files, audiocoach/uptodate/music.py),
the tempo given and the program's digest (a change to how songs are probed makes new records);
an edited or replaced song has a new size or mtime and is probed again.
"""

from __future__ import annotations

import json
from pathlib import Path

from audiocoach.memo import recall, remember
from audiocoach.music.songs import Song, open_song
from audiocoach.uptodate.record import program_digest

__all__ = ["known_song"]


def known_song(path: Path, bpm: float | None) -> Song:
    """open_song(path, bpm), from its record when the file is unchanged since it was probed."""
    key = _record_key(path, bpm)
    found = None if key is None else recall("music-song", key)
    if found is not None:
        try:
            data = json.loads(found)
            return Song(Path(data["path"]), data["sha256"], int(data["duration_ms"]), data["bpm"],
                        data["bpm_source"], data["title"])
        except (ValueError, KeyError, TypeError):
            pass
    song = open_song(path, bpm)
    if key is not None:
        remember("music-song", key, json.dumps({
            "path": str(song.path), "sha256": song.sha256, "duration_ms": song.duration_ms, "bpm": song.bpm,
            "bpm_source": song.bpm_source, "title": song.title}).encode("utf-8"))
    return song


def _record_key(path: Path, bpm: float | None) -> str | None:
    """What decides the record: the file's version, the tempo given, and the program (None: unreadable)."""
    try:
        resolved = path.resolve()
        info = resolved.stat()
    except OSError:
        return None  # open_song says what is wrong
    return json.dumps([str(resolved), info.st_size, info.st_ino, info.st_mtime_ns, bpm, program_digest()])
