"""The music schedule: which song plays when, from where in it, and how fast — a pure function of the plan.

Steps that play the same music form a run; in a run the songs follow each other in a seeded
order (shuffled or as listed) with crossfades and start again from the first when they run out.
With `match_cadence` each step plays the song `ratio` times as fast, the ratio closest to 1 of
cadence, cadence/2 and cadence×2 over the song's tempo; a ratio beyond the stretch limit plays
unstretched (and the plan says so). At a step boundary where the ratio changes, the song goes
on from the point it reached, at the new ratio, with a short crossfade of the two renderings
(no gap: the two are the same music at the same moment). A step with other music, or none,
ends the run with a fade; a run that comes back picks up its songs where it left them.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audiocoach.language.music import Music
    from audiocoach.music.songs import Song

__all__ = ["MusicPiece", "StepMusic", "schedule_music", "music_seed", "BUILTIN_DEFAULT_BPM", "SEAM_MS", "EDGE_FADE_MS"]

BUILTIN = "builtin"
BUILTIN_DEFAULT_BPM = 150.0  # the generated music's tempo in a step without a cadence
SEAM_MS = 40  # crossfade where the ratio changes: long enough to hide the seam, short enough to keep the beat
EDGE_FADE_MS = 1_000  # music fades in where it starts and out where it stops (a step with other music or none)


@dataclass(frozen=True)
class StepMusic:
    """The music in force for one step of the plan: its settings and songs (empty for builtin)."""

    start_ms: int
    end_ms: int
    cadence_spm: float | None
    music: Music  # never off
    songs: tuple[Song, ...] = ()

    @property
    def builtin(self) -> bool:
        return self.music.play == [BUILTIN]


@dataclass(frozen=True)
class MusicPiece:
    """One stretch of one song in the track, in output samples; pieces overlap only in fades."""

    start_sample: int
    end_sample: int
    song: Song | str  # a Song, or "builtin"
    song_offset_ms: int  # where in the song the piece starts (0 for builtin)
    ratio: float  # played this many times as fast (1.0: as recorded)
    fade_in_samples: int
    fade_out_samples: int
    level_db: float  # LU against the voice
    duck_db: float  # depth under speech (0: no ducking)
    bpm: float | None = None  # the tempo heard (the song's × ratio; builtin's own)
    note: str = ""  # why not matched: "unstretched: outside ±12 %", "no tempo known", ...

    @property
    def title(self) -> str:
        return "built-in music" if isinstance(self.song, str) else self.song.title


@dataclass
class _Cursor:
    """Where a run's songs are: the order, the song playing and the song time reached."""

    order: list[int]
    index: int = 0
    offset_ms: float = 0.0
    fade_in: int = 0  # samples over which the next piece fades in (a crossfade begun in the step before)
    pieces: list[MusicPiece] = field(default_factory=list)


def music_seed(*names: str | None) -> int:
    """A seed from the workout's title and the runner's name: the same track shuffles the same way."""
    text = "\0".join(name or "" for name in names)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def choose_ratio(song_bpm: float | None, cadence: float | None, music: Music) -> tuple[float, str]:
    """The playing ratio for a song in a step, and a note when it is not matched to the cadence."""
    if not music.match_cadence or cadence is None:
        return 1.0, ""
    if song_bpm is None:
        return 1.0, "unstretched: no tempo known"
    ratio = min((target / song_bpm for target in (cadence, cadence / 2, cadence * 2)), key=lambda r: abs(math.log(r)))
    if abs(ratio - 1) > music.max_stretch / 100 + 1e-9:
        return 1.0, f"unstretched: outside ±{music.max_stretch:g} %"
    return round(ratio, 4), ""


def schedule_music(steps: Sequence[StepMusic | None], sample_rate: int, seed: int) -> list[MusicPiece]:
    """The pieces to play for `steps` (in order, back to back; None = no music in that step)."""
    pieces: list[MusicPiece] = []
    cursors: dict[tuple, _Cursor] = {}
    run: list[StepMusic] = []
    for step in [*steps, None]:
        if run and (step is None or step.music != run[0].music):
            cursor = cursors.setdefault(_run_key(run[0]), _Cursor(_order(run[0], seed)))
            pieces += _play_run(run, cursor, sample_rate)
            run = []
        if step is not None:
            run.append(step)
    return pieces


def _run_key(step: StepMusic) -> tuple:
    return (tuple(step.music.play), step.music.shuffle, tuple(s.sha256 for s in step.songs))


def _order(step: StepMusic, seed: int) -> list[int]:
    order = list(range(len(step.songs)))
    if step.music.shuffle:
        random.Random(seed ^ music_seed(*step.music.play)).shuffle(order)
    return order


def _samples(ms: float, rate: int) -> int:
    return int(math.floor(ms * rate / 1000 + 0.5))


