"""Daniels' VDOT: one number for a runner's fitness, from one race, and the paces it gives.

Daniels and Gilbert (*Oxygen Power*, 1979; *Daniels' Running Formula*, 3rd ed., 2014):

- the oxygen cost of running at v metres a minute is
  ``VO2 = -4.60 + 0.182258·v + 0.000104·v²`` (ml/kg/min);
- the fraction of VO2max a runner can hold for t minutes is
  ``%VO2max = 0.8 + 0.1894393·e^(-0.012778·t) + 0.2989558·e^(-0.1932605·t)``;
- ``VDOT = VO2 / %VO2max`` for a race of that distance run in that time.

Race predictions solve the two equations back for the time (``race_seconds``). A training pace
is the speed whose oxygen cost is a fixed fraction of VDOT (the first equation solved for v):

====  ==========================================  =========================================
zone  rule                                        measured deviation from the references
====  ==========================================  =========================================
E     a range from 62 % (slower end) to 70 %      ends: ≤ 0.6 s/km (0.15 %) from the
      (faster end) of VDOT; the E target is the   calculator, VDOT 41-86. The 2nd edition's
      middle of the range in seconds per km       single E pace (VDOT 45, 49) lies inside the
                                                  range, 1.6 % faster than its middle
M     the predicted marathon race pace            ≤ 0.5 s/km (0.26 %) from the calculator
T     88 % of VDOT                                ≤ 0.6 s/km (0.23 %) from the calculator;
                                                  2nd ed.: +0.05 % (VDOT 45), +0.6 % (VDOT 49)
I     97.5 % of VDOT                              ≤ 0.3 s/km (0.11 %) per mile, ≤ 0.6 s per
                                                  400 m from the calculator; 2nd ed. VDOT 49
                                                  +0.5 s per 400 m
R     I pace less 6 s per 400 m (15 s per km)     2nd ed. VDOT 49: +0.5 s per 400 m (0.6 %);
                                                  the calculator rows used give no R
====  ==========================================  =========================================

Race predictions come within 0.24 % of Daniels' race table at VDOT 30-85 (worst: the 10k at
VDOT 85, 26:19 against 26:23), and the VDOT of each table time within 0.29 % of its row.

References (the numbers and where they come from are in ``tests/test_vdot.py``): the race-time
VDOT table of *Daniels' Running Formula* (VDOT 30-85) as quoted by runners; the E range, M, T
and I paces given by Daniels' own online calculator (VDOT O2, vdoto2.com/calculator) for
marathons of 2:00-3:45 and half marathons of 1:00-1:45 (VDOT 41-86); and the 2nd edition's
training paces for VDOT 45 and 49 as quoted by runners.

The calculator's training paces at VDOT 41-86 are reproduced to its rounding. Below about VDOT
39 it makes E, T and I faster than any fixed fraction (at VDOT 30.6, a 4:45 marathon: E and I
7 % faster, T 3.6 % faster; at VDOT 22.7: 18 % and 9 %), while M stays the race pace. That
adjustment for slower runners is not modelled here: the fractions are the same at every VDOT.

Supported performances: a race from 1500 m to the marathon (the distances of Daniels' race
table), no faster than the world record, and a VDOT from 20 to 90. Daniels' tables cover
30-85; the equations are smooth beyond. VDOT 20 is a 42:39 5k or a 6:35:34 marathon, with E
pace 10:20-11:16 per km: slower than that, a runner walks much of a race and the oxygen cost
of running no longer describes them. World records are VDOT 83-87, so a faster performance is
stopped by the world-record check first and 90 only guards the arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from audiocoach.units import RACE_METRES, clock_seconds

__all__ = [
    "RACES", "ZONES", "MIN_VDOT", "MAX_VDOT", "MIN_DISTANCE_M", "MAX_DISTANCE_M", "WORLD_RECORDS",
    "PerformanceError", "Profile",
    "vdot", "race_seconds", "zone_seconds_per_km", "easy_range_seconds_per_km",
    "check_performance", "profile", "race_name",
]

# The races the paces table predicts (their metres: units.RACE_METRES).
RACES: dict[str, float] = {name: RACE_METRES[name] for name in ("mile", "5k", "10k", "half", "marathon")}
ZONES: tuple[str, ...] = ("E", "M", "T", "I", "R")

MIN_VDOT = 20.0
MAX_VDOT = 90.0
MIN_DISTANCE_M = 1500.0
MAX_DISTANCE_M = RACE_METRES["marathon"]

# Fractions of VDOT (see the module docstring for how they were chosen).
E_SLOW_FRACTION = 0.62
E_FAST_FRACTION = 0.70
T_FRACTION = 0.88
I_FRACTION = 0.975
R_FASTER_THAN_I_S_PER_400M = 6.0

# Men's world records, in seconds (as of 2025): the fastest anyone has run each distance.
WORLD_RECORDS: dict[float, float] = {
    RACE_METRES["1500m"]: 206.00,     # 3:26.00 Hicham El Guerrouj, 1998
    RACE_METRES["mile"]: 223.13,      # 3:43.13 Hicham El Guerrouj, 1999
    RACE_METRES["3k"]: 437.55,        # 7:17.55 Jakob Ingebrigtsen, 2024
    RACE_METRES["5k"]: 755.36,        # 12:35.36 Joshua Cheptegei, 2020
    RACE_METRES["10k"]: 1571.00,      # 26:11.00 Joshua Cheptegei, 2020
    RACE_METRES["half"]: 3402.0,      # 56:42 Jacob Kiplimo, 2025 (road)
    RACE_METRES["marathon"]: 7235.0,  # 2:00:35 Kelvin Kiptum, 2023 (road)
}
# Between record distances the record is interpolated (log time against log distance), which
# lands a little faster than the real bests at 2000 m, 2 miles and 15 km; 1 % more is allowed.
_INTERPOLATED_MARGIN = 0.01

_EXAMPLES = {"mile": "6:40", "5k": "22:30", "10k": "46:00", "half": "1:45:00", "marathon": "3:45:00"}
_NAMES = {"mile": "mile", "5k": "5k", "10k": "10k", "half": "half marathon", "marathon": "marathon"}


# ---------------------------------------------------------------- the two equations


def _oxygen_cost(metres_per_minute: float) -> float:
    """VO2 (ml/kg/min) of running at this speed."""
    v = metres_per_minute
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def _sustainable_fraction(minutes: float) -> float:
    """The fraction of VO2max a runner can hold for this many minutes."""
    return 0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)


def _speed_for_cost(vo2: float) -> float:
    """Metres a minute whose oxygen cost is ``vo2``: the oxygen-cost equation solved for v."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def _positive(value: float, what: str) -> float:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise ValueError(f"{what} must be a finite number over zero, got {value!r}")
    return float(value)


