"""Streamed decoding of song files (miniaudio: MP3, FLAC, Ogg Vorbis, WAV) to mono float32 at any rate.

miniaudio decodes from the file a block at a time, downmixes and resamples in the same pass, so
memory stays at one chunk whatever the song's length; no ffmpeg, no temporary files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from audiocoach.errors import BuildError, WorkoutError

if TYPE_CHECKING:
    from audiocoach.music.songs import Song

CHUNK = 1 << 16  # frames per block handed out: 4 s at 16 kHz, 256 KB of float32


class MusicFileError(WorkoutError):
    """A music file or playlist cannot be used: missing, unreadable, undecodable, truncated, empty.

    The message names the file and what is wrong; the language layer re-raises it located at
    the workout's `music:` key. (Exported by audiocoach.music.songs, where songs are opened.)
    """


def decode_path(path: Path, sample_rate: int, start_ms: int = 0, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """The file's audio from `start_ms` on, mono float32 at `sample_rate`, in blocks of `chunk` frames.

    Deterministic. At the file's own rate a start is sample-exact; when resampling, the resampler
    starts afresh at the seek point, so the first few samples differ slightly from a decode from 0
    and the start may be a sample or two off: splice pieces with a short crossfade.
    """
    if sample_rate <= 0 or chunk <= 0 or start_ms < 0:
        raise BuildError(f"bad decode request: rate {sample_rate}, chunk {chunk}, start {start_ms} ms")
    # Lazy, like the speech engines' libraries: loading miniaudio costs ~35 ms that a build with no
    # music never needs (docs/architecture.md, the lazy boundary).
    import miniaudio  # type: ignore[import-untyped]

    seek = start_ms * sample_rate // 1000  # output frames: miniaudio seeks in the converted stream
    try:
        stream = miniaudio.stream_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1,
                                       sample_rate=sample_rate, frames_to_read=chunk, seek_frame=seek)
        for block in stream:
            yield np.frombuffer(block, dtype=np.float32).copy()
    except FileNotFoundError as err:
        raise MusicFileError(f"{path}: no such music file", hint="check the path in music:") from err
    except miniaudio.MiniaudioError as err:
        raise MusicFileError(f"{path}: not audio that can be decoded ({err})",
                             hint="use an MP3, FLAC, Ogg Vorbis or WAV file, or re-export it") from err


def song_frames(song: Song, sample_rate: int, start_ms: int = 0, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """The song's audio from song time `start_ms`, mono float32 at `sample_rate`, streamed in chunks."""
    return decode_path(song.path, sample_rate, start_ms, chunk)
