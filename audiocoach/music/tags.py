"""What a song file's tags say (mutagen): title, tempo, declared length. Unreadable tags are None."""

from __future__ import annotations

from pathlib import Path

import mutagen

OGG_TAIL = 70_000  # bytes read from the end of an Ogg file: more than one page (at most 65,307 bytes)


def _open(path: Path, easy: bool) -> mutagen.FileType | None:
    try:
        return mutagen.File(path, easy=easy)
    except (mutagen.MutagenError, OSError, ValueError, EOFError):
        return None  # tags are optional: whether the audio decodes is miniaudio's call


def tag_text(path: Path, key: str) -> str | None:
    """The first non-empty value of an easy tag (`title`, `bpm`; ID3, Vorbis comments, MP4), else None."""
    found = _open(path, easy=True)
    tags = getattr(found, "tags", None)
    if tags is None:
        return None
    try:
        values = tags.get(key) or []
    except (KeyError, ValueError):
        return None
    if isinstance(values, str):
        values = [values]
    return next((str(v).strip() for v in values if str(v).strip()), None)


def declared_seconds(path: Path) -> float | None:
    """The length the file's headers promise (Xing/LAME frame count, FLAC STREAMINFO, WAV data size)."""
    found = _open(path, easy=False)
    length = getattr(getattr(found, "info", None), "length", None)
    return float(length) if isinstance(length, int | float) and length > 0 else None


def ogg_unfinished(path: Path) -> bool:
    """True when an Ogg file stops before its end-of-stream page, or inside it: it was cut short.

    (An Ogg header states no length: mutagen reads it from the last page there is, so a cut file
    looks complete. Every finished stream's last page carries the end-of-stream flag.)"""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - OGG_TAIL))
        tail = handle.read()
    start = tail.rfind(b"OggS")
    if start < 0 or len(tail) - start < 27:
        return True
    segments = tail[start + 27: start + 27 + tail[start + 26]]
    complete = len(tail) - start >= 27 + tail[start + 26] + sum(segments) and len(segments) == tail[start + 26]
    return not (tail[start + 5] & 0x04 and complete)  # header type flag 4: end of stream
