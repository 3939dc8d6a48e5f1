"""The `audiocoach` command: build, check and plan workouts."""

from __future__ import annotations

import json
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from audiocoach import __version__
from audiocoach.audio.sizes import DEFAULT_NAME
from audiocoach.build import BuildOptions, build_file, plan_file, workout_files, write_playlist
from audiocoach.coaching.phrases import clock
from audiocoach.errors import AudiocoachError

# The language, advice and cue sheet are imported inside the commands that use them: they load
# pydantic, and `build` of an up-to-date file must answer without it (≤ 0.3 s).

LONG_BUILD_SAMPLES = 44_100 * 60 * 20  # show a progress bar for tracks of 20 minutes or more


@click.group()
@click.version_option(__version__, prog_name="audiocoach")
def cli() -> None:
    """Compile YAML workouts into coached MP3 tracks."""


def _keep_music(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """--music is kept aside for _runner (so the commands' signatures stay as they were)."""
    ctx.meta["runner_music"] = value


def runner_options(command):
    """--runner, --mile, --race and --cadence: who the track is for (over the workout's own runner)."""
    for option in reversed([
        click.option("--runner", "runner_name", metavar="NAME", help="The runner's name (tags and file names)."),
        click.option("--mile", metavar="TIME", help="The runner's mile time, e.g. 6:40: paces like 'mile' or 'T' follow it."),
        click.option("--race", metavar="DIST=TIME", help="A recent race instead of a mile, e.g. 5k=22:30 or half=1:45:00."),
        click.option("--cadence", metavar="SPM", help="The runner's natural cadence, e.g. 166, for cadences like +6%."),
        click.option("--music", metavar="PATH", expose_value=False, callback=_keep_music,
                     help="The runner's music (a file, folder or .m3u): it plays where the workout's music: would."),
    ]):
        command = option(command)
    return command


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder the MP3s are written to.")
@click.option("--force", is_flag=True, help="Rebuild even the MP3s that are up to date.")
@click.option("--artist", default="audiocoach", show_default=True, help="The artist tag of the tracks.")
@click.option("--sidecars/--no-sidecars", default=True, show_default=True,
              help="Write <name>.lrc and <name>.json beside each MP3, and playlist.m3u8 for a batch.")
@click.option("--format", "audio_format", type=click.Choice(["mp3", "wav"]), default="mp3", show_default=True,
              help="MP3 (tagged, with chapters and cover) or 16-bit WAV.")
@click.option("--size", type=click.Choice(["small", "phone", "full"]), default=DEFAULT_NAME, show_default=True,
              help="MP3 setting (mono): small 32 kb/s 16 kHz (messaging apps), phone 48 kb/s 16 kHz, full 96 kb/s 44.1 kHz (see README).")
@click.option("--bitrate", "bitrate_kbps", type=int, help="MP3 bitrate in kb/s  [default: from --size]")
@click.option("--sample-rate", type=int, help="Sample rate in Hz  [default: from --size]")
@click.option("--stereo", is_flag=True, help="Two channels (voice and beats centred; the same loudness as mono).")
@runner_options
@click.option("--roster", type=click.Path(dir_okay=False),
              help="A roster file: one track per runner, in OUTPUT/<workout>/<runner>.mp3.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Builds at once, in parallel processes  [default: CPUs]")
def build(
    paths: tuple[str, ...], out_dir: str, force: bool, artist: str, sidecars: bool, audio_format: str,
    bitrate_kbps: int, sample_rate: int, runner_name: str | None, mile: str | None, race: str | None,
    cadence: str | None, roster: str | None, jobs: int | None, stereo: bool, size: str,
) -> None:
    """Build each workout file (or every *.yaml in a folder) into OUTPUT/<name>.mp3.

    A file whose MP3 was built from the same workout, runner, settings and program is skipped.
    """
    from audiocoach.batch import default_jobs, run_jobs

    files = _files(paths)
    runner = _runner(runner_name, mile, race, cadence)
    if roster and runner:
        raise click.UsageError("--roster gives each runner's paces; leave out --runner, --mile, --race and --cadence")
    batch = roster is not None or len(files) > 1 or any(Path(p).is_dir() for p in paths)
    from audiocoach.audio.sizes import SIZES

    options = BuildOptions(artist=artist, sidecars=sidecars, format=audio_format,
                           bitrate_kbps=bitrate_kbps or SIZES[size].bitrate_kbps,
                           sample_rate=sample_rate or SIZES[size].sample_rate, stereo=stereo)
    job_list = _jobs(files, Path(out_dir), runner, _roster(roster) if roster else None, batch)
    _refuse_collisions(job_list, audio_format, artist)
    workers = jobs or default_jobs()
    began = time.perf_counter()
    with _batch_report(job_list, workers) as report:
        outcomes = run_jobs(job_list, workers, force=force, options=options, on_done=report,
                            progress_for=(lambda job: _progress(job.path)) if workers == 1 or len(job_list) == 1 else None)
    failed = sum(o.error is not None for o in outcomes)
    if len(job_list) > 1:
        click.echo(batch_summary(outcomes, time.perf_counter() - began, min(workers, len(job_list))), nl=False)
    if batch and sidecars:
        failed += _playlists(outcomes, artist)
    if failed:
        sys.exit(1)


def _refuse_collisions(job_list: list, audio_format: str, artist: str) -> None:
    """Before anything is built: no two jobs writing one file, no control character in --artist."""
    from audiocoach.batch import refuse_collisions
    from audiocoach.runners import refuse_control

    try:
        refuse_control(artist, "--artist")
        refuse_collisions(job_list, audio_format)
    except AudiocoachError as err:
        raise SystemExitError(err) from err


def _runner(name, mile, race, cadence):
    from audiocoach.runners import runner_options as checked_runner

    try:
        return checked_runner(name, mile, race, cadence, click.get_current_context().meta.get("runner_music"))
    except AudiocoachError as err:
        raise SystemExitError(err) from err


def _roster(path: str):
    from audiocoach.runners import load_roster

    try:
        return load_roster(path)
    except AudiocoachError as err:
        raise SystemExitError(err) from err


def _jobs(files: list[Path], out: Path, runner, roster, batch: bool) -> list:
    """One job per file, or per file and runner of a roster (in OUTPUT/<workout>/)."""
    from audiocoach.batch import Job
    from audiocoach.names import safe_name

    if roster is None:
        return [Job(path, out, runner, track=(n, len(files)) if batch else None) for n, path in enumerate(files, 1)]
    return [
        Job(path, out / safe_name(path.stem), keys, stem=str(keys["name"]), track=(n, len(roster)))
        for path in files for n, keys in enumerate(roster, 1)
    ]


@contextmanager
def _batch_report(jobs: list, workers: int):
    """Report each finished build: its line (one build) or an overall progress bar with ETA (a batch)."""
    bar = None
    if len(jobs) > 1 and workers > 1 and sys.stderr.isatty():
        bar = click.progressbar(length=len(jobs), label=f"Building {len(jobs)} tracks", show_eta=True,
                                file=sys.stderr).__enter__()

    def report(outcome) -> None:
        if outcome.error is not None:
            click.echo(f"Error: {outcome.error}", err=True)
        elif len(jobs) == 1:
            result = outcome.result
            click.echo(
                f"{result.output}  {clock(result.duration_ms)}  {result.size_bytes / 1e6:.1f} MB  "
                + ("up to date" if result.up_to_date else f"built in {result.seconds:.1f} s")
            )
        if bar is not None:
            bar.update(1)

    try:
        yield report
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def batch_summary(outcomes: list, seconds: float, workers: int) -> str:
    """The table printed after a batch: file, runner (when any), duration, size and build time of each track."""
    from audiocoach.columns import columns

    rows = [("FILE", "RUNNER", "DURATION", "SIZE", "SECONDS")]
    for o in outcomes:
        r = o.result
        if r is None:
            rows.append((str(o.job.path), o.job.runner_name or "", "", "", "failed"))
        else:
            rows.append((str(r.output), r.runner or "", clock(r.duration_ms), f"{r.size_bytes / 1e6:.1f} MB",
                         "up to date" if r.up_to_date else f"{r.seconds:.1f}"))
    if not any(row[1] for row in rows[1:]):  # no runner named: no runner column
        rows = [(f, *rest) for f, _, *rest in rows]
    counts = [sum(o.result is not None and not o.result.up_to_date for o in outcomes),
              sum(o.result is not None and o.result.up_to_date for o in outcomes),
              sum(o.error is not None for o in outcomes)]
    total = (f"{counts[0]} built, {counts[1]} up to date, {counts[2]} failed in {seconds:.1f} s "
             f"({workers} job{'s' if workers != 1 else ''} at once)\n")
    return columns(rows, right=set(range(len(rows[0]) - 3, len(rows[0])))) + total


def _playlists(outcomes: list, artist: str) -> int:
    """playlist.m3u8 in each folder a batch wrote into, in job order; the number that failed."""
    folders: dict[Path, list] = {}
    for o in outcomes:
        if o.result is not None:
            folders.setdefault(o.job.out_dir, []).append(o.result)
    failed = 0
    for folder, results in folders.items():
        try:
            click.echo(write_playlist(results, folder, artist))
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
    return failed


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@runner_options
@click.option("--roster", type=click.Path(dir_okay=False),
              help="Check this roster file too, and each workout for each of its runners.")
def check(paths: tuple[str, ...], runner_name, mile, race, cadence, roster) -> None:
    """Check workout files (or folders of them, and the rosters in them) without making audio."""
    from audiocoach.coaching.advice import plan_without_audio, warnings
    from audiocoach.language import load_workout
    from audiocoach.runners import runner_model

    if not paths and not roster:
        raise click.UsageError("give workout files or folders, or --roster FILE")
    keys = _runner(runner_name, mile, race, cadence)
    if roster and keys:
        raise click.UsageError("--roster gives each runner's paces; leave out --runner, --mile, --race and --cadence")
    failed, runners = _check_rosters(paths, roster)
    runners = [runner_model(r) for r in runners] if roster else [runner_model(keys)]
    for path in _files(paths) if paths else ():
        said: set[str] = set()  # a warning once, not once per runner
        for runner in runners:
            try:
                workout = load_workout(path, runner)
                the_plan = plan_without_audio(workout)
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


def _check_rosters(paths: tuple[str, ...], roster: str | None) -> tuple[int, list]:
    """Check --roster and the rosters in the folders named: (how many failed, --roster's runners)."""
    from audiocoach.inputs import roster_files
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
def plan(path: str, as_json: bool, png_path: str | None, runner_name, mile, race, cadence) -> None:
    """Show the cue sheet: every step and every spoken cue, with times."""
    runner = _runner(runner_name, mile, race, cadence)
    try:
        workout, the_plan, _ = plan_file(path, runner)
        if png_path:
            from audiocoach import sidecars
            from audiocoach.cover import cover_png

            sidecars.write_bytes(Path(png_path), cover_png(the_plan, workout.kind))
    except AudiocoachError as err:
        raise SystemExitError(err) from err
    if as_json:
        click.echo(json.dumps(the_plan.to_json(), indent=2, ensure_ascii=False))
    else:
        from audiocoach.coaching.cue_sheet import cue_sheet

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
    from audiocoach.library import new_workout

    try:
        path = new_workout(name, template, directory, force=force)
    except AudiocoachError as err:
        raise SystemExitError(err) from err
    click.echo(f"{path}: written — edit it, then: audiocoach plan {path}")


@cli.command("list")
@click.argument("directory", default="workouts", type=click.Path())
def list_(directory: str) -> None:
    """Show each workout in DIRECTORY: title, kind, time and number of steps."""
    from audiocoach.library import list_entries, table

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
    from audiocoach.running.table import paces_table
    from audiocoach.running.vdot import profile

    if (mile is None) == (race is None):
        raise click.UsageError("give one of --mile TIME or --race DIST=TIME")
    keys = _runner(None, mile, race, None)
    from audiocoach.runners import runner_model

    click.echo(paces_table(profile(*runner_model(keys).performance())), nl=False)


@cli.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "device_format", required=True, type=click.Choice(["fit", "zwo", "icu"]),
              help="FIT workout (watches), Zwift .zwo (run workouts) or intervals.icu workout text (.txt).")
