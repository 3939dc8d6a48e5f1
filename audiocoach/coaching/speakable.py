"""Text as it should be spoken: unit shorthand written out, so the voice never says "400 em".

espeak reads `400m` as "four hundred em", `8 × 400` as "eight times four hundred" and `5:55/mi`
as "five fifty-five slash m-i". Every cue's text passes through `speakable` before it is
measured, scheduled and shown, so the plan still shows exactly what the track says. The words
come from the phrase table, so a German track says "400 Meter".
"""

from __future__ import annotations

import re

from audiocoach.coaching.phrases import ENGLISH, Phrases

_NUMBER = r"(\d+(?:\.\d+)?)"
_UNITS = {  # shorthand -> phrase keys for one and many
    "km": ("kilometre", "kilometres"),
    "mi": ("mile", "miles"),
    "m": ("metre", "metres"),
    "min": ("minute", "minutes"),
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "h": ("hour", "hours"),
}
_PER = {"mi": "per_mile", "km": "per_km"}

_TIMES = re.compile(rf"{_NUMBER}\s*[×x]\s*{_NUMBER}")
_PACE = re.compile(r"(\d+:\d\d|\d+\s*s)\s*/\s*(\d+(?:\.\d+)?\s*)?(km|mi|m)\b")
_QUANTITY = re.compile(rf"{_NUMBER}\s?({'|'.join(sorted(_UNITS, key=len, reverse=True))})(?![\w'’])")


def speakable(text: str, phrases: Phrases = ENGLISH) -> str:
    """`text` with `8 × 400 m` said as "8 by 400 metres" and `5:55/mi` as "5:55 per mile"."""
    text = _TIMES.sub(lambda m: phrases.say("by", a=m.group(1), b=m.group(2)), text)
    text = _PACE.sub(lambda m: _pace(m, phrases), text)
    return _QUANTITY.sub(lambda m: _quantity(m.group(1), m.group(2), phrases), text)


def _pace(match: re.Match, phrases: Phrases) -> str:
    time, count, unit = match.group(1), match.group(2), match.group(3)
    time = _QUANTITY.sub(lambda m: _quantity(m.group(1), m.group(2), phrases), time)
    if count:
        return phrases.say("per", time=time, distance=_quantity(count.strip(), unit, phrases))
    if unit in _PER:
        return phrases.say(_PER[unit], time=time)
    return phrases.say("per", time=time, distance=phrases.say("metre"))


def _quantity(number: str, unit: str, phrases: Phrases) -> str:
    one, many = _UNITS[unit]
    return phrases.count(number, one, many)
