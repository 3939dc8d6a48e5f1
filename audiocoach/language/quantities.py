"""Quantities of the workout language: durations, distances, paces, cadences and levels.

Each ``parse_*`` takes what YAML gave (a str, int or float) and returns a value, or raises
``QuantityError`` (a ``ValueError``) whose message and hint say in plain words what is wrong.
Each ``format_*`` writes a value back in a form its parser reads exactly.

Durations are integer milliseconds. ``m`` is always metres, never minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from audiocoach.defaults import MAX_DURATION_MS
from audiocoach.language._scalars import NUMBER as _NUM
from audiocoach.language._scalars import QuantityError, describe_value
from audiocoach.language._scalars import plain_number as _plain
from audiocoach.language._scalars import text_of as _text_of
from audiocoach.language.cadence import Cadence, parse_cadence, parse_level_db, parse_spm
from audiocoach.units import DISTANCE_NAMES, MILE_M, RACE_METRES, nearest, race_key

__all__ = [
    "QuantityError", "describe_value", "Distance", "Pace", "RelativePace", "Cadence",
    "RACE_PACES", "ZONE_PACES",
    "parse_duration", "parse_length", "parse_distance", "parse_pace", "parse_cadence",
    "parse_spm", "parse_level_db",
    "format_duration", "format_clock", "format_distance", "format_pace",
    "MAX_DURATION_MS", "MIN_STEP_METRES",
]

MAX_METRES = 1_000_000.0
MIN_STEP_METRES = 50.0
FASTEST_PACE_S_PER_KM = 140.0  # 2:20/km
SLOWEST_PACE_S_PER_KM = 1200.0  # 20:00/km


# ---------------------------------------------------------------- durations

_H = r"(?:h|hrs?|hours?)"
_MIN = r"(?:min|mins|minutes?)"
_S = r"(?:s|secs?|seconds?)"
_MS = r"(?:ms|msecs?|milliseconds?)"
_COMPOUND = re.compile(
    rf"^(?:(?P<h>{_NUM})\s*{_H}\s*)?(?:(?P<min>{_NUM})\s*{_MIN}\s*)?"
    rf"(?:(?P<s>{_NUM})\s*{_S}\s*)?(?:(?P<ms>\d+)\s*{_MS}\s*)?$",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"^(?:(?P<h>\d+):(?P<hm>[0-5]\d)|(?P<m>\d+)):(?P<s>[0-5]\d(?:\.\d+)?)$"
)
_BARE = re.compile(rf"^{_NUM}$")
_METRES_AS_MINUTES = re.compile(r"(?<=\d)\s*m\b", re.IGNORECASE)
_UNIT_MS = {"h": 3_600_000, "min": 60_000, "s": 1000, "ms": 1}
_DURATION_EXAMPLE = "45s, 10min, 1h30min, 1:30 or 90 (seconds)"


def _duration_ms(text: str) -> int | None:
    """Milliseconds for a duration text, or None when it is not one of the forms."""
    if _BARE.match(text):
        return round(Decimal(text) * 1000)
    clock = _CLOCK.match(text)
    if clock:
        hours = int(clock["h"] or 0)
        minutes = int(clock["hm"] or clock["m"] or 0)
        return round((hours * 3600 + minutes * 60 + Decimal(clock["s"])) * 1000)
    parts = _COMPOUND.match(text)
    if parts and any(parts.groupdict().values()):
        total = sum(Decimal(v) * _UNIT_MS[k] for k, v in parts.groupdict().items() if v)
        return round(total)
    return None


def _duration_problem(text: str) -> QuantityError:
    """The most helpful error for a text that is not a duration."""
    metres = re.fullmatch(rf"({_NUM})\s*m", text, re.IGNORECASE)
    if metres:
        return QuantityError(f"{text} is {metres[1]} metres, not a time", f"did you mean {metres[1]}min?")
    fixed = _METRES_AS_MINUTES.sub("min", text)
    if fixed != text and _duration_ms(fixed) is not None:
        return QuantityError(f"'{text}': m means metres, not minutes", f"did you mean {fixed}?")
    if ":" in text:
        return QuantityError(
            f"'{text}' is not a clock time",
            "write minutes:seconds or hours:minutes:seconds with two-digit parts, e.g. 1:05 or 1:02:00",
        )
    return QuantityError(f"'{text}' is not a duration", f"write e.g. {_DURATION_EXAMPLE}")


def parse_duration(value: object, *, allow_zero: bool = True) -> int:
    """Integer milliseconds for ``45s``, ``10min``, ``1h30min``, ``1:30``, ``1:02:00``, ``90``…

    A bare number is seconds. Negative durations, and zero unless ``allow_zero``, are errors.
    """
    text = _text_of(value, "a duration", _DURATION_EXAMPLE)
    if text.startswith("-"):
        raise QuantityError(f"a duration can't be negative, got '{text}'", "write how long it lasts, e.g. 90s")
    ms = _duration_ms(text.lstrip("+"))
    if ms is None:
        raise _duration_problem(text)
    if ms == 0 and not allow_zero:
        raise QuantityError(f"a duration must be more than zero, got '{text}'",
                            "write how long it lasts, e.g. 90s, or leave the key out")
    if ms > MAX_DURATION_MS:
        hours = MAX_DURATION_MS // 3_600_000
        raise QuantityError(f"'{text}' is longer than {hours} hours",
                            f"durations go up to {hours}h, as a whole workout does")
    return ms


def _clock(ms: int, *, hours: bool) -> str:
    whole, millis = divmod(ms, 1000)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    frac = f".{millis:03d}".rstrip("0") if millis else ""
    if hours and h:
        return f"{h}:{m:02d}:{s:02d}{frac}"
    return f"{h * 60 + m}:{s:02d}{frac}"


def format_clock(ms: int) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour), with decimals only when needed: ``1:32.5``."""
    return _clock(ms, hours=True)


