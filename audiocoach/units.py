"""Units every stage shares: the mile, the race distances, and how a time is shown on a clock.

Stdlib only, imported by the language, the coaching, the paces table and the output files alike.

One rounding rule for every time shown: to the nearest unit shown, halves up (1:30.5 shows as
1:31, 0:02.25 with tenths as 0:02.3). The one exception is a time stamp that marks when a line
starts (LRC), which is cut, not rounded, so a line never shows before its words.
"""

from __future__ import annotations

import math

__all__ = [
    "MILE_M", "RACE_METRES", "RACE_ALIASES", "DISTANCE_NAMES", "race_key",
    "nearest", "whole_seconds", "clock", "clock_seconds", "lrc_time",
]

MILE_M = 1609.344  # the international mile, exactly

# Races by canonical name, in metres; the one table the named paces, `--race`, a runner's race
# and the paces table read.
RACE_METRES: dict[str, float] = {
    "mile": MILE_M, "1500m": 1500.0, "3k": 3000.0, "5k": 5000.0, "10k": 10000.0, "15k": 15000.0,
    "half": 21097.5, "marathon": 42195.0,
}
RACE_ALIASES: dict[str, str] = {
    "1mi": "mile", "1500": "1500m", "3000m": "3k", "5km": "5k", "10km": "10k", "15km": "15k",
    "half marathon": "half", "half-marathon": "half", "hm": "half",
}
# Race names a `distance:` may be written as on their own (the others already read as number and unit).
DISTANCE_NAMES: tuple[str, ...] = ("marathon", "half marathon", "half")


def race_key(text: str) -> str | None:
    """The canonical race name for ``text`` ('5km' -> '5k', 'Half  Marathon' -> 'half'), or None."""
    word = " ".join(text.split()).lower()
    word = RACE_ALIASES.get(word, word)
    return word if word in RACE_METRES else None


def nearest(value: float) -> int:
    """``value`` rounded to the nearest whole number, halves up (not Python's round-half-even)."""
    return math.floor(value + 0.5)


def whole_seconds(ms: int) -> int:
    """Milliseconds to the nearest second, halves up, in integers (no float error at .500)."""
    return (int(ms) + 500) // 1000


def clock(ms: int, decimals: int = 0) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour), with ``decimals`` digits of seconds: ``1:32``, ``1:32.5``."""
    scale = 10**decimals
    return _clock((int(ms) * scale + 500) // 1000, decimals)


def clock_seconds(seconds: float, decimals: int = 0) -> str:
    """``clock`` for a time in (fractional) seconds, as the paces table and the race predictions have."""
    return _clock(nearest(seconds * 10**decimals), decimals)


def _clock(units: int, decimals: int) -> str:
    whole, fraction = divmod(units, 10**decimals)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f".{fraction:0{decimals}d}" if decimals else ""
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}{tail}"
    return f"{minutes}:{secs:02d}{tail}"


def lrc_time(ms: int) -> str:
    """``mm:ss.xx`` for LRC; hundredths cut, not rounded (a line never shows before its words);
    minutes may pass 59."""
    hundredths = ms // 10
    return f"{hundredths // 6000:02d}:{hundredths // 100 % 60:02d}.{hundredths % 100:02d}"
