"""``--race 5k=22:30``: a race and a time from the command line, parsed with the language's quantities.

It lives in the language, not in ``running``, so that ``running`` (the VDOT model) depends on
nothing but ``units`` and the language may call it to check a runner (no import cycle).
"""

from __future__ import annotations

import re

from audiocoach.language.quantities import QuantityError, parse_distance, parse_duration
from audiocoach.running.vdot import PerformanceError, check_performance
from audiocoach.units import RACE_METRES, race_key

__all__ = ["parse_race_option", "split_race_option"]

_RACE_OPTION_HINT = "write the distance, '=' and your time, e.g. 5k=22:30, half=1:45:00 or mile=6:40"


def parse_race_option(text: str) -> tuple[float, float]:
    """(metres, seconds) for ``5k=22:30``, ``10k=46:00``, ``half=1:45:00``, ``mile=6:40``,
    ``3000m=11:00``: a distance, '=', a time. The performance must pass check_performance;
    anything else is a PerformanceError with a hint."""
    distance_text, time_text = split_race_option(text)
    raw = text.strip()
    race = race_key(distance_text)
    metres = RACE_METRES[race] if race else None
    if metres is None:
        try:
            metres = parse_distance(distance_text).metres
        except QuantityError as err:
            hint = ((err.hint or "") if "needs a unit" in err.message
                    else "write e.g. mile, 5k, 10k, half, marathon or 3000m")
            raise PerformanceError(f"race '{raw}': {err.message}", hint) from None
    try:
        ms = parse_duration(time_text, allow_zero=False)
    except QuantityError as err:
        raise PerformanceError(f"race '{raw}': {err.message}", err.hint or _RACE_OPTION_HINT) from None
    seconds = ms / 1000
    try:
        check_performance(metres, seconds)
    except PerformanceError as err:
        raise PerformanceError(err.message, _likely_slip(distance_text, time_text, metres) or err.hint) from None
    return metres, seconds


def split_race_option(text: str) -> tuple[str, str]:
    """The distance and the time of ``5k=22:30`` as written; a PerformanceError when either is missing."""
    if not isinstance(text, str) or not text.strip():
        raise PerformanceError(f"expected a race and a time, got {text!r}", _RACE_OPTION_HINT)
    raw = text.strip()
    if "=" not in raw:
        raise PerformanceError(f"'{raw}' is not a race and a time", _RACE_OPTION_HINT)
    distance_text, time_text = (part.strip() for part in raw.split("=", 1))
    if not distance_text:
        raise PerformanceError(f"'{raw}' has no distance before '='", _RACE_OPTION_HINT)
    if not time_text:
        raise PerformanceError(f"'{raw}' has no time after '='", _RACE_OPTION_HINT)
    return distance_text, time_text


def _likely_slip(distance_text: str, time_text: str, metres: float) -> str | None:
    """A hint for a race option that reads as something the runner didn't mean, or None."""
    if re.fullmatch(r"\d+\.\d{2}", time_text):
        return f"a bare number is seconds: did you mean {time_text.replace('.', ':')}?"
    metres_text = re.fullmatch(r"(\d+(?:\.\d+)?)\s*m", distance_text, re.IGNORECASE)
    if metres_text and metres <= 50:  # 10m, 13.1m, 26.2m: miles meant
        return f"m means metres: for miles write {metres_text[1]}mi"
    return None
