"""Values given to a workout's parameters (``--set reps=6``, a programme's ``set:``), where they were given.

Stdlib only: a build that is up to date compares them (they are part of the build key) without
loading the language. What parameters are and how they are used: audiocoach/language/params.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audiocoach.errors import AudiocoachError, WorkoutError

if TYPE_CHECKING:
    from audiocoach.language.yaml_source import Path, Source

__all__ = ["SetValue", "ParamValue", "parse_set_option", "key_of", "NAME"]

ParamValue = int | float | str
NAME = re.compile(r"[a-z_][a-z0-9_]*")
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


@dataclass(frozen=True)
class SetValue:
    """A value given to a parameter: by ``--set name=value`` or a programme's ``set:`` (located there)."""

    name: str
    value: ParamValue
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def origin(self) -> str:
        """Where the value was given, as a user reads it."""
        if self.file is None:
            return f"--set {self.name}={self.value}"
        return ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)

    def error(self, message: str, hint: str | None, source: Source, path: Path) -> WorkoutError:
        """A WorkoutError at this value's ``set:`` line; for ``--set``, at ``path`` in the workout (a Source)."""
        if self.file is None:
            return source.error(path, f"--set {self.name}={self.value}: {message}", hint, key=True)
        return WorkoutError(message, file=self.file, line=self.line, column=self.column, hint=hint)


def parse_set_option(text: str) -> SetValue:
    """``reps=6`` as a SetValue; the value reads as YAML would read it (6 a number, 1:30 text)."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not NAME.fullmatch(name):
        raise AudiocoachError(f"--set {text}: expected NAME=VALUE", hint="e.g. --set reps=6 or --set recovery=2min")
    if not value:
        raise AudiocoachError(f"--set {text}: no value after '='", hint=f"e.g. --set {name}=6")
    return SetValue(name, _scalar(value))


def _scalar(text: str) -> ParamValue:
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def key_of(values: Iterable[SetValue]) -> list[list[ParamValue]] | None:
    """The given values as they enter a build key: by name, without where they were written."""
    pairs = sorted([v.name, v.value] for v in values)
    return pairs or None
