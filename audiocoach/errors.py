"""The errors audiocoach raises: one root, a subclass per kind of trouble.

Every error knows where it happened (file, 1-based line and column, when known) and may
carry a hint saying what to do about it. ``str(err)`` is the one line the CLI prints::

    workouts/x.yaml:12:5: unknown key 'cadense' — did you mean 'cadence'?
"""

from __future__ import annotations

__all__ = ["AudiocoachError", "WorkoutError", "BuildError"]


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
