"""`audiocoach publish DIR`: a podcast feed (one per runner of a roster), index.html and, beside each
MP3, its 1400 px cover, JSON chapters and WebVTT transcript.

Every file is staged under a temporary name and renamed into place only when all are written,
so a failure leaves the folder as it was. Nothing depends on the clock or the machine: the
publication dates come from `start` (or a programme's calendar, `dates`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from audiocoach.errors import AudiocoachError
from audiocoach.names import safe_name
from audiocoach.output import chapters_json, sidecars, transcript
from audiocoach.output.feed import Episode, Show, feed_xml
from audiocoach.output.page import Group, index_html
from audiocoach.output.tracks import Track, find_tracks

INDEX = "index.html"
FEED = "feed.xml"
PUBLISH_HOUR = time(6, 0, tzinfo=timezone.utc)  # a session's episode appears early on its day


@dataclass(frozen=True)
class Options:
    """What `publish` is told beyond the folder."""

    base_url: str
    start: date  # the date of the first episode (a programme: of week 1)
    title: str | None = None  # default: the folder's name
    private: bool = False
    language: str = "en"
    dates: Mapping[str, datetime] | None = None  # a programme's calendar: MP3 path → session time


def publish(folder: str | Path, options: Options) -> list[Path]:
    """Write the feeds, index.html and each track's cover, chapters and transcript; return the paths written."""
    folder = Path(folder)
    base = base_url(options.base_url)
    tracks = find_tracks(folder)
    title = options.title or folder.resolve().name or "audiocoach"
    files: dict[str, str | bytes] = {}
    groups = []
    by_runner = _by_runner(tracks)
    for runner, members in by_runner.items():
        feed_path = FEED if len(by_runner) == 1 or runner is None else f"feed-{_slug(runner)}.xml"
        show = Show(
            title=f"{title} — {runner}" if runner else title,
            base_url=base,
            feed_path=feed_path,
            author=members[0].artist,
            description=f"Coached workouts{f' for {runner}' if runner else ''}: {len(members)} tracks.",
            cover_path=f"{members[0].stem}.png",
            language=options.language,
            private=options.private,
        )
        episodes = [_episode(t, n, options) for t, n in zip(members, _numbers(members))]
        files[feed_path] = feed_xml(show, episodes)
        groups.append(Group(runner, show, episodes))
        for episode in episodes:
            files[episode.cover_path] = episode.track.cover_png
            files[episode.chapters_path] = chapters_json.chapters_json(episode.track.chapters, episode.track.title,
                                                                       episode.track.artist)
            files[episode.transcript_path] = transcript.webvtt(episode.track.cues)
    files[INDEX] = index_html(title, groups)
    return _write_all(folder, files)


def base_url(text: str) -> str:
    """The base URL checked and ending in '/'."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise AudiocoachError(f"--base-url {text}: not an http(s) address of a folder",
                              hint="give where DIR will be served, e.g. https://example.org/club/")
    return text if text.endswith("/") else text + "/"


def _by_runner(tracks: list[Track]) -> dict[str | None, list[Track]]:
    """A group of runners (two or more names: a roster build) gets a feed each, tracks for no one in
    particular one more; otherwise every track is in the one feed."""
    if len({t.runner for t in tracks if t.runner is not None}) < 2:
        return {None: tracks}
    groups: dict[str | None, list[Track]] = {}
    for track in tracks:
        groups.setdefault(track.runner, []).append(track)
    return dict(sorted(groups.items(), key=lambda item: (item[0] is not None, item[0] or "")))


def _numbers(tracks: list[Track]) -> list[int]:
    """Episode numbers: 1, 2, … in path order, starting again with each season."""
    seen: dict[int | None, int] = {}
    numbers = []
    for track in tracks:
        seen[track.season] = seen.get(track.season, 0) + 1
        numbers.append(seen[track.season])
    return numbers


def _episode(track: Track, number: int, options: Options) -> Episode:
    return Episode(track, published_at(track, number, options), f"{track.stem}.png", f"{track.stem}.chapters.json",
                   f"{track.stem}.vtt", number)


def published_at(track: Track, number: int, options: Options) -> datetime:
    """The calendar's time for the track if there is one; else the start date (plus a week per season), one
    minute apart in episode order so apps list them in order."""
    if options.dates and track.path in options.dates:
        return options.dates[track.path]
    day = options.start + timedelta(weeks=(track.season or 1) - 1)
    return datetime.combine(day, PUBLISH_HOUR) + timedelta(minutes=number - 1)


def _slug(name: str) -> str:
    return "-".join(safe_name(name, "runner").lower().split())


def _write_all(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Stage every file, then rename them all into place (index.html last)."""
    staged: dict[Path, Path] = {}
    try:
        for relative, content in files.items():
            target = folder / relative
            staged[target] = sidecars.stage(target, content)
        sidecars.commit(staged)
    except BaseException:
        sidecars.discard(staged.values())
        raise
    return list(staged)
