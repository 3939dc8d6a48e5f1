"""The `audiocoach` command: build, check and plan workouts.

The lazy boundary (docs/architecture.md): this module imports at its top only what `build` of an
up-to-date file needs (click, audiocoach.uptodate, the playlist writer: the standard library), and
each command imports the stages it runs inside its body. Nowhere else in the package is an import
inside a function, but for optional heavy dependencies (named where they are).
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audiocoach import __version__
from audiocoach.cli.options import build_options, runner_options, set_option, user_errors
from audiocoach.cli.reporting import batch_report, batch_summary, progress_bar, write_playlists
from audiocoach.errors import AudiocoachError
from audiocoach.names import safe_name
from audiocoach.setvalues import SetValue
from audiocoach.units import clock
from audiocoach.uptodate import (
    BuildOptions,
    Job,
    Outcome,
    current,
    is_programme,
    is_roster,
    refuse_collisions,
    roster_files,
    up_to_date_result,
    workout_files,
)

if TYPE_CHECKING:
    from audiocoach.programme.build import ProgrammeBuild
    from audiocoach.runners import Runner

@click.group()
@click.version_option(__version__, prog_name="audiocoach")
def cli() -> None:
    """Compile YAML workouts into coached MP3 tracks."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder the MP3s are written to.")
@click.option("--force", is_flag=True, help="Rebuild even the MP3s that are up to date.")
@build_options
@runner_options
@click.option("--roster", type=click.Path(dir_okay=False),
              help="A roster file: one track per runner, in OUTPUT/<workout>/<runner>.mp3.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Builds at once, in parallel processes  [default: CPUs]")
@click.option("--scheduler", metavar="ADDRESS",
              help="Build on this Dask cluster instead (e.g. tcp://host:8786; extra [cluster]; workers see the same "
                   "paths). See README, 'A season for a club'.")
@set_option
@click.option("--from-week", type=click.IntRange(min=1), metavar="N",
              help="A programme: --mile/--race apply from week N on (after a time trial); earlier weeks stay.")
def build(paths: tuple[str, ...], out_dir: str, force: bool, options: BuildOptions, runner: Runner | None,
          roster: str | None, jobs: int | None, params: tuple[SetValue, ...] = (),
          from_week: int | None = None, scheduler: str | None = None) -> None:
    """Build each workout file (or every *.yaml in a folder) into OUTPUT/<name>.mp3.

    A file whose MP3 was built from the same workout, runner, settings and program is skipped.
    """
    files = _files(paths)
    programmes = _programmes(files, params, from_week)
    if roster and runner and not programmes:
        raise click.UsageError("--roster gives each runner's paces; leave out --runner, --mile, --race and --cadence")
    batch = bool(programmes) or roster is not None or len(files) > 1 or any(Path(p).is_dir() for p in paths)
    builds = _programme_builds(programmes, Path(out_dir), runner, roster, from_week) if programmes else []
    job_list = [job for each in builds for job in each.jobs] if programmes else [
        replace(job, params=params) for job in _jobs(files, Path(out_dir), runner, _roster(roster) if roster else None,
                                                     batch)]
    with user_errors():
        refuse_collisions(job_list, options.format)
    began = time.perf_counter()
    outcomes, workers = _run(job_list, options, force, jobs, scheduler)
    failed = sum(o.error is not None for o in outcomes)
    if len(job_list) > 1:
        click.echo(batch_summary(outcomes, time.perf_counter() - began, min(workers, len(job_list)),
                                 f"on the Dask cluster at {scheduler}" if scheduler else None), nl=False)
    if batch and options.sidecars:
        failed += write_playlists(outcomes, options.artist)
    failed += _programme_extras(builds, outcomes)
    if failed:
        sys.exit(1)


def _run(job_list: list[Job], options: BuildOptions, force: bool, jobs: int | None,
         scheduler: str | None) -> tuple[list[Outcome], int]:
    """Every job's outcome, reported as it comes, and how many builds ran at once. Tracks all up to date
    are answered from their records alone; otherwise the stages are loaded here, not before."""
    outcomes = None if force else _all_up_to_date(job_list, options)
    workers = 1
    with batch_report(job_list) as report:
        if outcomes is None:
            from audiocoach.batch import default_jobs, run_batch

            workers = jobs or default_jobs()
            with user_errors():  # the batch as a whole (the Dask scheduler); a track's own errors are outcomes
                outcomes = run_batch(job_list, workers, force=force, options=options, on_done=report,
                                     progress_for=(lambda job: progress_bar(job.path, options.sample_rate))
                                     if len(job_list) == 1 else None, scheduler=scheduler).outcomes
        else:
            list(map(report, outcomes))
    return outcomes, workers