@click.option("-o", "--output", type=click.Path(),
              help="The file written (one workout), or the folder (several workouts, or a roster)  [default: .]")
@runner_options
@click.option("--roster", type=click.Path(dir_okay=False),
              help="A roster file: one file per runner, in OUTPUT/<workout>/<runner>.<ext>.")
def export(paths, device_format, output, runner_name, mile, race, cadence, roster) -> None:
    """Export each workout as a device workout: the steps, lengths and paces `plan` shows."""
    from audiocoach.output.export import export_jobs, export_one

    runner = _runner(runner_name, mile, race, cadence)
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
def import_(path: str, output: str | None, force: bool, runner_name, mile, race, cadence) -> None:
    """Read a FIT workout, a Zwift .zwo or intervals.icu text (.txt) into a commented workout YAML.

    A .zwo's paces are fractions of threshold pace: give the runner's --mile or --race.
    """
    from audiocoach import sidecars
    from audiocoach.importers import import_workout

    runner = _runner(runner_name, mile, race, cadence)
    if output and Path(output).exists() and not force:
        raise click.UsageError(f"{output} exists; give --force to replace it")
    try:
        text, warnings = import_workout(path, runner)
        if output:
            sidecars.write(Path(output), text)
    except AudiocoachError as err:
        raise SystemExitError(err) from err
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if output:
        click.echo(f"{output}: written — check it: audiocoach plan {output}")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--base-url", metavar="URL", help="Where DIR will be served, e.g. https://example.org/club/ (the feed's links).")
