"""Chain the stages: workout file → plan → mixed audio → MP3 on disk."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiocoach import incremental, staging
from audiocoach.audio.sizes import DEFAULT as DEFAULT_SIZE
from audiocoach.errors import BuildError
from audiocoach.names import safe_name
from audiocoach.runners import RunnerKeys, runner_model

# The stages are imported where they are used: an up-to-date build never loads numpy,
# pydantic or the speech engine (see audiocoach/incremental.py).
if TYPE_CHECKING:
    from audiocoach.audio.encoder import Tags
    from audiocoach.audio.mixer import MixSpec
    from audiocoach.audio.speech import Speech
    from audiocoach.coaching.plan import Plan
    from audiocoach.language import Workout

SAMPLE_RATE = DEFAULT_SIZE.sample_rate  # `plan` measures speech at the rate the default build renders
SOURCE_READ_LIMIT = 2_000_000  # above the loader's 1 MB limit, so an oversized file is still refused by it

Progress = Callable[[int, int], None]  # (samples done, samples in all)


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


def workout_files(paths: Iterable[str | Path]) -> list[Path]:
    """The workout files named, folders expanded to their workouts in name order (see audiocoach.inputs)."""
    from audiocoach.inputs import workout_files as found

    return found(paths)


def speech_for(workout: Workout, sample_rate: int = SAMPLE_RATE) -> Speech:
    """The speech engine in the workout's voice; an unknown voice or a bad model is an error at its `voice:` key."""
    from audiocoach.audio.speech import Speech
    from audiocoach.audio.voice_choice import voice_spec

    spec, field = voice_spec(workout)
    try:
        return Speech(spec, sample_rate=sample_rate)
    except BuildError as err:
        raise workout.error(("voice", field), err.message, err.hint, key=field == "model") from err


def plan_file(path: str | Path, runner: RunnerKeys | None = None) -> tuple[Workout, Plan, Speech]:
    """Load a workout (for `runner`, when given) and plan it, measuring every cue with the voice that will speak it."""
    from audiocoach.language import load_workout

    return _planned(load_workout(path, runner_model(runner)))


def _planned(workout: Workout, sample_rate: int = SAMPLE_RATE) -> tuple[Workout, Plan, Speech]:
    from audiocoach.coaching.plan import make_plan
    from audiocoach.coaching.spoken import phrases_to_speak

    speech = speech_for(workout, sample_rate)
    from audiocoach.audio.engines.base import ModelError

    try:
        speech.prepare(phrases_to_speak(workout))  # every phrase at once, in a process pool; then plan
    except ModelError as err:  # a Piper model that does not load
        raise workout.error(("voice", "model"), err.message, err.hint, key=True) from err
    return workout, _music_plan(make_plan(workout, speech.duration_ms), workout), speech


def _music_plan(plan: Plan, workout: Workout) -> Plan:
    """The plan with what its music plays in each step (audiocoach/music/plays.py); unchanged without music."""
    from audiocoach.music.plays import with_plays

    return with_plays(plan, workout)


def build_file(
    path: str | Path,
    out_dir: str | Path,
    progress: Progress | None = None,
    *,
    force: bool = False,
    options: BuildOptions = BuildOptions(),
    track: tuple[int, int] | None = None,
    runner: RunnerKeys | None = None,
    stem: str | None = None,
) -> BuildResult:
    """Build `path` into `out_dir/<stem>.mp3` (+ `.lrc` and `.json` sidecars), all written to
    temporary names and renamed into place once the MP3 is complete.

    `track` is (number, of how many) in a batch; `runner` (checked keys, see audiocoach.runners)
    overrides the workout's own runner; `stem` names the file (default: the workout file's).
    Unless `force`, an MP3 already built from the same inputs, with its sidecars unchanged, is
    left alone (`up_to_date`).
    """
    began = time.perf_counter()
    path = Path(path)
    # One build of an output at a time (another process's waits): files of two builds never mix,
    # and temporary files left by a killed build of these outputs can be removed.
    output = output_path(path, out_dir, stem, options.format)
    with staging.output_lock(output):
        staging.remove_stale((output, *sidecar_paths(output), incremental.sidecar_path(output)))
        return _build_locked(path, out_dir, progress, force, options, track, runner, stem, began)


def output_path(path: Path, out_dir: str | Path, stem: str | None = None, audio_format: str = "mp3") -> Path:
    """Where a build of the workout file `path` writes its audio: `out_dir/<safe stem>.<format>`."""
    return Path(out_dir) / f"{safe_name(stem or Path(path).stem)}.{audio_format}"