def _play_run(run: list[StepMusic], cursor: _Cursor, rate: int) -> list[MusicPiece]:
    """The pieces of one run of steps with the same music, faded in at its start and out at its end."""
    cursor.pieces, cursor.fade_in = [], 0
    for step in run:
        if step.builtin:
            _builtin_step(step, cursor, rate)
        else:
            _song_step(step, cursor, rate)
    out = _merged(cursor.pieces, rate)
    if out:
        start, end = _samples(run[0].start_ms, rate), _samples(run[-1].end_ms, rate)
        edge = _samples(EDGE_FADE_MS, rate)
        out[0] = replace(out[0], fade_in_samples=min(edge, out[0].end_sample - start))
        out[-1] = replace(out[-1], fade_out_samples=min(edge, end - out[-1].start_sample))
    return out


def _builtin_step(step: StepMusic, cursor: _Cursor, rate: int) -> None:
    bpm = step.cadence_spm or BUILTIN_DEFAULT_BPM
    start, end = _samples(step.start_ms, rate), _samples(step.end_ms, rate)
    cursor.pieces.append(MusicPiece(start, end, BUILTIN, 0, 1.0, 0, 0, step.music.level, step.music.duck, bpm))


def _song_step(step: StepMusic, cursor: _Cursor, rate: int) -> None:
    """Songs from the cursor over one step, each at this step's ratio, crossfaded into the next."""
    at, end = float(step.start_ms), float(step.end_ms)
    while at < end:
        song = step.songs[cursor.order[cursor.index]]
        ratio, note = choose_ratio(song.bpm, step.cadence_spm, step.music)
        fade = min(step.music.crossfade, song.duration_ms / ratio / 3)
        stops = at + (song.duration_ms - cursor.offset_ms) / ratio  # track time where the song ends
        ends_here = stops <= end
        bpm = None if song.bpm is None else round(song.bpm * ratio, 2)
        cursor.pieces.append(MusicPiece(
            _samples(at, rate), _samples(min(stops, end), rate), song, int(round(cursor.offset_ms)), ratio,
            cursor.fade_in, _samples(fade, rate) if ends_here else 0, step.music.level, step.music.duck, bpm, note,
        ))
        cursor.fade_in = 0
        if ends_here:  # the next song starts `fade` before this one ends, fading in as it fades out
            cursor.index = (cursor.index + 1) % len(cursor.order)
            cursor.offset_ms = 0.0
            cursor.fade_in = _samples(fade, rate)
            at = stops - fade  # may reach back into the step before: the crossfade stays whole
        else:
            cursor.offset_ms += (end - at) * ratio
            at = end


def _merged(pieces: list[MusicPiece], rate: int) -> list[MusicPiece]:
    """Continuations at an unchanged ratio joined, and a seam crossfade where the same song goes on at a new one."""
    out: list[MusicPiece] = []
    for piece in pieces:
        if out and _continues(out[-1], piece, rate):
            before = out[-1]
            if before.ratio == piece.ratio and before.bpm == piece.bpm:
                out[-1] = replace(before, end_sample=piece.end_sample, fade_out_samples=piece.fade_out_samples)
                continue
            out[-1], piece = _seam(before, piece, rate)
        out.append(piece)
    return out


def _continues(before: MusicPiece, piece: MusicPiece, rate: int) -> bool:
    """Whether `piece` is the same song going on from where `before` stopped, with no fade between
    (not the song starting again: a loop without a crossfade)."""
    if isinstance(piece.song, str):
        reached = 0.0  # the built-in music has no song time: a piece of it goes on from wherever
    else:
        reached = before.song_offset_ms + (before.end_sample - before.start_sample) * 1000 / rate * before.ratio
        reached -= piece.song_offset_ms
    return (before.end_sample == piece.start_sample and before.fade_out_samples == 0 and piece.fade_in_samples == 0
            and before.song == piece.song and abs(reached) <= 2)


def _seam(before: MusicPiece, after: MusicPiece, rate: int) -> tuple[MusicPiece, MusicPiece]:
    """Overlap two renderings of the same moment by SEAM_MS, centred on their boundary."""
    boundary = before.end_sample
    half = max(1, min(_samples(SEAM_MS / 2, rate), (after.end_sample - after.start_sample) // 2,
                      (before.end_sample - before.start_sample) // 2))
    offset = 0
    if not isinstance(after.song, str):  # the new rendering starts `half` earlier in the song too
        offset = max(0, int(round(after.song_offset_ms - half * 1000 / rate * after.ratio)))
    return (replace(before, end_sample=boundary + half, fade_out_samples=2 * half),
            replace(after, start_sample=boundary - half, song_offset_ms=offset, fade_in_samples=2 * half))