@click.option("--date", "start", metavar="YYYY-MM-DD", type=click.DateTime(["%Y-%m-%d"]),
              help="Publication date of the first track (a programme: of week 1)  [default: today, UTC]")
@click.option("--title", help="The show's title  [default: the folder's name]")
@click.option("--private", is_flag=True, help="Ask directories not to list or import the feed (itunes:block, podcast:locked).")
@click.option("--language", default="en", show_default=True, help="The feed's language code.")
@click.option("--serve", is_flag=True, help="Then serve DIR over HTTP (with byte ranges) until Ctrl-C.")
@click.option("--bind", default="0.0.0.0", show_default=True, help="Address --serve listens on (0.0.0.0: the local network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port --serve listens on.")
def publish(directory: str, base_url: str | None, start, title: str | None, private: bool, language: str,
            serve: bool, bind: str, port: int) -> None:
    """Write DIR/feed.xml (a podcast feed; one per runner of a roster) and DIR/index.html for built tracks.

    Beside each MP3: its cover (1400 px), chapters (JSON) and transcript (WebVTT). With --serve
    only, DIR is served as it is.
    """
    import datetime as dt

    if base_url is None and not serve:
        raise click.UsageError("give --base-url URL (where DIR will be served), or --serve to serve DIR as it is")
    if base_url is not None:
        from audiocoach.output.publish import Options
        from audiocoach.output.publish import publish as write_publication

        day = start.date() if start else dt.datetime.now(dt.timezone.utc).date()
        try:
            written = write_publication(directory, Options(base_url, day, title, private, language))
        except AudiocoachError as err:
            raise SystemExitError(err) from err
        shown = [p for p in written if p.suffix == ".xml" or p.name == "index.html"]
        for path in shown:
            click.echo(path)
        click.echo(f"and {len(written) - len(shown)} files beside the tracks: cover, chapters, transcript")
    if serve:
        _serve(directory, bind, port)


def _serve(directory: str, bind: str, port: int) -> None:
    from audiocoach.output.serve import make_server

    try:
        server = make_server(directory, bind, port)
    except OSError as err:
        raise SystemExitError(AudiocoachError(f"cannot listen on {bind}:{port}: {err.strerror or err}",
                                              hint="choose another --port or --bind")) from err
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
    from audiocoach.schema import schema_text

    click.echo(schema_text(), nl=False)


class SystemExitError(click.ClickException):
    """An AudiocoachError shown as `Error: …` with exit status 1."""

    def __init__(self, err: AudiocoachError):
        super().__init__(str(err))


def _files(paths: tuple[str, ...]) -> list[Path]:
    try:
        return workout_files(paths)
    except AudiocoachError as err:
        raise SystemExitError(err) from err


@contextmanager
def _progress(path: Path):
    """A progress bar on a terminal for long builds; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= LONG_BUILD_SAMPLES:
            bar = click.progressbar(length=total, label=str(path), file=sys.stderr).__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def main() -> None:
    # SIGTERM unwinds like Ctrl-C, so a build cleans up its temporary file and click says "Aborted!"
    signal.signal(signal.SIGTERM, _interrupt)
    cli(prog_name="audiocoach")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
