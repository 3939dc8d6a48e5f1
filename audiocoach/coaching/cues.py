"""What the coach would like to say, and when: cue candidates before scheduling."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from audiocoach.coaching.phrases import say, spoken_duration
from audiocoach.coaching.speakable import speakable

if TYPE_CHECKING:
    from audiocoach.coaching.timeline import TimedStep

Measure = Callable[[str], int]  # text -> spoken length in ms

# Lower number wins when two cues want the same moment.
PRIORITY = {
    "intro": 0, "outro": 0, "countdown": 0, "go": 0, "switch": 0,
    "start": 1, "next": 2, "remaining": 3, "halfway": 4, "cue": 5, "prompt": 6,
}
DEFAULT_COUNTDOWN = 3
GAP_MS = 300  # silence kept between two spoken cues
NEXT_LEAD_MS = 10_000  # the preview ends this long before the countdown starts
FOLD_PREVIEW_BELOW_MS = 45_000  # in a shorter recovery the preview is said as the step starts
PROMPT_QUIET_MS = 15_000  # no prompt this close to a boundary
PROMPT_LEAD_MS = 20_000  # nor this soon after a step starts
PROMPT_CLEARANCE_MS = 8_000  # a prompt needs this much quiet on each side: one line, not a paragraph


@dataclass(frozen=True)
class Candidate:
    """A cue the coach wants to say at `at_ms`; it may move as early as `earliest_ms`."""

    kind: str
    text: str
    at_ms: int
    earliest_ms: int
    step_index: int | None = None
    clearance_ms: int = 0  # silence this cue needs around it, beyond the usual gap

    @property
    def priority(self) -> int:
        return PRIORITY[self.kind]


@dataclass(frozen=True)
class Context:
    """What cue generation needs beyond the steps themselves."""

    title: str
    summary_main: str | None
    mantras: tuple[str, ...] = ()
    prompt_every_ms: int = 60_000
    last_rep_text: str | None = None
    main_block: tuple[str | int, ...] | None = None  # path of the main set, whose last rep gets last_rep_text


def candidates(steps: Sequence[TimedStep], ctx: Context, measure: Measure) -> list[Candidate]:
    """Every cue the coach would say if nothing competed for the moment, in words a voice can say."""
    spoken = [replace(c, text=speakable(c.text)) for c in _candidates(steps, ctx, lambda t: measure(speakable(t)))]
    return [c for c in spoken if c.text]


def _candidates(steps: Sequence[TimedStep], ctx: Context, measure: Measure) -> list[Candidate]:
    about = spoken_duration(max(1, round(steps[-1].end_ms / 60_000)) * 60_000)  # "about 47 minutes"
    intro = Candidate("intro", say("intro", title=ctx.title.rstrip("."), summary=_summary(ctx, about)), 0, 0)
    found = [intro]
    intro_end = measure(intro.text) + GAP_MS
    for prev, step, nxt in zip([None, *steps[:-1]], steps, [*steps[1:], None]):
        found += _countdown(prev, step, measure)
        found += _start(prev, step, nxt, ctx, measure, intro_end)
        found += _during(step, nxt, measure)
    found += _prompts(steps, ctx, measure)
    found.append(_outro(steps[-1], ctx, about))
    return found


def _summary(ctx: Context, about: str) -> str:
    if ctx.summary_main and ctx.summary_main not in speakable(ctx.title):
        return say("summary", main=ctx.summary_main, duration=about)
    return say("summary.plain", duration=about)


def _outro(last: TimedStep, ctx: Context, about: str) -> Candidate:
    if ctx.summary_main:
        text = say("outro", main=ctx.summary_main, duration=about)
    else:
        text = say("outro.plain", duration=about)
    return Candidate("outro", text, last.end_ms, last.end_ms, last.index)


def countdown_length(step: TimedStep, prev: TimedStep | None) -> int:
    """How many numbers are counted into `step` (0 for the first step)."""
    if prev is None:
        return 0
    wanted = DEFAULT_COUNTDOWN if step.countdown is None else step.countdown
    # never count back past the start of the step being left
    return max(0, min(wanted, (prev.duration_ms - 1_000) // 1_000))


def _countdown(prev: TimedStep | None, step: TimedStep, measure: Measure) -> Iterator[Candidate]:
    count = countdown_length(step, prev)
    if count == 0:
        return
    numbers = [say(f"count.{n}") for n in range(count, 0, -1)]
    spacing = max(1_000, max(measure(n) for n in numbers) + GAP_MS)
    boundary = step.start_ms
    for k, number in zip(range(count, 0, -1), numbers):
        at = boundary - k * spacing
        yield Candidate("countdown", number, at, at, step.index)
    yield Candidate("go", go_word(step), boundary, boundary, step.index)


def go_word(step: TimedStep) -> str:
    """The word that lands on the boundary: 'Go!' into work, the kind's name into anything else."""
    if step.is_work:
        return say("go")
    return say("go.recovery", kind=say(f"kind.{step.kind}"))


def _start(prev, step: TimedStep, nxt, ctx: Context, measure: Measure, intro_end: int) -> Iterator[Candidate]:
    at = step.start_ms
    if prev is None:
        at = intro_end
    elif countdown_length(step, prev):
        at += measure(go_word(step)) + GAP_MS
    text = _start_text(prev, step, nxt, ctx)
    if text:
        yield Candidate("start", text, at, at, step.index)


