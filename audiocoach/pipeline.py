"""The pipeline: a workout file through its stages into an MP3 and the files beside it.

    load → plan → score → render → write

- load (audiocoach/language): the YAML, over the runner given, into a checked `Workout`;
- plan (audiocoach/coaching): the `Plan` of steps and cues, each cue measured with the `Speech` that
  will say it (audiocoach/audio/speech.py: the voice is chosen from the workout, `speech_for`);
- score: the plan as what will sound, a `MixSpec` in samples, and the `Tags` (chapters, cover)
  that describe it: the one adapter from the plan to the audio (`mix_spec`, `tags_for`);
- render (audiocoach/audio/mixer.py): the `MixSpec` and `Speech` into chunks of samples, streamed;
- write (audiocoach/audio/encoder.py, audiocoach/output/): the MP3 (or WAV) with its LRC and JSON,
  staged under temporary names and renamed into place together.

`build_file` chains them; what decides whether a build is needed at all is audiocoach/uptodate.py,
which loads none of this (see docs/architecture.md, "The lazy boundary").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from audiocoach import stage_times, uptodate
from audiocoach.audio.encoder import check_format, write_mp3, write_wav
from audiocoach.audio.engines.base import ModelError
from audiocoach.audio.levels import VOICE_LUFS
from audiocoach.audio.mixer import BeatSpan, MixSpec, SpeechEvent
from audiocoach.audio.mixer import render as mix
from audiocoach.audio.speech import Speech
from audiocoach.audio.voice_choice import check_voice_files, voice_spec
from audiocoach.coaching.advice import plan_without_audio
from audiocoach.coaching.plan import Plan, make_plan
from audiocoach.coaching.spoken import phrases_to_speak
from audiocoach.errors import BuildError
from audiocoach.language import Workout, load_workout
from audiocoach.language.loader import parse_workout_bytes
from audiocoach.music.mix import with_music
from audiocoach.music.plays import with_plays
from audiocoach.output import sidecars as files
from audiocoach.output import staging
from audiocoach.output.chapters import chapters
from audiocoach.output.cover import cover_png
from audiocoach.output.tags import Tags
from audiocoach.runners import Runner
from audiocoach.setvalues import SetValue
from audiocoach.uptodate import DEFAULT_OPTIONS, DEFAULT_TARGET, BuildOptions, BuildResult, Current, Target

__all__ = ["build_file", "plan_file", "checked_plan", "load", "plan", "score", "render", "write", "speech_for",
           "mix_spec", "tags_for", "track_title", "BuildOptions", "BuildResult", "Target", "SAMPLE_RATE", "Progress"]

SAMPLE_RATE = DEFAULT_OPTIONS.sample_rate  # `plan` measures speech at the rate the default build renders

Progress = Callable[[int, int], None]  # (samples done, samples in all)


def build_file(path: str | Path, out_dir: str | Path, progress: Progress | None = None, *, force: bool = False,
               options: BuildOptions = DEFAULT_OPTIONS, target: Target = DEFAULT_TARGET) -> BuildResult:
    """Build `path` into `out_dir/<stem>.mp3` (+ `.lrc` and `.json` sidecars), all written to
    temporary names and renamed into place once the MP3 is complete.

    `target` says which track: its number in a batch, the runner (over the workout's own), its
    file name, the values set for its parameters. Unless `force`, an MP3 already built from the
    same inputs, with its sidecars unchanged, is left alone (`up_to_date`).
    """
    began = time.perf_counter()
    path = Path(path)
    # One build of an output at a time (another process's waits): files of two builds never mix,
    # and temporary files left by a killed build of these outputs can be removed.
    output = uptodate.output_path(path, out_dir, target.stem, options.format)
    with staging.output_lock(output):
        staging.remove_stale((output, *uptodate.sidecar_paths(output), uptodate.sidecar_path(output)))
        now = uptodate.current(path, out_dir, options, target, force)
        if now.record is not None:
            return uptodate.up_to_date_result(path, now, time.perf_counter() - began, target.runner_name)
        if options.format == "mp3":
            check_format(options.sample_rate, options.bitrate_kbps, 5)
        # the very bytes hashed: the key describes what was built
        workout = load(path, target.runner, now.raw, target.params)
        speech = speech_for(workout, options.sample_rate)
        the_plan = plan(workout, speech)
        spec, tags = score(the_plan, workout, path, options, target)
        with stage_times.timed("encode"):  # less the mixing it pulls (render's chunks are timed apart)
            size = write(render(spec, speech, progress), now, the_plan, options, tags)
        title = track_title(workout, target.runner_name)
        if now.key is not None:
            uptodate.save_record(now.output, now.key, the_plan.duration_ms, now.sidecars, title=title)
        return BuildResult(path, now.output, the_plan.duration_ms, size, time.perf_counter() - began, title=title,
                           runner=target.runner_name)


def plan_file(path: str | Path, runner: Runner | None = None, sample_rate: int = SAMPLE_RATE,
              params: Sequence[SetValue] = ()) -> tuple[Workout, Plan]:
    """Load a workout (for `runner`, with `params` set, when given) and plan it, measuring every cue
    with the voice that will speak it."""
    workout = load(path, runner, params=params)
    return workout, plan(workout, speech_for(workout, sample_rate))


# ---------------------------------------------------------------- load


def load(path: str | Path, runner: Runner | None = None, raw: bytes | None = None,
         params: Sequence[SetValue] = ()) -> Workout:
    """The checked workout of the file at `path` (or of its bytes `raw`, already read), for `runner`,
    with `params` set (`--set`, a programme's `set:`)."""
    override = None if runner is None else runner.model
    if raw is None:
        return load_workout(path, override, params)
    return parse_workout_bytes(raw, str(path), override, params)


# ---------------------------------------------------------------- plan


def speech_for(workout: Workout, sample_rate: int = SAMPLE_RATE) -> Speech:
    """The speech engine in the workout's voice; an unknown voice or a bad model is an error at its `voice:` key."""
    spec, field = voice_spec(workout)
    try:
        return Speech(spec, sample_rate=sample_rate)
    except BuildError as err:
        raise workout.error(("voice", field), err.message, err.hint, key=field == "model") from err


def plan(workout: Workout, speech: Speech) -> Plan:
    """The workout's plan, each cue measured as `speech` says it (every phrase spoken first, in a process pool)."""
    try:
        with stage_times.timed("speech"):
            speech.prepare(phrases_to_speak(workout))
    except ModelError as err:  # a Piper model that does not load
        raise workout.error(("voice", "model"), err.message, err.hint, key=True) from err
    return _music_plan(make_plan(workout, speech.duration_ms), workout)


def checked_plan(workout: Workout) -> Plan:
    """The plan without audio (estimated speech lengths) with its music: every song is opened, and a
    voice model the workout names is found and its configuration read, so `check` finds a missing or
    broken one too."""
    check_voice_files(workout)
    return _music_plan(plan_without_audio(workout), workout)


def _music_plan(the_plan: Plan, workout: Workout) -> Plan:
    """The plan with what its music plays in each step (audiocoach/music/plays.py); unchanged without music."""
    return with_plays(the_plan, workout)


# ---------------------------------------------------------------- score


def score(the_plan: Plan, workout: Workout, path: Path, options: BuildOptions,
          target: Target = DEFAULT_TARGET) -> tuple[MixSpec, Tags | None]:
    """What the mixer plays, and the tags that describe it (None for a WAV, which has none)."""
    spec = _music_part(mix_spec(the_plan, workout, options.sample_rate, channels=options.channels), the_plan, workout)
    if options.format != "mp3":
        return spec, None
    return spec, tags_for(workout, path, the_plan, artist=options.artist, track=target.track,
                          runner_name=target.runner_name)


def mix_spec(plan: Plan, workout: Workout, sample_rate: int = SAMPLE_RATE, channels: int = 1) -> MixSpec:
    """What the mixer plays: each cue's speech and each cadence step's beats, in samples, the voice at VOICE_LUFS."""
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


def _music_part(spec: MixSpec, the_plan: Plan, workout: Workout) -> MixSpec:
    """The music under the coach (audiocoach/music/mix.py): pieces added, beats out of music steps if asked."""
    return with_music(spec, the_plan, workout)


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
    comment = workout.description
    if plan is not None and not comment:
        comment = next((c.text for c in plan.cues if c.kind == "intro"), None)
    return Tags(
        title=track_title(workout, runner_name),
        artist=artist,
        album=uptodate.album(path),
        comment=comment,
        track=track,
        runner=workout.runner.name if workout.runner is not None else runner_name,
        chapters=() if plan is None else chapters(plan),
        cover_png=None if plan is None else cover_png(plan, workout.kind),
    )


def track_title(workout: Workout, runner_name: str | None = None) -> str:
    """The title a player shows: the workout's, with the runner's name in a build for a named
    runner (a roster's, or --runner), so a coach tells the group's tracks apart."""
    return f"{workout.title} — {runner_name}" if runner_name else workout.title


# ---------------------------------------------------------------- render


def render(spec: MixSpec, speech: Speech, progress: Progress | None = None) -> Iterator[np.ndarray]:
    """The mixed track, chunk by chunk; `progress(done, total)` after each chunk."""
    chunks = stage_times.timed_items("mix", mix(spec, speech))  # pulled by the encoder: timed apart
    return chunks if progress is None else _reporting(chunks, spec.total_samples, progress)


def _reporting(chunks: Iterable[np.ndarray], total: int, progress: Progress) -> Iterator[np.ndarray]:
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress(done, total)
        yield chunk


# ---------------------------------------------------------------- write


def write(chunks: Iterable[np.ndarray], now: Current, the_plan: Plan, options: BuildOptions, tags: Tags | None) -> int:
    """Stage the sidecars and the audio under temporary names, then rename them all in (all or none).

    Returns the audio's size in bytes."""
    output, sidecars = now.output, now.sidecars
    staging.ensure_folder(output.parent)
    staged: dict[Path, Path] = {}
    try:
        if sidecars:
            lrc, doc = sidecars
            staged[lrc] = files.stage(lrc, files.lrc(the_plan, options.artist))
            staged[doc] = files.stage(doc, files.plan_json(the_plan))
        staged[output] = audio = staging.staged_name(output)  # the audio too: all in place together, or none
        try:
            if options.format == "wav":
                size = write_wav(chunks, audio, sample_rate=options.sample_rate, channels=options.channels)
            else:
                size = write_mp3(
                    chunks, audio, sample_rate=options.sample_rate, bitrate_kbps=options.bitrate_kbps, tags=tags,
                    channels=options.channels,
                )
        except BuildError as err:  # name the file the user asked for, not its temporary name
            raise BuildError(err.message.replace(str(audio), str(output)), hint=err.hint) from err
        staging.commit_together(staged)
    except BaseException:
        files.discard(staged.values())
        # and a file created just as Ctrl-C came, before its name was kept (build_file holds the output's lock)
        staging.remove_stale((output, *sidecars))
        raise
    return size