def _programmes(files: list[Path], params: tuple[SetValue, ...], from_week: int | None) -> list[Path]:
    """The programme files among `files`: all or none (a programme is built on its own)."""
    found = [f for f in files if is_programme(f)]
    if found and len(found) != len(files):
        raise click.UsageError("build programme files on their own, not with workouts")
    if found and params:
        raise click.UsageError("a programme sets each session's params in its sessions' set:, not with --set")
    if from_week is not None and not found:
        raise click.UsageError("--from-week is for a programme file")
    return found


def _programme_builds(programmes: list[Path], out: Path, runner: Runner | None, roster: str | None,
                      from_week: int | None) -> list[ProgrammeBuild]:
    """Every programme expanded into its jobs (its inline workouts checked and copied)."""
    from audiocoach.programme.build import ProgrammeBuild

    with user_errors():
        return [ProgrammeBuild.load(p, out, runner, Path(roster) if roster else None, from_week) for p in programmes]


def _programme_extras(builds: list[ProgrammeBuild], outcomes: list[Outcome]) -> int:
    """Each programme's calendars and overviews, once its tracks are built; the number that failed."""
    failed = 0
    for each in builds:
        try:
            for path in each.write_extras(outcomes):
                click.echo(path)
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
    return failed


def _all_up_to_date(jobs: list[Job], options: BuildOptions) -> list[Outcome] | None:
    """Each job's result when every one is up to date (answered with the standard library alone); else None."""
    outcomes = []
    for job in jobs:
        began = time.perf_counter()
        now = current(job.path, job.out_dir, options, job.target)
        if now.record is None:
            return None
        outcomes.append(Outcome(job, up_to_date_result(job.path, now, time.perf_counter() - began, job.runner_name)))
    return outcomes


def _roster(path: str) -> list[Runner]:
    from audiocoach.runners import load_roster

    with user_errors():
        return load_roster(path)


def _jobs(files: list[Path], out: Path, runner: Runner | None, roster: list[Runner] | None, batch: bool) -> list[Job]:
    """One job per file, or per file and runner of a roster (in OUTPUT/<workout>/)."""
    if roster is None:
        return [Job(path, out, runner, track=(n, len(files)) if batch else None) for n, path in enumerate(files, 1)]
    return [
        Job(path, out / safe_name(path.stem), each, stem=str(each.name), track=(n, len(roster)))
        for path in files for n, each in enumerate(roster, 1)
    ]





@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@runner_options
@click.option("--roster", type=click.Path(dir_okay=False),
              help="Check this roster file too, and each workout for each of its runners.")
@set_option
def check(paths: tuple[str, ...], runner: Runner | None, roster: str | None, params: tuple[SetValue, ...] = ()) -> None:
    """Check workout files (or folders of them, and the rosters in them) without making audio.

    A programme file is checked whole: every session as it will be built."""
    from audiocoach.coaching.advice import warnings
    from audiocoach.pipeline import checked_plan, load

    if not paths and not roster:
        raise click.UsageError("give workout files or folders, or --roster FILE")
    files, failed_programmes = _check_programmes(_files_to_check(paths), runner, roster)
    if failed_programmes is not None and not files:
        sys.exit(1 if failed_programmes else 0)
    if roster and runner:
        raise click.UsageError("--roster gives each runner's paces; leave out --runner, --mile, --race and --cadence")
    failed, found = _check_rosters(paths, roster)
    files = [f for f in files if not is_roster(f)]  # a roster named among the workouts was checked as one
    failed += failed_programmes or 0
    runners = found if roster else [runner]
    for path in files:
        said: set[str] = set()  # a warning once, not once per runner
        for each in runners:
            try:
                workout = load(path, each, params=params)
                the_plan = checked_plan(workout)
            except AudiocoachError as err:
                failed += 1
                click.echo(f"Error: {err}", err=True)
                break
            for warning in map(str, warnings(workout, the_plan)):
                if warning not in said:
                    said.add(warning)
                    click.echo(f"Warning: {warning}", err=True)
        else:
            steps = the_plan.steps
            who = f" (for each of {len(runners)} runners)" if roster else ""
            click.echo(f"{path}: ok{who} — {workout.title}, {len(steps)} step{'s' if len(steps) != 1 else ''} "
                       f"over {clock(steps[-1].end_ms)}")
    if failed:
        sys.exit(1)


def _files_to_check(paths: tuple[str, ...]) -> list[Path]:
    """The workout and programme files named or in the folders named; none when all there is are rosters."""
    if not paths:
        return []
    with user_errors():
        try:
            return workout_files(paths)
        except AudiocoachError:
            # folders with rosters and no workouts ("nothing to do"): the rosters are checked by _check_rosters
            if all(Path(p).is_dir() for p in paths) and roster_files(paths):
                return []
            raise


