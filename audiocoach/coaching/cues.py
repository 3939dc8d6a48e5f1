"""What the coach would like to say, and when: cue candidates before scheduling."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from audiocoach.coaching.phrases import ENGLISH, Phrases
from audiocoach.coaching.speakable import speakable

if TYPE_CHECKING:
    from audiocoach.coaching.timeline import TimedStep

Measure = Callable[[str], int]  # text -> spoken length in ms

# Lower number wins when two cues want the same moment.
PRIORITY = {
    "intro": 0, "outro": 0, "countdown": 0, "go": 0, "switch": 0,
    "start": 1, "next": 2, "split": 2, "remaining": 3, "halfway": 4, "cue": 5, "prompt": 6,
}
GAP_MS = 300  # silence kept between two spoken cues
NEXT_LEAD_MS = 10_000  # the preview ends this long before the countdown starts
FOLD_PREVIEW_BELOW_MS = 45_000  # in a shorter recovery the preview is said as the step starts
PROMPT_QUIET_MS = 15_000  # no prompt this close to a boundary
PROMPT_LEAD_MS = 20_000  # nor this soon after a step starts
PROMPT_CLEARANCE_MS = 8_000  # a prompt needs this much quiet on each side: one line, not a paragraph
PROMPT_MIN_STEP_MS = 60_000  # a shorter step has enough to say already
DEFAULT_REMAINING = (30_000, 10_000)


@dataclass(frozen=True)
class Candidate:
    """A cue the coach wants to say at `at_ms`; it may move as early as `earliest_ms`."""

    kind: str
    text: str
    at_ms: int
    earliest_ms: int
    step_index: int | None = None
    clearance_ms: int = 0  # silence this cue needs around it, beyond the usual gap
    spoken: str = ""  # what the voice says (see speakable); `text` is what a person reads

    @property
    def priority(self) -> int:
        return PRIORITY[self.kind]


@dataclass(frozen=True)
class Context:
    """What cue generation needs beyond the steps themselves."""

    title: str
    summary_main: str | None
    summary_reps: int | None = None  # the main set's count, to notice a title that already says "8 by …"
    prompts: Sequence[str] = ()  # in the order they are to be said
    prompt_every_ms: int = 60_000
    last_rep_text: str | None = None
    main_block: tuple[str | int, ...] | None = None  # path of the main set, whose last rep gets last_rep_text
    phrases: Phrases = ENGLISH


def candidates(steps: Sequence[TimedStep], ctx: Context, measure: Measure) -> list[Candidate]:
    """Every cue the coach would say if nothing competed for the moment: its written text, and
    its spoken form, on which `measure` is taken."""
    ph = ctx.phrases
    found = _candidates(steps, ctx, lambda text: measure(speakable(text, ph)))
    spoken = [replace(c, spoken=speakable(c.text, ph)) for c in found]
    return [c for c in spoken if c.spoken.strip()]


def _candidates(steps: Sequence[TimedStep], ctx: Context, measure: Measure) -> list[Candidate]:
    ph = ctx.phrases
    about = ph.duration(max(1, round(steps[-1].end_ms / 60_000)) * 60_000)  # "about 47 minutes"
    found: list[Candidate] = []
    intro_end = 0
    if steps[0].announce.intro:
        intro = Candidate("intro", ph.say("intro", title=ctx.title.rstrip("."), summary=_summary(ctx, about)), 0, 0)
        found.append(intro)
        intro_end = measure(intro.text) + GAP_MS
    for prev, step, nxt in zip([None, *steps[:-1]], steps, [*steps[1:], None]):
        found += _countdown(prev, step, ph, measure)
        found += _start(prev, step, nxt, ctx, measure, intro_end)
        found += _during(step, nxt, ph, measure)
    found += _prompts(steps, ctx, measure)
    if steps[-1].announce.outro:
        found.append(_outro(steps[-1], ctx, about))
    return found


def _summary(ctx: Context, about: str) -> str:
    ph = ctx.phrases
    if ctx.summary_main and not _title_names_the_set(ctx):
        return ph.say("summary", main=ctx.summary_main, duration=about)
    return ph.say("summary.plain", duration=about)


def _title_names_the_set(ctx: Context) -> bool:
    """'Hill repeats — 6 × 60 seconds' already says what '6 by 1 minute' would."""
    said = speakable(ctx.title, ctx.phrases).lower()
    by = ctx.phrases.say("by", a=ctx.summary_reps, b="").strip().lower()
    return _has_words(said, (ctx.summary_main or "").lower()) or (ctx.summary_reps is not None and _has_words(said, by))


def _has_words(text: str, words: str) -> bool:
    """Whether `words` stand in `text` as whole words ('3 by' is not in '13 by')."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def _outro(last: TimedStep, ctx: Context, about: str) -> Candidate:
    if ctx.summary_main:
        text = ctx.phrases.say("outro", main=ctx.summary_main, duration=about)
    else:
        text = ctx.phrases.say("outro.plain", duration=about)
    return Candidate("outro", text, last.end_ms, last.end_ms, last.index)


