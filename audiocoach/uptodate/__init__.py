"""Whether a build is up to date, answered with the standard library alone: which workout files
(`files`), where each build writes, its build key and the record kept beside the MP3 (`record`),
and a batch's jobs.

Standard library only (tests/test_incremental.py checks it): `audiocoach build` of an up-to-date
file imports no numpy, pydantic, YAML parser or audio stack (a workout that names `music` is read
with the YAML parser for the songs it names: `music`). The pipeline (audiocoach/pipeline.py)
builds what this finds stale; docs/architecture.md, "The lazy boundary".
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audiocoach.audio.sizes import DEFAULT as DEFAULT_SIZE
from audiocoach.errors import AudiocoachError, WorkoutError, raise_all
from audiocoach.names import plain_text, safe_name
from audiocoach.setvalues import SetValue, key_of
from audiocoach.uptodate.files import (
    WORKOUT_SUFFIXES,
    is_programme,
    is_roster,
    read_regular,
    roster_files,
    workout_files,
)
from audiocoach.uptodate.music import music_identity
from audiocoach.uptodate.record import Record, build_key, current_record, read_source, save_record, sidecar_path
from audiocoach.versions import versions

if TYPE_CHECKING:  # the checked runner: audiocoach/runners.py loads the language (pydantic)
    from audiocoach.runners import Runner

__all__ = [
    "WORKOUT_SUFFIXES", "workout_files", "roster_files", "is_roster", "is_programme", "read_regular",  # which files
    "BuildOptions", "Target", "DEFAULT_OPTIONS", "DEFAULT_TARGET", "output_path", "sidecar_paths", "album",  # where to
    "Current", "current", "is_up_to_date", "BuildResult", "up_to_date_result",  # whether to build
    "Record", "build_key", "read_source", "current_record", "save_record", "sidecar_path",  # the record
    "Job", "Outcome", "refuse_collisions",  # a batch's tracks
]

SOURCE_READ_LIMIT = 2_000_000  # above the loader's 1 MB limit, so an oversized file is still refused by it


@dataclass(frozen=True)
class BuildResult:
    """One MP3 written."""

    source: Path
    output: Path
    duration_ms: int
    size_bytes: int
    seconds: float
    up_to_date: bool = False  # nothing was built: the MP3 already came from the same inputs
    title: str | None = None
    runner: str | None = None  # the runner's name, for a track built for one


@dataclass(frozen=True)
class BuildOptions:
    """How to build, beyond the workout itself. Every field is part of the build key."""

    artist: str = "audiocoach"
    sidecars: bool = True  # <stem>.lrc and <stem>.json beside the MP3
    format: str = "mp3"  # or "wav" (16-bit PCM, no tags)
    bitrate_kbps: int = DEFAULT_SIZE.bitrate_kbps  # --size phone: 45 minutes in under 20 MB
    sample_rate: int = DEFAULT_SIZE.sample_rate
    stereo: bool = False  # two channels, everything centred (the same loudness as mono)

    @property
    def channels(self) -> int:
        return 2 if self.stereo else 1


@dataclass(frozen=True)
class Target:
    """Which track of a workout: its number in a batch, the runner it is for, its file name, the
    values set for its parameters."""

    track: tuple[int, int] | None = None  # (number, of how many) in a batch
    runner: Runner | None = None  # over the workout's own runner
    stem: str | None = None  # the file's name without suffix; default: the workout file's
    params: tuple[SetValue, ...] = ()  # the workout's parameters set (--set, a programme's set:)

    @property
    def runner_name(self) -> str | None:
        return None if self.runner is None else self.runner.name


DEFAULT_OPTIONS = BuildOptions()
DEFAULT_TARGET = Target()


@dataclass(frozen=True)
class Current:
    """Where a build writes and whether it must: the source bytes hashed, their key, the record vouching for the MP3."""

    output: Path
    sidecars: tuple[Path, ...]
    raw: bytes | None  # None when unreadable: the loader then says why
    key: str | None
    record: Record | None  # None: build


def output_path(path: Path, out_dir: str | Path, stem: str | None = None, audio_format: str = "mp3") -> Path:
    """Where a build of the workout file `path` writes its audio: `out_dir/<safe stem>.<format>`."""
    return Path(out_dir) / f"{safe_name(stem or Path(path).stem)}.{audio_format}"


def sidecar_paths(output: Path) -> tuple[Path, Path]:
    """`<stem>.lrc` and `<stem>.json` beside the MP3."""
    return output.with_suffix(".lrc"), output.with_suffix(".json")


def current(path: Path, out_dir: str | Path, options: BuildOptions, target: Target = DEFAULT_TARGET,
            force: bool = False) -> Current:
    """The output, its sidecars, the source bytes, the build key and the record vouching for it (or None)."""
    output = output_path(path, out_dir, target.stem, options.format)
    sidecars = sidecar_paths(output) if options.sidecars else ()
    raw = read_source(path, SOURCE_READ_LIMIT)
    key = None
    if raw is not None:
        key = build_key(raw, _settings(path, output, options, target) | _music_key(raw, path, target))
    record = None if key is None or force else current_record(output, key, sidecars)
    return Current(output, sidecars, raw, key, record)


def is_up_to_date(path: Path, out_dir: str | Path, options: BuildOptions = DEFAULT_OPTIONS,
                  target: Target = DEFAULT_TARGET) -> bool:
    """Whether build_file (without force) would leave this track alone."""
    return current(Path(path), out_dir, options, target).record is not None


def _settings(path: Path, output: Path, options: BuildOptions, target: Target) -> dict[str, object]:
    """Every setting that decides the bytes, as the build key has held them since KEY_FORMAT 2; the
    parameters' values join them only when set, so a build without them keeps its key."""
    track, runner = target.track, target.runner
    settings: dict[str, object] = {
        "name": output.name, "album": album(path), "artist": options.artist,
        "sidecars": options.sidecars, "track": list(track) if track else None,
        "format": options.format, "bitrate_kbps": options.bitrate_kbps, "sample_rate": options.sample_rate,
        "stereo": options.stereo,
        "runner": None if runner is None else runner.keys,
        "engine": os.environ.get("AUDIOCOACH_ENGINE")}  # the default speech engine
    params = key_of(target.params)
    if params is not None:
        settings["params"] = params
    return settings


