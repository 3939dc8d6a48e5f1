"""Files beside the MP3: `<stem>.lrc` (the cues as lyrics) and `<stem>.json` (the plan).

Each is staged under a temporary name beside its target and renamed into place only once the
MP3 itself is in place, so a failed build leaves the previous set of files as it was.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from audiocoach import atomic
from audiocoach.errors import BuildError
from audiocoach.units import lrc_time

if TYPE_CHECKING:
    from audiocoach.coaching.plan import Plan

def plan_json(plan: Plan) -> str:
    """Exactly what `audiocoach plan --json` prints."""
    return json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n"


def lrc(plan: Plan, artist: str) -> str:
    """An LRC lyrics file: `[mm:ss.xx]text` for every spoken cue, at the time its speech starts."""
    lines = [f"[ti:{one_line(plan.title)}]", f"[ar:{one_line(artist)}]", f"[length:{lrc_time(plan.duration_ms)[:5]}]"]
    lines += [f"[{lrc_time(cue.at_ms)}]{one_line(cue.text)}" for cue in plan.cues]
    return "\n".join(lines) + "\n"


def one_line(text: str) -> str:
    """`text` on one line: runs of white space (line breaks too) as one space."""
    return " ".join(text.split())


def stage(path: Path, text: str | bytes) -> Path:
    """Write `text` to a temporary file beside `path`; return its name (commit() renames it into place)."""
    try:
        return atomic.stage(path, text)[0]
    except OSError as err:
        hint = "check the free space" if err.errno == errno.ENOSPC else "check the output folder"
        raise BuildError(f"cannot write {path}: {err.strerror or err}", hint=hint) from err


def commit(staged: dict[Path, Path]) -> None:
    """Rename each staged temporary file onto its target."""
    for target, tmp in staged.items():
        try:
            os.replace(tmp, target)
        except OSError as err:
            discard(staged.values())
            raise BuildError(f"cannot write {target}: {err.strerror or err}", hint="check the output folder") from err


discard = atomic.discard


def write(path: Path, text: str) -> None:
    """Write a file atomically (temporary name, then rename)."""
    commit({path: stage(path, text)})


def write_bytes(path: Path, data: bytes) -> None:
    """Write binary `data` atomically."""
    commit({path: stage(path, data)})

