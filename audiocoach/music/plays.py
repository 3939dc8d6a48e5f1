"""What the plan says about the music: per step, each song heard there, its tempo and stretch.

Shown by `audiocoach plan` under each step and written as the `music` list of `plan --json` and
the JSON sidecar (added only when the workout plays music: other plans keep their bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from audiocoach.music.mix import plan_music
from audiocoach.music.resolve import music_in_force
from audiocoach.music.schedule import SEAM_MS, choose_ratio

if TYPE_CHECKING:
    from audiocoach.coaching.plan import Plan
    from audiocoach.language import Workout

__all__ = ["MusicPlay", "music_plays", "with_plays", "describe_play"]

PLAN_RATE = 1000  # the plan schedules its music in milliseconds: one "sample" per ms


@dataclass(frozen=True)
class MusicPlay:
    """A song (or the built-in music) heard in a step, from start_ms to end_ms of the track."""

    step_index: int
    start_ms: int
    end_ms: int
    title: str
    file: str | None  # None for the built-in music
    bpm: float | None  # the tempo heard
    song_bpm: float | None  # the song's own tempo
    bpm_source: str | None  # tag, given, onsets, builtin
    ratio: float  # played this many times as fast
    note: str  # "unstretched: outside ±12 %", "unstretched: no tempo known", or ""

    def describe(self) -> str:
        """One line of the cue sheet (coaching/cue_sheet.py calls it: coaching never imports music)."""
        return describe_play(self)

    def to_json(self) -> dict[str, object]:
        return {"step": self.step_index, "start_s": round(self.start_ms / 1000, 3),
                "end_s": round(self.end_ms / 1000, 3),
                "title": self.title, "file": self.file, "bpm": self.bpm, "song_bpm": self.song_bpm,
                "bpm_source": self.bpm_source, "ratio": self.ratio, "note": self.note or None}


def music_plays(plan: Plan, workout: Workout) -> tuple[MusicPlay, ...]:
    """The music of `plan`, cut at its steps (a fade's overlap into a step counts only past the seam)."""
    pieces = plan_music(plan, workout, PLAN_RATE)
    plays: list[MusicPlay] = []
    for step in plan.steps:
        music = music_in_force(workout, step.path)[0]
        end = plan.duration_ms if step is plan.steps[-1] else step.end_ms
        for piece in pieces:
            lo, hi = max(piece.start_sample, step.start_ms), min(piece.end_sample, end)
            if hi - lo <= SEAM_MS:
                continue
            song = None if isinstance(piece.song, str) else piece.song
            # a song going on unchanged from the step before is one piece: its note is this step's
            note = piece.note if song is None or music is None else choose_ratio(song.bpm, step.cadence_spm, music)[1]
            plays.append(MusicPlay(
                step.index, lo, hi, piece.title, None if song is None else song.path.name, piece.bpm,
                piece.bpm if song is None else song.bpm, "builtin" if song is None else song.bpm_source,
                piece.ratio, note,
            ))
    return tuple(plays)


def with_plays(plan: Plan, workout: Workout) -> Plan:
    """`plan` with what its music plays in each step; the very same plan without music."""
    plays = music_plays(plan, workout)
    return replace(plan, music=plays) if plays else plan


def describe_play(play: MusicPlay) -> str:
    """One line of the cue sheet: '♪ Title · 165 bpm (stretched +3.1 %)'."""
    parts = [f"♪ {play.title}"]
    if play.bpm is not None:
        parts.append(f"{play.bpm:g} bpm")
    if play.note:
        parts.append(play.note)
    elif play.ratio != 1.0:
        parts.append(f"stretched {100 * (play.ratio - 1):+.1f} % from {play.song_bpm:g}")
    return " · ".join(parts)
