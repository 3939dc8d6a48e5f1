"""What open_song found about a file, remembered on disk so a warm build does not decode every song again.

open_song decodes each song to its end to be sure it is whole, and hashes its bytes: for an hour
of music that is seconds a build would spend on every run. The record is keyed by the file's
path, size and mtime (as the build key names the music files, audiocoach/uptodate/music.py),
the tempo given and the program's digest (a change to how songs are probed makes new records);
an edited or replaced song has a new size or mtime and is probed again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from audiocoach.music.songs import Song, open_song

__all__ = ["known_song"]


def known_song(path: Path, bpm: float | None) -> Song:
    """open_song(path, bpm), from its record when the file is unchanged since it was probed."""
    record = _record_path(path, bpm)
    if record is not None:
        try:
            found = json.loads(record.read_text(encoding="utf-8"))
            return Song(Path(found["path"]), found["sha256"], int(found["duration_ms"]), found["bpm"],
                        found["bpm_source"], found["title"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    song = open_song(path, bpm)
    if record is not None:
        _save(record, song)
    return song


def _record_path(path: Path, bpm: float | None) -> Path | None:
    from audiocoach.audio.speech_cache import default_cache_dir
    from audiocoach.uptodate.record import program_digest

    try:
        resolved = path.resolve()
        info = resolved.stat()
    except OSError:
        return None  # open_song says what is wrong
    key = json.dumps([str(resolved), info.st_size, info.st_mtime_ns, bpm, program_digest()])
    return default_cache_dir() / "music-songs" / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def _save(record: Path, song: Song) -> None:
    from audiocoach.atomic import write_atomic

    data = {"path": str(song.path), "sha256": song.sha256, "duration_ms": song.duration_ms, "bpm": song.bpm,
            "bpm_source": song.bpm_source, "title": song.title}
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(record, json.dumps(data).encode("utf-8"))
    except OSError:
        pass  # no record: the next build probes the song again
