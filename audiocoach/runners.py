"""Who a track is built for: a runner from command-line options, or every runner of a roster file.

A `Runner` is checked once, where it is given (the options, or its line in the roster), into the
language's typed model; it also keeps its keys as given (``{"name": "Sam", "mile": "6:40"}``),
which the build key holds (audiocoach/uptodate.py reads them without loading the language).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, ValidationError

from audiocoach.errors import AudiocoachError
from audiocoach.language.loader import load_small_document
from audiocoach.language.model import Runner as RunnerModel
from audiocoach.language.model import _Model
from audiocoach.language.race_option import split_race_option
from audiocoach.names import refuse_control, safe_name
from audiocoach.running.vdot import PerformanceError

__all__ = ["Runner", "runner_options", "load_roster"]

MAX_ROSTER_BYTES = 200_000
MAX_RUNNERS = 500


@dataclass(frozen=True, eq=False)
class Runner:
    """A checked runner: the language's typed model (mile, race, cadence, name, music) and the keys it came from."""

    model: RunnerModel  # over the workout's own `runner:` when it is built
    keys: Mapping[str, object]  # as given: the build key holds them

    @property
    def name(self) -> str | None:
        return self.model.name


def runner_options(name: str | None, mile: str | None, race: str | None, cadence: str | None,
                   music: str | None = None) -> Runner | None:
    """The runner given by ``--runner``, ``--mile``, ``--race DIST=TIME``, ``--cadence`` and ``--music``
    (made absolute: it names a path from where the command runs), checked."""
    keys: dict[str, object] = {}
    if name is not None:
        refuse_control(name, "--runner")
        keys["name"] = name
    if mile is not None:
        keys["mile"] = mile
    if race is not None:
        try:
            distance, time = split_race_option(race)
        except PerformanceError as err:
            raise AudiocoachError(f"--race {race}: {err.message}", hint=err.hint) from None
        keys["race"] = {"distance": distance, "time": time}
    if cadence is not None:
        keys["cadence"] = cadence
    if music is not None:
        keys["music"] = os.path.abspath(os.path.expanduser(music))
    if not keys:
        return None
    return Runner(_checked(keys, race), keys)


_OPTIONS = {"name": "--runner", "mile": "--mile", "race": "--race", "cadence": "--cadence", "music": "--music"}


def _checked(keys: dict[str, object], race: str | None) -> RunnerModel:
    """The Runner model for ``keys``; a problem is named after the option that gave it."""
    try:
        return RunnerModel.model_validate(keys)
    except ValidationError as err:
        detail = err.errors(include_url=False)[0]
        key = str(detail["loc"][0]) if detail["loc"] else "mile"
        error = detail.get("ctx", {}).get("error")
        message = getattr(error, "message", None) or detail["msg"]
        hint = getattr(error, "hint", None)
        shown = race if key == "race" else keys.get(key)
        raise AudiocoachError(f"{_OPTIONS.get(key, key)} {shown}: {message}", hint=hint) from None


def load_roster(path: str | os.PathLike) -> list[Runner]:
    """The runners of a roster file (``runners:`` a list of name, mile or race, cadence), each checked
    and located: a problem is a WorkoutError at its line and column in the roster."""
    filename, source, roster = load_small_document(path, Roster, MAX_ROSTER_BYTES, "roster",
                                                   "check the path given to --roster")
    seen: dict[str, int] = {}
    for index, runner in enumerate(roster.runners):
        here = ("runners", index)
        if runner.name is None:
            raise source.error(here, "each runner of a roster needs a name", "add e.g. name: Sam")
        file_name = safe_name(runner.name).lower()
        if file_name in seen:
            raise source.error(here + ("name",), f"two runners would both be written as '{safe_name(runner.name)}.mp3'",
                               f"give runner {index + 1} a name that differs from runner {seen[file_name] + 1}'s")
        seen[file_name] = index
    return [_music_from(model, keys, filename)
            for model, keys in zip(roster.runners, source.data["runners"], strict=True)]


def _music_from(model: RunnerModel, keys: Mapping[str, object], roster: str) -> Runner:
    """A roster entry with its `music:` path made absolute (it is written relative to the roster file)."""
    music = keys.get("music")
    if not isinstance(music, str) or music.strip().lower() in ("builtin", "off"):
        return Runner(model, keys)
    path = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(roster)), os.path.expanduser(music)))
    return Runner(model.model_copy(update={"music": path}), {**keys, "music": path})


class Roster(_Model):
    """A running group: ``runners:`` with each runner's name, mile or race, and cadence."""

    runners: Annotated[list[RunnerModel], Field(min_length=1, max_length=MAX_RUNNERS)]
