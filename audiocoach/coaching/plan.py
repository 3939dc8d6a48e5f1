"""The plan: every step and every spoken cue of a track, on one clock. The MP3 is rendered from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from audiocoach.coaching.cues import GAP_MS, Context, candidates, take
from audiocoach.coaching.phrase_table import phrases_for
from audiocoach.coaching.phrases import ENGLISH, Phrases
from audiocoach.coaching.prompt_pools import prompt_order, prompt_pool
from audiocoach.coaching.schedule import DroppedCue, PlacedCue, schedule
from audiocoach.coaching.timeline import TimedStep, expand
from audiocoach.language import RepeatStep, Workout

if TYPE_CHECKING:
    from audiocoach.music.plays import MusicPlay

OUTRO_TAIL_MS = 1_500  # silence after the outro, so the track does not stop mid-breath


@dataclass(frozen=True)
class Plan:
    """What the track says and plays, and when."""

    title: str
    duration_ms: int
    steps: tuple[TimedStep, ...]
    cues: tuple[PlacedCue, ...]
    dropped: tuple[DroppedCue, ...]
    phrases: Phrases = field(default=ENGLISH, compare=False)  # the language it speaks (chapter titles use it too)
    music: tuple[MusicPlay, ...] = ()  # what plays under the coach (audiocoach/music/plays.py)

    def to_json(self) -> dict:
        """The `plan --json` document (with a `music` list when music plays)."""
        music = {"music": [play.to_json() for play in self.music]} if self.music else {}
        return {
            "title": self.title,
            "duration_s": _seconds(self.duration_ms),
            "steps": [
                {
                    "index": s.index,
                    "kind": s.kind,
                    "name": s.name,
                    "start_s": _seconds(s.start_ms),
                    "end_s": _seconds(s.end_ms),
                    "cadence_spm": s.cadence_spm,
                    "target": s.target,
                }
                for s in self.steps
            ],
            "cues": [
                {"at_s": _seconds(c.at_ms), "end_s": _seconds(c.end_ms), "kind": c.kind, "text": c.text,
                 "spoken": c.spoken}
                for c in self.cues
            ],
            **music,
        }


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)


def make_plan(workout: Workout, measure, runner_cadence: float | None = None) -> Plan:
    """Expand the workout, schedule its cues with speech lengths from `measure`, and end after the outro."""
    phrases = phrases_for(workout)
    steps = expand(workout, runner_cadence, phrases)
    main = main_block(workout, steps)
    builtin = phrases.pack.pools if workout.prompts.builtin else {}  # in the voice's language
    pool = prompt_pool(workout.kind, workout.prompts.mantras, builtin)
    ctx = Context(
        title=workout.title,
        summary_main=summary_main(workout, steps, main, phrases),
        summary_reps=None if main is None else _repeat_at(workout, main).repeat,
        main_block=None if main is None else ("steps", main),
        prompts=take(prompt_order(pool, workout.title), steps[-1].end_ms // workout.prompts.every + 1),
        prompt_every_ms=workout.prompts.every,
        last_rep_text=workout.prompts.last_rep,
        phrases=phrases,
    )
    wanted = candidates(steps, ctx, measure)
    outro = [measure(c.spoken) for c in wanted if c.kind == "outro"]
    duration_ms = steps[-1].end_ms + sum(outro) + OUTRO_TAIL_MS
    cues, dropped = schedule(wanted, measure, duration_ms)
    cues, late = _within_their_steps(cues, steps)
    return Plan(workout.title, duration_ms, steps, cues, tuple(sorted(dropped + late, key=lambda d: d.at_ms)), phrases)


def _within_their_steps(cues: tuple[PlacedCue, ...], steps: tuple[TimedStep, ...]):
    """A step's start words that could only be said once the step is over are dropped, not said late
    (a 0.5 s step would otherwise hear "Run, 0 seconds" in the next one)."""
    kept, late = [], []
    for cue in cues:
        step = steps[cue.step_index] if cue.kind == "start" and cue.step_index is not None else None
        if step is not None and cue.at_ms >= step.end_ms:
            late.append(DroppedCue(cue.at_ms, cue.kind, cue.text, TOO_SHORT, step.start_ms, cue.step_index))
        else:
            kept.append(cue)
    return tuple(kept), tuple(late)


TOO_SHORT = "the step is over before it can be said"


def main_block(workout: Workout, steps: tuple[TimedStep, ...]) -> int | None:
    """Index of the main set: the top-level repeat that lasts longest (the first of equals)."""
    spans: dict[int, int] = {}
    for step in steps:
        top = int(step.path[1])  # a path is ("steps", index, ...)
        if isinstance(workout.steps[top], RepeatStep):
            spans[top] = spans.get(top, 0) + step.duration_ms
    return max(spans, key=lambda i: (spans[i], -i)) if spans else None


def summary_main(workout: Workout, steps: tuple[TimedStep, ...], top: int | None, phrases: Phrases) -> str | None:
    """'8 by 400 metres' for the main set, or None when the workout has no repeat."""
    if top is None:
        return None
    repeat = _repeat_at(workout, top)
    first_round = [s for s in steps if s.path[1] == top and s.values.get("rep") == 1 and "round" not in s.values]
    work = {s.length_spoken for s in first_round if s.is_work}
    if len(work) == 1 and all(not isinstance(s, RepeatStep) for s in repeat.steps):
        return phrases.say("summary.repeat", reps=repeat.repeat, length=work.pop())
    return phrases.say("summary.rounds", reps=repeat.repeat)


def _repeat_at(workout: Workout, index: int) -> RepeatStep:
    """The top-level repeat at ``index`` (main_block picks only repeats)."""
    step = workout.steps[index]
    assert isinstance(step, RepeatStep), "invariant: main_block picks only repeats"
    return step


__all__ = ["Plan", "PlacedCue", "DroppedCue", "TimedStep", "make_plan", "GAP_MS"]
