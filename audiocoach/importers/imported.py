"""What an importer returns (``Imported``), and the file text every text importer reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from audiocoach.errors import WorkoutError
from audiocoach.output.device_steps import Item

__all__ = ["Imported", "text_of"]


@dataclass
class Imported:
    """What an importer read: steps as device items, and what it could not carry."""

    title: str
    source_format: str  # "FIT workout", "Zwift workout", "intervals.icu workout text"
    items: list[Item]
    description: str | None = None
    lost: list[str] = field(default_factory=list)  # "line 12: a power target 200-240w", each located
    threshold_s_per_km: float | None = None  # paces were fractions of this threshold pace (a .zwo)


def text_of(raw: bytes, filename: str) -> str:
    """The file's text; a located error when it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise WorkoutError(f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x})", file=filename, line=line,
                           hint="save the file as UTF-8") from None
