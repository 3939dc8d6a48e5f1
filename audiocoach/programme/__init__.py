"""Programmes: weeks of sessions, each a workout with its params set, built into a tree of tracks.

model (the file), expand (sessions and build jobs), check, calendar (.ics), overview (a page),
build (what `audiocoach build program.yaml` does around the batch runner).

For another runner of the jobs (a season): ``programme_jobs(path, roster, runner, out, from_week)``
gives the batch's jobs; ``ProgrammeBuild.load(...)`` then ``.write_extras(outcomes)`` writes each
runner's program.ics and overview.html once they are built.
"""

from __future__ import annotations

from audiocoach.programme.build import programme_jobs

__all__ = ["programme_jobs"]
