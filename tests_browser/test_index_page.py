"""index.html in a real browser (headless Chromium, `make test-browser`): every player loads its MP3,
and a chapter link moves that player's currentTime to the chapter's start, from file:// and over
`publish --serve`'s HTTP server on 127.0.0.1. A screenshot at phone width (390 px) is kept in
output/browser/ for people to look at.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiocoach.cli import cli
from audiocoach.output.serve import make_server
from tests.phone_helpers import batch
from tests_browser.cdp import Browser, chromium_path

SCREENSHOTS = Path(__file__).resolve().parent.parent / "output" / "browser"
SEEK_TOLERANCE_S = 0.05

# For each player: wait for its metadata, click its last chapter link, wait for the seek.
CHECK = """
(async () => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const results = [];
  for (const player of document.querySelectorAll("audio")) {
    for (let i = 0; i < 100 && player.readyState < 1 && !player.error; i++) await sleep(100);
    const links = document.querySelectorAll(`a[data-player="${player.id}"]`);
    const link = links[links.length - 1];
    const start = parseFloat(link.dataset.start);
    link.click();
    for (let i = 0; i < 100 && Math.abs(player.currentTime - start) > 0.05; i++) await sleep(50);
    results.push({id: player.id, src: player.currentSrc, error: player.error && player.error.code,
                  duration: player.duration, chapters: links.length, start: start, currentTime: player.currentTime});
  }
  return results;
})()
"""


@pytest.fixture(scope="module")
def browser():
    binary = chromium_path()
    if binary is None:
        pytest.fail("no chromium: run `make test-browser`, which installs Debian's chromium")
    with Browser(binary) as opened:
        yield opened


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page") / "Track club"
    shutil.copytree(batch(), out)
    result = CliRunner().invoke(cli, ["publish", str(out), "--base-url", "http://127.0.0.1:8000/",
                                     "--date", "2026-12-07"])
    assert result.exit_code == 0, result.output
    return out


def check_players(browser: Browser, folder: Path, url: str) -> list[dict]:
    browser.open(url)
    results = browser.evaluate(CHECK)
    assert len(results) == len(list(folder.glob("*.mp3"))) == 2
    for player in results:
        plan = json.loads((folder / player["src"].rsplit("/", 1)[-1]).with_suffix(".json").read_text(encoding="utf-8"))
        assert player["error"] is None, player
        assert abs(player["duration"] - plan["duration_s"]) < 0.1, player
        assert player["chapters"] >= 2 and player["start"] > 0
        assert abs(player["currentTime"] - player["start"]) <= SEEK_TOLERANCE_S, player
    return results


def test_chapter_links_seek_their_player_from_file_url(browser: Browser, folder: Path):
    check_players(browser, folder, (folder / "index.html").as_uri())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = browser.screenshot(SCREENSHOTS / "index-390px.png")
    print(f"screenshot at phone width: {shot}")
    width = int.from_bytes(shot.read_bytes()[16:20], "big")
    assert width == 390 * 2  # deviceScaleFactor 2: the page laid out 390 CSS pixels wide, no sideways scroll
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390


def test_chapter_links_seek_their_player_over_http(browser: Browser, folder: Path):
    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        check_players(browser, folder, f"http://127.0.0.1:{server.server_address[1]}/index.html")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
