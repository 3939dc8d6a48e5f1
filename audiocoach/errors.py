"""The errors audiocoach raises: one root, a subclass per kind of trouble.

Every error knows where it happened (file, 1-based line and column, when known) and may
carry a hint saying what to do about it. ``str(err)`` is the one line the CLI prints::

    workouts/x.yaml:12:5: unknown key 'cadense' — did you mean 'cadence'?
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["AudiocoachError", "WorkoutError", "WorkoutErrors", "BuildError", "combined", "raise_all"]


class AudiocoachError(Exception):
    """Root of every error the library raises; the CLI prints str(err) and exits 1."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint

    @property
    def location(self) -> str:
        """``file:line:column`` with the unknown parts left out ('' when nothing is known)."""
        parts = [] if self.file is None else [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} — {self.hint}" if self.hint else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self):
        # Keep keyword-only arguments across pickling (errors cross process pools).
        return (_rebuild, (type(self), self.message, self.file, self.line, self.column, self.hint))


def _rebuild(cls, message, file, line, column, hint):
    return cls(message, file=file, line=line, column=column, hint=hint)


class WorkoutError(AudiocoachError):
    """The workout document is wrong (the user can fix it)."""


class BuildError(AudiocoachError):
    """Audio could not be produced or written."""


class WorkoutErrors(WorkoutError):
    """Several problems of one document, reported in one run (in document order).

    It reads as its first error (``message``, ``line``, ``hint``); ``str()`` gives every one,
    each on its own line after the first prefixed ``Error: `` as the CLI prints them.
    """

    def __init__(self, errors: Sequence[AudiocoachError]):
        first = errors[0]
        super().__init__(first.message, file=first.file, line=first.line, column=first.column, hint=first.hint)
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\nError: ".join(AudiocoachError.__str__(e) for e in self.errors)

    def __reduce__(self):
        return (WorkoutErrors, (self.errors,))


E = TypeVar("E", bound="AudiocoachError")

MAX_REPORTED = 20  # errors of one file shown in one run; the rest follow once these are fixed


def combined(errors: Sequence[E]) -> E | WorkoutErrors | None:
    """None, the one error, or up to MAX_REPORTED of them as WorkoutErrors (in document order)."""
    unique = {(e.line, e.column, e.message): e for e in errors}  # one report per place and problem
    ordered = sorted(unique.values(), key=lambda e: (e.line or 0, e.column or 0))[:MAX_REPORTED]
    if len(ordered) <= 1:
        return ordered[0] if ordered else None
    return WorkoutErrors(ordered)


def raise_all(errors: Sequence[AudiocoachError]) -> None:
    """Raise the errors found, if any, all in one."""
    error = combined(errors)
    if error is not None:
        raise error
