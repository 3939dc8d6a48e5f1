"""What a pace is for the runner a workout is built for: ``mile``, ``5k`` or ``T`` become times.

The runner's paces come from one performance (a mile time or a race) through Daniels' VDOT
(``audiocoach.running.vdot``). A workout without one can still use absolute paces.
"""

from __future__ import annotations

from functools import lru_cache

from audiocoach.language.quantities import RACE_PACES, ZONE_PACES, Pace, QuantityError, RelativePace
from audiocoach.running.vdot import profile, race_seconds

__all__ = ["runner_profile", "base_seconds_per_km", "absolute_pace", "NO_RUNNER_HINT"]

NO_RUNNER_HINT = ('add runner: {mile: "6:40"} (or race: {distance: 5k, time: "22:30"}) to the workout, '
                  "or build with --mile 6:40 or --race 5k=22:30")


@lru_cache(maxsize=256)
def runner_profile(runner):
    """The runner's Profile (VDOT, race times, zones), or None when no performance is given."""
    performance = None if runner is None else runner.performance()
    return None if performance is None else profile(*performance)


def base_seconds_per_km(profile, base: str) -> float:
    """Seconds per km of a named pace for this profile: a zone, or a race's predicted pace."""
    if base in ZONE_PACES:
        return profile.zones[base]
    metres = RACE_PACES[base]
    seconds = profile.races[base] if base in profile.races else race_seconds(profile.vdot, metres)
    return seconds / metres * 1000


def absolute_pace(pace: Pace | RelativePace, runner) -> Pace:
    """``pace`` as time per distance for ``runner``; a named pace needs the runner's performance."""
    if isinstance(pace, Pace):
        return pace
    profile = runner_profile(runner)
    if profile is None:
        what = "training zone" if pace.base in ZONE_PACES else "race pace"
        raise QuantityError(f"pace '{pace}' is a {what} of the runner, and no mile or race time is given",
                            NO_RUNNER_HINT)
    return pace.resolve(base_seconds_per_km(profile, pace.base))
