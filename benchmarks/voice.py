"""Intelligibility benchmark: how much of what the coach says an offline recognizer hears.

    python -m benchmarks.voice                       # build workouts/ with each engine, listen, print the table
    python -m benchmarks.voice --quick               # two English examples only
    python -m benchmarks.voice --engine espeak       # one engine (repeatable)
    python -m benchmarks.voice --noise pink          # pink (or brown) noise 12 LU under the voice
    python -m benchmarks.voice --folder DIR          # score MP3s already built (each with its .json sidecar)
    python -m benchmarks.voice --misses 20           # also list up to 20 cues not heard, per engine

Builds each example (`workouts/*.yaml`, English ones for the targets; the German example is
reported on its own line, heard in German, spoken by the voice it names) with each engine (the
build's $AUDIOCOACH_ENGINE, which sets the engine of workouts whose `voice:` names none) through
the real CLI, decodes the MP3, and has Whisper base (benchmarks.recognizer) transcribe
only the windows around planned cues (benchmarks.intelligibility says how cues are grouped and
scored, benchmarks.words how words are compared). Targets (issue 11): the default voice hears
≥ 98 % of cues and ≥ 90 % of words on the English examples.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from math import gcd
from pathlib import Path

import numpy as np

from benchmarks.intelligibility import CueScore, Summary, cues_of, score_window, summary, windows
from benchmarks.recognizer import RATE, Recognizer, Word

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "workouts"
QUICK = ("core-circuit", "hill-repeats")  # the two shortest English examples
NOISE_LU_UNDER = 12.0
TARGETS = {"cues": 0.98, "words": 0.90}
ENGINE_VARIABLE = "AUDIOCOACH_ENGINE"  # the build's engine for workouts that name none (audiocoach.audio.voice_choice)


def engines_supported() -> tuple[str, ...]:
    """The engines the build knows: piper and espeak once `voice.engine` exists, else espeak only."""
    from audiocoach.language.model import Voice

    return ("piper", "espeak") if "engine" in Voice.model_fields else ("espeak",)


def language_of(source: Path) -> str:
    """The recognizer language for a workout: its voice's language ('en', 'de', …)."""
    from audiocoach.language import load_workout

    return load_workout(source).voice.name.lower().rsplit("/", 1)[-1].split("-")[0][:2] or "en"


def engine_of(sources: list[Path]) -> str:
    """The engine(s) the build chooses for workouts as they are written."""
    try:
        from audiocoach.audio.voice_choice import voice_spec
    except ImportError:  # before the engines: espeak was the only voice
        return "espeak"
    from audiocoach.language import load_workout

    return "+".join(sorted({voice_spec(load_workout(p))[0].engine for p in sources}))


