"""The `audiocoach` command: build, check and plan workouts."""

from __future__ import annotations

import json
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from audiocoach import __version__
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
@click.option("--bitrate", "bitrate_kbps", type=int, default=96, show_default=True, help="MP3 bitrate in kb/s.")
@click.option("--sample-rate", type=int, default=44_100, show_default=True, help="Sample rate in Hz.")
def build(
    paths: tuple[str, ...], out_dir: str, force: bool, artist: str, sidecars: bool, audio_format: str,
    bitrate_kbps: int, sample_rate: int,
) -> None:
    """Build each workout file (or every *.yaml in a folder) into OUTPUT/<name>.mp3.

    A file whose MP3 was built from the same workout, settings and program is skipped.
    """
    failed = 0
    files = _files(paths)
    batch = len(files) > 1 or any(Path(p).is_dir() for p in paths)
    options = BuildOptions(artist=artist, sidecars=sidecars, format=audio_format, bitrate_kbps=bitrate_kbps,
                           sample_rate=sample_rate)
    built = []
    for number, path in enumerate(files, 1):
        try:
            with _progress(path) as progress:
                track = (number, len(files)) if batch else None
                result = build_file(path, out_dir, progress=progress, force=force, options=options, track=track)
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
            continue
        built.append(result)
        click.echo(
            f"{result.output}  {clock(result.duration_ms)}  {result.size_bytes / 1e6:.1f} MB  "
            + ("up to date" if result.up_to_date else f"built in {result.seconds:.1f} s")
        )
    if batch and sidecars and built:
        try:
            click.echo(write_playlist(built, out_dir, artist))
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def check(paths: tuple[str, ...]) -> None:
    """Check workout files (or folders of them) without making audio."""
    from audiocoach.coaching.advice import plan_without_audio, warnings
    from audiocoach.language import load_workout

    failed = 0
    for path in _files(paths):
        try:
            workout = load_workout(path)
            the_plan = plan_without_audio(workout)
        except AudiocoachError as err:
            failed += 1
            click.echo(f"Error: {err}", err=True)
            continue
        steps = the_plan.steps
        for warning in warnings(workout, the_plan):
            click.echo(f"Warning: {warning}", err=True)
        click.echo(f"{path}: ok — {workout.title}, {len(steps)} step{'s' if len(steps) != 1 else ''} over {clock(steps[-1].end_ms)}")
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("path", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@click.option("--png", "png_path", type=click.Path(dir_okay=False),
              help="Also draw the cover (title and effort profile) into this PNG file.")
def plan(path: str, as_json: bool, png_path: str | None) -> None:
    """Show the cue sheet: every step and every spoken cue, with times."""
    try:
        workout, the_plan, _ = plan_file(path)
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
