"""Podcasting 2.0 JSON Chapters (version 1.2.0), from the chapters the MP3 carries (audiocoach/output/chapters.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from audiocoach.output.tags import Chapter

VERSION = "1.2.0"
MIME = "application/json+chapters"  # the type podcast:chapters names for this format


def chapters_json(chapters: Iterable[Chapter], title: str | None = None, author: str | None = None) -> str:
    """`{"version": "1.2.0", "chapters": [{"startTime": s, "endTime": s, "title": …}, …]}`; times in seconds."""
    document: dict = {"version": VERSION}
    if author:
        document["author"] = author
    if title:
        document["title"] = title
    document["chapters"] = [
        {"startTime": _seconds(c.start_ms), "endTime": _seconds(c.end_ms), "title": c.title} for c in chapters
    ]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _seconds(ms: int) -> int | float:
    """Milliseconds as seconds: a whole number stays an integer (0, not 0.0)."""
    return ms // 1000 if ms % 1000 == 0 else ms / 1000
