"""What a song file's tags say (mutagen): title, tempo, declared length. Unreadable tags are None."""

from __future__ import annotations

from pathlib import Path

import mutagen


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
