"""The music track of the mixer: scheduled pieces streamed chunk by chunk, faded, levelled and ducked.

Each piece reads its song (stretched when its ratio asks) from a stream opened when the mix
reaches it and closed when it ends, so memory holds a chunk per sounding piece whatever the
length. Its gain at a sample comes from the absolute position alone: the fades are ramps over
the piece's own samples, the level is the piece's, and the ducking is the curve the beats use
(audio/ducking.py) with the piece's depth, so the output does not depend on the chunk size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from audiocoach.audio.ducking import duck_curve, floor_gain
from audiocoach.music.builtin import builtin_block
from audiocoach.music.decode import song_frames
from audiocoach.music.stretch import stretched_frames

if TYPE_CHECKING:
    from audiocoach.music.schedule import MusicPiece

__all__ = ["MusicTrack", "piece_frames"]


def piece_frames(piece: MusicPiece, sample_rate: int) -> Iterator[np.ndarray]:
    """The piece's samples from its start (unfaded, at the song's own level), in chunks of any size."""
    if isinstance(piece.song, str):
        step = 1 << 15
        for first in range(0, piece.end_sample - piece.start_sample, step):
            yield builtin_block(piece.bpm or 150.0, sample_rate, first, first + step)
        return
    if piece.ratio == 1.0:
        yield from song_frames(piece.song, sample_rate, piece.song_offset_ms)
    else:
        yield from stretched_frames(piece.song, piece.ratio, sample_rate, piece.song_offset_ms)


class _Reader:
    """Exact-length reads from a piece's stream; zeros once the song has ended."""

    def __init__(self, frames: Iterator[np.ndarray]):
        self.frames = frames
        self.buffer = np.zeros(0, dtype=np.float32)

    def read(self, count: int) -> np.ndarray:
        parts, have = [self.buffer], len(self.buffer)
        while have < count:
            chunk = next(self.frames, None)
            if chunk is None:
                parts.append(np.zeros(count - have, dtype=np.float32))
                break
            parts.append(np.asarray(chunk, dtype=np.float32).reshape(-1))
            have += len(parts[-1])
        joined = np.concatenate(parts) if len(parts) > 1 else parts[0]
        self.buffer = joined[count:]
        return joined[:count]


class MusicTrack:
    """The pieces sounding in each chunk, each at gain × its level × its fades × its ducking."""

    def __init__(self, pieces: Sequence[MusicPiece], sample_rate: int, gains: Sequence[float],
                 speech: tuple[np.ndarray, np.ndarray], attack: int, release: int):
        """`gains`: each piece's linear gain (its level against the voice, the track's gain included);
        `speech`: the starts and ends (samples) of the clips the music ducks under."""
        self.pieces = pieces
        self.rate = sample_rate
        self.gains = gains
        self.starts, self.ends = speech
        self.attack, self.release = attack, release
        self.next = 0
        self.live: dict[int, _Reader] = {}

    def render(self, first: int, last: int, out: np.ndarray) -> None:
        """Add the music sounding in [first, last) into `out`."""
        while self.next < len(self.pieces) and self.pieces[self.next].start_sample < last:
            piece = self.pieces[self.next]
            if piece.end_sample > first:
                reader = _Reader(piece_frames(piece, self.rate))
                reader.read(max(0, first - piece.start_sample))  # a piece the mix starts inside of
                self.live[self.next] = reader
            self.next += 1
        for index in sorted(self.live):
            piece, reader = self.pieces[index], self.live[index]
            lo, hi = max(first, piece.start_sample), min(last, piece.end_sample)
            if lo < hi:
                out[lo - first : hi - first] += reader.read(hi - lo) * self._gain(index, lo, hi)
            if piece.end_sample <= last:
                del self.live[index]

    def _gain(self, index: int, lo: int, hi: int) -> np.ndarray | np.float32:
        """Level × fades × ducking over [lo, hi) of piece `index` (float32; a scalar where all are steady)."""
        piece = self.pieces[index]
        fading_in = lo < piece.start_sample + piece.fade_in_samples
        fading_out = hi > piece.end_sample - piece.fade_out_samples
        near = slice(np.searchsorted(self.ends, lo - self.release, "right"),
                     np.searchsorted(self.starts, hi + self.attack, "left"))
        ducking = piece.duck_db > 0 and near.start < near.stop
        if not (fading_in or fading_out or ducking):
            return np.float32(self.gains[index])
        at = np.arange(lo, hi, dtype=np.float64)
        gain = np.full(hi - lo, self.gains[index])
        if fading_in:
            gain *= np.clip((at - piece.start_sample + 0.5) / piece.fade_in_samples, 0.0, 1.0)
        if fading_out:
            gain *= np.clip((piece.end_sample - at - 0.5) / piece.fade_out_samples, 0.0, 1.0)
        if ducking:
            # only the clips whose ducking reaches [lo, hi) shape it (ducking.py): the rest give 1
            gain *= duck_curve(at, self.starts[near], self.ends[near], self.attack, self.release,
                               floor_gain(piece.duck_db))
        return gain.astype(np.float32)
