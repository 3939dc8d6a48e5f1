"""ID3v2.4 tags for a track: title, artist, album, track number, genre, comment, runner, cover and chapters."""

from __future__ import annotations

import io
from dataclasses import dataclass

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TIT2,
    TPE1,
    TRCK,
    TXXX,
    CTOCFlags,
    PictureType,
)

TAG_PADDING = 256  # spare bytes, so a tag editor can change a field without rewriting the file


@dataclass(frozen=True)
class Chapter:
    """A named stretch of the track (a workout step), in milliseconds of decoded audio."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Tags:
    """What the MP3 says about itself. No dates: the same build gives the same bytes."""

    title: str
    artist: str = "audiocoach"
    album: str | None = None
    genre: str = "Fitness"
    comment: str | None = None
    chapters: tuple[Chapter, ...] = ()
    track: tuple[int, int] | None = None  # (number, of how many) in a batch build
    runner: str | None = None  # the runner the track was made for (TXXX "RUNNER")
    cover_png: bytes | None = None  # the front cover (APIC type 3)


def id3_bytes(tags: Tags) -> bytes:
    """The complete ID3v2.4 tag (header included), to be written in front of the audio."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=[tags.artist]))
    if tags.album:
        id3.add(TALB(encoding=3, text=[tags.album]))
    if tags.track:
        id3.add(TRCK(encoding=3, text=[f"{tags.track[0]}/{tags.track[1]}"]))
    id3.add(TCON(encoding=3, text=[tags.genre]))
    if tags.runner:
        id3.add(TXXX(encoding=3, desc="RUNNER", text=[tags.runner]))
    if tags.cover_png:
        id3.add(APIC(encoding=3, mime="image/png", type=PictureType.COVER_FRONT, desc="Cover", data=tags.cover_png))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    if tags.chapters:
        ids = [f"ch{i}" for i in range(len(tags.chapters))]
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids))
        for element_id, chapter in zip(ids, tags.chapters):
            title = TIT2(encoding=3, text=[chapter.title])
            id3.add(
                CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms, sub_frames=[title])
            )
    out = io.BytesIO()
    id3.save(out, v2_version=4, padding=lambda _info: TAG_PADDING)
    return out.getvalue()
