"""The built tracks of a folder, read back from what a build wrote: the MP3's tags and its plan sidecar.

Publishing needs no workout files and no rebuild: the title, description, runner, chapters and
cover are in each MP3's ID3 tag (output/tags.py), the cues and duration in `<stem>.json` (the
plan). A batch, a roster build (`<workout>/<runner>.mp3`) and a programme (`week-N/…`, which
becomes season N) are all folders of such tracks.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import ID3, ID3NoHeaderError
from PIL import Image

from audiocoach.errors import AudiocoachError
from audiocoach.output.tags import Chapter

MIN_COVER_PX = 1400  # podcast apps refuse smaller show and episode art
_WEEK = re.compile(r"(?i)^week[-_ ]?(\d+)$")


@dataclass(frozen=True)
class Cue:
    """A spoken cue of the plan, in milliseconds of the decoded track."""
    at_ms: int
    end_ms: int
    kind: str
    text: str


@dataclass(frozen=True)
class Track:
    """One built track as the folder holds it."""
    path: str  # the MP3, relative to the published folder, with "/" separators
    size_bytes: int
    title: str
    artist: str
    description: str | None
    runner: str | None
    number: tuple[int, int] | None  # (track, of how many) in its batch
    season: int | None  # N for a track in a `week-N` folder (a programme)
    duration_ms: int
    chapters: tuple[Chapter, ...]
    cues: tuple[Cue, ...]
    cover_png: bytes

    @property
    def stem(self) -> str:
        """The path without ".mp3": the files published beside the MP3 share it."""
        return self.path[: -len(".mp3")]


def find_tracks(folder: Path) -> list[Track]:
    """Every MP3 under `folder` (in path order), each with its plan sidecar; an error names a file that falls short."""
    if not folder.is_dir():
        raise AudiocoachError(f"{folder}: no such folder", hint="give the folder a build wrote (audiocoach build -o DIR)")
    mp3s = sorted(p for p in folder.rglob("*.mp3") if not any(part.startswith(".") for part in p.parts))
    if not mp3s:
        raise AudiocoachError(f"{folder}: no MP3 tracks in this folder",
                              hint="build some first: audiocoach build workouts -o " + str(folder))
    return [read_track(folder, mp3) for mp3 in mp3s]


def read_track(folder: Path, mp3: Path) -> Track:
    """One track: tags from the MP3, cues and duration from `<stem>.json`."""
    plan = _plan(mp3)
    try:
        tag = ID3(mp3)
    except (ID3NoHeaderError, OSError) as err:
        raise AudiocoachError(f"{mp3}: no audiocoach tags ({err})", hint="rebuild it with audiocoach build") from None
    cover = _cover(mp3, tag)
    relative = mp3.relative_to(folder)
    parent = relative.parent.name
    week = _WEEK.match(parent)
    return Track(
        path=relative.as_posix(),
        size_bytes=mp3.stat().st_size,
        title=_text(tag, "TIT2") or plan["title"],
        artist=_text(tag, "TPE1") or "audiocoach",
        description=_comment(tag),
        runner=_runner(tag),
        number=_number(_text(tag, "TRCK")),
        season=int(week.group(1)) if week else None,
        duration_ms=round(plan["duration_s"] * 1000),
        chapters=_chapters(tag),
        cues=tuple(Cue(round(c["at_s"] * 1000), round(c["end_s"] * 1000), c["kind"], c["text"]) for c in plan["cues"]),
        cover_png=cover,
    )


def _plan(mp3: Path) -> dict:
    sidecar = mp3.with_suffix(".json")
    try:
        plan = json.loads(sidecar.read_text(encoding="utf-8"))
        plan["duration_s"], plan["cues"], plan["title"]  # noqa: B018 - the keys publishing needs
    except FileNotFoundError:
        raise AudiocoachError(f"{mp3}: its plan {sidecar.name} is missing",
                              hint="rebuild without --no-sidecars: the feed's chapters and transcript come from it") from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise AudiocoachError(f"{sidecar}: not a plan written by audiocoach build ({err})",
                              hint="rebuild the track") from None
    return plan


def _cover(mp3: Path, tag) -> bytes:
    pictures = [p for p in tag.getall("APIC") if p.type == 3]
    if not pictures:
        raise AudiocoachError(f"{mp3}: no cover in its tags", hint="rebuild it with audiocoach build --force")
    data = pictures[0].data
    with Image.open(io.BytesIO(data)) as image:
        if min(image.size) < MIN_COVER_PX:
            raise AudiocoachError(
                f"{mp3}: its cover is {image.size[0]}×{image.size[1]}, podcast apps need {MIN_COVER_PX}×{MIN_COVER_PX}",
                hint="rebuild with this version: audiocoach build --force")
    return data


def _text(tag, frame: str) -> str | None:
    found = tag.get(frame)
    return str(found.text[0]) if found is not None and found.text else None


def _comment(tag) -> str | None:
    comments = tag.getall("COMM")
    return str(comments[0].text[0]) if comments and comments[0].text else None


def _runner(tag) -> str | None:
    found = tag.getall("TXXX:RUNNER")
    return str(found[0].text[0]) if found and found[0].text else None


def _number(text: str | None) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d+)/(\d+)", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _chapters(tag) -> tuple[Chapter, ...]:
    """The CHAP frames in the table of contents' order."""
    chaps = {c.element_id: c for c in tag.getall("CHAP")}
    tocs = tag.getall("CTOC")
    order = list(tocs[0].child_element_ids) if tocs else sorted(chaps)
    out = []
    for element_id in order:
        chap = chaps.get(element_id)
        if chap is not None:
            title = chap.sub_frames.get("TIT2")
            out.append(Chapter(str(title.text[0]) if title else element_id, chap.start_time, chap.end_time))
    return tuple(out)