def _check_programmes(files: list[Path], runner: Runner | None,
                      roster: str | None) -> tuple[list[Path], int | None]:
    """Check the programme files among `files`; (the other files, how many programmes failed or None if none)."""
    named = [p for p in files if is_programme(p)]
    if not named:
        return files, None
    from audiocoach.programme.check import check_programme

    failed = 0
    for path in named:
        try:
            click.echo(check_programme(path, runner, Path(roster) if roster else None))
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
    return [p for p in files if p not in named], failed


def _check_rosters(paths: tuple[str, ...], roster: str | None) -> tuple[int, list[Runner]]:
    """Check --roster and the rosters named or in the folders named: (how many failed, --roster's runners)."""
    from audiocoach.runners import load_roster

    failed, runners = 0, []
    for path in ([Path(roster)] if roster else []) + roster_files(paths):
        try:
            found = load_roster(path)
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
            continue
        if roster and path == Path(roster):
            runners = found
        click.echo(f"{path}: ok — a roster of {len(found)} runner{'s' if len(found) != 1 else ''}")
    return failed, runners


@cli.command()
@click.argument("path", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option("--png", "png_path", type=click.Path(dir_okay=False),
              help="Also draw the cover (title and effort profile) into this PNG file.")
@runner_options
@set_option
@click.option("--session", metavar="WEEK-DAY",
              help="A programme's session, e.g. 6-tue (with a roster, and --runner NAME).")
def plan(path: str, as_json: bool, png_path: str | None, runner: Runner | None, params: tuple[SetValue, ...] = (),
         session: str | None = None) -> None:
    """Show the cue sheet: every step and every spoken cue, with times."""
    from audiocoach.coaching.cue_sheet import cue_sheet
    from audiocoach.output import sidecars
    from audiocoach.output.cover import cover_png
    from audiocoach.pipeline import plan_file

    with user_errors():
        if session is not None:
            from audiocoach.programme.expand import find_session

            found = find_session(Path(path), session, runner)
            path, runner, params = str(found.workout), found.runner, found.params
        workout, the_plan = plan_file(path, runner, params=params)
        if png_path:
            sidecars.write_bytes(Path(png_path), cover_png(the_plan, workout.kind))
    if as_json:
        click.echo(json.dumps(the_plan.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(cue_sheet(the_plan), nl=False)


@cli.command("new")
@click.argument("name")
@click.option("--from", "template", metavar="TEMPLATE",
              help="Start from a library workout (e.g. mile-400s) or a workout file; default: a commented skeleton.")
@click.option("--dir", "directory", default="workouts", show_default=True, type=click.Path(),
              help="Folder the new file is written to.")
@click.option("--force", is_flag=True, help="Replace a file of the same name.")
def new(name: str, template: str | None, directory: str, force: bool) -> None:
    """Write a commented starting workout DIR/NAME.yaml (never replacing one without --force)."""
    from audiocoach.cli.library import new_workout

    with user_errors():
        path = new_workout(name, template, directory, force=force)
    click.echo(f"{path}: written — edit it, then: audiocoach plan {path}")


@cli.command("list")
@click.argument("directory", default="workouts", type=click.Path())
def list_(directory: str) -> None:
    """Show each workout in DIRECTORY: title, kind, time and number of steps."""
    from audiocoach.cli.library import list_entries, table

    entries = list_entries(_files((directory,)))
    for entry in entries:
        if entry.error:
            click.echo(f"Error: {entry.error}", err=True)
    if any(not e.error for e in entries):
        click.echo(table(entries), nl=False)
    if any(e.error for e in entries):
        sys.exit(1)


@cli.command()
@click.option("--mile", metavar="TIME", help="A mile time, e.g. 6:40.")
@click.option("--race", metavar="DIST=TIME", help="A race instead, e.g. 5k=22:30, 10k=46:00 or half=1:45:00.")
def paces(mile: str | None, race: str | None) -> None:
    """Print a runner's VDOT, race predictions and training paces (E, M, T, I, R)."""
    from audiocoach.runners import runner_options as checked_runner
    from audiocoach.running.table import paces_table
    from audiocoach.running.vdot import profile

    if (mile is None) == (race is None):
        raise click.UsageError("give one of --mile TIME or --race DIST=TIME")
    with user_errors():
        runner = checked_runner(None, mile, race, None)
    performance = None if runner is None else runner.model.performance()
    if performance is None:
        raise click.UsageError("give one of --mile TIME or --race DIST=TIME")
    click.echo(paces_table(profile(*performance)), nl=False)


@cli.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "device_format", required=True, type=click.Choice(["fit", "zwo", "icu"]),
              help="FIT workout (watches), Zwift .zwo (run workouts) or intervals.icu workout text (.txt).")
@click.option("-o", "--output", type=click.Path(),
              help="The file written (one workout), or the folder (several workouts, or a roster)  [default: .]")
@runner_options
@click.option("--roster", type=click.Path(dir_okay=False),
              help="A roster file: one file per runner, in OUTPUT/<workout>/<runner>.<ext>.")
def export(paths: tuple[str, ...], device_format: str, output: str | None, runner: Runner | None,
           roster: str | None) -> None:
    """Export each workout as a device workout: the steps, lengths and paces `plan` shows."""
    from audiocoach.export import export_jobs, export_one

    if roster and runner:
        raise click.UsageError("--roster gives each runner's paces; leave out --runner, --mile, --race and --cadence")
    jobs = export_jobs(_files(paths), device_format, output, runner, _roster(roster) if roster else None)
    failed = 0
    for job in jobs:
        try:
            result = export_one(job, device_format)
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
            continue
        for note in result.notes:
            click.echo(f"Warning: {result.output}: {note}", err=True)
        click.echo(f"{result.output}  {result.steps} steps  {clock(result.duration_ms)}")
    if failed:
        sys.exit(1)


@cli.command("import")
@click.argument("path", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The workout YAML written  [default: print it]")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@runner_options
def import_(path: str, output: str | None, force: bool, runner: Runner | None) -> None:
    """Read a FIT workout, a Zwift .zwo or intervals.icu text (.txt) into a commented workout YAML.

    A .zwo's paces are fractions of threshold pace: give the runner's --mile or --race.
    """
    from audiocoach.importers import import_workout
    from audiocoach.output import sidecars

    if output and Path(output).exists() and not force:
        raise click.UsageError(f"{output} exists; give --force to replace it")
    with user_errors():
        text, warnings = import_workout(path, runner)
        if output:
            sidecars.write(Path(output), text)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if output:
        click.echo(f"{output}: written — check it: audiocoach plan {output}")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--base-url", metavar="URL",
              help="Where DIR will be served, e.g. https://example.org/club/ (the feed's links).")
@click.option("--date", "start", metavar="YYYY-MM-DD", type=click.DateTime(["%Y-%m-%d"]),
              help="Publication date of the first track (a programme: of week 1)  [default: today, UTC]")
@click.option("--title", help="The show's title  [default: the folder's name]")
@click.option("--private", is_flag=True,
              help="Ask directories not to list or import the feed (itunes:block, podcast:locked).")
@click.option("--language", default="en", show_default=True, help="The feed's language code.")
@click.option("--serve", is_flag=True, help="Then serve DIR over HTTP (with byte ranges) until Ctrl-C.")
@click.option("--bind", default="0.0.0.0", show_default=True,
              help="Address --serve listens on (0.0.0.0: the local network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port --serve listens on.")
def publish(directory: str, base_url: str | None, start: dt.datetime | None, title: str | None, private: bool,
            language: str, serve: bool, bind: str, port: int) -> None:
    """Write DIR/feed.xml (a podcast feed; one per runner of a roster) and DIR/index.html for built tracks.

    Beside each MP3: its cover (1400 px), chapters (JSON) and transcript (WebVTT). With --serve
    only, DIR is served as it is.
    """
    from audiocoach.output.publish import Options
    from audiocoach.output.publish import publish as write_publication

    if base_url is None and not serve:
        raise click.UsageError("give --base-url URL (where DIR will be served), or --serve to serve DIR as it is")
    if base_url is not None:
        day = start.date() if start else dt.datetime.now(dt.UTC).date()
        with user_errors():
            written = write_publication(directory, Options(base_url, day, title, private, language))
        shown = [p for p in written if p.suffix == ".xml" or p.name == "index.html"]
        for path in shown:
            click.echo(path)
        click.echo(f"and {len(written) - len(shown)} files beside the tracks: cover, chapters, transcript")
    if serve:
        _serve(directory, bind, port)


def _serve(directory: str, bind: str, port: int) -> None:
    from audiocoach.output.serve import make_server

    with user_errors():
        try:
            server = make_server(directory, bind, port)
        except OSError as err:
            raise AudiocoachError(f"cannot listen on {bind}:{port}: {err.strerror or err}",
                                  hint="choose another --port or --bind") from err
    click.echo(f"Serving {directory} on http://{bind}:{server.server_address[1]}/ — Ctrl-C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the workout language (for editors: see docs/workout.schema.json)."""
    from audiocoach.output.schema import schema_text

    click.echo(schema_text(), nl=False)


def _files(paths: tuple[str, ...]) -> list[Path]:
    with user_errors():
        return workout_files(paths)



def main() -> None:
    # SIGTERM unwinds like Ctrl-C, so a build cleans up its temporary file and click says "Aborted!"
    signal.signal(signal.SIGTERM, _interrupt)
    cli(prog_name="audiocoach")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
