"""Songs played faster or slower at the same pitch: Rubber Band's time_stretch (pedalboard), cached on disk.

pedalboard has no streaming stretcher: its time_stretch takes a whole buffer (Rubber Band offline,
measured ~30 MB per minute of music). So a song is stretched SEGMENT_S (2 minutes) at a time, each
segment with PAD_S of context either side, and the segments are joined by 50 ms crossfades: memory
stays at one segment whatever the song's length. The result is written to the cache as it comes
and played from there in chunks.

Each cache entry checks itself like a speech clip: a header holds the sample rate, the length and
the sha256 of the samples; a damaged entry is reported in one line and stretched again.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np

from audiocoach.atomic import write_atomic
from audiocoach.errors import BuildError
from audiocoach.memo import cache_dir as default_cache_dir
from audiocoach.music.decode import CHUNK, song_frames
from audiocoach.music.songs import Song
from audiocoach.notices import notice
from audiocoach.versions import versions

# Rubber Band's faster engine: per minute of music 0.17 s CPU at 16 kHz and 0.85 s at 44.1 kHz, against
# 0.75 s and 1.95 s for the finer one (make bench-stretch); at ratios within ±12 %, under a coach's voice.
HIGH_QUALITY = False


@lru_cache(maxsize=1)
def stretch_engine() -> str:
    """The stretcher and its version: part of every cache key (read without loading pedalboard)."""
    return f"pedalboard-{versions('pedalboard')['pedalboard']}-rubberband-{'finer' if HIGH_QUALITY else 'faster'}"
CACHE_FORMAT = 2  # bump when storage changes, so old entries are never reused
# Samples are stored as 16-bit integers at half scale: half the disk of float32 (a 4-minute song at
# 44.1 kHz: 21 MB per ratio), 6 dB of headroom for Rubber Band's overshoot, ~90 dB below full scale.
STORE_SCALE = 16_384
MAGIC = b"ACMUSIC1"
HEADER = struct.Struct("<8sIIQ32s")  # magic, format, sample rate, samples, sha256 of the sample bytes
SUFFIX = ".s16"
READ = 1 << 20  # bytes per read while checking an entry
SEGMENT_S = 120.0  # seconds of song stretched per Rubber Band call: bounds memory for songs of any length
PAD_S = 2.0  # context given on each side of a segment, so the stretcher is settled at the joins
FADE_S = 0.05  # crossfade at each join


def stretched_frames(song: Song, ratio: float, sample_rate: int, start_ms: int = 0,
                     chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """The song played `ratio` times as fast (1.05: 5 % faster, same pitch) from song time `start_ms`.

    Mono float32 at `sample_rate`, in chunks of `chunk` frames. Song time t plays at t / ratio in the
    stretched song. The first call for a (song, ratio, rate) stretches the whole song and caches it;
    later calls, in this process or another, read the cache. ratio 1.0 is the plain decoded song.
    """
    if not (ratio > 0) or start_ms < 0:
        raise BuildError(f"cannot stretch {song.path.name} by {ratio} from {start_ms} ms")
    if round(ratio, 4) == 1.0:
        return song_frames(song, sample_rate, start_ms, chunk)
    path = stretch_song(song, ratio, sample_rate)
    return _read(path, round(start_ms * sample_rate / 1000 / round(ratio, 4)), chunk)


def stretch_song(song: Song, ratio: float, sample_rate: int, cache_dir: Path | None = None) -> Path:
    """The cache entry holding the whole song stretched by `ratio` at `sample_rate`, made if missing or damaged."""
    path = entry_path(song, ratio, sample_rate, cache_dir)
    if _checked(path, sample_rate, song.path.name):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, lambda out: _write_entry(out, stretched_segments(song, round(ratio, 4), sample_rate),
                                                    sample_rate))
    except OSError as err:
        raise BuildError(f"cannot write the music cache in {path.parent}: {err.strerror or err}",
                         hint="set AUDIOCOACH_CACHE to a writable folder") from err
    _verified.add(_identity(path))
    return path


def _write_entry(out: BinaryIO, pieces: Iterator[np.ndarray], sample_rate: int) -> None:
    """Header, then the samples as they come (hashed on the way); the header is filled in last."""
    out.write(bytes(HEADER.size))
    digest, samples = hashlib.sha256(), 0
    for piece in pieces:
        scaled = np.rint(np.clip(piece * STORE_SCALE, -32_768, 32_767))
        body = np.ascontiguousarray(scaled, dtype="<i2").data.cast("B")
        digest.update(body)
        out.write(body)
        samples += len(piece)
    out.seek(0)
    out.write(HEADER.pack(MAGIC, CACHE_FORMAT, sample_rate, samples, digest.digest()))


def stretched_segments(song: Song, ratio: float, rate: int) -> Iterator[np.ndarray]:
    """The song stretched SEGMENT_S of input at a time, each with PAD_S of context either side, joined by
    FADE_S crossfades: memory stays at one segment whatever the song's length. Input sample i lands
    on output sample round(i / ratio)."""
    segment, pad, fade = round(SEGMENT_S * rate), round(PAD_S * rate), round(FADE_S * rate)
    held, offset, start, tail = np.zeros(0, np.float32), 0, 0, np.zeros(0, np.float32)
    blocks = song_frames(song, rate)
    finished = False
    while True:
        pending, count = [held], offset + len(held)
        while not finished and count < start + segment + pad:
            block = next(blocks, None)
            finished = block is None
            if block is not None:
                pending.append(block)
                count += len(block)
        held = np.concatenate(pending)  # once per segment: joining chunk by chunk would copy it many times
        end = min(start + segment, offset + len(held))
        last = finished and end == offset + len(held)
        low, high = max(0, start - pad), min(end + pad, offset + len(held))
        if high <= low:
            return  # an empty song (open_song refuses those; nothing to stretch)
        out = time_stretch(held[low - offset: high - offset], rate, ratio)
        first = round(start / ratio) - round(low / ratio)
        piece = out[first: round(end / ratio) - round(low / ratio) + (0 if last else fade)].astype(np.float32)
        overlap = min(len(tail), len(piece))
        ramp = (np.arange(overlap) + 0.5) / max(overlap, 1)
        piece[:overlap] = tail[:overlap] * (1 - ramp) + piece[:overlap] * ramp
        if last:
            yield piece
            return
        yield piece[: len(piece) - fade]
        tail, start = piece[len(piece) - fade:], end
        held, offset = held[max(0, start - pad) - offset:], max(0, start - pad)


def time_stretch(samples: np.ndarray, sample_rate: int, ratio: float) -> np.ndarray:
    """Rubber Band via pedalboard: `samples` (mono) `ratio` times as fast, pitch kept."""
    # Lazy, like the speech engines' libraries: pedalboard's native library is loaded only to stretch.
    import pedalboard

    out = pedalboard.time_stretch(samples[None, :].astype(np.float32), float(sample_rate),
                                  stretch_factor=ratio, high_quality=HIGH_QUALITY)
    return np.asarray(out[0], dtype=np.float32)


def entry_path(song: Song, ratio: float, sample_rate: int, cache_dir: Path | None = None) -> Path:
    """Where the stretched song lives: keyed by the song's bytes, the ratio (to 1e-4), the rate and the engine."""
    key = json.dumps({"song": song.sha256, "ratio": f"{ratio:.4f}", "rate": sample_rate,
                      "engine": stretch_engine(), "format": CACHE_FORMAT}, sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return root / "music" / digest[:2] / f"{digest}{SUFFIX}"


_verified: set[tuple[Path, int, int]] = set()  # entries whose checksum held, as (path, size, mtime)


def _identity(path: Path) -> tuple[Path, int, int]:
    stat = path.stat()
    return (path, stat.st_size, stat.st_mtime_ns)


def _checked(path: Path, sample_rate: int, what: str) -> bool:
    """True when the entry exists and checks out (read once per process); a damaged one is reported."""
    try:
        if _identity(path) in _verified:
            return True
        problem = _problem(path, sample_rate)
    except FileNotFoundError:
        return False
    except OSError as err:
        problem = err.strerror or str(err)
    if problem:
        notice(f"music cache entry {path.name} ({what}) was damaged ({problem}); stretching it again")
        return False
    _verified.add(_identity(path))
    return True


def _problem(path: Path, sample_rate: int) -> str | None:
    """What is wrong with an entry, or None: header, length and checksum, read a megabyte at a time."""
    with open(path, "rb") as entry:
        head = entry.read(HEADER.size)
        if len(head) < HEADER.size:
            return "empty" if not head else f"only {len(head)} bytes"
        magic, version, rate, samples, digest = HEADER.unpack(head)
        if magic != MAGIC or version != CACHE_FORMAT or rate != sample_rate:
            return "not an entry of this version"
        hashed, size = hashlib.sha256(), 0
        for block in iter(lambda: entry.read(READ), b""):
            hashed.update(block)
            size += len(block)
    if size != 2 * samples or samples == 0:
        return f"{size} bytes of samples where {2 * samples} were written"
    return None if hashed.digest() == digest else "its samples do not match their checksum"


def _read(path: Path, first: int, chunk: int) -> Iterator[np.ndarray]:
    """Samples from index `first` to the end of a checked entry, `chunk` at a time."""
    with open(path, "rb") as entry:
        entry.seek(HEADER.size + 2 * first)
        while block := entry.read(2 * chunk):
            yield np.frombuffer(block, dtype="<i2").astype(np.float32) / np.float32(STORE_SCALE)