def _music_key(raw: bytes, path: Path, target: Target) -> dict[str, object]:
    """The music files' identities for the build key; nothing when the workout plays no music (keys unchanged).
    audiocoach/uptodate/music.py reads them with the standard library (and YAML only when `music` appears)."""

    runner_music = None if target.runner is None else target.runner.keys.get("music")
    found = music_identity(raw, path, runner_music)
    if found is None:
        return {}
    return {"music": found, "music_engines": versions("miniaudio", "pedalboard")}  # decoder, stretcher


def album(path: Path) -> str | None:
    """The workout's folder name, as one line of text (a folder name may hold control characters)."""
    return plain_text(path.resolve().parent.name) or None


def up_to_date_result(path: Path, now: Current, seconds: float, runner_name: str | None = None) -> BuildResult:
    """What a build that had nothing to do reports, from the record that vouches for the MP3."""
    if now.record is None:
        raise ValueError("no record: the track is not up to date")
    return BuildResult(path, now.output, now.record.duration_ms, now.record.size_bytes, seconds, True,
                       now.record.title, runner_name)


# ---------------------------------------------------------------- a batch's tracks (audiocoach/batch.py builds them)


@dataclass(frozen=True)
class Job:
    """One track to build: a workout file, where to, and for whom."""

    path: Path
    out_dir: Path
    runner: Runner | None = None
    stem: str | None = None  # the file's name without suffix; default: the workout file's
    track: tuple[int, int] | None = None
    params: tuple[SetValue, ...] = ()  # the workout's parameters set (--set, a programme's set:)

    @property
    def target(self) -> Target:
        return Target(self.track, self.runner, self.stem, self.params)

    @property
    def runner_name(self) -> str | None:
        return None if self.runner is None else self.runner.name


@dataclass(frozen=True)
class Outcome:
    """What came of a job: its result, or the error that stopped it."""

    job: Job
    result: BuildResult | None = None
    error: AudiocoachError | None = None
    times: dict[str, float] = field(default_factory=dict)  # seconds per stage of this build (stage_times)

    @property
    def built(self) -> bool:
        return self.result is not None and not self.result.up_to_date


def refuse_collisions(jobs: Sequence[Job], audio_format: str = "mp3") -> None:
    """A located error for each job that would write the same file as an earlier one (d1/w.yaml
    and d2/w.yaml into one folder), before anything is built: one would silently replace the other."""
    first: dict[str, Job] = {}
    errors: list[AudiocoachError] = []
    for job in jobs:
        output = output_path(job.path, job.out_dir, job.stem, audio_format)
        key = os.path.normcase(os.path.abspath(output)).casefold()  # as a case-blind file system sees it
        if key in first:
            errors.append(WorkoutError(
                f"this would be written as {output}, as {first[key].path} is", file=str(job.path),
                hint=f"build each folder with its own -o (e.g. audiocoach build {job.path.parent} "
                     f"-o {job.out_dir / job.path.parent.name}), or rename one of the files"))
        else:
            first[key] = job
    raise_all(errors)
