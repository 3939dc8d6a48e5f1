"""A workout's `phrases:` checked against the coach's phrase table, so a typo is an error, not English."""

from __future__ import annotations

import difflib
import string

from audiocoach.coaching.phrases import PHRASES, Phrases
from audiocoach.language import Workout


def phrases_for(workout: Workout) -> Phrases:
    """The phrase table with the workout's own phrases on top; each key and placeholder checked."""
    for key, text in workout.phrases.items():
        if key not in PHRASES:
            close = difflib.get_close_matches(key, PHRASES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see the phrase keys in docs/workout-language.md"
            raise workout.error(("phrases", key), f"unknown phrase '{key}'", hint, key=True)
        allowed = _placeholders(PHRASES[key])
        try:
            used = _placeholders(text)
        except ValueError as err:
            raise workout.error(("phrases", key), f"phrase '{key}' is not a valid template: {err}",
                                "write placeholders as {name}, and {{ for a brace") from err
        if used - allowed:
            shown = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
            raise workout.error(("phrases", key), f"phrase '{key}' uses {{{sorted(used - allowed)[0]}}}",
                                f"this phrase knows: {shown}")
    return Phrases(workout.phrases)


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
