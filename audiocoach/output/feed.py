"""A podcast feed of built tracks: RSS 2.0 with the itunes and Podcasting 2.0 (`podcast:`) namespaces.

Each track is an item with its enclosure (URL, exact byte length, audio/mpeg), a guid that
depends only on the feed and the track's path (a rebuilt track stays the same episode), a
pubDate from the given date (or a programme's calendar), its duration, cover, description with
a chapter summary, JSON chapters and a WebVTT transcript. No clock is read: the same tracks and
options give the same bytes.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from audiocoach.units import clock, whole_seconds
from audiocoach.output import chapters_json, transcript
from audiocoach.output.tracks import Track

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")  # the namespace's rule for podcast:guid
CATEGORY = ("Health & Fitness", "Fitness")

for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Show:
    """The feed as a whole."""
    title: str
    base_url: str  # where the published folder is served, ending in "/"
    feed_path: str  # this feed's file, relative to the folder ("feed.xml", "feed-sam.xml")
    author: str
    description: str
    cover_path: str  # show art, relative to the folder
    language: str = "en"
    private: bool = False  # itunes:block, podcast:block and podcast:locked

    @property
    def feed_url(self) -> str:
        return url(self.base_url, self.feed_path)


@dataclass(frozen=True)
class Episode:
    """A track as an item of the feed; the paths are relative to the published folder."""
    track: Track
    published: datetime  # timezone-aware
    cover_path: str
    chapters_path: str
    transcript_path: str
    number: int  # episode number in its season (or in the feed)


def feed_xml(show: Show, episodes: Sequence[Episode]) -> str:
    """The RSS document, items newest first."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    serial = any(e.track.season is not None for e in episodes)
    _channel(channel, show, serial, max((e.published for e in episodes), default=None))
    for episode in sorted(episodes, key=lambda e: (e.published, e.track.path), reverse=True):
        _item(ET.SubElement(channel, "item"), show, episode)
    ET.indent(rss, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _channel(channel: ET.Element, show: Show, serial: bool, latest: datetime | None) -> None:
    _add(channel, "title", show.title)
    _add(channel, "link", url(show.base_url, "index.html"))
    _add(channel, "description", show.description)
    _add(channel, "language", show.language)
    _add(channel, "generator", "audiocoach")
    if latest is not None:
        _add(channel, "lastBuildDate", format_datetime(latest))
    ET.SubElement(channel, f"{{{ATOM}}}link", {"href": show.feed_url, "rel": "self", "type": "application/rss+xml"})
    image = ET.SubElement(channel, "image")
    for tag, text in (("url", url(show.base_url, show.cover_path)), ("title", show.title),
                      ("link", url(show.base_url, "index.html"))):
        _add(image, tag, text)
    _add(channel, f"{{{ITUNES}}}author", show.author)
    ET.SubElement(channel, f"{{{ITUNES}}}image", {"href": url(show.base_url, show.cover_path)})
    category = ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": CATEGORY[0]})
    ET.SubElement(category, f"{{{ITUNES}}}category", {"text": CATEGORY[1]})
    _add(channel, f"{{{ITUNES}}}explicit", "false")
    _add(channel, f"{{{ITUNES}}}type", "serial" if serial else "episodic")
    _add(channel, f"{{{PODCAST}}}guid", podcast_guid(show.feed_url))
    if show.private:
        _add(channel, f"{{{ITUNES}}}block", "Yes")
        _add(channel, f"{{{PODCAST}}}block", "yes")
        _add(channel, f"{{{PODCAST}}}locked", "yes")
    _add(channel, f"{{{PODCAST}}}medium", "podcast")


def _item(item: ET.Element, show: Show, episode: Episode) -> None:
    track = episode.track
    _add(item, "title", track.title)
    _add(item, "description", description(track))
    ET.SubElement(item, "enclosure", {"url": url(show.base_url, track.path), "length": str(track.size_bytes),
                                      "type": "audio/mpeg"})
    _add(item, "guid", item_guid(show.feed_path, track.path), isPermaLink="false")
    _add(item, "pubDate", format_datetime(episode.published))
    _add(item, "link", url(show.base_url, "index.html") + "#" + anchor(track))
    _add(item, f"{{{ITUNES}}}title", track.title)
    _add(item, f"{{{ITUNES}}}duration", duration(track.duration_ms))
    ET.SubElement(item, f"{{{ITUNES}}}image", {"href": url(show.base_url, episode.cover_path)})
    _add(item, f"{{{ITUNES}}}explicit", "false")
    _add(item, f"{{{ITUNES}}}episodeType", "full")
    if track.season is not None:
        _add(item, f"{{{ITUNES}}}season", str(track.season))
        _add(item, f"{{{PODCAST}}}season", str(track.season))
    _add(item, f"{{{ITUNES}}}episode", str(episode.number))
    _add(item, f"{{{PODCAST}}}episode", str(episode.number))
    ET.SubElement(item, f"{{{PODCAST}}}chapters", {"url": url(show.base_url, episode.chapters_path),
                                                   "type": chapters_json.MIME})
    ET.SubElement(item, f"{{{PODCAST}}}transcript", {"url": url(show.base_url, episode.transcript_path),
                                                     "type": transcript.MIME, "rel": "captions"})


def description(track: Track) -> str:
    """The track's description, then its cue summary: length, cue count and each chapter with its start
    (as HTML, which podcast apps show; the timestamps become links to the chapter in many of them)."""
    lines = [f"<p>{escape(track.description)}</p>"] if track.description else []
    lines.append(f"<p>{clock(track.duration_ms)} · {len(track.chapters)} chapters · {len(track.cues)} spoken cues</p>")
    lines.append("<ul>" + "".join(f"<li>{clock(c.start_ms)} {escape(c.title)}</li>" for c in track.chapters) + "</ul>")
    return "\n".join(lines)


def duration(ms: int) -> str:
    """itunes:duration as 'hh:mm:ss'."""
    seconds = whole_seconds(ms)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def item_guid(feed_path: str, track_path: str) -> str:
    """Stable across rebuilds and a moved base URL: the same track of the same feed keeps its guid."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'audiocoach:{feed_path}:{track_path}')}"


def podcast_guid(feed_url: str) -> str:
    """podcast:guid: a UUIDv5 of the feed URL without its scheme and trailing slashes, as the namespace specifies."""
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_url.split("://", 1)[-1].rstrip("/")))


def url(base_url: str, path: str) -> str:
    return base_url + quote(path)


def anchor(track: Track) -> str:
    """The id of the track's section of index.html."""
    return "t-" + uuid.uuid5(uuid.NAMESPACE_URL, track.path).hex[:10]


def _add(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element
