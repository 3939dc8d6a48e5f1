"""Text as it should be spoken: what a person writes, turned into what a voice should say.

The cue sheet, LRC and chapters keep the written text; only the voice gets `speakable(text)`,
and speech lengths are measured on it. Written and spoken forms, side by side, are in
docs/workout-language.md ("What the voice says") and tests/test_speakable.py.

Numbers stay digits: espeak-ng (and Piper, which phonemizes with espeak-ng) reads digits by
each language's own rules ("176" is "einhundertsechsundsiebzig" in German, "cent
soixante-seize" in French), so spelling them here would only duplicate that, worse. What
digits alone cannot say is written out: clock times (`4:48` is "4 minutes 48", never "4 48"
heard as "for 48"), units, `x` and `×`, fractions, `@`, `w/`, ordinals and plurals.

Linear in the text's length: every rule starts only where a number starts (a look-behind
refuses the inside of a digit run) and uses possessive or bounded repeats, so a run of 20,000
digits costs each rule one scan, not a scan per digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from audiocoach.coaching.phrases import ENGLISH, Phrases

_NUM = r"\d++(?:\.\d++)?"
_START = r"(?<![\w.:/])"  # a number starts here: not inside a word, a number, a clock or a fraction
_UNITS = {  # shorthand -> phrase keys for one and many
    "km": ("kilometre", "kilometres"), "k": ("kilometre", "kilometres"),
    "mi": ("mile", "miles"),
    "m": ("metre", "metres"),
    "min": ("minute", "minutes"), "mins": ("minute", "minutes"),
    "s": ("second", "seconds"), "sec": ("second", "seconds"), "secs": ("second", "seconds"),
    "h": ("hour", "hours"), "hr": ("hour", "hours"), "hrs": ("hour", "hours"),
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_PER = {"mi": "per_mile", "km": "per_km", "k": "per_km"}
_CLOCK = r"\d{1,3}(?::[0-5]\d){1,2}"
_END = r"(?![\w'’])"

_TIMES = re.compile(rf"{_START}({_NUM})\s*+[×x]\s*+({_NUM})(?!\d)")
_N_TIMES = re.compile(rf"{_START}(\d++)\s?[×x](?!\w)")
_CLOCK_TIME = re.compile(rf"{_START}({_CLOCK})(?![\w:]|[.,]\d)")
_QUANTITY = re.compile(rf"{_START}({_NUM})(\s?)({_UNIT}){_END}")
_AT = re.compile(r"\s*+@\s*+")
_WITH = re.compile(r"(?<![\w/])[wW]/\s*+")
_FRACTION = re.compile(rf"{_START}(\d++)/(\d++)(?![\w/]|[.,]\d)")
_ORDINAL = re.compile(rf"{_START}(\d{{1,2}})(st|nd|rd|th)(?!\w)")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

_ONES = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
         "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
         "eighteenth", "nineteenth")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TENTHS = ("", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
           "ninetieth")
_FRACTIONS = {("1", "2"): "half"}  # the one fraction said as a word; others are "n out of d"


def speakable(text: str, phrases: Phrases = ENGLISH) -> str:
    """`text` as the voice should say it: `Hold 4:48 per km.` -> "Hold 4 minutes 48 per kilometre."."""
    text = _pronounced(text, phrases.pronounce)
    for rule in _rules(phrases):
        text = rule(text)
    return _clearer(text, phrases.pack.clearer)


def _rules(ph: Phrases) -> list[Callable[[str], str]]:
    per = re.escape(ph.word("per") or "per")
    pace = re.compile(rf"{_START}({_CLOCK}|\d++\s*+s)\s*+(?:/|{per}(?!\w))\s*+(?:({_NUM})\s*+)?(km|k|mi|m){_END}")
    at, with_ = ph.word("at"), ph.word("with")
    return [
        lambda t: pace.sub(lambda m: _pace(m, ph), t),
        lambda t: _TIMES.sub(lambda m: ph.say("by", a=m.group(1), b=m.group(2)), t),
        lambda t: _N_TIMES.sub(lambda m: ph.word("times", n=m.group(1)) or m.group(), t),
        lambda t: _CLOCK_TIME.sub(lambda m: clock_words(m.group(1), ph), t),
        lambda t: _QUANTITY.sub(lambda m: _quantity(m.group(1), m.group(3), ph, attached=not m.group(2)), t),
        lambda t: _AT.sub(f" {at} ", t).strip() if at and "@" in t else t,
        lambda t: _WITH.sub(f"{with_} ", t) if with_ else t,
        lambda t: _FRACTION.sub(lambda m: _fraction(m.group(1), m.group(2), ph), t),
        lambda t: _ORDINAL.sub(_ordinal, t) if ph.language == "en" else t,
    ]


def _pace(match: re.Match, ph: Phrases) -> str:
    time, count, unit = match.group(1), match.group(2), match.group(3)
    time = clock_words(time, ph) if ":" in time else _quantity(time.rstrip("s").strip(), "s", ph)
    if count:
        return ph.say("per", time=time, distance=_quantity(count, unit, ph))
    if unit in _PER:
        return ph.say(_PER[unit], time=time)
    return ph.say("per", time=time, distance=ph.say("metre"))


def clock_words(clock: str, ph: Phrases = ENGLISH) -> str:
    """'4:48' -> '4 minutes 48', '24:00' -> '24 minutes', '0:45' -> '45 seconds', '1:05:30' -> '1 hour 5 minutes 30'."""
    *hours, minutes, seconds = (int(part) for part in clock.split(":"))
    parts = [ph.count(hours[0], "hour", "hours")] if hours and hours[0] else []
    if minutes and seconds:
        word = ph.say("minute_word") if minutes == 1 else ph.say("minutes_word")
        parts.append(ph.say("min_sec", m=minutes, minute_word=word, s=seconds))
    elif minutes:
        parts.append(ph.count(minutes, "minute", "minutes"))
    elif seconds or not parts:
        parts.append(ph.count(seconds, "second", "seconds"))
    return " ".join(parts)


def _quantity(number: str, unit: str, ph: Phrases, attached: bool = False) -> str:
    # "200s" written on is the plural of 200 (a session of 200 m reps), not 200 seconds
    if unit == "s" and attached and number.isdigit() and 3 <= len(number) <= 6 and number[0] != "0" \
            and number.endswith("00"):
        hundreds = int(number) // 100
        plural = ph.word("hundreds", n="" if hundreds == 1 else hundreds)
        if plural:
            return plural.strip()
    if unit == "k" and (k := ph.word("k", n=number)):
        return k
    one, many = _UNITS[unit]
    return ph.count(number, one, many)


def _fraction(numerator: str, denominator: str, ph: Phrases) -> str:
    if (numerator, denominator) in _FRACTIONS and (half := ph.word("half")):
        return half
    return ph.word("out_of", a=numerator, b=denominator) or f"{numerator}/{denominator}"


def _ordinal(match: re.Match) -> str:
    """'1st' -> 'first', '22nd' -> 'twenty-second'; a wrong suffix ('1th') is left as written."""
    n, suffix = int(match.group(1)), match.group(2)
    expected = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    if n == 0 or suffix != expected:
        return match.group()
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENTHS[tens] if ones == 0 else f"{_TENS[tens]}-{_ONES[ones]}"


def _pronounced(text: str, pronounce: Mapping[str, str]) -> str:
    """The workout's `pronounce:` map: each whole word or phrase replaced by how it is said."""
    if not pronounce:
        return text
    pattern = _literal_pattern(tuple(sorted(pronounce, key=len, reverse=True)))
    return pattern.sub(lambda m: pronounce[m.group()], text)


@lru_cache(maxsize=64)
def _literal_pattern(keys: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")


def _clearer(text: str, clearer: Mapping[str, str]) -> str:
    for pattern, spoken in _clearer_patterns(tuple(clearer.items())):
        text = pattern.sub(_filled(spoken), text)
    return text


def _filled(spoken: str) -> Callable[[re.Match[str]], str]:
    """The replacement for a match: ``spoken`` with the match's groups put in its placeholders."""

    def fill(match: re.Match[str]) -> str:
        return _PLACEHOLDER.sub(lambda p: match.group(p.group(1)), spoken)

    return fill


@lru_cache(maxsize=16)
def _clearer_patterns(items: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern, str]]:
    """Each written form as a pattern: its words as written, each {a}/{b}/{n} a number."""
    found = []
    for written, spoken in items:
        literal = re.escape(written).replace(r"\{", "{").replace(r"\}", "}")
        pattern = _PLACEHOLDER.sub(lambda m: f"(?P<{m.group(1)}>{_NUM})", literal)
        found.append((re.compile(rf"(?<![\w.]){pattern}(?![\w'’])"), spoken))
    return found
