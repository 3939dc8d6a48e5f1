"""The cues as a WebVTT transcript (`podcast:transcript`): what the coach says, when, to the millisecond."""

from __future__ import annotations

from collections.abc import Iterable

from audiocoach.output.tracks import Cue

MIME = "text/vtt"


def webvtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file with one caption per cue, from the moment its speech starts to when it ends."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, 1):
        blocks.append(f"{number}\n{vtt_time(cue.at_ms)} --> {vtt_time(max(cue.end_ms, cue.at_ms + 1))}\n{_text(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def vtt_time(ms: int) -> str:
    """'hh:mm:ss.mmm' (hours may pass 99 in principle; WebVTT allows more digits)."""
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _text(text: str) -> str:
    """One line of caption text: no blank lines or '-->' (which would end or break the cue), markup escaped."""
    flat = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return flat.replace("--&gt;", "—&gt;")
