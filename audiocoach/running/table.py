"""The paces table ``audiocoach paces --mile 6:40`` prints: race predictions and training paces.

Every time is rounded to the second and written ``m:ss`` (``h:mm:ss`` from an hour); columns
are right-aligned so the colons line up.
"""

from __future__ import annotations

from audiocoach.running.vdot import RACES, ZONES, Profile
from audiocoach.units import MILE_M, clock_seconds

__all__ = ["paces_table", "clock"]

_RACE_LABELS = {"mile": "Mile", "5k": "5k", "10k": "10k", "half": "Half marathon", "marathon": "Marathon"}
_ZONE_LABELS = {"E": "E  Easy", "M": "M  Marathon", "T": "T  Threshold", "I": "I  Interval", "R": "R  Repetition"}
_INDENT = "  "
_GAP = "   "


clock = clock_seconds  # ``m:ss`` or ``h:mm:ss``, to the nearest second (halves up: units.py)


def _per(seconds_per_km: float, metres: float) -> str:
    return clock(seconds_per_km * metres / 1000)


def _span(slower: float, faster: float, metres: float) -> str:
    """A pace range over ``metres``, faster end first: ``9:28-10:26``."""
    return f"{_per(faster, metres)}-{_per(slower, metres)}"


def _aligned(tables: list[tuple[str, list[str], list[list[str]]]]) -> list[str]:
    """Tables of (title, column headings, rows), one after the other with a blank line between,
    sharing column widths: labels left-aligned and indented under the title, values right-aligned."""
    columns = len(tables[0][1])
    label_width = max(len(_INDENT + row[0]) for _, _, rows in tables for row in rows)
    label_width = max([label_width] + [len(title) for title, _, _ in tables])
    widths = [max(len(cells[i]) for _, heading, rows in tables for cells in [heading, *(r[1:] for r in rows)])
              for i in range(columns)]
    lines: list[str] = []
    for title, heading, rows in tables:
        if lines:
            lines.append("")
        for label, cells in [(title, heading), *((_INDENT + row[0], row[1:]) for row in rows)]:
            values = _GAP.join(cell.rjust(width) for cell, width in zip(cells, widths))
            lines.append(f"{label.ljust(label_width)}{_GAP}{values}".rstrip())
    return lines


def paces_table(p: Profile) -> str:
    """The text of the paces table for a runner's Profile, ending with a newline."""
    races = []
    for name, metres in RACES.items():
        seconds = p.races[name]
        per_km = seconds / metres * 1000
        races.append([_RACE_LABELS[name], clock(seconds), _per(per_km, MILE_M), _per(per_km, 1000)])
    zones = []
    slower, faster = p.easy_range
    for zone in ZONES:
        if zone == "E":
            cells = [_span(slower, faster, MILE_M), _span(slower, faster, 1000), _span(slower, faster, 400)]
        else:
            pace = p.zones[zone]
            cells = [_per(pace, MILE_M), _per(pace, 1000), _per(pace, 400)]
        zones.append([_ZONE_LABELS[zone], *cells])
    lines = [f"VDOT {p.vdot:.1f}, from {p.source}", ""]
    lines += _aligned([("Race predictions", ["time", "per mile", "per km"], races),
                       ("Training paces", ["per mile", "per km", "per 400m"], zones)])
    return "\n".join(lines) + "\n"
