"""MP3 files: float32 chunks streamed through LAME into a temporary file, renamed into place.

The first audio frame is a LAME "Info" frame carrying the encoder delay and end padding
(see lame_tag.py), so a gapless decoder gives back exactly the samples that went in: decoded
sample i is rendered sample i, and the decoded length is the rendered length.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import lameenc
import numpy as np

from audiocoach.audio.lame_tag import SAMPLE_RATES, Crc16, FrameCounter, bitrates, info_frame
from audiocoach.audio.tags import Chapter, Tags, id3_bytes
from audiocoach.errors import BuildError

__all__ = ["Chapter", "Tags", "check_format", "write_mp3", "write_wav"]


def write_mp3(
    chunks: Iterable[np.ndarray],
    path: Path,
    *,
    sample_rate: int = 44100,
    bitrate_kbps: int = 96,
    quality: int = 5,
    tags: Tags | None = None,
) -> int:
    """Encode mono float32 `chunks` (clipped to [-1, 1]) as CBR MP3 at `path`; return the bytes written.

    Atomic: the file is written beside `path` under a temporary name, fsynced and renamed, so
    any failure (KeyboardInterrupt included) leaves whatever was at `path` before. Same input,
    same bytes.
    """
    path = Path(path)
    check_format(sample_rate, bitrate_kbps, quality)
    head = id3_bytes(tags) if tags is not None else b""

    def write(out) -> int:
        out.write(head)
        return len(head) + _write_audio(chunks, out, sample_rate, bitrate_kbps, quality)

    return _atomically(path, write)


def write_wav(chunks: Iterable[np.ndarray], path: Path, *, sample_rate: int = 44100) -> int:
    """Write mono float32 `chunks` as a 16-bit PCM WAV at `path`, atomically like write_mp3; return the bytes written."""
    import wave

    def write(out) -> int:
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            for chunk in chunks:
                wav.writeframes(to_int16(chunk).tobytes())
        return out.tell()

    return _atomically(Path(path), write)


def _atomically(path: Path, write) -> int:
    """Run `write(file)` on a temporary file beside `path`, fsync it and rename it onto `path`."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise _write_error(path, err) from err
    try:
        with os.fdopen(fd, "wb") as out:
            with contextlib.suppress(OSError, AttributeError):  # mkstemp makes it 0600; be a normal file
                os.fchmod(fd, 0o666 & ~_umask())
            size = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _write_error(path, err) from err
        raise
    _sync_folder(path.parent)
    return size


def _write_audio(chunks: Iterable[np.ndarray], out, sample_rate: int, bitrate_kbps: int, quality: int) -> int:
    """Info frame placeholder, the audio, then the real Info frame over the placeholder."""
    info_at = out.tell()
    placeholder = info_frame(sample_rate, bitrate_kbps)
    out.write(placeholder)
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
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

    for chunk in chunks:
        pcm = to_int16(chunk)
        samples += len(pcm)
        emit(bytes(encoder.encode(pcm.tobytes())))
    if not samples:
        # LAME will not flush a stream it never started: give it one silent sample, which the
        # tag's padding (computed for 0 samples) then removes again.
        emit(bytes(encoder.encode(bytes(2))))
    emit(bytes(encoder.flush()))
    tag = info_frame(
        sample_rate,
        bitrate_kbps,
        audio_frames=frames.frames,
        audio_bytes=frames.bytes,
        input_samples=samples,
        music_crc=crc.digest(),
    )
    out.seek(info_at)
    out.write(tag)
    out.seek(0, os.SEEK_END)
    return len(tag) + frames.bytes


def to_int16(chunk: np.ndarray) -> np.ndarray:
    """Mono float samples as little-endian int16: clipped to [-1, 1], scaled by 32767, rounded."""
    samples = np.asarray(chunk, dtype=np.float32)
    if samples.ndim != 1:
        raise ValueError(f"expected mono chunks (1-D), got shape {samples.shape}")
    return np.rint(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")


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
def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