def format_duration(ms: int) -> str:
    """A compact duration text, ``45s``, ``10min``, ``1h2min3.5s``, that parses back exactly."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    parts = [f"{h}h" if h else "", f"{m}min" if m else ""]
    if rest or not (h or m):
        parts.append(f"{_plain(Decimal(rest) / 1000)}s")
    return "".join(parts)


# ---------------------------------------------------------------- distances

_METRES_PER = {
    "m": Decimal(1), "metre": Decimal(1), "metres": Decimal(1), "meter": Decimal(1), "meters": Decimal(1),
    "km": Decimal(1000), "k": Decimal(1000), "kilometre": Decimal(1000), "kilometres": Decimal(1000),
    "kilometer": Decimal(1000), "kilometers": Decimal(1000),
    "mi": Decimal(str(MILE_M)), "mile": Decimal(str(MILE_M)), "miles": Decimal(str(MILE_M)),
}
_NAMED_DISTANCES = {name: RACE_METRES[race_key(name) or name] for name in DISTANCE_NAMES}
_DISTANCE = re.compile(rf"^({_NUM})\s*([a-z]+)$", re.IGNORECASE)
_DISTANCE_EXAMPLE = "400m, 1.5km or 1mi"


@dataclass(frozen=True)
class Distance:
    """A distance in metres, with the text it was written as (not part of equality)."""

    metres: float
    text: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.text or format_distance(self.metres)


def _distance_metres(text: str) -> float | None:
    named = _NAMED_DISTANCES.get(" ".join(text.lower().split()))
    if named is not None:
        return named
    match = _DISTANCE.match(text)
    if match and match[2].lower() in _METRES_PER:
        return float(Decimal(match[1]) * _METRES_PER[match[2].lower()])
    return None


def parse_distance(value: object) -> Distance:
    """A Distance for ``200m``, ``400 m``, ``1.5km``, ``1mi``, ``800 metres``, ``5k``, ``marathon``."""
    if isinstance(value, Distance):
        return value
    text = _text_of(value, "a distance", _DISTANCE_EXAMPLE)
    if text.startswith("-"):
        raise QuantityError(f"a distance can't be negative, got '{text}'", f"write e.g. {_DISTANCE_EXAMPLE}")
    if _BARE.match(text):
        raise QuantityError(f"distance '{text}' needs a unit", f"write e.g. {text}m, {text}km or {text}mi")
    metres = _distance_metres(text)
    if metres is None:
        raise QuantityError(f"'{text}' is not a distance", f"write e.g. {_DISTANCE_EXAMPLE}")
    if metres <= 0:
        raise QuantityError(f"a distance must be more than zero, got '{text}'", f"write e.g. {_DISTANCE_EXAMPLE}")
    if metres > MAX_METRES:
        raise QuantityError(f"'{text}' is longer than 1000 km", "distances go up to 1000km")
    return Distance(metres, text)


def format_distance(metres: float) -> str:
    """``400m``, ``1.5km`` (whole and half kilometres and up), parsing back to the same metres."""
    if metres >= 1000 and (metres * 2) % 1000 == 0:
        return f"{_plain(Decimal(str(metres)) / 1000)}km"
    return f"{_plain(metres)}m"


def parse_length(value: object) -> int | Distance:
    """How long a running step lasts: a duration in ms, or a Distance of at least 50 m.

    ``10m`` is 10 metres; a distance that short is an error suggesting ``10min``.
    """
    if isinstance(value, Distance):
        return value
    text = _text_of(value, "a step length", _LENGTH_EXAMPLE)
    if text.startswith("-"):
        raise QuantityError(f"a step length can't be negative, got '{text}'", f"write e.g. {_LENGTH_EXAMPLE}")
    if _duration_ms(text.lstrip("+")) is not None:
        return parse_duration(text, allow_zero=False)
    if _distance_metres(text) is None:
        raise _length_problem(text)
    distance = parse_distance(text)
    if distance.metres < MIN_STEP_METRES:
        in_metres = re.fullmatch(rf"({_NUM})\s*m", text, re.IGNORECASE)
        if in_metres:
            raise QuantityError(f"{text} is {in_metres[1]} metres", f"did you mean {in_metres[1]}min?")
        raise QuantityError(f"{text} is too short for a running step", "a running step covers at least 50 m")
    return distance


_LENGTH_EXAMPLE = "10min, 90s, 1:30, 400m or 1.5km"


def _length_problem(text: str) -> QuantityError:
    problem = _duration_problem(text)
    if problem.message.startswith(f"'{text}' is not a duration"):
        return QuantityError(f"'{text}' is not a duration or a distance", f"write e.g. {_LENGTH_EXAMPLE}")
    return problem


# ---------------------------------------------------------------- paces

_PER = re.compile(r"\s*(?:/|\bper\b)\s*", re.IGNORECASE)
_PACE_EXAMPLE = "5:55/mi, 3:40/km or 1:32/400m"

# Paces named after the runner: a race they could run now, or one of Daniels' training zones.
RACE_PACES = RACE_METRES  # a pace named after a race: the runner's predicted pace over it
ZONE_PACES = ("E", "M", "T", "I", "R")
_NAMED_PACE = re.compile(
    r"^(?P<base>[a-z0-9 ]*?[a-z0-9])\s*(?:(?P<sign>[+-])\s*(?P<amount>\S.*))?$", re.IGNORECASE
)
_NAMES_HINT = ("use a race (mile, 5k, 10k, half, marathon), a training zone (E, M, T, I, R), "
               "or time per distance like 6:40/mi")


@dataclass(frozen=True)
class Pace:
    """A pace as seconds per kilometre, with the text it was written as (not part of equality)."""

    seconds_per_km: float
    text: str = field(default="", compare=False)

    def seconds_for(self, metres: float) -> float:
        """Seconds this pace takes over ``metres``."""
        return self.seconds_per_km * metres / 1000

    def ms_for(self, metres: float) -> int:
        """Whole milliseconds this pace takes over ``metres``."""
        return round(self.seconds_per_km * metres)

    def __str__(self) -> str:
        return self.text or format_pace(self.seconds_per_km)


@dataclass(frozen=True)
class RelativePace:
    """A pace named after the runner — ``mile``, ``5k``, ``T`` — with an optional adjustment.

    ``mile - 3s/400m`` is 3 s per 400 m faster than mile pace (``delta_s_per_km`` = -7.5);
    ``T + 5%`` takes 5 % longer over any distance than T pace (``factor`` = 1.05).
    ``base`` is a key of RACE_PACES or one of ZONE_PACES.
    """

    base: str
    delta_s_per_km: float = 0.0
    factor: float = 1.0
    text: str = field(default="", compare=False)

    def resolve(self, base_seconds_per_km: float) -> Pace:
        """The runner's Pace, given what ``base`` is for them; an impossible result is an error."""
        pace = Pace(base_seconds_per_km * self.factor + self.delta_s_per_km)
        per_km = format_clock(nearest(pace.seconds_per_km) * 1000)
        _check_pace_range(pace, f"pace '{self.text}' ({per_km}/km for this runner)")
        return pace

    def __str__(self) -> str:
        return self.text or self.base


