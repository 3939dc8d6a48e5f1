"""Cadence (steps per minute, absolute or relative to the runner's) and beat level in dB."""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiocoach.language._scalars import NUMBER as _NUM
from audiocoach.language._scalars import QuantityError, plain_number
from audiocoach.language._scalars import text_of as _text_of

__all__ = ["Cadence", "parse_cadence", "parse_spm", "parse_level_db", "SPM_RANGE", "LEVEL_DB_RANGE"]

SPM_RANGE = (100.0, 240.0)
PERCENT_LIMIT = 30.0
LEVEL_DB_RANGE = (-60.0, 12.0)


@dataclass(frozen=True)
class Cadence:
    """Steps per minute, absolute (``spm``) or relative to the runner's cadence (``percent``)."""

    spm: float | None = None
    percent: float | None = None

    @property
    def relative(self) -> bool:
        return self.percent is not None

    def resolve(self, natural_spm: float | None) -> float:
        """The steps per minute this cadence means for a runner with ``natural_spm``."""
        if self.spm is not None:
            return self.spm
        if natural_spm is None or self.percent is None:
            raise ValueError("a relative cadence needs the runner's cadence")
        return natural_spm * (1 + self.percent / 100)

    def __str__(self) -> str:
        if self.percent is not None:
            return f"{'-' if self.percent < 0 else '+'}{plain_number(abs(self.percent))}%"
        return plain_number(self.spm) if self.spm is not None else "off"


_SPM = re.compile(rf"^({_NUM})\s*(?:spm)?$", re.IGNORECASE)
_PERCENT = re.compile(rf"^([+-]?)\s*({_NUM})\s*%$")
_CADENCE_EXAMPLE = "170, 170spm, +6%, -3% or off"


def parse_spm(value: object, low: float = SPM_RANGE[0], high: float = SPM_RANGE[1]) -> float:
    """Steps per minute from ``170`` or ``170spm``, between ``low`` and ``high``."""
    text = _text_of(value, "a cadence", "170 or 170spm")
    match = _SPM.match(text.lstrip("+"))
    if not match:
        raise QuantityError(f"'{text}' is not a cadence", "write steps per minute, e.g. 170 or 170spm")
    spm = float(match[1])
    if not low <= spm <= high:
        raise QuantityError(f"cadence {text} is outside {low:g}–{high:g} steps per minute",
                            "give steps per minute; runners mostly take 150–190")
    return spm


def parse_cadence(value: object) -> Cadence | None:
    """A Cadence for ``170``/``170spm``, ``+6%``/``-3%`` (of the runner's), or None for ``off``."""
    if isinstance(value, Cadence) or value is None:
        return value
    if value is False or (isinstance(value, str) and value.strip().lower() in ("off", "none", "no")):
        return None
    text = _text_of(value, "a cadence", _CADENCE_EXAMPLE)
    percent = _PERCENT.match(text)
    if percent:
        if not percent[1]:
            raise QuantityError(f"relative cadence '{text}' needs a sign", f"write +{percent[2]}% or -{percent[2]}%")
        change = float(percent[1] + percent[2])
        if abs(change) > PERCENT_LIMIT:
            raise QuantityError(f"cadence change {text} is more than ±{PERCENT_LIMIT:g}%",
                                "a change of 5–10% is plenty; or give steps per minute, e.g. 175")
        return Cadence(percent=change)
    if not _SPM.match(text.lstrip("+")):
        raise QuantityError(f"'{text}' is not a cadence", f"write e.g. {_CADENCE_EXAMPLE}")
    return Cadence(spm=parse_spm(text))


_LEVEL = re.compile(rf"^([+-]?{_NUM})\s*(?:db)?$", re.IGNORECASE)


def parse_level_db(value: object) -> float:
    """A level in dB from ``-12dB``, ``-12 dB`` or ``-12``, between −60 and +12."""
    text = _text_of(value, "a level", "-12dB")
    match = _LEVEL.match(text)
    if not match:
        raise QuantityError(f"'{text}' is not a level", "write decibels relative to speech, e.g. -12dB")
    level = float(match[1])
    low, high = LEVEL_DB_RANGE
    if not low <= level <= high:
        raise QuantityError(f"level {text} is outside {low:g} to +{high:g} dB",
                            "-18dB (the default) keeps beats under the voice")
    return level
