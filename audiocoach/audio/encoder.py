"""MP3 files: float32 chunks streamed through LAME into a temporary file, renamed into place.

The first audio frame is a LAME "Info" frame carrying the encoder delay and end padding
(see lame_tag.py), so a gapless decoder gives back exactly the samples that went in: decoded
sample i is rendered sample i, and the decoded length is the rendered length. And at the same
level: LAME scales its input down at most bitrates (see lame_scale), so the samples are raised
by as much first, and a track mixed to -16 LUFS decodes at -16 LUFS.
"""

from __future__ import annotations

import contextlib
import functools
import os
import wave
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import lameenc
import numpy as np

from audiocoach.atomic import write_atomic
from audiocoach.audio.lame_tag import SAMPLE_RATES, Crc16, FrameCounter, bitrates, info_frame
from audiocoach.errors import BuildError
from audiocoach.output.tags import Chapter, Tags, id3_bytes

__all__ = ["Chapter", "Tags", "check_format", "lame_scale", "write_mp3", "write_wav"]


# LAME's CBR presets scale the input (the "scale" column of its abr_switch_map): 0.95 up to
# 160 kb/s. Measured through lameenc and dr_mp3 (tests/test_encoder.py checks every bitrate).
_LAME_SCALE = {192: 0.97, 224: 0.98, 256: 1.0, 320: 1.0}


def write_mp3(
    chunks: Iterable[np.ndarray],
    path: Path,
    *,
    sample_rate: int = 44100,
    bitrate_kbps: int = 96,
    quality: int = 5,
    tags: Tags | None = None,
    channels: int = 1,
) -> int:
    """Encode float32 `chunks` (clipped to [-1, 1]; 1-D for mono, (samples, 2) for stereo) as CBR MP3
    at `path`; return the bytes written.

    Atomic: the file is written beside `path` under a temporary name, fsynced and renamed, so
    any failure (KeyboardInterrupt included) leaves whatever was at `path` before. Same input,
    same bytes.
    """
    path = Path(path)
    check_format(sample_rate, bitrate_kbps, quality)
    head = id3_bytes(tags) if tags is not None else b""

    def write(out) -> int:
        out.write(head)
        return len(head) + _write_audio(chunks, out, sample_rate, bitrate_kbps, quality, channels)

    return _atomically(path, write)


def write_wav(chunks: Iterable[np.ndarray], path: Path, *, sample_rate: int = 44100, channels: int = 1) -> int:
    """Write float32 `chunks` (as for write_mp3) as a 16-bit PCM WAV at `path`, atomically like
    write_mp3; return the bytes written."""

    def write(out) -> int:
        with wave.open(out, "wb") as wav:
            wav.setnchannels(channels)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            for chunk in chunks:
                wav.writeframes(to_int16(chunk, channels).tobytes())
        return out.tell()

    return _atomically(Path(path), write)


def _atomically(path: Path, write: Callable[[BinaryIO], int]) -> int:
    """Run `write(file)` on a temporary file beside `path`, fsync it and rename it onto `path`."""
    try:
        size = write_atomic(path, write, fsync=True)
    except OSError as err:
        raise _write_error(path, err) from err
    _sync_folder(path.parent)
    return size or 0


def _write_audio(
    chunks: Iterable[np.ndarray], out, sample_rate: int, bitrate_kbps: int, quality: int, channels: int
) -> int:
    """Info frame placeholder, the audio, then the real Info frame over the placeholder."""
    info_at = out.tell()
    placeholder = info_frame(sample_rate, bitrate_kbps, channels=channels)
    out.write(placeholder)
    encoder = lameenc.Encoder()
    encoder.set_channels(channels)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)  # or LAME may resample, adding delay the tag would not know
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_quality(quality)
    encoder.silence()
    frames, crc = FrameCounter(sample_rate), Crc16()
    samples = 0

    def emit(data: bytes) -> None:
        out.write(data)
        frames.feed(data)
        crc.update(data)

    boost = 1 / lame_scale(bitrate_kbps)  # undo LAME's scaling, so the decoded level is the input's
    for chunk in chunks:
        pcm = to_int16(chunk, channels, boost)
        samples += len(pcm)
        emit(bytes(encoder.encode(pcm.tobytes())))
    if not samples:
        # LAME will not flush a stream it never started: give it one silent sample, which the
        # tag's padding (computed for 0 samples) then removes again.
        emit(bytes(encoder.encode(bytes(2 * channels))))
    emit(bytes(encoder.flush()))
    tag = info_frame(
        sample_rate,
        bitrate_kbps,
        audio_frames=frames.frames,
        audio_bytes=frames.bytes,
        input_samples=samples,
        music_crc=crc.digest(),
        channels=channels,
    )
    out.seek(info_at)
    out.write(tag)
    out.seek(0, os.SEEK_END)
    return len(tag) + frames.bytes


def to_int16(chunk: np.ndarray, channels: int = 1, gain: float = 1.0) -> np.ndarray:
    """Float samples times `gain` as little-endian int16: clipped to [-1, 1], scaled by 32767, rounded.
    Mono chunks are 1-D; stereo ones (samples, 2), which come out interleaved (L R …) in tobytes()."""
    samples = np.asarray(chunk, dtype=np.float32)
    if samples.ndim != (1 if channels == 1 else 2) or (channels > 1 and samples.shape[1] != channels):
        shape = "1-D" if channels == 1 else f"(samples, {channels})"
        raise ValueError(f"expected {shape} chunks, got shape {samples.shape}")
    limit = np.float32(1 / gain)
    scaled = np.clip(samples, -limit, limit)  # a new array: scaled and rounded in place, the same arithmetic
    scaled *= np.float32(32767 * gain)
    np.rint(scaled, out=scaled)
    return np.ascontiguousarray(scaled.astype("<i2"))


def lame_scale(bitrate_kbps: int) -> float:
    """The factor LAME multiplies its input by at this CBR bitrate (0.95, or closer to 1 from 192 kb/s)."""
    return _LAME_SCALE.get(bitrate_kbps, 0.95)


def check_format(sample_rate: int, bitrate_kbps: int, quality: int) -> None:
    if sample_rate not in SAMPLE_RATES:
        raise BuildError(
            f"MP3 cannot be {sample_rate} Hz", hint="use one of " + ", ".join(map(str, sorted(SAMPLE_RATES)))
        )
    if bitrate_kbps not in bitrates(sample_rate):
        raise BuildError(
            f"MP3 at {sample_rate} Hz cannot be {bitrate_kbps} kb/s",
            hint="use one of " + ", ".join(map(str, bitrates(sample_rate))),
        )
    if not 0 <= quality <= 9:
        raise BuildError(
            f"MP3 quality {quality} is out of range", hint="use 0 (best, slowest) to 9 (fastest); 5 is good"
        )


def _write_error(path: Path, err: OSError) -> BuildError:
    reason = err.strerror or str(err)
    return BuildError(
        f"cannot write {path}: {reason}", hint="check that the folder exists, is writable and has free space"
    )


@functools.lru_cache(maxsize=1)

def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
