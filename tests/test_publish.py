"""`audiocoach publish`: the feed read back by feedparser, the page by an HTML parser, the server by HTTP.

Tracks: the phone tests' batch (two short workouts, one for a named runner) and a two-runner
roster build, each copied to a fresh folder and published there.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import urllib.request
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import jsonschema
import pytest
from click.testing import CliRunner
from PIL import Image

from audiocoach.cli import cli
from audiocoach.output.serve import byte_range, make_server
from tests.phone_helpers import HILLS, batch, plan_json

BASE = "https://coach.example/club/"

# The shape of Podcasting 2.0 JSON Chapters 1.2.0 (podcast-namespace, chapters/jsonChapters.md).
CHAPTERS_SCHEMA = {
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"const": "1.2.0"},
        "author": {"type": "string"}, "title": {"type": "string"}, "podcastName": {"type": "string"},
        "chapters": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["startTime"], "additionalProperties": False,
            "properties": {
                "startTime": {"type": "number", "minimum": 0}, "endTime": {"type": "number", "minimum": 0},
                "title": {"type": "string"}, "img": {"type": "string"}, "url": {"type": "string"},
                "toc": {"type": "boolean"}, "location": {"type": "object"},
            },
        }},
    },
}


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("published") / "Track club"
    shutil.copytree(batch(), folder)
    run("publish", str(folder), "--base-url", BASE, "--date", "2026-12-07")
    return folder


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("roster")
    (root / "hills.yaml").write_text(HILLS, encoding="utf-8")
    (root / "group.yaml").write_text("runners:\n  - {name: Sam, mile: '6:40'}\n  - {name: Priya Ä, mile: '5:50'}\n",
                                     encoding="utf-8")
    out = root / "out"
    run("build", str(root / "hills.yaml"), "--roster", str(root / "group.yaml"), "-o", str(out), "--jobs", "1")
    run("publish", str(out), "--base-url", BASE, "--date", "2026-12-07", "--private")
    return out


def local(folder: Path, url: str) -> Path:
    """The file a feed URL points at in the published folder."""
    assert url.startswith(BASE), url
    return folder / unquote(url[len(BASE):])


def test_the_feed_has_every_field_and_each_points_at_the_right_file(published: Path):
    feed = feedparser.parse(str(published / "feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Track club" and feed.feed.itunes_type == "episodic"
    assert feed.feed.podcast_guid and "itunes_block" not in feed.feed
    assert Image.open(local(published, feed.feed.image.href)).size == (1400, 1400)
    assert len(feed.entries) == 2
    for entry in feed.entries:
        enclosure = next(link for link in entry.links if link.rel == "enclosure")
        mp3 = local(published, enclosure.href)
        plan = plan_json(mp3.stem)
        assert entry.title == plan["title"] == {"a-reps": "Short reps — 3 × 200 m", "b-hills": "Two hills"}[mp3.stem]
        assert enclosure.type == "audio/mpeg" and int(enclosure.length) == mp3.stat().st_size
        assert entry.id.startswith("urn:uuid:") and entry.guidislink is False
        seconds = round(plan["duration_s"])
        assert entry.itunes_duration == f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        cover = Image.open(local(published, entry.image.href))
        assert cover.size == (1400, 1400) and local(published, entry.image.href).read_bytes().startswith(b"\x89PNG")
        assert f"{len(plan['cues'])} spoken cues" in entry.summary
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        chapters = json.loads(local(published, entry.podcast_chapters["url"]).read_text(encoding="utf-8"))
        jsonschema.validate(chapters, CHAPTERS_SCHEMA)
        assert chapters["chapters"][0]["startTime"] == 0 and chapters["chapters"][-1]["endTime"] == plan["duration_s"]
        assert entry.podcast_transcript["type"] == "text/vtt"
        assert vtt_times(local(published, entry.podcast_transcript["url"])) == [
            (c["at_s"], c["end_s"], c["text"]) for c in plan["cues"]]
    # first track first: one minute apart from the given date, newest listed first
    dates = [datetime(*e.published_parsed[:6], tzinfo=UTC) for e in feed.entries]
    assert dates == [datetime(2026, 12, 7, 6, 1, tzinfo=UTC), datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    assert [e.itunes_episode for e in feed.entries] == ["2", "1"]


def vtt_times(path: Path) -> list[tuple[float, float, str]]:
    """(start s, end s, text) of each caption of a WebVTT file."""
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return round(int(h) * 3600 + int(m) * 60 + float(s), 3)

    blocks = path.read_text(encoding="utf-8").split("\n\n")
    assert blocks[0] == "WEBVTT"
    out = []
    for block in blocks[1:]:
        _, times, text = block.strip("\n").split("\n")
        start, end = times.split(" --> ")
        out.append((seconds(start), seconds(end), text.replace("&amp;", "&")))
    return out


def test_the_chapters_match_the_mp3s_own(published: Path):
    from mutagen.id3 import ID3

    chapters = json.loads((published / "a-reps.chapters.json").read_text(encoding="utf-8"))["chapters"]
    frames = sorted(ID3(published / "a-reps.mp3").getall("CHAP"), key=lambda c: c.start_time)
    assert [(c["startTime"] * 1000, c["endTime"] * 1000, c["title"]) for c in chapters] == [
        (f.start_time, f.end_time, str(f.sub_frames["TIT2"].text[0])) for f in frames]


class Links(HTMLParser):
    """Every href and src of a page, the players and the chapter links."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.players: dict[str, str] = {}
        self.seeks: list[tuple[str, float]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "audio":
            self.players[attrs["id"]] = attrs["src"]
        if tag == "a" and "data-player" in attrs:
            self.seeks.append((attrs["data-player"], float(attrs["data-start"])))
        if tag in ("script", "link") and (attrs.get("src") or attrs.get("href")):
            self.external.append(attrs.get("src") or attrs.get("href"))


def test_every_link_and_player_of_the_page_is_a_file_of_the_folder(published: Path):
    page = Links()
    page.feed((published / "index.html").read_text(encoding="utf-8"))
    assert not page.external, "the page loads no script or stylesheet"
    assert len(page.players) == 2 and len(page.seeks) >= 4
    for link in page.links:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc, f"{link} is not relative"
        assert (published / unquote(parts.path)).is_file(), f"{link} is not a file"
    assert set(page.players.values()) == {"a-reps.mp3", "b-hills.mp3"}
    assert "Subscribe" in (published / "index.html").read_text(encoding="utf-8")


def test_a_roster_gets_a_private_feed_per_runner_and_one_page(roster: Path):
    feeds = sorted(p.name for p in roster.glob("*.xml"))
    assert feeds == ["feed-priya-ä.xml", "feed-sam.xml"]
    for name, runner in (("feed-sam.xml", "Sam"), ("feed-priya-ä.xml", "Priya Ä")):
        feed = feedparser.parse(str(roster / name))
        assert not feed.bozo and feed.feed.title == f"out — {runner}"
        assert feed.feed.itunes_block == 1 and feed.feed.podcast_locked == "yes" and feed.feed.podcast_block == "yes"
        (entry,) = feed.entries
        assert entry.title.endswith(f"— {runner}")
        enclosure = next(link for link in entry.links if link.rel == "enclosure")
        assert int(enclosure.length) == local(roster, enclosure.href).stat().st_size
    page = Links()
    page.feed((roster / "index.html").read_text(encoding="utf-8"))
    assert len(page.players) == 2 and {"feed-sam.xml", "feed-priya-%C3%A4.xml"} <= set(page.links)
    for link in page.links:
        assert (roster / unquote(urlsplit(link).path)).is_file(), link


def test_publishing_again_gives_the_same_bytes(published: Path, tmp_path: Path):
    again = tmp_path / "Track club"
    shutil.copytree(batch(), again)
    run("publish", str(again), "--base-url", BASE, "--date", "2026-12-07")
    for name in ("feed.xml", "index.html", "a-reps.vtt", "a-reps.chapters.json", "a-reps.png"):
        assert (again / name).read_bytes() == (published / name).read_bytes(), name


@pytest.mark.parametrize("args, shown", [
    (["--base-url", "ftp://x/"], "not an http(s) address of a folder"),
    (["--base-url", BASE, "--date", "7.12.2026"], "Invalid value for '--date'"),
    ([], "give --base-url URL"),
])
def test_bad_publish_options_are_refused(tmp_path: Path, args, shown):
    shutil.copytree(batch(), tmp_path / "x")
    result = CliRunner().invoke(cli, ["publish", str(tmp_path / "x"), *args])
    assert result.exit_code != 0 and shown in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x" / "feed.xml").exists()


def test_a_folder_without_plans_is_refused_and_left_alone(tmp_path: Path):
    shutil.copytree(batch(), tmp_path / "x")
    (tmp_path / "x" / "b-hills.json").unlink()
    result = CliRunner().invoke(cli, ["publish", str(tmp_path / "x"), "--base-url", BASE])
    assert result.exit_code == 1 and "b-hills.mp3: its plan b-hills.json is missing" in result.output
    assert not list((tmp_path / "x").glob("*.xml")) and not (tmp_path / "x" / "index.html").exists()


@pytest.mark.parametrize("header, size, span", [
    ("bytes=0-99", 1000, (0, 99)), ("bytes=900-", 1000, (900, 999)), ("bytes=-100", 1000, (900, 999)),
    ("bytes=990-2000", 1000, (990, 999)), ("bytes=1000-", 1000, ()), ("bytes=5-3", 1000, None),
    ("bytes=0-1,5-6", 1000, None), ("items=0-1", 1000, None),
])
def test_byte_ranges(header, size, span):
    assert byte_range(header, size) == span


def test_the_server_answers_range_requests(published: Path):
    server = make_server(published, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        data = (published / "a-reps.mp3").read_bytes()

        def get(path: str, header: str | None = None):
            request = urllib.request.Request(base + path, headers={"Range": header} if header else {})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.headers, response.read()
            except urllib.error.HTTPError as err:
                return err.code, err.headers, b""

        status, headers, body = get("a-reps.mp3", "bytes=1000-1999")
        assert status == 206 and body == data[1000:2000]
        assert headers["Content-Range"] == f"bytes 1000-1999/{len(data)}" and headers["Content-Type"] == "audio/mpeg"
        status, _, body = get("a-reps.mp3", "bytes=-500")
        assert status == 206 and body == data[-500:]
        status, headers, _ = get("a-reps.mp3", f"bytes={len(data)}-")
        assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"
        status, headers, body = get("a-reps.mp3")
        assert status == 200 and body == data and headers["Accept-Ranges"] == "bytes"
        status, headers, body = get("feed.xml")
        assert status == 200 and headers["Content-Type"] == "application/rss+xml"
        assert io.BytesIO(body).read(5) == b"<?xml"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