def parse_pace(value: object) -> Pace | RelativePace:
    """A Pace for time per distance — ``5:55/mi``, ``3:40/km``, ``92s/400m``, ``4:00 /km`` — or a
    RelativePace for a pace named after the runner: ``mile``, ``5k``, ``T``, ``mile - 3s/400m``, ``T + 5%``."""
    if isinstance(value, (Pace, RelativePace)):
        return value
    text = _text_of(value, "a pace", _PACE_EXAMPLE)
    named = _NAMED_PACE.match(text)
    if named and not _PER.search(named["base"]):
        if _is_pace_name(named["base"]):
            return _relative_pace(named, text)
        if re.fullmatch(r"[a-z][a-z ]*", named["base"], re.IGNORECASE):
            effort = named["base"].lower() in ("easy", "steady", "hard", "max")
            hint = f"for an effort write effort: {named['base'].lower()}; or {_NAMES_HINT}" if effort else _NAMES_HINT
            raise QuantityError(f"unknown pace name '{named['base']}'", hint)
    parts = _PER.split(text, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise QuantityError(f"pace '{text}' is not time per distance", f"write e.g. {_PACE_EXAMPLE}")
    pace = Pace(_absolute_seconds_per_km(parts, text), text)
    _check_pace_range(pace)
    return pace


def _absolute_seconds_per_km(parts: list[str], text: str) -> float:
    return _pace_time(parts[0], text) / 1000 / _pace_distance(parts[1], text) * 1000


def _pace_name(base: str) -> str | None:
    """The canonical name of a named pace ('5K' -> '5k', 't' -> 'T'), or None."""
    word = " ".join(base.split()).lower()
    if word.upper() in ZONE_PACES:
        return word.upper()
    return race_key(word)


def _is_pace_name(base: str) -> bool:
    return _pace_name(base) is not None


def _relative_pace(named: re.Match, text: str) -> RelativePace:
    base = _pace_name(named["base"])
    if base is None:
        raise QuantityError(f"unknown pace name '{named['base']}'", _NAMES_HINT)
    if not named["sign"]:
        return RelativePace(base, text=text)
    sign = -1 if named["sign"] == "-" else 1
    amount = named["amount"].strip()
    percent = re.fullmatch(rf"({_NUM})\s*%", amount)
    if percent:
        if Decimal(percent[1]) >= 50:
            raise QuantityError(f"pace '{text}' changes the pace by {percent[1]}%",
                                "adjust by less than 50%, e.g. T + 5%")
        return RelativePace(base, factor=1 + sign * float(percent[1]) / 100, text=text)
    parts = _PER.split(amount, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise QuantityError(f"pace '{text}': '{amount}' is not an adjustment",
                            f"write time per distance or a percentage, e.g. {base} - 3s/400m or {base} + 5%")
    delta = _absolute_seconds_per_km(parts, text)
    return RelativePace(base, delta_s_per_km=sign * delta, text=text)


def _pace_time(text: str, whole: str) -> int:
    text = re.sub(r"(?<=\d)\s*min$", "", text) if ":" in text else text  # "5:30 min/km"
    try:
        return parse_duration(text, allow_zero=False)
    except QuantityError as err:
        raise QuantityError(f"pace '{whole}': {err.message}", err.hint or f"write e.g. {_PACE_EXAMPLE}") from None


def _pace_distance(text: str, whole: str) -> float:
    unit_only = re.fullmatch(r"[a-z]+", text, re.IGNORECASE)  # "/km", "per mile"
    metres = _distance_metres("1" + text if unit_only else text)
    if metres is None or unit_only is None:
        try:
            metres = parse_distance(text).metres
        except QuantityError as err:
            raise QuantityError(f"pace '{whole}': {err.message}", f"write e.g. {_PACE_EXAMPLE}") from None
    return metres


def _check_pace_range(pace: Pace, shown: str | None = None) -> None:
    per_km = f"{format_pace(pace.seconds_per_km)}"
    if shown is None:
        shown = "pace " + (pace.text if _same_pace(pace.text, per_km) else f"{pace.text} ({per_km})")
    # Half a second per km of slack, so the limits written per mile (3:45/mi, 32:11/mi) pass too.
    if pace.seconds_per_km < FASTEST_PACE_S_PER_KM - 0.5:
        raise QuantityError(
            f"{shown} is faster than anyone runs",
            "the fastest pace allowed is 2:20/km (3:45/mi); check the time and the distance",
        )
    if pace.seconds_per_km > SLOWEST_PACE_S_PER_KM + 0.5:
        raise QuantityError(
            f"{shown} is slower than a walk",
            "the slowest pace allowed is 20:00/km (32:11/mi); for slower steps give a duration",
        )


def _same_pace(text: str, per_km: str) -> bool:
    return "".join(text.split()).lower() == per_km


def format_pace(seconds_per_km: float, per: str = "km") -> str:
    """``3:40/km`` (or per ``mi`` or any distance text such as ``400m``), to the millisecond."""
    metres = 1000.0 if per == "km" else MILE_M if per == "mi" else parse_distance(per).metres
    return f"{format_clock(nearest(seconds_per_km * metres))}/{per}"