def vdot(distance_m: float, seconds: float) -> float:
    """The VDOT of running ``distance_m`` metres in ``seconds``."""
    minutes = _positive(seconds, "seconds") / 60
    speed = _positive(distance_m, "distance_m") / minutes
    return _oxygen_cost(speed) / _sustainable_fraction(minutes)


def race_seconds(vdot_value: float, distance_m: float) -> float:
    """Predicted race time over ``distance_m`` for a runner of this VDOT (to well under 0.01 s).

    VDOT falls as the time grows, so the time is found by bisection.
    """
    target = _positive(vdot_value, "vdot_value")
    distance = _positive(distance_m, "distance_m")
    guess = distance / _speed_for_cost(0.9 * target) * 60
    low, high = guess, guess
    for _ in range(200):
        if vdot(distance, low) > target:
            break
        low /= 2
    else:
        raise ValueError(f"no race time over {distance:g} m gives VDOT {target:g}")
    for _ in range(200):
        if vdot(distance, high) < target:
            break
        high *= 2
    else:
        raise ValueError(f"no race time over {distance:g} m gives VDOT {target:g}")
    while high - low > 1e-4:
        middle = (low + high) / 2
        if vdot(distance, middle) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _seconds_per_km_at(vdot_value: float, fraction: float) -> float:
    return 60_000 / _speed_for_cost(fraction * vdot_value)


def easy_range_seconds_per_km(vdot_value: float) -> tuple[float, float]:
    """E pace as a range of seconds per km: (slower end, faster end)."""
    _positive(vdot_value, "vdot_value")
    return (_seconds_per_km_at(vdot_value, E_SLOW_FRACTION), _seconds_per_km_at(vdot_value, E_FAST_FRACTION))


def zone_seconds_per_km(vdot_value: float) -> dict[str, float]:
    """One target pace (seconds per km) for each of Daniels' zones E, M, T, I and R."""
    slower, faster = easy_range_seconds_per_km(vdot_value)
    interval = _seconds_per_km_at(vdot_value, I_FRACTION)
    return {
        "E": (slower + faster) / 2,
        "M": race_seconds(vdot_value, RACES["marathon"]) / RACES["marathon"] * 1000,
        "T": _seconds_per_km_at(vdot_value, T_FRACTION),
        "I": interval,
        "R": interval - R_FASTER_THAN_I_S_PER_400M * 1000 / 400,
    }


# ---------------------------------------------------------------- checking a performance


