"""Who a track is built for: a runner from command-line options, or every runner of a roster file.

A runner travels to the builds as its plain mapping (``{"name": "Sam", "mile": "6:40"}``), so a
build that is already up to date can compare it without loading the language; it is checked
here, once, before anything is built.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Annotated

from audiocoach.errors import AudiocoachError, WorkoutError
from audiocoach.names import safe_name

__all__ = ["runner_options", "load_roster", "RunnerKeys", "refuse_control", "plain_text"]

RunnerKeys = dict[str, object]  # a runner's YAML keys: name, mile, race, cadence
MAX_ROSTER_BYTES = 200_000
MAX_RUNNERS = 500


def runner_options(name: str | None, mile: str | None, race: str | None, cadence: str | None,
                   music: str | None = None) -> RunnerKeys | None:
    """The runner given by ``--runner``, ``--mile``, ``--race DIST=TIME``, ``--cadence`` and ``--music``
    (made absolute: it names a path from where the command runs), checked."""
    from audiocoach.running.vdot import PerformanceError, parse_race_option

    keys: RunnerKeys = {}
    if name is not None:
        refuse_control(name, "--runner")
        keys["name"] = name
    if mile is not None:
        keys["mile"] = mile
    if race is not None:
        try:
            metres, seconds = parse_race_option(race)
        except PerformanceError as err:
            raise AudiocoachError(f"--race {race}: {err.message}", hint=err.hint) from None
        distance, time = race.split("=", 1)
        keys["race"] = {"distance": distance.strip(), "time": time.strip()}
    if cadence is not None:
        keys["cadence"] = cadence
    if music is not None:
        keys["music"] = os.path.abspath(os.path.expanduser(music))
    if not keys:
        return None
    _checked(keys)
    return keys


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def refuse_control(text: str, option: str) -> None:
    """An AudiocoachError for a control character in a command-line text that reaches tags or file names."""
    bad = _CONTROL.search(text)
    if bad is not None:
        raise AudiocoachError(f"{option}: the text contains a control character (U+{ord(bad.group()):04X})",
                              hint="give plain text: it goes into tags and file names")


def plain_text(text: str) -> str:
    """`text` with control characters (NUL, line breaks, escapes) replaced by spaces, runs of space joined."""
    return " ".join(_CONTROL.sub(" ", text).split())


_OPTIONS = {"name": "--runner", "mile": "--mile", "race": "--race", "cadence": "--cadence", "music": "--music"}


def _checked(keys: RunnerKeys):
    """The Runner model for ``keys``; a problem is named after the option that gave it."""
    from pydantic import ValidationError

    from audiocoach.language.model import Runner

    try:
        return Runner.model_validate(keys)
    except ValidationError as err:
        detail = err.errors(include_url=False)[0]
        key = str(detail["loc"][0]) if detail["loc"] else "mile"
        error = detail.get("ctx", {}).get("error")
        message = getattr(error, "message", None) or detail["msg"]
        hint = getattr(error, "hint", None)
        given = keys.get(key)
        shown = f"{given['distance']}={given['time']}" if isinstance(given, dict) else given
        raise AudiocoachError(f"{_OPTIONS.get(key, key)} {shown}: {message}", hint=hint) from None


def runner_model(keys: RunnerKeys | None):
    """The language's Runner for a runner's keys (already checked), or None."""
    from audiocoach.language.model import Runner

    return None if keys is None else Runner.model_validate(keys)


def load_roster(path: str | os.PathLike) -> list[RunnerKeys]:
    """The runners of a roster file (``runners:`` a list of name, mile or race, cadence), each checked
    and located: a problem is a WorkoutError at its line and column in the roster."""
    from pydantic import ValidationError

    from audiocoach.language.loader import translate
    from audiocoach.language.yaml_source import read_yaml

    filename = os.fsdecode(path)
    text = _read(filename)
    source = read_yaml(text, filename)
    try:
        roster = _roster_model().model_validate(source.data)
    except ValidationError as err:
        raise translate(err, source, _roster_model()) from None
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
    return [_music_from(entry, filename) for entry in source.data["runners"]]


def _music_from(entry: RunnerKeys, roster: str) -> RunnerKeys:
    """A roster entry with its `music:` path made absolute (it is written relative to the roster file)."""
    music = entry.get("music")
    if not isinstance(music, str):
        return entry
    path = os.path.expanduser(music)
    return {**entry, "music": os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(roster)), path))}


def _read(filename: str) -> str:
    from audiocoach.language.loader import read_regular

    try:
        raw = read_regular(filename, MAX_ROSTER_BYTES + 1)
    except FileNotFoundError:
        raise WorkoutError("no such roster file", file=filename, hint="check the path given to --roster") from None
    except OSError as err:
        raise WorkoutError(f"can't read the roster: {err.strerror or err}", file=filename) from None
    if len(raw) > MAX_ROSTER_BYTES:
        raise WorkoutError("the roster is larger than 200 KB", file=filename, hint="check this is the right file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkoutError("the roster is not UTF-8 text", file=filename, hint="save the file as UTF-8") from None


@cache
def _roster_model():
    """The pydantic model of a roster file (built on first use: pydantic loads slowly)."""
    from pydantic import Field

    from audiocoach.language.model import Runner, _Model

    class Roster(_Model):
        """A running group: ``runners:`` with each runner's name, mile or race, and cadence."""

        runners: Annotated[list[Runner], Field(min_length=1, max_length=MAX_RUNNERS)]

    return Roster
