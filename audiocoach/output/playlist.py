"""A batch's playlist: `playlist.m3u8` in each folder it wrote into, the tracks in batch order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiocoach.output.sidecars import one_line, write

if TYPE_CHECKING:  # the results come from the pipeline; the playlist needs only their fields
    from audiocoach.uptodate import BuildResult

__all__ = ["PLAYLIST", "Entry", "m3u8", "write_playlist"]

PLAYLIST = "playlist.m3u8"


@dataclass(frozen=True)
class Entry:
    """One track of a playlist."""

    file: str  # relative to the playlist
    duration_ms: int
    title: str


def m3u8(entries: Iterable[Entry], artist: str) -> str:
    """An extended M3U playlist (UTF-8) with each track's exact duration in seconds."""
    lines = ["#EXTM3U"]
    for entry in entries:
        lines += [f"#EXTINF:{entry.duration_ms / 1000:.3f},{one_line(artist)} - {one_line(entry.title)}", entry.file]
    return "\n".join(lines) + "\n"


def write_playlist(results: Iterable[BuildResult], out_dir: str | Path, artist: str = "audiocoach") -> Path:
    """`out_dir/playlist.m3u8` listing the MP3s built (or up to date), in batch order, with exact durations."""
    folder = Path(out_dir)
    entries = [Entry(r.output.relative_to(folder).as_posix(), r.duration_ms, r.title or r.output.stem) for r in results]
    target = folder / PLAYLIST
    write(target, m3u8(entries, artist))
    return target
