"""The music each step of a plan plays: the `music:` keys in force there, their songs opened.

A step's music is the workout's (its `play` replaced by the runner's music, when the runner has
one), then each enclosing repeat's `music:` over it, then the step's own. Songs are opened once
per list; a missing, unreadable or undecodable file is a WorkoutError at the YAML key naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiocoach.errors import WorkoutError
from audiocoach.language.music import BUILTIN, Music
from audiocoach.music.schedule import StepMusic
from audiocoach.music.song_records import known_song
from audiocoach.music.songs import MusicFileError, expand_sources

if TYPE_CHECKING:
    from audiocoach.coaching.timeline import TimedStep
    from audiocoach.language import Workout
    from audiocoach.music.songs import Song

__all__ = ["step_music", "music_in_force"]

YamlPath = tuple[str | int, ...]


def music_in_force(workout: Workout, path: YamlPath) -> tuple[Music | None, YamlPath | None]:
    """The music at the step at `path` (None when off or unset) and where its `play` was written."""
    music = workout.music
    where: YamlPath | None = ("music",) if music is not None else None
    runner = workout.runner.music if workout.runner is not None else None
    if runner is not None:
        music = Music(play=[runner]).over(music) if music is None else music.model_copy(update={"play": [runner]})
        where = ("runner", "music")
    node: Any = workout
    for depth, part in enumerate(path):
        node = getattr(node, part, None) if isinstance(part, str) else node[part]
        own = getattr(node, "music", None) if isinstance(part, int) else None
        if own is not None:
            music = own.over(music)
            if "play" in own.model_fields_set:
                where = (*path[: depth + 1], "music")
        if node is None or isinstance(node, int):
            break
    return (None, None) if music is None or music.off else (music, where)


def step_music(workout: Workout, steps: Sequence[TimedStep], duration_ms: int) -> list[StepMusic | None]:
    """Each step's music with its songs; the last step's music also plays on to the end of the track."""
    opened: dict[tuple[str, ...], tuple[Song, ...]] = {}
    out: list[StepMusic | None] = []
    for i, step in enumerate(steps):
        music, where = music_in_force(workout, step.path)
        if music is None or where is None:
            out.append(None)
            continue
        key = (*music.play, str(music.bpm))
        if key not in opened:
            opened[key] = _songs(workout, music, where)
        end = duration_ms if i == len(steps) - 1 else step.end_ms
        out.append(StepMusic(step.start_ms, end, step.cadence_spm, music, opened[key]))
    return out


def _songs(workout: Workout, music: Music, where: YamlPath) -> tuple[Song, ...]:
    """The songs `music.play` names, in order; () for builtin."""
    if BUILTIN in music.play:
        if len(music.play) > 1:
            raise _at(workout, where, music.play.index(BUILTIN), "'builtin' plays alone, not in a list with songs",
                      "give the built-in music its own step or repeat, or leave it out")
        return ()
    base = Path(workout.source).parent
    songs: list[Song] = []
    for i, entry in enumerate(music.play):
        path = Path(entry).expanduser()
        try:
            for file in expand_sources(path if path.is_absolute() else base / path):
                songs.append(known_song(file, music.bpm))
        except MusicFileError as err:
            raise _at(workout, where, i, err.message, err.hint) from None
    if not songs:
        raise _at(workout, where, 0, "no songs found in the music given", "name audio files, or a folder holding some")
    return tuple(songs)


def _at(workout: Workout, where: YamlPath, index: int, message: str, hint: str | None) -> WorkoutError:
    """An error at the play entry `index` of the music written at `where`, in whichever form it was written."""
    if where == ("runner", "music") and workout.locate(where)[1] is None:
        return WorkoutError(f"runner's music: {message}", hint=hint)
    source = workout._source
    known = source.values if source is not None else {}
    for candidate in ((*where, "play", index), (*where, "play"), (*where, index), where):
        if candidate in known:
            return workout.error(candidate, message, hint)
    return workout.error(where, message, hint)
