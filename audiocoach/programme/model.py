"""The programme file: ``program:`` (its title), the runner or a roster, a start date, and ``weeks:``.

Read like a workout (the same YAML reader, errors at a line and column); the models forbid
unknown keys, so a misspelt key is reported with a suggestion.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from audiocoach.errors import WorkoutError
from audiocoach.language.loader import load_small_document
from audiocoach.language.model import Runner, Text, _Model
from audiocoach.language.yaml_source import Source

__all__ = ["DAYS", "Programme", "Week", "Session", "LoadedProgramme", "load_programme", "inline_source", "MAX_WEEKS"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MAX_WEEKS = 104
MAX_BYTES = 200_000
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


class Session(_Model):
    """One session: the day, the workout (a file relative to the programme, or written here) and its params."""

    day: Day
    workout: Text | dict[str, Any]
    set: dict[str, int | float | str] = {}


class Week(_Model):
    """A week's sessions and its named rest days; ``runner:`` changes the runner from this week on."""

    sessions: Annotated[list[Session], Field(min_length=1, max_length=14)]
    rest: list[Day] = []
    runner: Runner | None = None
    note: str | None = None


class Programme(_Model):
    """A whole programme document."""

    program: Text
    description: str | None = None
    runner: Runner | None = None
    roster: Text | None = None
    start: Text
    time: str | None = None
    weeks: Annotated[list[Week], Field(min_length=1, max_length=MAX_WEEKS)]

    @field_validator("start")
    @classmethod
    def _a_date(cls, value: str) -> str:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"start must be a date written YYYY-MM-DD, got '{value}'") from None
        return value

    @field_validator("time")
    @classmethod
    def _a_time(cls, value: str | None) -> str | None:
        if value is not None and not _TIME.fullmatch(value):
            raise ValueError(f"time must be a time of day written HH:MM, e.g. \"06:30\", got '{value}'")
        return value


@dataclass(frozen=True)
class LoadedProgramme:
    """The checked programme, its source (for locating errors) and the file it came from."""

    model: Programme
    source: Source
    path: str

    @property
    def start(self) -> dt.date:
        return dt.date.fromisoformat(self.model.start)

    @property
    def start_time(self) -> dt.time | None:
        return None if self.model.time is None else dt.time.fromisoformat(self.model.time.zfill(5))

    def error(self, path: tuple, message: str, hint: str | None = None, *, key: bool = False) -> WorkoutError:
        return self.source.error(path, message, hint, key=key)

    def relative(self, name: str) -> str:
        """A path written in the programme, as seen from the current folder."""
        return os.path.normpath(os.path.join(os.path.dirname(self.path), name))


def load_programme(path: str | os.PathLike) -> LoadedProgramme:
    """Read and validate a programme file; every problem a WorkoutError at its line and column."""
    filename, source, model = load_small_document(path, Programme, MAX_BYTES, "programme", "check the path")
    loaded = LoadedProgramme(model, source, filename)
    _check_shape(loaded)
    return loaded


def _check_shape(loaded: LoadedProgramme) -> None:
    """What spans keys: one runner source, no rest day with a session, workout files that exist."""
    model = loaded.model
    if model.runner is not None and model.roster is not None:
        raise loaded.error(("roster",), "a programme has a runner or a roster, not both",
                           "keep runner: for one runner, roster: for a group", key=True)
    for w, week in enumerate(model.weeks):
        days = {s.day for s in week.sessions}
        for r, day in enumerate(week.rest):
            if day in days:
                raise loaded.error(("weeks", w, "rest", r), f"{day} is a rest day and has a session in week {w + 1}",
                                   "remove it from rest:, or move the session")
        if week.runner is not None and model.roster is not None:
            raise loaded.error(("weeks", w, "runner"), "a week's runner: changes a single runner's paces",
                               "with a roster, give new times in the roster file", key=True)
        for s, session in enumerate(week.sessions):
            if isinstance(session.workout, str) and not os.path.isfile(loaded.relative(session.workout)):
                raise loaded.error(("weeks", w, "sessions", s, "workout"),
                                   f"no workout file {session.workout} (looked for {loaded.relative(session.workout)})",
                                   "paths are relative to the programme file's folder")


def inline_source(loaded: LoadedProgramme, path: tuple) -> Source:
    """The workout written at ``path`` in the programme, as its own document: its errors stay located
    in the programme file."""
    cut = len(path)

    def inside(positions: dict) -> dict:
        return {p[cut:]: where for p, where in positions.items() if p[:cut] == path}

    return Source(loaded.path, programme_data(loaded, path), inside(loaded.source.values), inside(loaded.source.keys))


def programme_data(loaded: LoadedProgramme, path: tuple) -> Any:
    """The plain YAML value at ``path`` (a runner's keys as written, for the build key)."""
    node: Any = loaded.source.data
    for part in path:
        node = node[part]
    return node
