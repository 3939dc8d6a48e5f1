"""Check a programme: the file, then every session as it will be built (its workout, params and runner).

A problem in a workout caused by a session is reported in the workout, with the programme line
that caused it; a problem in a ``set:`` value at that line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiocoach.errors import AudiocoachError, WorkoutError, WorkoutErrors
from audiocoach.language import load_workout
from audiocoach.language.loader import parse_workout_source
from audiocoach.programme.expand import PlannedSession, sessions
from audiocoach.programme.model import LoadedProgramme, inline_source, load_programme
from audiocoach.runners import Runner, load_roster
from audiocoach.units import clock

if TYPE_CHECKING:
    from audiocoach.coaching.plan import Plan
    from audiocoach.language import Workout

__all__ = ["check_programme", "planned_sessions", "summarise", "Summary"]


def planned_sessions(loaded: LoadedProgramme,
                     found: list[PlannedSession]) -> list[tuple[PlannedSession, Workout, Plan]]:
    """Each session loaded and planned without audio; the first problem raised, located (see module doc)."""
    from audiocoach.pipeline import checked_plan  # lazy: numpy and the audio stack, which an up-to-date programme skips

    planned = []
    for session in found:
        model = None if session.runner is None else session.runner.model
        try:
            if session.inline:  # read where it is written, so a problem is located there
                source = inline_source(loaded, session.where + ("workout",))
                workout = parse_workout_source(source, model, session.params)
            else:
                workout = load_workout(session.workout, model, session.params)
            planned.append((session, workout, checked_plan(workout)))
        except AudiocoachError as err:
            raise caused_by(err, loaded, session) from None
    return planned


def caused_by(err: AudiocoachError, loaded: LoadedProgramme, session: PlannedSession) -> AudiocoachError:
    """``err`` with the programme line of the session that caused it (unless it is located there already)."""
    line, column = loaded.source.position(session.where) or (None, None)
    who = f" for {session.runner.name}" if session.runner and session.runner.name else ""
    note = f"in week {session.week}, {session.day}{who} ({loaded.path}:{line}:{column})"

    def one(e: AudiocoachError) -> AudiocoachError:
        if e.file == loaded.path:
            return e
        return type(e)(e.message, file=e.file, line=e.line, column=e.column,
                       hint=f"{e.hint}; {note}" if e.hint else note)

    if isinstance(err, WorkoutErrors):
        return WorkoutErrors([one(e) for e in err.errors])
    if not isinstance(err, WorkoutError) or err.file is None:
        return WorkoutError(err.message, file=loaded.path, line=line, column=column,
                            hint=f"{err.hint}; {note}" if err.hint else note)
    return one(err)


@dataclass(frozen=True)
class Summary:
    """A programme checked whole: its title, weeks, sessions, runners and one runner's total time."""

    title: str
    weeks: int
    sessions: int
    runners: int
    total_ms: int

    @property
    def week_ms(self) -> int:
        return self.total_ms // max(self.weeks, 1)


def summarise(path: Path, runner: Runner | None = None, roster: Path | None = None) -> Summary:
    """Every session of the programme planned as it will be built; a located error for the first problem."""
    loaded = load_programme(path)
    runners = load_roster(roster) if roster is not None else None
    planned = planned_sessions(loaded, sessions(loaded, Path("output"), runner, runners))
    people = len({str(s.runner.name) if s.runner else "" for s, _, _ in planned})
    return Summary(title=loaded.model.program, weeks=len(loaded.model.weeks),
                   sessions=sum(len(w.sessions) for w in loaded.model.weeks), runners=people,
                   total_ms=sum(p.duration_ms for _, _, p in planned) // max(people, 1))


def check_programme(path: Path, runner: Runner | None = None, roster: Path | None = None) -> str:
    """The line `check` prints for a good programme; a located error for the first problem."""
    found = summarise(path, runner, roster)
    who = f" (for each of {found.runners} runners)" if found.runners > 1 else ""
    return (f"{path}: ok{who} — {found.title}, {found.weeks} weeks, {found.sessions} sessions, "
            f"{clock(found.week_ms)} a week on average")
