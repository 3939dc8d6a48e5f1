"""program.ics: one event per built session (iCalendar, RFC 5545, written with the `icalendar` package).

Each event starts on the session's date, at the programme's ``time:`` (floating local time: the
runner's own clock), and lasts exactly the track (the plan's duration, to the second); without a
``time:`` it is an all-day event. Its description is the cue summary of the track. The same
tracks give the same bytes: DTSTAMP is the programme's start, each UID depends only on the
programme, the runner and the track's path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event

from audiocoach.output.tracks import read_track
from audiocoach.units import clock

__all__ = ["CalendarEntry", "calendar_ics"]


@dataclass(frozen=True)
class CalendarEntry:
    """A built session as the calendar shows it."""

    date: dt.date
    title: str
    duration_ms: int
    description: str
    track: str  # the MP3's path relative to the programme's folder: the UID comes from it


def calendar_ics(name: str, start: dt.date, time: dt.time | None, entries: Sequence[CalendarEntry]) -> bytes:
    """The calendar of `entries` as .ics bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//audiocoach//programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.combine(start, dt.time(0, 0), tzinfo=dt.UTC)
    for entry in entries:
        event = Event()
        event.add("uid", hashlib.sha256(f"{name}\n{entry.track}".encode()).hexdigest()[:32] + "@audiocoach")
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        if time is None:
            event.add("dtstart", entry.date)
            event.add("duration", dt.timedelta(days=1))
        else:
            event.add("dtstart", dt.datetime.combine(entry.date, time))
            event.add("duration", dt.timedelta(seconds=round(entry.duration_ms / 1000)))
        event.add("description", entry.description)
        calendar.add_component(event)
    return calendar.to_ical()


def entry_for(date: dt.date, mp3: Path, folder: Path) -> CalendarEntry:
    """The calendar entry of a built track, read back from what the build wrote (tags and plan)."""
    track = read_track(folder, mp3)
    lines = [track.description] if track.description else []
    lines.append(f"{clock(track.duration_ms)} · {len(track.chapters)} chapters · {len(track.cues)} spoken cues")
    lines += [f"{clock(c.start_ms)} {c.title}" for c in track.chapters]
    lines.append(f"Track: {track.path}")
    return CalendarEntry(date, track.title, track.duration_ms, "\n".join(lines), track.path)
