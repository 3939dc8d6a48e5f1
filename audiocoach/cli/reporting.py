"""What the CLI prints while and after tracks build: a line or one bar per batch, the summary table,
the playlists, a long single build's progress bar. Standard library, click and uptodate only (the
lazy boundary, docs/architecture.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from audiocoach.batch_progress import BatchBar
from audiocoach.cli.columns import columns
from audiocoach.errors import AudiocoachError
from audiocoach.output.playlist import write_playlist
from audiocoach.units import clock
from audiocoach.uptodate import BuildResult, Job, Outcome

__all__ = ["batch_report", "batch_summary", "write_playlists", "progress_bar", "LONG_BUILD_S"]

LONG_BUILD_S = 60 * 20  # show a progress bar for tracks of 20 minutes or more


@contextmanager
def batch_report(jobs: list[Job]) -> Iterator[Callable[[Outcome], None]]:
    """Report each finished build: its line (one build) or one progress bar for the whole batch (on a terminal)."""
    bar = BatchBar(len(jobs), draw=len(jobs) > 1 and sys.stderr.isatty())

    def report(outcome: Outcome) -> None:
        if outcome.error is not None:
            click.echo(f"Error: {outcome.error}", err=True)
        elif len(jobs) == 1 and outcome.result is not None:
            result = outcome.result
            click.echo(
                f"{result.output}  {clock(result.duration_ms)}  {result.size_bytes / 1e6:.1f} MB  "
                + ("up to date" if result.up_to_date else f"built in {result.seconds:.1f} s")
            )
        bar.update(outcome)

    try:
        yield report
    finally:
        bar.close()


def batch_summary(outcomes: list[Outcome], seconds: float, workers: int, where: str | None = None) -> str:
    """The table printed after a batch: file, runner (when any), duration, size and build time of each track."""
    rows: list[tuple[str, ...]] = [("FILE", "RUNNER", "DURATION", "SIZE", "SECONDS")]
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
    where = where or f"{workers} job{'s' if workers != 1 else ''} at once"
    total = f"{counts[0]} built, {counts[1]} up to date, {counts[2]} failed in {seconds:.1f} s ({where})\n"
    return columns(rows, right=set(range(len(rows[0]) - 3, len(rows[0])))) + total


def write_playlists(outcomes: list[Outcome], artist: str) -> int:
    """playlist.m3u8 in each folder a batch wrote into, in job order; the number that failed."""
    folders: dict[Path, list[BuildResult]] = {}
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


@contextmanager
def progress_bar(path: Path, sample_rate: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for long builds; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= LONG_BUILD_S * sample_rate:
            bar = click.progressbar(length=total, label=str(path), file=sys.stderr).__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
