"""`audiocoach build program.yaml`: the sessions' build jobs, then each runner's calendar and overview.

The tracks are built by the batch runner like any batch (the playlist of each week folder comes
with it); once they are, `write_extras` writes `program.ics` and `overview.html` beside the week
folders, from what the builds wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audiocoach.errors import AudiocoachError
from audiocoach.output import sidecars
from audiocoach.programme.calendar import calendar_ics, entry_for
from audiocoach.programme.check import planned_sessions
from audiocoach.programme.expand import PlannedSession, sessions, write_inline_copies
from audiocoach.programme.model import LoadedProgramme, load_programme
from audiocoach.programme.overview import SessionLoad, hard_ms, overview_html
from audiocoach.runners import Runner, load_roster
from audiocoach.uptodate import Job

__all__ = ["ProgrammeBuild", "programme_jobs", "CALENDAR", "OVERVIEW"]

CALENDAR = "program.ics"
OVERVIEW = "overview.html"


@dataclass(frozen=True)
class ProgrammeBuild:
    """A programme expanded for building: its sessions (each with its job)."""

    loaded: LoadedProgramme
    sessions: tuple[PlannedSession, ...]

    @classmethod
    def load(cls, path: Path, out: Path, runner: Runner | None = None,
             roster: Path | list[Runner] | None = None, from_week: int | None = None) -> ProgrammeBuild:
        """Read the programme and expand it (`roster`, a file or its runners, replaces its runner);
        `runner` applies from week `from_week` on when given. Inline workouts are checked and copied."""
        loaded = load_programme(path)
        weeks = len(loaded.model.weeks)
        if from_week is not None and runner is None:
            raise AudiocoachError("--from-week N needs the runner's new times",
                                  hint="add --mile TIME or --race DIST=TIME")
        if from_week is not None and from_week > weeks:
            raise AudiocoachError(f"--from-week {from_week}: {path} has {weeks} weeks", hint=f"give 1 to {weeks}")
        runners = load_roster(roster) if isinstance(roster, Path) else roster
        found = sessions(loaded, out, runner, runners, from_week)
        inline = [s for s in found if s.inline]
        if inline:  # checked where they are written: a build of the copy would locate errors in the copy

            planned_sessions(loaded, inline)
            write_inline_copies(loaded, inline)
        return cls(loaded, tuple(found))

    @property
    def jobs(self) -> list[Job]:
        return [s.job for s in self.sessions]

    def write_extras(self, outcomes: Sequence) -> list[Path]:
        """program.ics and overview.html in each runner's folder, for the sessions built (or up to date)."""
        results = {_key(o.job): o.result for o in outcomes if o.result is not None}  # outcomes may come from workers
        written = []
        for folder, group in self._by_folder().items():
            done = [s for s in group if _key(s.job) in results]
            if not done or any(results[_key(s.job)].output.suffix != ".mp3" for s in done):
                continue
            if not all(results[_key(s.job)].output.with_suffix(".json").is_file() for s in done):
                continue  # --no-sidecars: nothing to read the calendar from
            calendar, page = self._extras(folder, done, results)
            sidecars.write_bytes(folder / CALENDAR, calendar)
            sidecars.write(folder / OVERVIEW, page)
            written += [folder / CALENDAR, folder / OVERVIEW]
        return written

    def _by_folder(self) -> dict[Path, list[PlannedSession]]:
        groups: dict[Path, list[PlannedSession]] = {}
        for session in self.sessions:
            groups.setdefault(session.job.out_dir.parent, []).append(session)
        return groups

    def _extras(self, folder: Path, done: list[PlannedSession], results: dict) -> tuple[bytes, str]:
        model = self.loaded.model
        entries = [entry_for(s.date, results[_key(s.job)].output, folder) for s in done]
        loads = [SessionLoad(s.week, workout.kind, workout.title, results[_key(s.job)].duration_ms / 60_000,
                             hard_ms(plan) / 60_000)
                 for s, workout, plan in planned_sessions(self.loaded, done)]
        who = done[0].runner.name if done[0].runner else None
        name = f"{model.program} — {who}" if who else model.program
        calendar = calendar_ics(name, self.loaded.start, self.loaded.start_time, entries)
        return calendar, overview_html(model.program, str(who) if who else None, loads)


def programme_jobs(path: str | Path, roster: list[Runner] | None = None, runner: Runner | None = None,
                   out: str | Path = "output", from_week: int | None = None) -> list[Job]:
    """The build jobs of the programme file at ``path`` (for the batch runner), in runner, week and day order;
    its inline workouts checked and copied where the jobs read them."""
    return ProgrammeBuild.load(Path(path), Path(out), runner, roster, from_week).jobs


def _key(job: Job) -> tuple[str, str | None]:
    return str(job.out_dir), job.stem
