"""Songs from the user's files: which files a `music:` source names, and what each one is.

`expand_sources` turns a file, a folder or an .m3u/.m3u8 playlist into song paths;
`open_song` checks a file decodes to the end (streamed) and reads its hash, length, title and tempo.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

import numpy as np

from audiocoach.music import tempo
from audiocoach.music.decode import MusicFileError, decode_path
from audiocoach.music.tags import declared_seconds, ogg_unfinished, tag_text

__all__ = ["AUDIO_SUFFIXES", "MusicFileError", "Song", "expand_sources", "open_song"]

AUDIO_SUFFIXES: frozenset[str] = frozenset({".mp3", ".flac", ".ogg", ".oga", ".wav"})
PLAYLIST_SUFFIXES = frozenset({".m3u", ".m3u8"})
PROBE_RATE = 11_025  # the probe decodes at this rate: cheap, and plenty for onsets
# Seconds a file may decode short of what its header promises: MP3's Xing count may include the
# encoder's padding; FLAC and WAV headers state the exact length.
TRUNCATION_SLACK = {".flac": 0.05, ".wav": 0.05}
LOSSY_SLACK = 0.5
DECODE_HINT = "re-export or re-download the file, or remove it from the music"


@dataclass(frozen=True)
class Song:
    """A decodable music file and what the build needs to know about it."""

    path: Path  # resolved absolute path
    sha256: str  # of the file's bytes: part of build keys and of the stretch cache key
    duration_ms: int  # decoded length
    bpm: float | None  # tempo, None when unknown
    bpm_source: str | None  # "given" (the user's bpm:), "tag" (TBPM), "onsets" (estimated), None
    title: str  # tag title or file stem


def expand_sources(path: Path) -> list[Path]:
    """The song files `path` names: itself, a folder's audio files in name order, or a playlist's entries."""
    path = Path(path)
    if path.is_dir():
        try:
            found = sorted((p for p in path.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()),
                           key=lambda p: (p.name.casefold(), p.name))
        except OSError as err:
            raise MusicFileError(f"{path}: cannot list the folder ({err.strerror})",
                                 hint="check its permissions") from err
        if not found:
            raise MusicFileError(f"{path}: no audio files in this folder",
                                 hint=f"put {_suffix_list()} files in it, or name a file or playlist")
        return [p.resolve() for p in found]
    if not path.exists():
        raise MusicFileError(f"{path}: no such music file or folder", hint="check the path (relative to the workout)")
    if path.suffix.lower() in PLAYLIST_SUFFIXES:
        return _playlist(path)
    if path.suffix.lower() not in AUDIO_SUFFIXES:
        raise MusicFileError(f"{path}: not a music file ({path.suffix or 'no suffix'})",
                             hint=f"give {_suffix_list()} files, a folder of them, or an .m3u playlist")
    return [path.resolve()]


def _suffix_list() -> str:
    return "/".join(sorted(s.lstrip(".") for s in AUDIO_SUFFIXES))


def _playlist(path: Path) -> list[Path]:
    """The entries of an .m3u/.m3u8 list (UTF-8; `#` lines are comments; relative to the list's folder)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise MusicFileError(f"{path}:{line}: the playlist is not UTF-8 text", hint="save it as UTF-8 (.m3u8)") from err
    except OSError as err:
        raise MusicFileError(f"{path}: cannot read the playlist ({err.strerror})",
                             hint="check the path and its permissions") from err
    songs: list[Path] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        if "://" in entry:
            raise MusicFileError(f"{path}:{number}: {entry!r} is a URL; music is read from local files only",
                                 hint="download it and list the file")
        target = (path.parent / entry).resolve()
        if target.suffix.lower() not in AUDIO_SUFFIXES or not target.is_file():
            what = "no such file" if not target.exists() else "not a music file"
            raise MusicFileError(f"{path}:{number}: {entry!r}: {what}",
                                 hint=f"entries are {_suffix_list()} files, relative to the playlist")
        songs.append(target)
    if not songs:
        raise MusicFileError(f"{path}: the playlist lists no songs", hint="add one file path per line")
    return songs


_opened: dict[tuple[Path, int, int, float | None], Song] = {}


def open_song(path: Path, bpm: float | None = None) -> Song:
    """Check the file decodes to its end (streamed, flat memory) and read its hash, length, title and tempo.

    The tempo is `bpm` when given, else the file's TBPM tag, else an estimate from its first
    minute's onsets (None when it has no clear pulse). Remembered per (path, size, mtime) in a process.
    """
    if bpm is not None and not (math.isfinite(bpm) and bpm > 0):
        raise MusicFileError(f"{path}: bpm {bpm} is not a tempo", hint="give beats per minute, e.g. bpm: 165")
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError as err:
        raise MusicFileError(f"{path}: cannot read the music file ({err.strerror})", hint="check the path") from err
    if not S_ISREG(stat.st_mode):  # a FIFO or a device would block the decoder: never wait on one
        raise MusicFileError(f"{path}: not a regular file", hint="give an audio file, a folder or a playlist")
    key = (path, stat.st_size, stat.st_mtime_ns, bpm)
    if key not in _opened:
        _opened[key] = _probe(path, bpm)
    return _opened[key]


def _probe(path: Path, bpm: float | None) -> Song:
    frames, excerpt = 0, []
    limit = int(tempo.EXCERPT_SECONDS * PROBE_RATE)
    for block in decode_path(path, PROBE_RATE):
        if frames < limit:
            excerpt.append(block[: limit - frames])
        frames += len(block)
    seconds = frames / PROBE_RATE
    if frames == 0:
        raise MusicFileError(f"{path}: the file holds no audio", hint=DECODE_HINT)
    _check_complete(path, seconds)
    found, source = _tempo(path, bpm, np.concatenate(excerpt))
    title = tag_text(path, "title") or path.stem
    return Song(path, _sha256(path), round(seconds * 1000), found, source, title)


def _check_complete(path: Path, seconds: float) -> None:
    """MusicFileError when the file decodes short of what its header promises, or an Ogg stream is cut."""
    promised = declared_seconds(path)
    slack = TRUNCATION_SLACK.get(path.suffix.lower(), LOSSY_SLACK)
    if promised is not None and seconds < promised - slack:
        raise MusicFileError(f"{path}: truncated or damaged: {seconds:.1f} s of audio where its header promises "
                             f"{promised:.1f} s",
                             hint=DECODE_HINT)
    if path.suffix.lower() in (".ogg", ".oga") and ogg_unfinished(path):
        raise MusicFileError(f"{path}: truncated: the Ogg stream stops before its last page", hint=DECODE_HINT)


def _tempo(path: Path, bpm: float | None, excerpt: np.ndarray) -> tuple[float | None, str | None]:
    if bpm is not None:
        return float(bpm), "given"
    tagged = tempo.tag_bpm(path)
    if tagged is not None:
        return tagged, "tag"
    estimated = tempo.estimate_bpm_samples(excerpt, PROBE_RATE)
    return (estimated, "onsets") if estimated is not None else (None, None)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