def build(sources: list[Path], engine: str | None, out: Path) -> float:
    """Build `sources` into `out` through the real CLI, with `engine` for every workout that names
    none ($AUDIOCOACH_ENGINE; None: as the workouts say); the seconds it took.

    A build that fell back to espeak because Piper could not load is refused: its figures would
    be espeak's under Piper's name.
    """
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != ENGINE_VARIABLE}
    if engine is not None:
        env[ENGINE_VARIABLE] = engine
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "audiocoach", "build", *map(str, sources), "-o", str(out), "--force"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode or "neural voice is unavailable" in done.stderr:
        sys.exit(f"build with engine {engine or 'as set'} failed or fell back:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - began


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample to the recognizer's 16 kHz (polyphase, exact ratio)."""
    if rate == RATE:
        return samples.astype(np.float32)
    from scipy.signal import resample_poly

    g = gcd(RATE, rate)
    return resample_poly(samples, RATE // g, rate // g).astype(np.float32)


def voice_loudness(samples: np.ndarray, rate: int, cues) -> float:
    """BS.1770 loudness of the cues' speech alone (their planned spans joined): the level noise is set under."""
    from audiocoach.audio.loudness import integrated_loudness

    spans = [samples[round(c.at * rate):round(c.end * rate)] for c in cues]
    return integrated_loudness(np.concatenate(spans), rate)


def listen(mp3: Path, recognizer: Recognizer, language: str = "en", noise: str | None = None) -> list[CueScore]:
    """Score every planned cue of a built track (its `.json` sidecar is the plan)."""
    from benchmarks.noise import with_noise
    from tests.audio_helpers import decode_mp3

    plan = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
    cues = cues_of(plan)
    samples, rate = decode_mp3(mp3)
    level = voice_loudness(samples, rate, cues) if noise else 0.0
    scores: list[CueScore] = []
    for k, window in enumerate(windows(cues, len(samples) / rate)):
        clip = samples[round(window.start * rate):round(window.end * rate)]
        if noise:
            clip = with_noise(clip, rate, level, noise, NOISE_LU_UNDER, seed=k)
        heard = recognizer.words(to_16k(clip, rate), language)
        shifted = [Word(w.text, w.start + window.start, w.end + window.start) for w in heard]
        scores += score_window(cues, window, shifted)
    return scores


@dataclass
class Row:
    """One line of the table: an engine over a set of tracks."""

    engine: str
    label: str
    scores: list[CueScore] = field(default_factory=list)
    build_s: float = 0.0
    listen_s: float = 0.0

    @property
    def summary(self) -> Summary:
        return summary(self.scores)


def score_folder(folder: Path, recognizer: Recognizer, languages: dict[str, str], default: str, noise: str | None,
                 rows: dict[str, Row], engine: str, per_track: bool = True) -> None:
    """Listen to every MP3 in `folder` and add its scores to the row of its language."""
    for mp3 in sorted(folder.glob("*.mp3")):
        if not mp3.with_suffix(".json").exists():
            print(f"  {mp3.name}: no .json sidecar, skipped (build with sidecars on)")
            continue
        language = languages.get(mp3.stem, default)
        row = rows.setdefault(language, Row(engine, "English" if language == "en" else f"language {language}"))
        began = time.perf_counter()
        scores = listen(mp3, recognizer, language, noise)
        seconds = time.perf_counter() - began
        row.scores += scores
        row.listen_s += seconds
        if per_track:
            s = summary(scores)
            print(f"  {engine:<8}{mp3.stem:<22}{language:<4}{100 * s.cue_share:7.1f} %{100 * s.word_share:7.1f} %"
                  f"{s.cues:6d}{seconds:8.1f} s", flush=True)


def print_table(rows: list[Row], noise: str | None) -> None:
    print()
    under = f", {noise} noise {NOISE_LU_UNDER:g} LU under the voice" if noise else ""
    print(f"Intelligibility (Whisper base, int8){under}")
    print(f"{'engine':<8}{'tracks':<14}{'cues heard':>11}{'words heard':>12}{'cues':>6}{'words':>7}"
          f"{'build s':>9}{'listen s':>10}")
    for row in rows:
        s = row.summary
        print(f"{row.engine:<8}{row.label:<14}{100 * s.cue_share:9.1f} %{100 * s.word_share:10.1f} %{s.cues:6d}"
              f"{s.words:7d}{row.build_s:9.1f}{row.listen_s:10.1f}")


def print_misses(row: Row, limit: int) -> None:
    missed = [s for s in row.scores if s.words and not s.is_heard]
    if not missed or limit <= 0:
        return
    print(f"\n{row.engine}, {row.label}: {len(missed)} cues not heard (first {min(limit, len(missed))})")
    for s in missed[:limit]:
        print(f"  {s.cue.at:8.1f} s  {s.heard}/{s.words}  said: {s.cue.text!r}  heard: {s.transcript!r}")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.voice", description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", action="append", choices=("piper", "espeak"),
                        help="voice engine to build with (repeatable; default: every engine the build knows)")
    parser.add_argument("--quick", action="store_true", help=f"only {' and '.join(QUICK)}")
    parser.add_argument("--noise", choices=("pink", "brown"), help=f"add noise {NOISE_LU_UNDER:g} LU under the voice")
    parser.add_argument("--folder", type=Path, help="score the MP3s (with .json sidecars) in this folder; no build")
    parser.add_argument("--language", default="en", help="recognizer language for --folder tracks not in workouts/")
    parser.add_argument("--label", default="folder", help="the engine column's text for --folder")
    parser.add_argument("--misses", type=int, default=10, help="list up to this many cues not heard (default 10)")
    parser.add_argument("--json", type=Path, help="also write every cue's score to this file")
    return parser.parse_args(argv)


def built_rows(args: argparse.Namespace, sources: dict[str, Path], languages: dict[str, str],
               recognizer: Recognizer) -> list[Row]:
    """Build the examples with each engine and score them: one row per engine (English), one per other language."""
    supported = engines_supported()
    engines = args.engine or list(supported)
    unknown = [e for e in engines if e not in supported]
    if unknown:
        sys.exit(f"engine {', '.join(unknown)}: this build knows only {', '.join(supported)}")
    chosen = [p for stem, p in sources.items() if not args.quick or stem in QUICK]
    english = [p for p in chosen if languages[p.stem] == "en"]
    other = [p for p in chosen if languages[p.stem] != "en"]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="audiocoach-voice-") as tmp:
        for engine in engines if english else []:
            seconds = build(english, engine if len(supported) > 1 else None, Path(tmp) / engine)
            by_language: dict[str, Row] = {}
            score_folder(Path(tmp) / engine, recognizer, languages, "en", args.noise, by_language, engine)
            by_language["en"].build_s = seconds
            rows.append(by_language["en"])
        if other:  # spoken by the voice they name: espeak, unless a Piper model of their language
            seconds = build(other, None, Path(tmp) / "other")
            by_language = {}
            score_folder(Path(tmp) / "other", recognizer, languages, "en", args.noise, by_language, engine_of(other))
            for row in by_language.values():
                row.build_s = seconds
                rows.append(row)
    return rows


def write_json(path: Path, rows: list[Row], noise: str | None) -> None:
    """Every cue's score, for comparing runs (or finding what a voice gets wrong)."""
    path.write_text(json.dumps([
        {"engine": r.engine, "tracks": r.label, "noise": noise,
         "cues": [{"at_s": s.cue.at, "text": s.cue.text, "words": s.words, "heard": s.heard,
                   "transcript": s.transcript} for s in r.scores]} for r in rows], indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    # A terminated run raises SystemExit, so subprocess.run stops the build it waits for and the
    # temporary folder is removed, rather than leaving an orphaned build running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.perf_counter()
    sources = {p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))}
    languages = {stem: language_of(path) for stem, path in sources.items()}
    recognizer = Recognizer()
    if args.folder:
        by_language: dict[str, Row] = {}
        score_folder(args.folder, recognizer, languages, args.language, args.noise, by_language, args.label)
        rows = sorted(by_language.values(), key=lambda r: r.label != "English")
    else:
        rows = built_rows(args, sources, languages, recognizer)
    print_table(rows, args.noise)
    for row in rows:
        print_misses(row, args.misses)
    if args.json:
        write_json(args.json, rows, args.noise)
    for row in rows:
        if row.label == "English":
            s = row.summary
            ok = s.cue_share >= TARGETS["cues"] and s.word_share >= TARGETS["words"]
            print(f"{row.engine}: {'meets' if ok else 'misses'} the targets (≥ {100 * TARGETS['cues']:g} % of cues, "
                  f"≥ {100 * TARGETS['words']:g} % of words, English examples)")
    print(f"total {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