def _start_text(prev: TimedStep | None, step: TimedStep, nxt: TimedStep | None, ctx: Context) -> str:
    extras = [_last_rep_text(step, ctx)] if step.last_rep else []
    if _previewed(prev, step):
        return _sentences([None if _names_itself(step) else step.name, step.say, *extras])
    if _names_itself(step):
        return _sentences([step.say, *extras, _cadence_change(prev, step)])
    # after a go word that already named the kind ("Jog."), the name is not said twice
    named = prev is not None and countdown_length(step, prev) and not step.is_work and step.name == say(f"kind.{step.kind}")
    details = [None if named else step.name, step.length_spoken, step.target_spoken or step.target]
    head = ", ".join(d for d in details if d)
    preview = _preview_text(step, nxt) if _folds_preview(step, nxt) else None
    return _sentences([head[:1].upper() + head[1:], *extras, _cadence_change(prev, step), step.say, preview])


def _last_rep_text(step: TimedStep, ctx: Context) -> str:
    """The workout's own last-rep line belongs to the main set; other blocks just hear 'Last one.'"""
    if ctx.last_rep_text and step.path[:2] == ctx.main_block:
        return ctx.last_rep_text
    return say("last_rep")


def _names_itself(step: TimedStep) -> bool:
    return bool(step.say) and step.say.lower().startswith(step.name.lower())


def _cadence_change(prev: TimedStep | None, step: TimedStep) -> str | None:
    if step.cadence_spm is None or (prev is not None and prev.cadence_spm == step.cadence_spm):
        return None
    return say("cadence", spm=round(step.cadence_spm))


def _sentences(parts: Sequence[str | None]) -> str:
    """Join phrases into sentences, each ending in one stop."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in kept)


def _previewed(prev: TimedStep | None, step: TimedStep) -> bool:
    """Whether the step before will have announced this one with a 'next' cue."""
    return prev is not None and _wants_preview(prev, step)


def _wants_preview(step: TimedStep, nxt: TimedStep | None) -> bool:
    return nxt is not None and not step.is_work and nxt.is_work and step.duration_ms >= 15_000


def _during(step: TimedStep, nxt: TimedStep | None, measure: Measure) -> Iterator[Candidate]:
    yield from _next(step, nxt, measure)
    yield from _midpoint(step)
    yield from _remaining(step, nxt)
    yield from _own_cues(step)


def _folds_preview(step: TimedStep, nxt: TimedStep | None) -> bool:
    return _wants_preview(step, nxt) and step.duration_ms < FOLD_PREVIEW_BELOW_MS


def _preview_text(step: TimedStep, nxt: TimedStep) -> str:
    details = [nxt.name, nxt.length_spoken, nxt.target_spoken or nxt.target]
    return say("next", what=", ".join(d for d in details if d))


def _next(step: TimedStep, nxt: TimedStep | None, measure: Measure) -> Iterator[Candidate]:
    if not _wants_preview(step, nxt) or _folds_preview(step, nxt):
        return
    text = _preview_text(step, nxt)
    count_start = nxt.start_ms - countdown_length(nxt, step) * 1_000
    at = max(step.start_ms, count_start - NEXT_LEAD_MS - measure(text))
    yield Candidate("next", text, at, step.start_ms, step.index)


def _midpoint(step: TimedStep) -> Iterator[Candidate]:
    mid = step.start_ms + step.duration_ms // 2
    if step.sides:
        yield Candidate("switch", say("switch"), mid, mid, step.index)
    elif step.duration_ms >= 60_000 and not step.is_recovery:
        text = say("halfway") if step.is_work or step.in_repeat else say(
            "halfway.long", kind_lower=say(f"kind.{step.kind}").lower())
        slack = max(2_000, step.duration_ms // 20)
        yield Candidate("halfway", text, mid, mid - slack, step.index)


def _remaining(step: TimedStep, nxt: TimedStep | None) -> Iterator[Candidate]:
    if step.duration_ms >= 120_000 and not _wants_preview(step, nxt):  # the preview says it better
        at = step.end_ms - 30_000
        yield Candidate("remaining", say("remaining", time=spoken_duration(30_000)), at, at - 1_500, step.index)
    if step.is_work and step.duration_ms >= 40_000:
        at = step.end_ms - 10_000
        yield Candidate("remaining", say("remaining.short", time=spoken_duration(10_000)), at, at - 1_000, step.index)


def _own_cues(step: TimedStep) -> Iterator[Candidate]:
    spread = [text for at, text in step.cues if at is None]
    for i, text in enumerate(spread, start=1):
        at = step.start_ms + step.duration_ms * i // (len(spread) + 1)
        yield Candidate("cue", text, at, step.start_ms, step.index)
    for offset, text in step.cues:
        if offset is not None:
            at = step.start_ms + offset
            yield Candidate("cue", text, at, step.start_ms, step.index)


def _prompts(steps: Sequence[TimedStep], ctx: Context, measure: Measure) -> Iterator[Candidate]:
    """Mantras in work steps, at most one per `prompt_every_ms`, in turn."""
    if not ctx.mantras:
        return
    turn, last_at = 0, -ctx.prompt_every_ms
    for step in steps:
        if not (step.is_work and step.prompts):
            continue
        at = max(step.start_ms + PROMPT_LEAD_MS, last_at + ctx.prompt_every_ms)
        while True:
            text = ctx.mantras[turn % len(ctx.mantras)]
            if at + measure(text) > step.end_ms - PROMPT_QUIET_MS:
                break
            earliest = max(step.start_ms, at - ctx.prompt_every_ms // 2)
            yield Candidate("prompt", text, at, earliest, step.index, clearance_ms=PROMPT_CLEARANCE_MS)
            turn, last_at = turn + 1, at
            at += ctx.prompt_every_ms
