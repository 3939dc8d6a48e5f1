"""index.html: one self-contained page for the group, readable on a phone, from file:// or any static host.

Each track: its cover, an <audio> player, its chapters as links that seek that player, its cue
sheet, a download link; each feed: a subscribe link. All links are relative, so the folder works
wherever it is copied. No external script, font or stylesheet: the style and the few lines of
script are inline. Without script a chapter link still opens the MP3 at its time (`#t=` media
fragment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from audiocoach.units import clock
from audiocoach.output.feed import Episode, Show, anchor

STYLE = """
:root { color-scheme: light dark; --fg: #14161c; --bg: #f6f7fa; --card: #fff; --muted: #5b6373; --accent: #c8372d; }
@media (prefers-color-scheme: dark) { :root { --fg: #eef0f5; --bg: #12161f; --card: #1c2230; --muted: #9aa3b5; --accent: #ff7a66; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
header { padding-bottom: 0; } main { padding-top: 0; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.15rem; margin: 0.75rem 0 0.25rem; overflow-wrap: anywhere; }
a { color: var(--accent); }
.subscribe { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.subscribe a { font-weight: 600; }
code { font-size: 0.8rem; overflow-wrap: anywhere; color: var(--muted); }
.track { background: var(--card); border-radius: 12px; padding: 1rem; margin: 1rem 0; box-shadow: 0 1px 3px #0002; }
.track img { width: 100%; height: auto; border-radius: 8px; display: block; }
.meta { color: var(--muted); margin: 0 0 0.5rem; font-size: 0.9rem; }
audio { width: 100%; margin: 0.5rem 0; }
.chapters { padding-left: 0; list-style: none; margin: 0.5rem 0; }
.chapters li { margin: 0; }
.chapters a { display: flex; gap: 0.75rem; padding: 0.55rem 0.25rem; text-decoration: none; border-bottom: 1px solid #8883; }
.chapters time { color: var(--muted); font-variant-numeric: tabular-nums; min-width: 3.5rem; }
details { margin: 0.5rem 0; } summary { cursor: pointer; padding: 0.4rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
td { padding: 0.25rem 0.4rem; vertical-align: top; border-bottom: 1px solid #8882; }
td:first-child { font-variant-numeric: tabular-nums; color: var(--muted); white-space: nowrap; }
.kind { color: var(--muted); font-size: 0.8rem; }
.files { display: flex; flex-wrap: wrap; gap: 1rem; }
"""

# A chapter link seeks its player (once the player knows its duration) and plays from there.
SCRIPT = """
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-player]");
  if (!link) return;
  event.preventDefault();
  var player = document.getElementById(link.dataset.player);
  var start = parseFloat(link.dataset.start);
  var seek = function () { player.currentTime = start; };
  if (player.readyState >= 1) { seek(); } else { player.addEventListener("loadedmetadata", seek, { once: true }); player.load(); }
  var playing = player.play();
  if (playing && playing.catch) playing.catch(function () {});
});
"""


@dataclass(frozen=True)
class Group:
    """A feed and its episodes: the whole folder, or one runner's tracks of a roster."""

    name: str | None  # the runner, or None for a folder without runners
    show: Show
    episodes: Sequence[Episode]


def index_html(title: str, groups: Sequence[Group]) -> str:
    """The page: a section per runner (when the folder has runners), each track as a card."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{escape(title)}</h1>",
    ]
    if len(groups) == 1:
        parts.append(_subscribe(groups[0].show))
    parts.append("</header>\n<main>")
    player = 0
    for group in groups:
        if len(groups) > 1:
            parts.append(f"<section><h2>{escape(group.name or title)}</h2>")
            parts.append(_subscribe(group.show))
        for episode in group.episodes:
            player += 1
            parts.append(_track(episode, f"player-{player}"))
        if len(groups) > 1:
            parts.append("</section>")
    parts += ["</main>", f"<script>{SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _subscribe(show: Show) -> str:
    """A link to the feed (for a podcast app, or to copy) and its full address."""
    return (f'<p class="subscribe"><a href="{_href(show.feed_path)}" type="application/rss+xml">Subscribe (podcast feed)</a>'
            f"<code>{escape(show.feed_url)}</code></p>")


def _track(episode: Episode, player: str) -> str:
    track = episode.track
    mp3 = _href(track.path)
    chapters = "\n".join(
        f'<li><a href="{mp3}#t={c.start_ms / 1000:g}" data-player="{player}" data-start="{c.start_ms / 1000:g}">'
        f"<time>{clock(c.start_ms)}</time><span>{escape(c.title)}</span></a></li>"
        for c in track.chapters
    )
    cues = "\n".join(
        f'<tr><td>{clock(c.at_ms)}</td><td><span class="kind">{escape(c.kind)}</span> {escape(c.text)}</td></tr>'
        for c in track.cues
    )
    meta = f"{clock(track.duration_ms)} · {len(track.chapters)} chapters · {track.size_bytes / 1e6:.1f} MB"
    description = f"<p>{escape(track.description)}</p>" if track.description else ""
    return f"""<article class="track" id="{anchor(track)}">
<img src="{_href(episode.cover_path)}" alt="Cover: {escape(track.title)}" width="1400" height="1400" loading="lazy">
<h3>{escape(track.title)}</h3>
<p class="meta">{meta}</p>
{description}
<audio id="{player}" controls preload="metadata" src="{mp3}"></audio>
<ol class="chapters">
{chapters}
</ol>
<details><summary>Cue sheet ({len(track.cues)} cues)</summary>
<table>
{cues}
</table>
</details>
<p class="files"><a href="{mp3}" download>Download MP3</a><a href="{_href(episode.transcript_path)}">Transcript</a><a href="{_href(episode.chapters_path)}">Chapters (JSON)</a></p>
</article>"""


def _href(path: str) -> str:
    return escape(quote(path))
