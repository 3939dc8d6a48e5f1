"""Text as it should be spoken: unit shorthand written out, so the voice never says "400 em".

espeak reads `400m` as "four hundred em", `8 × 400` as "eight times four hundred" and `5:55/mi`
as "five fifty-five slash m-i". Every cue's text passes through `speakable` before it is
measured, scheduled and shown, so the plan still shows exactly what the track says.
"""

from __future__ import annotations

import re

_NUMBER = r"(\d+(?:\.\d+)?)"
_UNITS = {  # shorthand -> (singular, plural)
    "km": ("kilometre", "kilometres"),
    "mi": ("mile", "miles"),
    "m": ("metre", "metres"),
    "min": ("minute", "minutes"),
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "h": ("hour", "hours"),
}
_PER = {"mi": "per mile", "km": "per kilometre"}

_TIMES = re.compile(rf"{_NUMBER}\s*[×x]\s*(?=\d)")
_PACE = re.compile(r"(\d+:\d\d|\d+\s*s)\s*/\s*(\d+(?:\.\d+)?\s*)?(km|mi|m)\b")
_QUANTITY = re.compile(rf"{_NUMBER}\s?({'|'.join(sorted(_UNITS, key=len, reverse=True))})(?![\w'’])")


def speakable(text: str) -> str:
    """`text` with `8 × 400 m` said as "8 by 400 metres" and `5:55/mi` as "5:55 per mile"."""
    text = _TIMES.sub(r"\1 by ", text)
    text = _PACE.sub(_pace, text)
    return _QUANTITY.sub(_quantity, text)


def _pace(match: re.Match) -> str:
    time, count, unit = match.group(1), match.group(2), match.group(3)
    if count:
        return f"{time} per {_quantity_words(count.strip(), unit)}"
    return f"{time} {_PER.get(unit, 'per metre')}"


def _quantity(match: re.Match) -> str:
    return _quantity_words(match.group(1), match.group(2))


def _quantity_words(number: str, unit: str) -> str:
    singular, plural = _UNITS[unit]
    return f"{number} {singular if number == '1' else plural}"
