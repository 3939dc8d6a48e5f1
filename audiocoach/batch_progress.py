"""One progress bar for a whole batch (a folder, a roster, a season): tracks done of all, and minutes of audio."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from audiocoach.uptodate import Outcome

__all__ = ["BatchBar"]


class BatchBar:
    """Counts each finished job; on a terminal, draws one bar with an ETA and the counts so far."""

    def __init__(self, total: int, stream: TextIO | None = None, draw: bool | None = None):
        self.total = total
        self.built = self.up_to_date = self.failed = 0
        self.audio_ms = 0  # of every track done, built or up to date
        stream = stream or sys.stderr
        self._bar: Any = None  # click's ProgressBar, on a terminal
        if draw if draw is not None else stream.isatty():
            self._bar = click.progressbar(length=total, label=f"Building {total} tracks", show_eta=True,
                                          file=stream, item_show_func=lambda _: self.status())
            self._bar.__enter__()

    def update(self, outcome: Outcome) -> None:
        if outcome.result is None:
            self.failed += 1
        else:
            self.audio_ms += outcome.result.duration_ms
            if outcome.result.up_to_date:
                self.up_to_date += 1
            else:
                self.built += 1
        if self._bar is not None:
            self._bar.update(1, outcome)

    def status(self) -> str:
        """E.g. '12 built, 30 up to date, 0 failed · 1,260 min of audio'."""
        return (f"{self.built} built, {self.up_to_date} up to date, {self.failed} failed · "
                f"{self.audio_ms / 60_000:,.0f} min of audio")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
