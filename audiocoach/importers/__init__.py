"""Workouts from a watch or a training site, as commented workout YAML: ``audiocoach import``.

``import_workout(path, runner)`` reads a FIT workout (``.fit``), a Zwift workout (``.zwo``) or
intervals.icu workout text (``.txt``, ``.icu``) and returns the YAML text and the warnings: what
the file holds that a workout cannot carry (also listed in the YAML's comments). The YAML is
checked by the workout loader before it is returned, so it always loads.
"""

from __future__ import annotations

import os
from pathlib import Path

from audiocoach.errors import WorkoutError
from audiocoach.importers.fit import read_fit
from audiocoach.importers.icu import read_icu
from audiocoach.importers.imported import Imported, text_of
from audiocoach.importers.workout_yaml import workout_yaml
from audiocoach.importers.zwo import read_zwo
from audiocoach.runners import Runner

__all__ = ["Imported", "import_workout", "text_of", "FORMATS", "MAX_IMPORT_BYTES"]

MAX_IMPORT_BYTES = 1_000_000
FORMATS = {".fit": "fit", ".zwo": "zwo", ".txt": "icu", ".icu": "icu"}
_READERS = {"fit": read_fit, "zwo": read_zwo, "icu": read_icu}


def import_workout(path: str | os.PathLike, runner: Runner | None = None) -> tuple[str, list[str]]:
    """(workout YAML text, warnings) for the workout file at ``path``."""
    filename = os.fsdecode(path)
    kind = FORMATS.get(Path(filename).suffix.lower())
    if kind is None:
        raise WorkoutError("not a workout file audiocoach can import", file=filename,
                           hint="give a .fit workout, a Zwift .zwo, or intervals.icu text as .txt or .icu")
    raw = _read(filename)
    imported = _READERS[kind](raw, filename, runner)
    return workout_yaml(imported, filename, runner), [f"{filename}: {what}" for what in imported.lost]


def _read(filename: str) -> bytes:
    try:
        with open(filename, "rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise WorkoutError("no such file", file=filename, hint="check the path") from None
    except OSError as err:
        raise WorkoutError(f"can't read the file: {err.strerror or err}", file=filename) from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise WorkoutError("the file is larger than 1 MB, too large for a workout", file=filename,
                           hint="check this is the right file")
    return raw