def countdown_length(step: TimedStep, prev: TimedStep | None) -> int:
    """How many numbers are counted into `step` (0 for the first step)."""
    if prev is None:
        return 0
    # never count back past the start of the step being left
    return max(0, min(step.announce.countdown, (prev.duration_ms - 1_000) // 1_000))


def _countdown(prev: TimedStep | None, step: TimedStep, ph: Phrases, measure: Measure) -> Iterator[Candidate]:
    count = countdown_length(step, prev)
    if count == 0:
        return
    numbers = [ph.say(f"count.{n}") for n in range(count, 0, -1)]
    spacing = max(1_000, max(measure(n) for n in numbers) + GAP_MS)
    boundary = step.start_ms
    for k, number in zip(range(count, 0, -1), numbers):
        at = boundary - k * spacing
        yield Candidate("countdown", number, at, at, step.index)
    yield Candidate("go", go_word(step, ph), boundary, boundary, step.index)


def go_word(step: TimedStep, ph: Phrases = ENGLISH) -> str:
    """The word that lands on the boundary: 'Go!' into work, the kind's name into anything else."""
    if step.is_work:
        return ph.say("go")
    return ph.say("go.recovery", kind=ph.say(f"kind.{step.kind}"))


def _start(prev, step: TimedStep, nxt, ctx: Context, measure: Measure, intro_end: int) -> Iterator[Candidate]:
    if not step.announce.start:
        return
    at = step.start_ms
    if prev is None:
        at = intro_end
    elif countdown_length(step, prev):
        at += measure(go_word(step, ctx.phrases)) + GAP_MS
    text = _start_text(prev, step, nxt, ctx)
    if text:
        yield Candidate("start", text, at, at, step.index)


def _start_text(prev: TimedStep | None, step: TimedStep, nxt: TimedStep | None, ctx: Context) -> str:
    ph = ctx.phrases
    lead = [ph.say("round", round=step.round_start[0], rounds=step.round_start[1])] \
        if step.round_start and step.announce.rounds else []
    extras = [_last_rep_text(step, ctx)] if step.last_rep and step.announce.last_rep else []
    if _previewed(prev, step):
        return _sentences([*lead, None if _names_itself(step) else step.name, step.say, *extras])
    if _names_itself(step):
        return _sentences([*lead, step.say, *extras, _cadence_change(prev, step, ph)])
    # after a go word that already named the kind ("Jog."), the name is not said twice
    named = bool(prev and countdown_length(step, prev)) and not step.is_work \
        and step.name == ph.say(f"kind.{step.kind}")
    details = [None if named else step.name, step.length_spoken, step.target_spoken or step.target]
    head = ", ".join(d for d in details if d)
    preview = _preview_text(nxt, ph) if nxt is not None and _folds_preview(step, nxt) else None
    return _sentences([*lead, head[:1].upper() + head[1:], *extras, _cadence_change(prev, step, ph),
                       step.say, preview])


def _last_rep_text(step: TimedStep, ctx: Context) -> str:
    """The workout's own last-rep line belongs to the main set; other blocks just hear 'Last one.'"""
    if ctx.last_rep_text and step.path[:2] == ctx.main_block:
        return ctx.last_rep_text
    return ctx.phrases.say("last_rep")


def _names_itself(step: TimedStep) -> bool:
    return bool(step.say and step.say.lower().startswith(step.name.lower()))


def _cadence_change(prev: TimedStep | None, step: TimedStep, ph: Phrases) -> str | None:
    if step.cadence_spm is None or (prev is not None and prev.cadence_spm == step.cadence_spm):
        return None
    return ph.say("cadence", spm=round(step.cadence_spm))


def _sentences(parts: Sequence[str | None]) -> str:
    """Join phrases into sentences, each ending in one stop."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in kept)


def _previewed(prev: TimedStep | None, step: TimedStep) -> bool:
    """Whether the step before will have announced this one with a 'next' cue."""
    return prev is not None and _wants_preview(prev, step)


def _wants_preview(step: TimedStep, nxt: TimedStep | None) -> bool:
    if nxt is None or step.announce.next is False:
        return False
    if step.announce.next:
        return step.duration_ms >= 10_000
    return not step.is_work and nxt.is_work and step.duration_ms >= 15_000


def _folds_preview(step: TimedStep, nxt: TimedStep | None) -> bool:
    return _wants_preview(step, nxt) and step.duration_ms < FOLD_PREVIEW_BELOW_MS


def _preview_text(nxt: TimedStep, ph: Phrases) -> str:
    details = [nxt.name, nxt.length_spoken, nxt.target_spoken or nxt.target]
    return ph.say("next", what=", ".join(d for d in details if d))


def _during(step: TimedStep, nxt: TimedStep | None, ph: Phrases, measure: Measure) -> Iterator[Candidate]:
    yield from _next(step, nxt, ph, measure)
    yield from _midpoint(step, ph)
    yield from _remaining(step, nxt, ph)
    yield from _own_cues(step)
    for offset, text in step.splits:
        yield Candidate("split", text, step.start_ms + offset, step.start_ms + offset, step.index)


def _next(step: TimedStep, nxt: TimedStep | None, ph: Phrases, measure: Measure) -> Iterator[Candidate]:
    if nxt is None or not _wants_preview(step, nxt) or _folds_preview(step, nxt):
        return
    text = _preview_text(nxt, ph)
    count_start = nxt.start_ms - countdown_length(nxt, step) * 1_000
    at = max(step.start_ms, count_start - NEXT_LEAD_MS - measure(text))
    yield Candidate("next", text, at, step.start_ms, step.index)


def _midpoint(step: TimedStep, ph: Phrases) -> Iterator[Candidate]:
    mid = step.start_ms + step.duration_ms // 2
    if step.sides:
        if step.announce.switch:
            yield Candidate("switch", ph.say("switch"), mid, mid, step.index)
        return
    wanted = step.announce.halfway
    # split calls already tell a runner where they are
    if wanted is False or (wanted is None and (step.duration_ms < 60_000 or step.is_recovery or step.splits)):
        return
    if step.is_work or step.in_repeat:
        text = ph.say("halfway")
    else:
        text = ph.say("halfway.long", kind_lower=ph.say(f"kind.{step.kind}").lower())
    slack = max(2_000, step.duration_ms // 20)
    yield Candidate("halfway", text, mid, mid - slack, step.index)


def _remaining(step: TimedStep, nxt: TimedStep | None, ph: Phrases) -> Iterator[Candidate]:
    """Calls before the end; by default not where a preview and countdown already say it, nor at the end."""
    times = step.announce.remaining
    if times is None:
        if nxt is None or _wants_preview(step, nxt):
            return
        times = tuple(t for t in DEFAULT_REMAINING if step.duration_ms >= 4 * t)
    for t in times:
        if t >= step.duration_ms:
            continue
        key = "remaining" if t >= 30_000 else "remaining.short"
        at = step.end_ms - t
        yield Candidate("remaining", ph.say(key, time=ph.duration(t)), at, at - min(1_500, t // 10), step.index)


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
    """Prompts in work steps, at most one per `prompt_every_ms`, in the context's order."""
    order = iter(ctx.prompts)
    text = next(order, None)
    last_at = -ctx.prompt_every_ms
    for step in steps:
        if text is None or not (step.is_work and step.prompts and step.duration_ms >= PROMPT_MIN_STEP_MS):
            continue
        at = max(step.start_ms + PROMPT_LEAD_MS, last_at + ctx.prompt_every_ms)
        while at + measure(text) <= step.end_ms - PROMPT_QUIET_MS:
            earliest = max(step.start_ms, at - ctx.prompt_every_ms // 2)
            yield Candidate("prompt", text, at, earliest, step.index, clearance_ms=PROMPT_CLEARANCE_MS)
            last_at, text = at, next(order, None)
            if text is None:
                return
            at += ctx.prompt_every_ms


def take(order, n: int) -> tuple[str, ...]:
    """The first `n` prompts of an endless order (the context wants a finite sequence)."""
    return tuple(islice(order, n))
