"""Which automatic cues a step gets: defaults, then `announce:` of the workout, its repeats, the step."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Announcements:
    """Settled announcement settings for one step. None means "the default rule decides"."""

    intro: bool = True
    outro: bool = True
    start: bool = True
    next: bool | None = None  # default: in a warm-up or recovery before a work step
    halfway: bool | None = None  # default: work steps, warm-ups and cool-downs of a minute or more
    remaining: tuple[int, ...] | None = None  # default: 30 s and 10 s where the step is long enough
    countdown: int = 3
    switch: bool = True
    rounds: bool = True
    last_rep: bool = True

    def over(self, settings) -> Announcements:
        """These settings with every key that `settings` (an `announce:` model, or None) sets put on top."""
        if settings is None:
            return self
        names = {f.name for f in fields(self)} & set(type(settings).model_fields)
        changes = {name: getattr(settings, name) for name in names if getattr(settings, name) is not None}
        if "remaining" in changes:
            changes["remaining"] = tuple(sorted(changes["remaining"], reverse=True))
        return replace(self, **changes)


DEFAULT = Announcements()
