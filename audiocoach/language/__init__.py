"""The workout language: YAML with positions, quantities, the typed model, and the loader.

``load_workout(path)`` and ``parse_workout(text)`` return a validated, frozen ``Workout`` or
raise a ``WorkoutError`` located at the line and column of the first problem.
"""

from audiocoach.errors import AudiocoachError, WorkoutError
from audiocoach.language.loader import load_workout, parse_workout
from audiocoach.language.model import (
    RUNNING_KINDS,
    STEP_KINDS,
    Beats,
    Cadence,
    CueAt,
    Distance,
    ExerciseStep,
    Pace,
    Prompts,
    Race,
    RepeatStep,
    Runner,
    RunningStep,
    Step,
    Voice,
    Workout,
)
from audiocoach.language.templates import render_template

__all__ = [
    "load_workout", "parse_workout", "render_template",
    "Workout", "Runner", "Race", "Voice", "Beats", "Prompts",
    "RunningStep", "ExerciseStep", "RepeatStep", "Step", "CueAt", "Distance", "Pace", "Cadence",
    "RUNNING_KINDS", "STEP_KINDS", "AudiocoachError", "WorkoutError",
]
