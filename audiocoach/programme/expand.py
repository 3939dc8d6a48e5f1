"""A programme as what is built: one planned session per runner, week and day, and its build job.

A session's date is the first ``day`` on or after the start of its week (the start date begins
week 1); its file is ``<out>/<program>[/<runner>]/week-N/NN-day-<workout>.mp3``, NN its place in
the week, so names sort by day. Each job is the batch runner's (audiocoach.uptodate.Job) with the
session's params, so its build key holds exactly what decides the track: changing week 4 changes
only week 4's keys.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from audiocoach.errors import AudiocoachError
from audiocoach.language.model import Runner as RunnerModel
from audiocoach.names import safe_name
from audiocoach.output import sidecars
from audiocoach.output.staging import ensure_folder
from audiocoach.programme.model import DAYS, LoadedProgramme, load_programme, programme_data
from audiocoach.runners import Runner, load_roster
from audiocoach.setvalues import SetValue
from audiocoach.uptodate import Job

RunnerKeys = Mapping[str, object]  # a runner's keys as written (merged week by week), before they are checked

__all__ = ["PlannedSession", "sessions", "programme_folder", "find_session"]


@dataclass(frozen=True)
class PlannedSession:
    """One session for one runner: when, which workout with which params, and where it is written."""

    week: int
    day: str
    date: dt.date
    workout: Path
    params: tuple[SetValue, ...]
    runner: Runner | None
    job: Job
    where: tuple  # the session's YAML path in the programme (for errors)
    inline: bool = False  # the workout is written in the programme (at where + ("workout",)); `workout` is its copy


def programme_folder(loaded: LoadedProgramme, out: Path) -> Path:
    """``<out>/<programme file's stem>``: everything a programme build writes is under it."""
    return out / safe_name(Path(loaded.path).stem)


def sessions(loaded: LoadedProgramme, out: Path, runner: Runner | None = None,
             roster: list[Runner] | None = None, from_week: int | None = None) -> list[PlannedSession]:
    """Every session of the programme for each runner, in runner, week and date order.

    ``runner`` (the command line's) goes over the programme's runner, from week ``from_week`` on when
    given; ``roster`` replaces the programme's runner or roster."""
    folder = programme_folder(loaded, out)
    if roster is None and loaded.model.roster is not None:
        roster = load_roster(loaded.relative(loaded.model.roster))
    if roster is not None:
        if runner is not None and runner.name not in {each.name for each in roster}:
            raise AudiocoachError("with a roster, new times are for one of its runners",
                                  hint=f"add --runner NAME, one of: {', '.join(str(k.name) for k in roster)}")
        return [s for each in roster
                for s in _runner_sessions(loaded, folder / safe_name(str(each.name)), each.keys,
                                          _for(runner, each), from_week)]
    base = programme_data(loaded, ("runner",)) if loaded.model.runner is not None else None
    return _runner_sessions(loaded, folder, base, runner, from_week)


def _for(runner: Runner | None, each: Runner) -> Runner | None:
    """The command line's runner applies to the roster's runner it names (--runner NAME)."""
    if runner is None or runner.name != each.name:
        return None
    return runner