def _build_locked(path: Path, out_dir: str | Path, progress: Progress | None, force: bool, options: BuildOptions,
                  track: tuple[int, int] | None, runner: RunnerKeys | None, stem: str | None,
                  began: float) -> BuildResult:
    output, sidecars, raw, key, record = _current(path, out_dir, options, track, runner, stem, force)
    runner_name = None if runner is None else runner.get("name")
    if record is not None:
        return BuildResult(path, output, record.duration_ms, record.size_bytes, time.perf_counter() - began, True,
                           record.title, runner_name)
    from audiocoach.audio.encoder import check_format
    from audiocoach.audio.mixer import render
    from audiocoach.language import load_workout
    from audiocoach.language.loader import parse_workout_bytes

    if options.format == "mp3":
        check_format(options.sample_rate, options.bitrate_kbps, 5)
    # Parse the very bytes that were hashed, so the key always describes what was built.
    override = runner_model(runner)
    workout = load_workout(path, override) if raw is None else parse_workout_bytes(raw, str(path), override)
    workout, plan, speech = _planned(workout, options.sample_rate)
    _ensure_folder(output.parent)
    spec = mix_spec(plan, workout, options.sample_rate, channels=2 if options.stereo else 1)
    spec = _music_part(spec, plan, workout)
    chunks = render(spec, speech)
    if progress is not None:
        chunks = _reporting(chunks, spec.total_samples, progress)
    tags = tags_for(workout, path, plan, artist=options.artist, track=track, runner_name=runner_name) \
        if options.format == "mp3" else None
    size = _write_outputs(chunks, output, plan, options, sidecars, tags)
    if key is not None:
        incremental.save_record(output, key, plan.duration_ms, sidecars, title=track_title(workout, runner_name))
    return BuildResult(path, output, plan.duration_ms, size, time.perf_counter() - began,
                       title=track_title(workout, runner_name),
                       runner=runner_name)


def is_up_to_date(path: Path, out_dir: str | Path, options: BuildOptions = BuildOptions(),
                  track: tuple[int, int] | None = None, runner: RunnerKeys | None = None, stem: str | None = None) -> bool:
    """Whether build_file (without force) would leave this track alone."""
    return _current(Path(path), out_dir, options, track, runner, stem, False)[-1] is not None


def _current(path: Path, out_dir, options: BuildOptions, track, runner, stem, force: bool):
    """The output, its sidecars, the source bytes, the build key and the record vouching for it (or None)."""
    output = output_path(path, out_dir, stem, options.format)
    sidecars = sidecar_paths(output) if options.sidecars else ()
    raw, key = _source_and_key(path, output, options, track, runner)
    record = None if key is None or force else incremental.current_record(output, key, sidecars)
    return output, sidecars, raw, key, record


def _source_and_key(
    path: Path, output: Path, options: BuildOptions, track: tuple[int, int] | None, runner: RunnerKeys | None
) -> tuple[bytes | None, str | None]:
    """The workout file's bytes and the build key over them and every setting (None when unreadable)."""
    raw = incremental.read_source(path, SOURCE_READ_LIMIT)
    settings = {"name": output.name, "album": _album(path), "artist": options.artist,
                "sidecars": options.sidecars, "track": list(track) if track else None,
                "format": options.format, "bitrate_kbps": options.bitrate_kbps, "sample_rate": options.sample_rate,
                "stereo": options.stereo,
                "runner": runner, "engine": os.environ.get("AUDIOCOACH_ENGINE")}  # the default speech engine
    if raw is not None:
        settings |= _music_key(raw, path, runner)
    return raw, None if raw is None else incremental.build_key(raw, settings)


def _write_outputs(chunks, output: Path, plan: Plan, options: BuildOptions, sidecars, tags: Tags | None) -> int:
    """Stage the sidecars and the audio under temporary names, then rename them all in; all or none."""
    from audiocoach import sidecars as files
    from audiocoach.audio.encoder import write_mp3, write_wav

    staged: dict[Path, Path] = {}
    try:
        if sidecars:
            lrc, doc = sidecars
            staged[lrc] = files.stage(lrc, files.lrc(plan, options.artist))
            staged[doc] = files.stage(doc, files.plan_json(plan))
        staged[output] = audio = staging.staged_name(output)  # the audio too: all in place together, or none
        try:
            if options.format == "wav":
                size = write_wav(chunks, audio, sample_rate=options.sample_rate, channels=2 if options.stereo else 1)
            else:
                size = write_mp3(
                    chunks, audio, sample_rate=options.sample_rate, bitrate_kbps=options.bitrate_kbps, tags=tags,
                    channels=2 if options.stereo else 1,
                )
        except BuildError as err:  # name the file the user asked for, not its temporary name
            raise BuildError(err.message.replace(str(audio), str(output)), hint=err.hint) from err
        staging.commit_together(staged)
    except BaseException:
        files.discard(staged.values())
        raise
    return size


