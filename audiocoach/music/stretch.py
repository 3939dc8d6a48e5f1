"""Songs played faster or slower at the same pitch: Rubber Band's time_stretch (pedalboard), cached on disk.

Rubber Band's offline stretch takes the whole song at once (pedalboard has no streaming stretcher),
so one song is in memory while it is stretched: its samples, the stretched copy and Rubber Band's
own buffers, about 3 × 4 bytes × samples (a 5-minute song at 44.1 kHz: ~160 MB; at 16 kHz: ~60 MB).
That is per song, not per workout: the result goes to the cache and is played from there in chunks.

Each cache entry checks itself like a speech clip: a header holds the sample rate, the length and
the sha256 of the samples; a damaged entry is reported in one line and stretched again.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pedalboard

from audiocoach.audio.speech_cache import default_cache_dir
from audiocoach.music.decode import CHUNK, song_frames
from audiocoach.music.songs import Song
from audiocoach.notices import notice

HIGH_QUALITY = False  # Rubber Band's faster engine: 4x quicker, and alike under the voice at ±12 % (README)
STRETCH_ENGINE = f"pedalboard-{pedalboard.__version__}-rubberband-{'finer' if HIGH_QUALITY else 'faster'}"
CACHE_FORMAT = 1  # bump when storage changes, so old entries are never reused
MAGIC = b"ACMUSIC1"
HEADER = struct.Struct("<8sIIQ32s")  # magic, format, sample rate, samples, sha256 of the sample bytes
SUFFIX = ".f32"
READ = 1 << 20  # bytes per read while checking an entry


def stretched_frames(song: Song, ratio: float, sample_rate: int, start_ms: int = 0,
                     chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """The song played `ratio` times as fast (1.05: 5 % faster, same pitch) from song time `start_ms`.

    Mono float32 at `sample_rate`, in chunks of `chunk` frames. Song time t plays at t / ratio in the
    stretched song. The first call for a (song, ratio, rate) stretches the whole song and caches it;
    later calls, in this process or another, read the cache. ratio 1.0 is the plain decoded song.
    """
    if not (ratio > 0) or start_ms < 0:
        from audiocoach.errors import BuildError

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
    samples = np.concatenate(list(song_frames(song, sample_rate)))
    stretched = np.ascontiguousarray(time_stretch(samples, sample_rate, round(ratio, 4)), dtype="<f4")
    body = stretched.data.cast("B")  # the samples' bytes, not a copy
    header = HEADER.pack(MAGIC, CACHE_FORMAT, sample_rate, len(stretched), hashlib.sha256(body).digest())
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, lambda out: (out.write(header), out.write(body)))
    _verified.add(_identity(path))
    return path


def time_stretch(samples: np.ndarray, sample_rate: int, ratio: float) -> np.ndarray:
    """Rubber Band via pedalboard: `samples` (mono) `ratio` times as fast, pitch kept."""
    out = pedalboard.time_stretch(samples[None, :].astype(np.float32), float(sample_rate),
                                  stretch_factor=ratio, high_quality=HIGH_QUALITY)
    return np.asarray(out[0], dtype=np.float32)


def entry_path(song: Song, ratio: float, sample_rate: int, cache_dir: Path | None = None) -> Path:
    """Where the stretched song lives: keyed by the song's bytes, the ratio (to 1e-4), the rate and the engine."""
    key = json.dumps({"song": song.sha256, "ratio": f"{ratio:.4f}", "rate": sample_rate,
                      "engine": STRETCH_ENGINE, "format": CACHE_FORMAT}, sort_keys=True)
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
    if size != 4 * samples or samples == 0:
        return f"{size} bytes of samples where {4 * samples} were written"
    return None if hashed.digest() == digest else "its samples do not match their checksum"


def _read(path: Path, first: int, chunk: int) -> Iterator[np.ndarray]:
    """Samples from index `first` to the end of a checked entry, `chunk` at a time."""
    with open(path, "rb") as entry:
        entry.seek(HEADER.size + 4 * first)
        while block := entry.read(4 * chunk):
            yield np.frombuffer(block, dtype="<f4").astype(np.float32)


def _write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Temporary file beside `path`, then one rename (the shape of oneofeach's atomic.write_atomic)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
