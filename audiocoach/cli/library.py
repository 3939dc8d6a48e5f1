"""The workout library: starting a new workout from a template, and listing a folder of them.

Templates are the library's own files (``workouts/*.yaml`` in a checkout) or a small commented
skeleton. A new file points its ``yaml-language-server`` comment at the checked-in schema,
relative to where the file is written, so an editor completes keys in it straight away.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from audiocoach.cli.columns import columns
from audiocoach.errors import AudiocoachError
from audiocoach.language import load_workout
from audiocoach.names import safe_name
from audiocoach.output.schema import SCHEMA_URL_PATH
from audiocoach.pipeline import checked_plan
from audiocoach.programme.check import Summary, summarise
from audiocoach.units import clock
from audiocoach.uptodate import is_programme

__all__ = ["LIBRARY", "SKELETON", "new_workout", "templates", "Entry", "list_entries", "table"]

_CHECKOUT = Path(__file__).resolve().parents[2]
LIBRARY = _CHECKOUT / "workouts"
SCHEMA_FILE = _CHECKOUT / SCHEMA_URL_PATH
_MODELINE = re.compile(r"^# yaml-language-server: \$schema=\S*\n")
_YAML_SUFFIX = re.compile(r"(?i)\.ya?ml$")

SKELETON = """\
# {title} — a new workout. Change anything; `audiocoach check {file}` says what is wrong.
#
# Who it is for, and why it works: write it here, so the next runner knows.
# The language, key by key: docs/workout-language.md. Finished sessions to copy from:
# `audiocoach list`, then `audiocoach new NAME --from mile-400s`.
title: {title}                        # spoken in the intro
kind: intervals                       # intervals, hills, stairs, core, strength, run, fartlek or recovery
runner:
  cadence: 166                        # your natural steps per minute; "+6%" below is relative to it
prompts:
  mantras: [Quick light steps., Strong and smooth.]   # said now and then during work steps
steps:
  - warmup: 10min                     # a step starts with its kind; the value is how long
    effort: easy
    cadence: 160                      # beats at 160 steps per minute; leave it out for no beats
    say: Easy running. Relax into it.
  - repeat: 4                         # the steps below, four times
    steps:
      - run: 3min                     # or a distance with a pace:  run: 800m  and  pace: 3:40/800m
        effort: hard
        cadence: +6%
        say: Rep {{rep}} of {{reps}}. Strong and smooth.
      - jog: 2min
        cadence: 160
        say: Easy jog. Breathe out long.
  - cooldown: 8min
    effort: easy
    say: Easy running to finish.
"""


def templates() -> list[str]:
    """The names `--from` accepts: the library's workouts."""
    return sorted(p.stem for p in LIBRARY.glob("*.yaml")) if LIBRARY.is_dir() else []


def new_workout(name: str, template: str | None = None, directory: str | os.PathLike = "workouts",
                force: bool = False) -> Path:
    """Write a commented starting file `DIRECTORY/<safe name>.yaml` and return its path.

    Never replaces an existing file unless `force`.
    """
    stem = safe_name(_YAML_SUFFIX.sub("", name.strip()))
    folder = Path(directory)
    path = folder / f"{stem}.yaml"
    if template is None:
        text = SKELETON.format(title=_title(stem), file=path.as_posix())
    else:
        text = _MODELINE.sub("", _template_path(template).read_text(encoding="utf-8"), count=1)
    text = _modeline(folder) + text
    if folder.exists() and not folder.is_dir():
        raise AudiocoachError(f"{folder} is a file, not a folder", hint="give a folder with --dir")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "w" if force else "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise AudiocoachError(f"{path} already exists",
                              hint="choose another name, or add --force to replace it") from None
    except OSError as err:
        raise AudiocoachError(f"can't write {path}: {err.strerror or err}",
                              hint="check the folder's permissions") from None
    return path


def _title(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) or "My workout"


def _template_path(template: str) -> Path:
    given = Path(template)
    if given.is_file():
        return given
    named = LIBRARY / f"{_YAML_SUFFIX.sub('', template)}.yaml"
    if named.is_file():
        return named
    listed = ", ".join(templates()) or "none found"
    raise AudiocoachError(f"no template '{template}'", hint=f"use a workout file or one of: {listed}")


def _modeline(folder: Path) -> str:
    """The editor's schema comment, with the schema's path relative to the new file."""
    if not SCHEMA_FILE.is_file():
        return "# For completion in your editor: audiocoach schema > workout.schema.json\n"
    relative = os.path.relpath(SCHEMA_FILE, folder.resolve())
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


# ---------------------------------------------------------------- list


@dataclass(frozen=True)
class Entry:
    """One workout (or programme) file as `list` shows it, or the error that kept it from loading."""

    path: Path
    title: str = ""
    kind: str = ""
    duration_ms: int = 0
    steps: int = 0
    error: AudiocoachError | None = None
    programme: Summary | None = None


def list_entries(paths: list[Path]) -> list[Entry]:
    """Each file loaded and planned (without audio), a programme with all its sessions; a bad file
    gives an Entry with its error."""
    entries = []
    for path in paths:
        try:
            if is_programme(path):
                found = summarise(path)
                entries.append(Entry(path, found.title, "programme", programme=found))
                continue
            workout = load_workout(path)
            plan = checked_plan(workout)
        except AudiocoachError as err:
            entries.append(Entry(path, error=err))
            continue
        entries.append(Entry(path, workout.title, workout.kind, plan.steps[-1].end_ms, len(plan.steps)))
    return entries


def table(entries: list[Entry]) -> str:
    """The loaded workouts as aligned columns (file, title, kind, time, steps), then the programmes
    (file, title, weeks, sessions, a week's time on average)."""
    workouts = [e for e in entries if not e.error and e.programme is None]
    programmes = [(e, e.programme) for e in entries if not e.error and e.programme is not None]
    parts = []
    if workouts:
        rows = [("FILE", "TITLE", "KIND", "TIME", "STEPS")]
        rows += [(e.path.name, e.title, e.kind, clock(e.duration_ms), str(e.steps)) for e in workouts]
        parts.append(columns(rows, right={3, 4}))
    if programmes:
        rows = [("PROGRAMME", "TITLE", "WEEKS", "SESSIONS", "A WEEK")]
        rows += [(e.path.name, p.title, str(p.weeks), str(p.sessions), clock(p.week_ms)) for e, p in programmes]
        parts.append(columns(rows, right={2, 3, 4}))
    return "\n".join(parts)