class PerformanceError(ValueError):
    """A race performance paces can't come from; ``message`` says why, ``hint`` what to give."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message

    def __reduce__(self):
        return (type(self), (self.message, self.hint))


def race_name(distance_m: float) -> str:
    """How a distance is named in messages: 'mile', '5k', 'half marathon', '3000m', '15k'."""
    for key, metres in RACES.items():
        if abs(distance_m - metres) < 0.5:
            return _NAMES[key]
    miles = distance_m / RACES["mile"]
    if distance_m > 2000 and abs(miles * 2 - round(miles * 2)) * RACES["mile"] < 1:
        return f"{round(miles * 2) / 2:g}-mile"
    if distance_m >= 5000 and abs(distance_m / 1000 - round(distance_m / 1000)) < 1e-9:
        return f"{round(distance_m / 1000)}k"
    return f"{distance_m:.0f}m"


def _a(text: str) -> str:
    """``text`` after 'a' or 'an', as it is said: 'an 8:00 5k', 'an 11:00', 'an 800m', 'a 1:30'."""
    lead = ""
    for char in text:
        if not char.isdigit():
            break
        lead += char
    number = int(lead) if lead else None
    spoken_vowel = number is not None and (
        str(number).startswith("8") or number in (11, 18) or 11_000 <= number < 12_000 or 18_000 <= number < 19_000)
    return f"{'an' if spoken_vowel else 'a'} {text}"


def _example(distance_m: float) -> str:
    for key, metres in RACES.items():
        if abs(distance_m - metres) < 0.5:
            return _EXAMPLES[key]
    step = 10 if distance_m > 3000 else 5
    return clock_seconds(round(race_seconds(43.0, distance_m) / step) * step)


def _world_record(distance_m: float) -> tuple[float, bool]:
    """(the world record over ``distance_m``, whether it is a record distance, not interpolated)."""
    for metres, record in WORLD_RECORDS.items():
        if abs(distance_m - metres) < 0.5:
            return record, True
    points = sorted(WORLD_RECORDS.items())
    for (d0, t0), (d1, t1) in zip(points, points[1:]):
        if d0 <= distance_m <= d1:
            exponent = math.log(t1 / t0) / math.log(d1 / d0)
            return t0 * (distance_m / d0) ** exponent, False
    raise ValueError(f"no world record around {distance_m:g} m")


def check_performance(distance_m: float, seconds: float) -> float:
    """The VDOT of a race performance, or PerformanceError when paces can't come from it: a
    distance outside 1500 m to the marathon, a time faster than the world record, or a VDOT
    outside 20 to 90."""
    if not (isinstance(distance_m, (int, float)) and math.isfinite(distance_m) and distance_m > 0):
        raise PerformanceError(f"a race needs a distance over zero, got {distance_m!r}",
                               "give a race from 1500 m to the marathon, e.g. 5k=22:30")
    if not (isinstance(seconds, (int, float)) and math.isfinite(seconds) and seconds > 0):
        raise PerformanceError(f"a race needs a time over zero, got {seconds!r}",
                               f"give your {race_name(distance_m)} time, e.g. {_example(distance_m)}"
                               if MIN_DISTANCE_M - 0.5 <= distance_m <= MAX_DISTANCE_M + 0.5
                               else "give a race from 1500 m to the marathon, e.g. 5k=22:30")
    name = race_name(distance_m)
    if not MIN_DISTANCE_M - 0.5 <= distance_m <= MAX_DISTANCE_M + 0.5:
        too = "short" if distance_m < MIN_DISTANCE_M else "long"
        raise PerformanceError(
            f"{_a(name)} race is too {too} to work out paces from: paces come from races of 1500 m to the marathon",
            "give a mile, 5k, 10k, half marathon or marathon time, e.g. 5k=22:30")
    example = _example(distance_m)
    record, exact = _world_record(distance_m)
    limit = record if exact else record * (1 - _INTERPOLATED_MARGIN)
    if seconds < limit:
        given, best = clock_seconds(seconds), clock_seconds(record)
        if given == best:
            given, best = clock_seconds(seconds, 2), clock_seconds(record, 2)
        what = f"the world record ({best})" if exact else f"world-record pace (about {best})"
        raise PerformanceError(f"{_a(given)} {name} is faster than {what}", f"give a {name} time like {example}")
    value = vdot(distance_m, seconds)
    if value < MIN_VDOT:
        slowest = clock_seconds(math.floor(race_seconds(MIN_VDOT, distance_m)))
        raise PerformanceError(
            f"{_a(clock_seconds(seconds))} {name} is too slow to work out paces from "
            f"(paces start at VDOT {MIN_VDOT:.0f}, {_a(slowest)} {name})",
            f"give a {name} time of {slowest} or faster, e.g. {example}")
    if value > MAX_VDOT:
        raise PerformanceError(
            f"{_a(clock_seconds(seconds))} {name} is beyond the paces supported "
            f"(VDOT {value:.1f}, they go up to {MAX_VDOT:.0f})",
            f"give a {name} time like {example}")
    return value


# ---------------------------------------------------------------- a runner's paces


@dataclass(frozen=True)
class Profile:
    """A runner's paces, all worked out from one performance."""

    vdot: float
    races: dict[str, float]  # name in RACES -> predicted seconds
    zones: dict[str, float]  # name in ZONES -> seconds per km
    easy_range: tuple[float, float]  # E pace, seconds per km: (slower, faster)
    source: str  # what it was worked out from, e.g. "mile 6:40" or "5k 22:30"


def profile(distance_m: float, seconds: float, source: str) -> Profile:
    """The Profile of a runner who ran ``distance_m`` in ``seconds`` (checked by check_performance)."""
    value = check_performance(distance_m, seconds)
    return Profile(
        vdot=value,
        races={name: race_seconds(value, metres) for name, metres in RACES.items()},
        zones=zone_seconds_per_km(value),
        easy_range=easy_range_seconds_per_km(value),
        source=source,
    )
