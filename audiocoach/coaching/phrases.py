"""What the coach says, as English templates, and how quantities are spoken.

Every sentence the tracks speak comes from `PHRASES`, so a later `phrases:` section can
replace any of them (and so a workout can coach in another language).
"""

from __future__ import annotations

PHRASES: dict[str, str] = {
    # names of step kinds, as spoken and shown
    "kind.warmup": "Warm-up",
    "kind.run": "Run",
    "kind.stride": "Stride",
    "kind.hill": "Hill",
    "kind.stairs": "Stairs",
    "kind.jog": "Jog",
    "kind.walk": "Walk",
    "kind.rest": "Rest",
    "kind.cooldown": "Cool-down",
    "rep": "Rep {rep} of {reps}",
    "rep.stride": "Stride {rep} of {reps}",
    "rep.hill": "Hill {rep} of {reps}",
    "last_rep": "Last one.",
    # the word that lands on a boundary after the count
    "go": "Go!",
    "go.recovery": "{kind}.",
    "count.1": "1",
    "count.2": "2",
    "count.3": "3",
    "count.4": "4",
    "count.5": "5",
    "count.6": "6",
    "count.7": "7",
    "count.8": "8",
    "count.9": "9",
    "count.10": "10",
    # cues
    "intro": "{title}. {summary}",
    "summary": "{main}, about {duration}.",
    "summary.plain": "About {duration}.",
    "summary.repeat": "{reps} by {length}",
    "summary.rounds": "{reps} rounds",
    "next": "Next: {what}.",
    "halfway": "Halfway.",
    "halfway.long": "Halfway through the {kind_lower}.",
    "remaining": "{time} to go.",
    "remaining.short": "{time}.",
    "switch": "Switch sides.",
    "cadence": "Cadence {spm}.",
    "aim": "aim for {time}",
    "at_pace": "at {pace}",
    "outro": "Done: {main} in {duration}. Great work. Stretch, and drink some water.",
    "outro.plain": "Done: {duration}. Great work. Stretch, and drink some water.",
    # quantities
    "seconds": "{n} seconds",
    "second": "1 second",
    "minutes": "{n} minutes",
    "minute": "1 minute",
    "hours": "{n} hours",
    "hour": "1 hour",
    "min_sec": "{m} {minute_word} {s}",
    "minute_word": "minute",
    "minutes_word": "minutes",
    "metres": "{n} metres",
    "kilometres": "{n} kilometres",
    "kilometre": "1 kilometre",
    "miles": "{n} miles",
    "mile": "1 mile",
    "per_km": "{time} per kilometre",
    "per_mile": "{time} per mile",
    "effort.easy": "easy",
    "effort.steady": "steady",
    "effort.hard": "hard",
    "effort.max": "all out",
}


def say(key: str, **values: object) -> str:
    """The phrase `key` with its `{placeholders}` filled in."""
    return PHRASES[key].format(**values)


def spoken_duration(ms: int) -> str:
    """A length of time as a coach says it: '90 seconds', '10 minutes', '1 minute 36'."""
    total_s = round(ms / 1000)
    hours, rest = divmod(total_s, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        parts = [say("hour") if hours == 1 else say("hours", n=hours)]
        if minutes:
            parts.append(say("minute") if minutes == 1 else say("minutes", n=minutes))
        return " ".join(parts)
    if minutes == 0 or (minutes == 1 and seconds and total_s <= 90):
        return say("second") if total_s == 1 else say("seconds", n=total_s)
    if seconds == 0:
        return say("minute") if minutes == 1 else say("minutes", n=minutes)
    word = say("minute_word") if minutes == 1 else say("minutes_word")
    return say("min_sec", m=minutes, minute_word=word, s=seconds)


def spoken_distance(metres: float, units: str = "metric") -> str:
    """A distance as a coach says it: '400 metres', '1.5 kilometres', '1 mile'."""
    if abs(metres - round(metres / 1609.344) * 1609.344) < 1 and metres >= 1609:
        miles = round(metres / 1609.344)
        return say("mile") if miles == 1 else say("miles", n=miles)
    if metres >= 1000 and (units == "metric" or metres % 1000 == 0):
        km = _trim(metres / 1000)
        return say("kilometre") if km == "1" else say("kilometres", n=km)
    return say("metres", n=_trim(metres))


def spoken_pace(seconds_per_km: float, units: str) -> str:
    """A pace per kilometre (metric) or per mile (imperial): '4 minutes 10 per kilometre'."""
    if units == "imperial":
        return say("per_mile", time=spoken_clock(seconds_per_km * 1.609344))
    return say("per_km", time=spoken_clock(seconds_per_km))


def spoken_clock(seconds: float) -> str:
    """A split or pace time said the way runners say it: '1 minute 36', '6 40', '45 seconds'."""
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return say("seconds", n=secs)
    if secs == 0:
        return say("minute") if minutes == 1 else say("minutes", n=minutes)
    if minutes == 1:
        return say("min_sec", m=1, minute_word=say("minute_word"), s=secs)
    return f"{minutes} {secs:02d}"


def clock(ms: int, tenths: bool = False) -> str:
    """'m:ss' (or 'h:mm:ss') for display; with tenths, 'm:ss.s'."""
    if tenths:
        total_ds = round(ms / 100)
        seconds, ds = divmod(total_ds, 10)
        return f"{clock(seconds * 1000)}.{ds}"
    total = round(ms / 1000)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def short_distance(metres: float) -> str:
    """A distance for display: '400 m', '1.5 km', '1 mi'."""
    if abs(metres - round(metres / 1609.344) * 1609.344) < 1 and metres >= 1609:
        return f"{round(metres / 1609.344)} mi"
    if metres >= 1000:
        return f"{_trim(metres / 1000)} km"
    return f"{_trim(metres)} m"


def _trim(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text
