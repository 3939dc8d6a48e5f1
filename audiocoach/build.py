"""Chain the stages: workout file → plan → mixed audio → MP3 on disk."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from audiocoach.audio.encoder import Tags, write_mp3
from audiocoach.audio.mixer import BeatSpan, MixSpec, SpeechEvent, render
from audiocoach.audio.speech import Speech, VoiceSpec
from audiocoach.coaching.plan import Plan, make_plan
from audiocoach.errors import AudiocoachError, BuildError
from audiocoach.language import Workout, load_workout

SAMPLE_RATE = 44_100
DUCK_DB = 15.0  # beats dip this far under speech: at -12 dB they then sit ~27 dB below the voice
WORKOUT_SUFFIXES = (".yaml", ".yml")

Progress = Callable[[int, int], None]  # (samples done, samples in all)


@dataclass(frozen=True)
class BuildResult:
    """One MP3 written."""

    source: Path
    output: Path
    duration_ms: int
    size_bytes: int
    seconds: float


def workout_files(paths: Iterable[str | Path]) -> list[Path]:
    """The workout files named, folders expanded to their *.yaml files in name order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in WORKOUT_SUFFIXES and p.is_file())
        elif path.exists():
            found.append(path)
        else:
            raise AudiocoachError(f"{path}: no such file or folder")
    return found


def speech_for(workout: Workout) -> Speech:
    """The speech engine in the workout's voice; an unknown voice is an error at `voice.name`."""
    try:
        return Speech(VoiceSpec(name=workout.voice.name, rate=workout.voice.rate), sample_rate=SAMPLE_RATE)
    except BuildError as err:
        raise workout.error(("voice", "name"), err.message, err.hint) from err


def plan_file(path: str | Path) -> tuple[Workout, Plan, Speech]:
    """Load a workout and plan it, measuring every cue with the voice that will speak it."""
    workout = load_workout(path)
    speech = speech_for(workout)
    return workout, make_plan(workout, speech.duration_ms), speech


def build_file(path: str | Path, out_dir: str | Path, progress: Progress | None = None) -> BuildResult:
    """Build `path` into `out_dir/<stem>.mp3` (written to a temporary name, then renamed into place)."""
    began = time.perf_counter()
    path = Path(path)
    workout, plan, speech = plan_file(path)
    output = Path(out_dir) / f"{path.stem}.mp3"
    _ensure_folder(output.parent)
    spec = mix_spec(plan, workout)
    chunks = render(spec, speech)
    if progress is not None:
        chunks = _reporting(chunks, spec.total_samples, progress)
    size = write_mp3(chunks, output, sample_rate=SAMPLE_RATE, tags=tags_for(workout, path))
    return BuildResult(path, output, plan.duration_ms, size, time.perf_counter() - began)


def mix_spec(plan: Plan, workout: Workout, sample_rate: int = SAMPLE_RATE) -> MixSpec:
    """What the mixer plays: each cue's speech and each cadence step's beats, in samples."""

    def samples(ms: int) -> int:
        return (ms * sample_rate + 500) // 1000

    return MixSpec(
        sample_rate=sample_rate,
        total_samples=samples(plan.duration_ms),
        speech=tuple(SpeechEvent(samples(c.at_ms), c.text) for c in plan.cues),
        beats=tuple(
            BeatSpan(samples(s.start_ms), samples(s.end_ms), s.cadence_spm)
            for s in plan.steps
            if s.cadence_spm is not None and workout.beats.sound != "none"
        ),
        beat_sound=workout.beats.sound,
        accent_every=workout.beats.accent,
        beat_level_db=workout.beats.level,
        duck=workout.beats.duck,
        duck_db=DUCK_DB,
    )


def tags_for(workout: Workout, path: Path) -> Tags:
    """ID3 tags: the title, the folder as album, the description as comment."""
    return Tags(title=workout.title, album=path.resolve().parent.name or None, comment=workout.description)


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
