"""Warnings about a workout that is valid but will not sound right: words that do not fit their step."""

from __future__ import annotations

from audiocoach.coaching.packs import pack_for
from audiocoach.coaching.phrases import PHRASES
from audiocoach.coaching.plan import TOO_SHORT, Plan, make_plan
from audiocoach.coaching.speakable import speakable
from audiocoach.errors import WorkoutError
from audiocoach.language import Workout
from audiocoach.language.checks import bare_number_warnings

CHARS_PER_WORD = 6  # espeak at N words a minute says about N × 6 characters a minute, spaces included


def estimated_measure(rate_wpm: int):
    """Speech length from text length, for checks that make no audio."""
    ms_per_char = 60_000 / (rate_wpm * CHARS_PER_WORD)
    return lambda text: round(len(text) * ms_per_char)


def plan_without_audio(workout: Workout) -> Plan:
    """The plan with estimated speech lengths (the real plan measures the synthesized clips); its music
    is added by audiocoach.pipeline.checked_plan (coaching never imports music, which depends on it)."""
    return make_plan(workout, estimated_measure(workout.voice.rate))


def warnings(workout: Workout, plan: Plan) -> list[WorkoutError]:
    """Words in the wrong language, bare numbers read as seconds, a step whose own `say` is longer than
    the step, shorter than its start words, or whose start finds no room."""

    found = _untranslated(workout) + bare_number_warnings(workout)
    too_short = {d.step_index: d for d in plan.dropped if d.kind == "start" and d.reason == TOO_SHORT}
    dropped_starts = {d.step_index for d in plan.dropped if d.kind == "start"}
    estimate = estimated_measure(workout.voice.rate)

    def measure(text: str) -> int:  # on what the voice says: "4:48/km" is "4 minutes 48 per kilometre"
        return estimate(speakable(text, plan.phrases))

    for step in plan.steps:
        if step.say and measure(step.say) > step.duration_ms:
            found.append(workout.error((*step.path, "say"), f"'say' takes about {measure(step.say) / 1000:.0f} s, "
                                       f"longer than the step ({step.duration_ms / 1000:g} s)",
                                       "shorten it, or move part of it to the step before"))
        elif step.index in too_short:
            words = too_short[step.index].text
            found.append(workout.error(step.path, f"{step.name} lasts {step.duration_ms / 1000:g} s, less than the "
                                       f"coach's words for it ('{words}', about {measure(words) / 1000:.0f} s)",
                                       "lengthen the step to a few seconds, or join it to the next"))
        elif step.index in dropped_starts:
            found.append(workout.error((*step.path, "say"), f"the start of {step.name} finds no room to be said",
                                       "shorten its 'say', or lengthen the step"))
    return found


def _untranslated(workout: Workout) -> list[WorkoutError]:
    """A voice of a language with no built-in pack, speaking phrases that are still the English defaults."""
    if pack_for(workout.voice.name) is not None or not workout.phrases:
        return []
    missing = [key for key in PHRASES if key not in workout.phrases and not key.startswith("count.")
               and key not in ("go.recovery", "split")]  # these are said in no language's words
    if not missing:
        return []
    shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
    return [workout.error(("phrases",), f"voice '{workout.voice.name}' will say these in English: {shown}",
                          "add them under phrases:", key=True)]
