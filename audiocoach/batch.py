"""Many builds at once: every file of a folder, every runner of a roster, in parallel processes.

Each job is one `build_file` call. Tracks already up to date are answered first, here, from
their build records alone (no speech engine, nothing decoded): that is what makes an
interrupted batch resume where it stopped. The others' phrases are spoken once for all of
them (speak_ahead.py); then they build, with more than one worker in forked processes (a
build is CPU-bound: speech, mixing and LAME) or on a Dask cluster (cluster.py), and results
come back in the order they finish; `run_batch` hands each to a callback and returns them all
in job order, with the seconds each stage took (stage_times.py).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from audiocoach import stage_times
from audiocoach.cluster import run_on_cluster
from audiocoach.errors import AudiocoachError, BuildError
from audiocoach.pipeline import BuildOptions, Progress, build_file
from audiocoach.speak_ahead import speak_phrases
from audiocoach.uptodate import (  # what a batch is made of: light, for the CLI
    DEFAULT_OPTIONS,
    Job,
    Outcome,
    is_up_to_date,
    refuse_collisions,
)

__all__ = ["Job", "Outcome", "Batch", "run_batch", "build_job", "default_jobs", "refuse_collisions"]


@dataclass(frozen=True)
class Batch:
    """A batch run: every job's outcome in job order, and the seconds of the speech spoken ahead for all."""

    outcomes: list[Outcome]
    ahead: dict[str, float]

    def times(self) -> dict[str, float]:
        """Seconds per stage, summed over every build (whichever process or machine ran it) and the speech ahead."""
        total = dict(self.ahead)
        for outcome in self.outcomes:
            stage_times.add(total, outcome.times)
        return total


def default_jobs() -> int:
    """As many workers as CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def run_batch(
    jobs: Sequence[Job],
    workers: int,
    *,
    force: bool = False,
    options: BuildOptions = DEFAULT_OPTIONS,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
    progress_for: Callable[[Job], object] | None = None,
    scheduler: str | None = None,
) -> Batch:
    """Build every job, `workers` at a time (or on the Dask scheduler at `scheduler`); a failing
    job is reported and the others still build.

    `progress_for(job)` (one worker only) gives a context manager yielding a per-build progress
    callback; with several workers `on_done` is the only report.
    """
    outcomes: dict[int, Outcome] = {}
    stale: list[int] = []
    for index, job in enumerate(jobs):  # up to date: answered here from the records, nothing loaded
        if not force and is_up_to_date(job.path, job.out_dir, options, job.target):
            outcomes[index] = _run_here(job, False, options, on_done, None)
        else:
            stale.append(index)
    with stage_times.collect() as ahead:
        if len(stale) > 1 and scheduler is None:  # a roster's tracks share most phrases: speak them once, in parallel
            speak_phrases([jobs[i] for i in stale], options)
    if scheduler is not None:
        outcomes.update(run_on_cluster({i: jobs[i] for i in stale}, scheduler, force, options, on_done, build_job))
    elif workers <= 1 or len(stale) <= 1:
        outcomes.update({i: _run_here(jobs[i], force, options, on_done, progress_for) for i in stale})
    else:
        outcomes.update(_run_in_pool({i: jobs[i] for i in stale}, workers, force, options, on_done))
    return Batch([outcomes[i] for i in range(len(jobs))], ahead)


def _run_in_pool(jobs: dict[int, Job], workers: int, force: bool, options: BuildOptions,
                 on_done: Callable[[Outcome], None]) -> dict[int, Outcome]:
    """Build `jobs` (by index) in forked worker processes; Ctrl-C stops every build under way cleanly."""
    outcomes: dict[int, Outcome] = {}
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                             initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        pending = {pool.submit(_build_in_worker, job, force, options): i for i, job in jobs.items()}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    outcomes[index] = _outcome(future, jobs[index])
                    on_done(outcomes[index])
        except BaseException:
            _stop(pool)
            raise
    return outcomes


def _outcome(future, job: Job) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool:
        return Outcome(job, error=BuildError("a build process stopped unexpectedly", file=str(job.path),
                                             hint="it may have run out of memory; try fewer --jobs"))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Interrupt the builds under way (each removes its temporary files) and drop the rest."""
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()  # SIGTERM: a build unwinds as on Ctrl-C
    pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int) -> None:
    """In each worker: Ctrl-C and SIGTERM end a build under way cleanly, then the worker itself;
    and the parent's death (even kill -9) sends SIGTERM, so no worker waits for it forever."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # as the parent does (nohup, background jobs)
        signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    _die_with(parent)


PR_SET_PDEATHSIG = 1  # prctl(2): a signal for this process when its parent dies
ORPHAN_POLL_S = 1.0


def _die_with(parent: int) -> None:
    """SIGTERM to this worker once `parent` is gone: by the kernel on Linux, else by a watching thread."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError
    except (OSError, AttributeError):

        def watch() -> None:
            while os.getppid() == parent:
                threading.Event().wait(ORPHAN_POLL_S)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # it died before the kernel was asked to tell
        os.kill(os.getpid(), signal.SIGTERM)


_building = False  # whether this worker is inside a build (which cleans up on KeyboardInterrupt)
_interrupted = False


def _interrupt(signum, frame) -> None:
    global _interrupted
    if not _building:
        os._exit(128 + signum)  # an idle worker has nothing to clean up
    # Ctrl-C reaches the worker and the parent's SIGTERM follows: the first one unwinds the
    # build, and the next must not cut short the removal of its temporary files.
    if not _interrupted:
        _interrupted = True
        raise KeyboardInterrupt


def _build_in_worker(job: Job, force: bool, options: BuildOptions) -> Outcome:
    """A build in a worker process. Interrupted, it removes its temporary files and the worker
    exits, so no job queued behind it starts."""
    global _building
    _building = True
    try:
        return build_job(job, force, options)
    except KeyboardInterrupt:
        os._exit(130)
    finally:
        _building = False


def _run_here(job: Job, force: bool, options: BuildOptions, on_done, progress_for) -> Outcome:
    if progress_for is None:
        outcome = build_job(job, force, options)
    else:
        with progress_for(job) as progress:
            outcome = build_job(job, force, options, progress)
    on_done(outcome)
    return outcome


def build_job(job: Job, force: bool, options: BuildOptions, progress: Progress | None = None) -> Outcome:
    """One job built here (in whichever process or Dask worker runs it), with its stages' seconds."""
    with stage_times.collect() as times:
        try:
            result = build_file(job.path, job.out_dir, progress, force=force, options=options, target=job.target)
        except AudiocoachError as err:
            return Outcome(job, error=err, times=times)
    return Outcome(job, result=result, times=times)
