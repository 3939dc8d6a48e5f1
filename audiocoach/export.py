"""``audiocoach export``: workouts as device files, one per workout (and runner of a roster).

A list of workouts goes through ``export_jobs`` and ``export_one`` the same way as one, so a
programme exports every session by handing its sessions' files over as a list. Each file is
planned exactly as ``audiocoach plan`` plans it (the same speech measure for the cue times), then
flattened once (``device_steps``) and written by the format's writer, atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audiocoach.errors import AudiocoachError
from audiocoach.names import safe_name
from audiocoach.output import sidecars
from audiocoach.output.device_steps import DeviceWorkout, device_workout
from audiocoach.output.fit import fit_bytes
from audiocoach.output.icu import icu_text
from audiocoach.output.zwo import zwo_text
from audiocoach.pipeline import plan_file
from audiocoach.runners import Runner

__all__ = ["FORMATS", "ExportJob", "ExportResult", "export_jobs", "export_one", "device_file"]

FORMATS = {"fit": ".fit", "zwo": ".zwo", "icu": ".txt"}


@dataclass(frozen=True)
class ExportJob:
    path: Path
    runner: Runner | None
    output: Path


@dataclass(frozen=True)
class ExportResult:
    output: Path
    steps: int  # the plan's steps, repeats expanded
    duration_ms: int  # the plan's last step end
    notes: tuple[str, ...]  # what the format leaves out


def export_jobs(files: list[Path], fmt: str, output: str | None, runner: Runner | None = None,
                roster: list[Runner] | None = None) -> list[ExportJob]:
    """Where each workout (for each runner of a roster) is written: ``output`` itself for one workout
    and no roster, else ``output`` (default: the current folder) is a folder, with a roster's files
    in ``<folder>/<workout>/<runner><ext>`` as ``build`` lays out its tracks."""
    suffix = FORMATS[fmt]
    if roster is None and len(files) == 1 and output is not None and not Path(output).is_dir():
        return [ExportJob(files[0], runner, Path(output))]
    folder = Path(output or ".")
    if roster is None:
        return [ExportJob(path, runner, folder / f"{safe_name(path.stem)}{suffix}") for path in files]
    return [ExportJob(path, runner, folder / safe_name(path.stem) / f"{safe_name(str(runner.name))}{suffix}")
            for path in files for runner in roster]


def device_file(path: str | Path, fmt: str, runner: Runner | None = None) -> tuple[bytes, ExportResult]:
    """The device file's bytes for one workout, and what was exported (output left unset)."""
    workout, plan = plan_file(path, runner)
    device = device_workout(workout, plan)
    try:
        data, notes = _written(device, fmt, workout.units)
    except AudiocoachError as err:
        if err.file is None:  # a writer's refusal is about the whole workout file
            err.file = str(path)
        raise
    return data, ExportResult(Path(), len(plan.steps), plan.steps[-1].end_ms, tuple(notes))


def _written(device: DeviceWorkout, fmt: str, units: str) -> tuple[bytes, list[str]]:
    notes: list[str] = []
    if fmt == "fit":
        data = fit_bytes(device)
    elif fmt == "zwo":
        text, notes = zwo_text(device)
        data = text.encode("utf-8")
    else:
        data = icu_text(device, units).encode("utf-8")
    return data, notes


def export_one(job: ExportJob, fmt: str) -> ExportResult:
    """Write one device file (atomically, its folder made if needed)."""
    data, result = device_file(job.path, fmt, job.runner)
    try:
        job.output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AudiocoachError(f"cannot make the folder {job.output.parent}: {err.strerror or err}",
                              hint="check the output path") from None
    sidecars.write_bytes(job.output, data)
    return ExportResult(job.output, result.steps, result.duration_ms, result.notes)
