"""What the coach says, as English templates, and how quantities are spoken.

Every sentence the tracks speak comes from a phrase table: `PHRASES` in English, or a
language pack chosen by the voice (coaching/packs), with the workout's `phrases:` on top.
"""

from __future__ import annotations

from collections.abc import Mapping

from audiocoach.coaching.pack import Pack
from audiocoach.coaching.prompt_pools import POOLS
from audiocoach.language.templates import fill_template
from audiocoach.units import MILE_M, nearest, whole_seconds

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
    "round": "Round {round} of {rounds}",
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
    "split": "{mark}.",
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
    "metre": "1 metre",
    "kilometres": "{n} kilometres",
    "kilometre": "1 kilometre",
    "miles": "{n} miles",
    "mile": "1 mile",
    "per_km": "{time} per kilometre",
    "per_mile": "{time} per mile",
    "per": "{time} per {distance}",
    "by": "{a} by {b}",
    "effort.easy": "easy",
    "effort.steady": "steady",
    "effort.hard": "hard",
    "effort.max": "all out",
}


# Placeholders a phrase may use beyond those of its English default: a split call can say the
# time on pace at the mark ("400. 1 minute 40."), which the default leaves out.
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {"split": ("time",)}


# Said the same in every language: digits (the voice reads them in its language) and bare slots.
NEUTRAL = ("count.1", "count.2", "count.3", "count.4", "count.5", "count.6", "count.7", "count.8", "count.9",
           "count.10", "go.recovery", "split", "intro", "min_sec")


def with_neutral(own: Mapping[str, str]) -> dict[str, str]:
    """A language's phrases with the ones every language shares, in the English table's key order."""
    merged = {**{key: PHRASES[key] for key in NEUTRAL}, **own}
    return {key: merged[key] for key in PHRASES if key in merged}


# The normaliser's words (coaching/speakable.py); a language without "hundreds" reads "200s" as seconds.
WORDS: dict[str, str] = {
    "at": "at", "with": "with", "times": "{n} times", "out_of": "{a} out of {b}", "half": "half",
    "hundreds": "{n} hundreds", "per": "per", "k": "{n} K",  # a runner says "5 K", and "5 K pace"
}

# Said another way so that it is understood through wind and breath (written -> spoken); {a},
# {b}, {n} stand for a number. Each was misheard by a recognizer: "Rep 5 of 10" as "Rep 510",
# "Cadence 180" as "K even 100 baby", "Switch sides" as "Which I'd", "Brace your core" as
# "Race your car". Words, not commas: a comma's pause splits a phrase in two for a listener
# (and for the tests' speech detector, which then hears the second half as noise).
CLEARER: dict[str, str] = {
    "{a} of {b}": "{a} out of {b}",
    "Cadence {n}": "Cadence {n} steps",
    "Switch sides": "Now switch sides",
    "Brace your core": "Tighten your core",
}

ENGLISH_PACK = Pack("en", PHRASES, POOLS, WORDS, CLEARER)


class Phrases:
    """The phrase table a track speaks with: a language pack (English by default), with a workout's
    `phrases:` on top."""

    def __init__(self, overrides: Mapping[str, str] | None = None, pack: Pack = ENGLISH_PACK,
                 pronounce: Mapping[str, str] | None = None):
        self.pack = pack
        self.table = {**pack.phrases, **(overrides or {})}
        self.pronounce = dict(pronounce or {})

    @property
    def language(self) -> str:
        return self.pack.language

    def say(self, key: str, **values: object) -> str:
        """The phrase `key` with its `{placeholders}` filled in (never str.format: see language/templates.py)."""
        return fill_template(self.table[key], values)

    def word(self, key: str, **values: object) -> str | None:
        """One of the normaliser's words in this language, filled in; None where the language has none."""
        text = self.pack.words.get(key)
        return None if text is None else fill_template(text, values)

    def has(self, key: str) -> bool:
        return key in self.table

    def duration(self, ms: int) -> str:
        """A length of time as a coach says it: '90 seconds', '10 minutes', '1 minute 36'."""
        total_s = whole_seconds(ms)
        hours, rest = divmod(total_s, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            parts = [self.count(hours, "hour", "hours")]
            if minutes:
                parts.append(self.count(minutes, "minute", "minutes"))
            return " ".join(parts)
        if minutes == 0 or (minutes == 1 and seconds and total_s <= 90):
            return self.count(total_s, "second", "seconds")
        if seconds == 0:
            return self.count(minutes, "minute", "minutes")
        word = self.say("minute_word") if minutes == 1 else self.say("minutes_word")
        return self.say("min_sec", m=minutes, minute_word=word, s=seconds)

    def count(self, n: int | str, one: str, many: str) -> str:
        """'1 minute' or '3 minutes', each phrase from the table."""
        return self.say(one) if str(n) == "1" else self.say(many, n=n)

    def distance(self, metres: float, units: str = "metric") -> str:
        """A distance as a coach says it: '400 metres', '1.5 kilometres', '1 mile'."""
        if abs(metres - round(metres / MILE_M) * MILE_M) < 1 and metres >= MILE_M - 1:
            return self.count(round(metres / MILE_M), "mile", "miles")
        if metres >= 1000 and (units == "metric" or metres % 1000 == 0):
            return self.count(_trim(metres / 1000), "kilometre", "kilometres")
        return self.count(_trim(metres), "metre", "metres")

    def mark(self, metres: float, every: float, units: str = "metric") -> str:
        """A split mark as called: on a track (splits under 1 km) '200', '1200'; else '1 kilometre', '2 miles'."""
        if every < 1000:
            return _trim(metres)
        return self.distance(metres, units)

    def pace(self, seconds_per_km: float, units: str) -> str:
        """A pace per kilometre (metric) or per mile (imperial): '4 minutes 10 per kilometre'."""
        if units == "imperial":
            return self.say("per_mile", time=self.split_time(seconds_per_km * MILE_M / 1000))
        return self.say("per_km", time=self.split_time(seconds_per_km))

    def split_time(self, seconds: float) -> str:
        """A split or pace time said the way runners say it: '1 minute 36', '6 40', '45 seconds'."""
        total = nearest(seconds)
        minutes, secs = divmod(total, 60)
        if minutes == 0:
            return self.count(secs, "second", "seconds")
        if secs == 0:
            return self.count(minutes, "minute", "minutes")
        if minutes == 1:
            return self.say("min_sec", m=1, minute_word=self.say("minute_word"), s=secs)
        return f"{minutes} {secs:02d}"


ENGLISH = Phrases()


def short_distance(metres: float) -> str:
    """A distance for display: '400 m', '1.5 km', '1 mi'."""
    if abs(metres - round(metres / MILE_M) * MILE_M) < 1 and metres >= MILE_M - 1:
        return f"{round(metres / MILE_M)} mi"
    if metres >= 1000:
        return f"{_trim(metres / 1000)} km"
    return f"{_trim(metres)} m"


def _trim(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text