def _runner_sessions(loaded: LoadedProgramme, folder: Path, base: RunnerKeys | None, override: Runner | None,
                     from_week: int | None) -> list[PlannedSession]:
    found = []
    keys = dict(base) if base is not None else None
    runner = _checked(keys)
    for w, week in enumerate(loaded.model.weeks):
        number = w + 1
        if week.runner is not None:  # a re-test: new times from this week on
            keys = _over(keys, programme_data(loaded, ("weeks", w, "runner")))
            runner = _checked(keys)
        if override is not None and (from_week is None or number >= from_week):
            keys = _over(keys, override.keys)
            runner = _checked(keys)
        week_start = loaded.start + dt.timedelta(weeks=w)
        order = sorted(range(len(week.sessions)),
                       key=lambda s: (_offset(week_start, week.sessions[s].day), s))
        for place, s in enumerate(order, 1):
            session = week.sessions[s]
            where = ("weeks", w, "sessions", s)
            inline = not isinstance(session.workout, str)
            workout = inline_copy(loaded, folder, number, s) if inline else Path(loaded.relative(str(session.workout)))
            params = tuple(_set_values(loaded, where, session.set))
            name = _slug(str(session.workout.get("title", ""))) if isinstance(session.workout, dict) else workout.stem
            stem = f"{place:02d}-{session.day}-{safe_name(name)}"
            job = Job(workout, folder / f"week-{number}", runner, stem=stem, track=(place, len(order)), params=params)
            date = week_start + dt.timedelta(days=_offset(week_start, session.day))
            found.append(PlannedSession(number, session.day, date, workout, params, runner, job, where, inline))
    return found


def _checked(keys: RunnerKeys | None) -> Runner | None:
    """The runner of these keys (each part already checked where it was written: the programme, a
    roster, the command line), as the build takes it."""
    return None if keys is None else Runner(RunnerModel.model_validate(keys), keys)


def inline_copy(loaded: LoadedProgramme, folder: Path, week: int, index: int) -> Path:
    """Where the build reads the workout written inline at week `week`'s session `index`: a file of its
    own (written by `write_inline_copies`), so its track's key depends on that workout alone."""
    root = folder if loaded.model.roster is None else folder.parent
    return root / ".workouts" / root.name / f"week-{week}-{index + 1}.yaml"


def write_inline_copies(loaded: LoadedProgramme, found: list[PlannedSession]) -> None:
    """Write each inline workout to its copy (as JSON, which is YAML), only when its bytes change."""
    for session in found:
        if not session.inline:
            continue
        data = json.dumps(programme_data(loaded, session.where + ("workout",)), ensure_ascii=False, indent=1) + "\n"
        path = session.workout
        if not path.is_file() or path.read_text(encoding="utf-8") != data:
            ensure_folder(path.parent)
            sidecars.write(path, data)


def _slug(title: str) -> str:
    """A file-name part from a title: lower-case words joined by '-' ("Easy 20 min" -> "easy-20-min")."""
    words = re.sub(r"\$\{[^}]*\}", " ", title).lower()  # a parameter's use is no part of the name
    return "-".join(re.findall(r"[^\W_]+", words))[:40] or "workout"


def _over(keys: RunnerKeys | None, new: RunnerKeys) -> dict[str, object]:
    """``new``'s keys over ``keys``: a mile time replaces a race and the other way round."""
    merged = dict(keys or {})
    if "mile" in new or "race" in new:
        merged.pop("mile", None)
        merged.pop("race", None)
    merged.update(new)
    return merged


def _offset(week_start: dt.date, day: str) -> int:
    return (DAYS.index(day) - week_start.weekday()) % 7


def _set_values(loaded: LoadedProgramme, where: tuple, values: dict) -> list[SetValue]:
    found = []
    for name, value in values.items():
        line, column = loaded.source.position(where + ("set", name)) or (None, None)
        found.append(SetValue(name, value, loaded.path, line, column))
    return found


def find_session(path: Path, which: str, runner: Runner | None = None) -> PlannedSession:
    """The session `which` ("6-tue": week 6's Tuesday session) of the programme at `path`, for `runner`
    (the command line's: over the programme's runner; with a roster, the runner it names)."""
    week, _, day = which.partition("-")
    loaded = load_programme(path)
    found = [s for s in sessions(loaded, Path("output"), runner) if f"{s.week}-{s.day}" == f"{week}-{day}"]
    if runner is not None and loaded.model.roster is not None:
        found = [s for s in found if s.runner is not None and s.runner.name == runner.name]
    if not found:
        raise AudiocoachError(f"--session {which}: {path} has no such session",
                              hint="write WEEK-DAY, e.g. 1-tue; with a roster add --runner NAME")
    return found[0]

