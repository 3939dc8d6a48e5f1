"""The phrases a workout's plan will measure and speak, found before any audio exists.

Planning asks the voice how long each phrase lasts. To speak them all at once in a process
pool first, the plan is made once with estimated lengths, and every text it measured or
placed is collected. The real plan may ask for a few more (a prompt that fits only with the
real lengths); those are spoken when asked.
"""

from __future__ import annotations

from audiocoach.coaching.advice import estimated_measure
from audiocoach.coaching.plan import make_plan
from audiocoach.language import Workout


def phrases_to_speak(workout: Workout) -> list[str]:
    """Distinct texts the plan of `workout` measures or speaks, in first-asked order."""
    asked: dict[str, None] = {}
    estimate = estimated_measure(workout.voice.rate)

    def measure(text: str) -> int:
        asked[text] = None
        return estimate(text)

    plan = make_plan(workout, measure)
    asked.update(dict.fromkeys(cue.spoken for cue in plan.cues))  # what the voice says, not the cue sheet
    return list(asked)
