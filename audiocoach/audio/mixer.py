"""The streaming mixer: speech clips, cadence beats and music (audiocoach/music/track.py), rendered chunk
by chunk into float32.

Memory stays flat whatever the track's length: a chunk buffer, the clips playing in it and a
few recently used ones. Every sample is computed from its absolute position alone (no state
carried between chunks but which events are live), so the output is bit-identical whatever
the chunk size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from audiocoach.audio.beats import beat_sound, beats_between
from audiocoach.audio.ducking import DUCK_ATTACK_MS, DUCK_DB, DUCK_RELEASE_MS, duck_span, floor_gain
from audiocoach.audio.levels import beat_gain, levelled
from audiocoach.defaults import BEAT_ACCENT_EVERY, BEAT_DUCK, BEAT_LEVEL_DB, BEAT_SOUND
from audiocoach.errors import BuildError

if TYPE_CHECKING:
    from audiocoach.audio.levels import Bed
    from audiocoach.music.schedule import MusicPiece


class MusicLayer(Protocol):
    """How the music's pieces sound (audiocoach/music/mix.py gives it): handed in with the MixSpec, so the
    audio stage never imports the music package, which depends on it."""

    def track(self, spec: MixSpec, speech: ClipSource, gain: float) -> MusicTrackLike | None: ...

    def bed(self, spec: MixSpec, speech: ClipSource, bounds: np.ndarray) -> Bed | None: ...


class MusicTrackLike(Protocol):
    def render(self, first: int, last: int, out: np.ndarray) -> object: ...


class ClipSource(Protocol):
    """What the mixer needs from Speech."""

    def clip(self, text: str) -> np.ndarray: ...

    # and, for a loudness target (levels.py): profile(text) -> ClipProfile


@dataclass(frozen=True)
class SpeechEvent:
    """A phrase starting at `start_sample`; the clip is fetched only when the mixer gets there."""

    start_sample: int
    text: str


@dataclass(frozen=True)
class BeatSpan:
    """One step with a cadence: beats at `spm` from `start_sample` (the first beat) up to `end_sample`."""

    start_sample: int
    end_sample: int
    spm: float


@dataclass(frozen=True)
class MixSpec:
    """Everything the mixer plays, in samples."""

    sample_rate: int
    total_samples: int
    speech: tuple[SpeechEvent, ...]  # sorted by start; never overlapping
    beats: tuple[BeatSpan, ...]  # sorted, non-overlapping
    beat_sound: str = BEAT_SOUND  # the language's defaults (audiocoach/defaults.py)
    accent_every: int = BEAT_ACCENT_EVERY  # accent beat k when accent_every and k % accent_every == 0 (within the span)
    beat_level_db: float = BEAT_LEVEL_DB  # beat loudness (LU) against the speech: a steady plain beat at REFERENCE_SPM
    duck: bool = BEAT_DUCK
    duck_db: float = DUCK_DB  # how far beats dip under speech
    duck_attack_ms: int = DUCK_ATTACK_MS
    duck_release_ms: int = DUCK_RELEASE_MS
    gain_db: float = 0.0  # on the whole mix: speech at SPEECH_LUFS + gain_db, beats beat_level_db against it
    voice_lufs: float | None = None  # if set, render() chooses gain_db for this speech-gated voice loudness (levels.py)
    channels: int = 1  # 2: the same mix centred in both channels, each 3 dB lower, so the loudness is the same
    music: tuple[MusicPiece, ...] = ()  # sorted by start; see audiocoach/music/schedule.py
    music_levels: tuple[tuple[float, float], ...] = ()  # each piece's source (LUFS, dBTP): audiocoach/music/measure.py
    music_layer: MusicLayer | None = None  # plays `music`: audiocoach/music/mix.py's MUSIC_LAYER


def render(spec: MixSpec, speech: ClipSource, chunk_samples: int = 1 << 16) -> Iterator[np.ndarray]:
    """Yield float32 chunks, in [-1, 1], covering exactly spec.total_samples: 1-D when mono,
    (samples, 2) when spec.channels is 2.

    Speech clips start sample-exact at their event; beats start at beat_samples() onsets and
    ring on across chunk edges; under speech the beats duck by duck_db, ramping down linearly
    over the attack (finished when the clip starts) and back up over the release. With a
    voice target, the gain (and, if its peaks must, a lower beat) is decided first (levels.py).
    """
    _check(spec, chunk_samples)
    if spec.voice_lufs is not None:
        spec = levelled(spec, speech)
    gain = 10 ** (spec.gain_db / 20) / np.sqrt(spec.channels)  # equal power: centred stereo as loud as mono
    voice = _SpeechTrack(spec, speech, gain)
    beats = _BeatTrack(spec, gain)
    music = None if spec.music_layer is None or not spec.music else spec.music_layer.track(spec, speech, gain)
    for first in range(0, spec.total_samples, chunk_samples):
        last = min(first + chunk_samples, spec.total_samples)
        out = np.zeros(last - first, dtype=np.float32)
        if beats.render(first, last, out):
            out *= voice.beat_gain(first, last, beats.level)
        if music is not None:
            music.render(first, last, out)
        voice.render(first, last, out)
        np.clip(out, -1.0, 1.0, out=out)
        yield out if spec.channels == 1 else np.column_stack((out, out))


class _SpeechTrack:
    """Clips that are playing or about to, fetched lazily and dropped once finished."""

    def __init__(self, spec: MixSpec, speech: ClipSource, gain: float = 1.0):
        self.events = spec.speech
        self.speech = speech
        self.gain = np.float32(gain)
        self.next = 0  # index of the first event not fetched yet
        self.live: list[tuple[int, int, np.ndarray]] = []  # (start, end, clip)
        self.last_end = 0
        rate = spec.sample_rate
        self.attack = round(spec.duck_attack_ms * rate / 1000)
        self.release = round(spec.duck_release_ms * rate / 1000)
        self.duck = spec.duck and spec.duck_db > 0
        self.floor = floor_gain(spec.duck_db)

    def _fetch(self, before: int) -> None:
        """Fetch every event starting before `before`; check none overlaps the one before it."""
        while self.next < len(self.events) and self.events[self.next].start_sample < before:
            event = self.events[self.next]
            clip = self.speech.clip(event.text)
            if self.gain != 1:
                clip = clip * self.gain
            if event.start_sample < self.last_end:
                raise BuildError(f"speech {event.text!r} at sample {event.start_sample} overlaps the clip before it "
                                 f"(ends at {self.last_end})", hint=_SCHEDULE_HINT)
            self.last_end = event.start_sample + len(clip)
            self.live.append((event.start_sample, self.last_end, clip))
            self.next += 1

    def _drop(self, before: int) -> None:
        """Forget clips whose sound and release both ended before `before`."""
        self.live = [c for c in self.live if c[1] + self.release > before]

    def beat_gain(self, first: int, last: int, level: float) -> np.ndarray | np.float32:
        """Gain of the beat bus over [first, last): `level`, ducked under speech (ducking.duck_curve)."""
        self._fetch(last + self.attack)
        self._drop(first)
        near = [(s, e) for s, e, _ in self.live if s - self.attack < last and e + self.release > first]
        if not self.duck or not near:
            return np.float32(level)
        starts, ends = np.array(near, dtype=np.int64).T
        curve = duck_span(first, last, starts, ends, self.attack, self.release, self.floor)
        return (level * curve).astype(np.float32)

    def render(self, first: int, last: int, out: np.ndarray) -> None:
        """Add the clips sounding in [first, last) into `out`."""
        self._fetch(last)
        for start, end, clip in self.live:
            lo, hi = max(start, first), min(end, last)
            if lo < hi:
                out[lo - first : hi - first] += clip[lo - start : hi - start]
        self._drop(last)


class _BeatTrack:
    """Beat onsets per span, computed per chunk; a sound straddling a chunk edge continues."""

    def __init__(self, spec: MixSpec, gain: float = 1.0):
        self.spec = spec
        self.plain = beat_sound(spec.beat_sound, spec.sample_rate)
        self.accent = beat_sound(spec.beat_sound, spec.sample_rate, accent=True)
        self.reach = len(self.accent)  # a beat can sound this long after its onset
        self.level = gain * beat_gain(spec)
        self.next = 0  # index of the first span that may still sound

    def render(self, first: int, last: int, out: np.ndarray) -> bool:
        """Add unscaled beats sounding in [first, last) into `out`; False if there were none."""
        if not self.reach:
            return False
        spans = self.spec.beats
        while self.next < len(spans) and spans[self.next].end_sample + self.reach <= first:
            self.next += 1
        found = False
        index = self.next
        while index < len(spans) and spans[index].start_sample < last:
            span = spans[index]
            index += 1
            ks, onsets = beats_between(
                span.start_sample, span.end_sample, span.spm, self.spec.sample_rate, first - self.reach + 1, last
            )
            for k, onset in zip(ks.tolist(), onsets.tolist()):
                sound = self.accent if self._accented(k) else self.plain
                lo, hi = max(onset, first), min(onset + len(sound), last)
                if lo < hi:
                    out[lo - first : hi - first] += sound[lo - onset : hi - onset]
                    found = True
        return found

    def _accented(self, k: int) -> bool:
        every = self.spec.accent_every
        return bool(every) and k % every == 0


_SCHEDULE_HINT = "a MixSpec comes from the plan (build.mix_spec): this is a bug in how it was made"


def _check(spec: MixSpec, chunk_samples: int) -> None:
    """The scheduler's guarantees, checked before mixing: sorted events, spans in order and apart."""
    starts = [e.start_sample for e in spec.speech]
    problems = [
        (chunk_samples <= 0, f"chunk_samples must be positive, got {chunk_samples}"),
        (spec.total_samples < 0, f"total_samples must not be negative, got {spec.total_samples}"),
        (spec.channels not in (1, 2), f"channels must be 1 or 2, got {spec.channels}"),
        (starts != sorted(starts), "speech events must be sorted by start_sample"),
        *((before.end_sample > after.start_sample, f"beat spans overlap: {before} and {after}")
          for before, after in zip(spec.beats, spec.beats[1:])),
        *((span.spm <= 0 or span.start_sample > span.end_sample, f"bad beat span {span}") for span in spec.beats),
    ]
    for wrong, message in problems:
        if wrong:
            raise BuildError(f"cannot mix: {message}", hint=_SCHEDULE_HINT)
