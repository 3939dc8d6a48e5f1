"""The floor: encoding PCM with lameenc alone, at exactly the settings audiocoach's encoder uses.

Run: python -m benchmarks.floor WORKOUT.yaml — renders the workout's mix to int16 PCM in memory
first (not timed), then times only LAME encoding it, the way audiocoach's writer configures
LAME. Same audio, same settings: what is left is the cost no build can avoid.
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import lameenc

from audiocoach.audio.encoder import lame_scale, to_int16, write_mp3
from audiocoach.pipeline import SAMPLE_RATE, BuildOptions

# What a default build hands LAME: the build's rate and bitrate (the `phone` size), the encoder's
# quality; taken from the code, never copied.
BITRATE_KBPS: int = BuildOptions().bitrate_kbps
QUALITY: int = inspect.signature(write_mp3).parameters["quality"].default


def encode_pcm(chunks: Iterable[bytes]) -> bytes:
    """Mono int16 PCM at SAMPLE_RATE, configured like audiocoach.audio.encoder._write_audio."""
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_quality(QUALITY)
    encoder.silence()
    out = bytearray()
    for chunk in chunks:
        out += encoder.encode(chunk)
    out += encoder.flush()
    return bytes(out)


def rendered_pcm(path: Path) -> list[bytes]:
    """The workout's mix as int16 chunks, exactly what the build hands LAME."""
    from audiocoach.audio.mixer import render
    from audiocoach.pipeline import mix_spec, plan_file, speech_for

    workout, plan = plan_file(path)
    speech = speech_for(workout)
    boost = 1 / lame_scale(BITRATE_KBPS)  # as _write_audio raises it, to undo LAME's own scaling
    return [to_int16(chunk, 1, boost).tobytes() for chunk in render(mix_spec(plan, workout), speech)]


def main() -> None:
    pcm = rendered_pcm(Path(sys.argv[1]))
    began, cpu = time.perf_counter(), time.process_time()
    mp3 = encode_pcm(pcm)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    samples = sum(len(c) for c in pcm) // 2
    print(f'{{"encode_s": {seconds:.3f}, "encode_cpu_s": {cpu:.3f}, "audio_s": {samples / SAMPLE_RATE:.1f}, '
          f'"mp3_bytes": {len(mp3)}}}')


if __name__ == "__main__":
    main()
