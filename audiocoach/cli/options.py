"""The CLI's shared option groups, each handed to a command checked as one value (`runner`, `options`,
`params`), and the one place an AudiocoachError becomes `Error: …` with exit status 1."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from audiocoach.audio.sizes import DEFAULT_NAME, SIZES
from audiocoach.errors import AudiocoachError
from audiocoach.names import refuse_control
from audiocoach.setvalues import parse_set_option
from audiocoach.uptodate import BuildOptions

__all__ = ["SystemExitError", "user_errors", "runner_options", "build_options", "set_option"]


class SystemExitError(click.ClickException):
    """An AudiocoachError shown as `Error: …` with exit status 1."""

    def __init__(self, err: AudiocoachError):
        super().__init__(str(err))


@contextmanager
def user_errors() -> Iterator[None]:
    """Inside: an AudiocoachError ends the command as `Error: …`, exit 1 (the one place it is converted)."""
    try:
        yield
    except AudiocoachError as err:
        raise SystemExitError(err) from err


def runner_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--runner, --mile, --race, --cadence and --music: who the track is for (over the workout's own runner),
    handed to the command checked, as one `runner` (a Runner, or None when none is given)."""

    @functools.wraps(command)
    def with_runner(*args: Any, runner_name: str | None, mile: str | None, race: str | None, cadence: str | None,
                    runner_music: str | None, **kwargs: Any) -> Any:
        runner = None
        if (runner_name, mile, race, cadence, runner_music) != (None, None, None, None, None):
            from audiocoach.runners import runner_options as checked_runner  # pydantic: only when a runner is given

            with user_errors():
                runner = checked_runner(runner_name, mile, race, cadence, runner_music)
        return command(*args, runner=runner, **kwargs)

    for option in reversed([
        click.option("--runner", "runner_name", metavar="NAME", help="The runner's name (tags and file names)."),
        click.option("--mile", metavar="TIME",
                     help="The runner's mile time, e.g. 6:40: paces like 'mile' or 'T' follow it."),
        click.option("--race", metavar="DIST=TIME",
                     help="A recent race instead of a mile, e.g. 5k=22:30 or half=1:45:00."),
        click.option("--cadence", metavar="SPM", help="The runner's natural cadence, e.g. 166, for cadences like +6%."),
        click.option("--music", "runner_music", metavar="PATH",
                     help="The runner's music (a file, folder or .m3u): it plays where the workout's music: would."),
    ]):
        with_runner = option(with_runner)
    return with_runner


def build_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--artist, --sidecars, --format, --size, --bitrate, --sample-rate and --stereo, handed to the
    command as one `options` (BuildOptions)."""

    @functools.wraps(command)
    def with_options(*args: Any, artist: str, sidecars: bool, audio_format: str, size: str, bitrate_kbps: int | None,
                     sample_rate: int | None, stereo: bool, **kwargs: Any) -> Any:
        with user_errors():
            refuse_control(artist, "--artist")
        options = BuildOptions(artist=artist, sidecars=sidecars, format=audio_format,
                               bitrate_kbps=bitrate_kbps or SIZES[size].bitrate_kbps,
                               sample_rate=sample_rate or SIZES[size].sample_rate, stereo=stereo)
        return command(*args, options=options, **kwargs)

    for option in reversed([
        click.option("--artist", default="audiocoach", show_default=True, help="The artist tag of the tracks."),
        click.option("--sidecars/--no-sidecars", default=True, show_default=True,
                     help="Write <name>.lrc and <name>.json beside each MP3, and playlist.m3u8 for a batch."),
        click.option("--format", "audio_format", type=click.Choice(["mp3", "wav"]), default="mp3", show_default=True,
                     help="MP3 (tagged, with chapters and cover) or 16-bit WAV."),
        click.option("--size", type=click.Choice(["small", "phone", "full"]), default=DEFAULT_NAME, show_default=True,
                     help="MP3 setting (mono): small 32 kb/s 16 kHz (messaging apps), phone 48 kb/s 16 kHz, "
                          "full 96 kb/s 44.1 kHz (see README)."),
        click.option("--bitrate", "bitrate_kbps", type=int, help="MP3 bitrate in kb/s  [default: from --size]"),
        click.option("--sample-rate", type=int, help="Sample rate in Hz  [default: from --size]"),
        click.option("--stereo", is_flag=True,
                     help="Two channels (voice and beats centred; the same loudness as mono)."),
    ]):
        with_options = option(with_options)
    return with_options


def set_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--set NAME=VALUE (repeatable): values for the workout's params, handed to the command
    checked, as one `params` (a tuple of SetValue)."""

    @functools.wraps(command)
    def with_params(*args: Any, set_values: tuple[str, ...], **kwargs: Any) -> Any:
        with user_errors():
            params = tuple(parse_set_option(text) for text in set_values)
        return command(*args, params=params, **kwargs)

    return click.option("--set", "set_values", metavar="NAME=VALUE", multiple=True,
                        help="Set one of the workout's params, e.g. --set reps=6 (repeatable).")(with_params)