def sidecar_paths(output: Path) -> tuple[Path, Path]:
    """`<stem>.lrc` and `<stem>.json` beside the MP3."""
    return output.with_suffix(".lrc"), output.with_suffix(".json")


def write_playlist(results: Iterable[BuildResult], out_dir: str | Path, artist: str = "audiocoach") -> Path:
    """`out_dir/playlist.m3u8` listing the MP3s built (or up to date), in batch order, with exact durations."""
    from audiocoach import sidecars as files

    folder = Path(out_dir)
    entries = [
        files.Entry(r.output.relative_to(folder).as_posix(), r.duration_ms, r.title or r.output.stem) for r in results
    ]
    target = folder / files.PLAYLIST
    files.write(target, files.m3u8(entries, artist))
    return target


def mix_spec(plan: Plan, workout: Workout, sample_rate: int = SAMPLE_RATE, channels: int = 1) -> MixSpec:
    """What the mixer plays: each cue's speech and each cadence step's beats, in samples, the voice at VOICE_LUFS."""
    from audiocoach.audio.levels import VOICE_LUFS
    from audiocoach.audio.mixer import BeatSpan, MixSpec, SpeechEvent

    def samples(ms: int) -> int:
        return (ms * sample_rate + 500) // 1000

    return MixSpec(
        sample_rate=sample_rate,
        total_samples=samples(plan.duration_ms),
        speech=tuple(SpeechEvent(samples(c.at_ms), c.spoken) for c in plan.cues),  # the voice gets the spoken form
        beats=tuple(
            BeatSpan(samples(s.start_ms), samples(s.end_ms), s.cadence_spm)
            for s in plan.steps
            if s.cadence_spm is not None and workout.beats.sound != "none"
        ),
        beat_sound=workout.beats.sound,
        accent_every=workout.beats.accent,
        beat_level_db=workout.beats.level,
        duck=workout.beats.duck,
        voice_lufs=VOICE_LUFS,
        channels=channels,
    )


def _music_part(spec: MixSpec, plan: Plan, workout: Workout) -> MixSpec:
    """The music under the coach (audiocoach/music/mix.py): pieces added, beats out of music steps if asked."""
    from audiocoach.music.mix import with_music

    return with_music(spec, plan, workout)


def _music_key(raw: bytes, path: Path, runner: RunnerKeys | None) -> dict[str, object]:
    """The music files' identities for the build key; nothing when the workout plays no music (keys unchanged)."""
    from audiocoach.music.identity import music_identity

    found = music_identity(raw, path, None if runner is None else runner.get("music"))
    if found is None:
        return {}
    return {"music": found, "music_engines": incremental.versions("miniaudio", "pedalboard")}  # decoder, stretcher


def tags_for(
    workout: Workout,
    path: Path,
    plan: Plan | None = None,
    *,
    artist: str = "audiocoach",
    track: tuple[int, int] | None = None,
    runner_name: str | None = None,
) -> Tags:
    """ID3 tags: title, artist, the folder as album, track number, the summary as comment, the
    runner's name; with a plan also the chapters and the cover drawn from it."""
    from audiocoach.audio.encoder import Tags

    comment = workout.description
    if plan is not None and not comment:
        comment = next((c.text for c in plan.cues if c.kind == "intro"), None)
    extra = {}
    if plan is not None:
        from audiocoach.chapters import chapters
        from audiocoach.cover import cover_png

        extra = {"chapters": chapters(plan), "cover_png": cover_png(plan, workout.kind)}
    return Tags(
        title=track_title(workout, runner_name),
        artist=artist,
        album=_album(path),
        comment=comment,
        track=track,
        runner=workout.runner.name if workout.runner is not None else runner_name,
        **extra,
    )


def track_title(workout: Workout, runner_name: str | None = None) -> str:
    """The title a player shows: the workout's, with the runner's name in a build for a named
    runner (a roster's, or --runner), so a coach tells the group's tracks apart."""
    return f"{workout.title} — {runner_name}" if runner_name else workout.title


def _album(path: Path) -> str | None:
    """The workout's folder name, as one line of text (a folder name may hold control characters)."""
    from audiocoach.runners import plain_text

    return plain_text(path.resolve().parent.name) or None


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(f"cannot create output folder {folder}: {err.strerror}", hint="choose another with -o") from err


def _reporting(chunks: Iterable, total: int, progress: Progress) -> Iterator:
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress(done, total)
        yield chunk
