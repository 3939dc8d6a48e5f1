"""Speak many phrases at once: a pool of forked processes, each phrase with a real timeout.

The engines are loaded in this process first (engine.prepare), so every worker shares the
loaded model instead of loading its own. A worker answers each phrase with its clip or an
AudiocoachError; a phrase that takes longer than its timeout gets its worker killed and the
pool stopped, and is a BuildError — the parent never waits on a stuck child. Workers ignore
Ctrl-C (the parent kills them) and leave when the parent's end of their pipe closes, so they
never outlive it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import cast

import numpy as np

from audiocoach.audio.engines import VoiceSpec, engine_for
from audiocoach.errors import AudiocoachError, BuildError

TIMEOUT_S = 60.0  # for any phrase, plus TIMEOUT_PER_CHAR_S for each character of it
TIMEOUT_PER_CHAR_S = 0.05  # Piper speaks about 15 characters a second of audio at 0.2 × real time

Task = tuple[VoiceSpec, str]
Produce = Callable[[VoiceSpec, str], np.ndarray]


def usable_cores() -> int:
    """As many workers as CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def timeout_for(text: str) -> float:
    return TIMEOUT_S + TIMEOUT_PER_CHAR_S * len(text)


def speak_all(tasks: Sequence[Task], produce: Produce, on_clip: Callable[[int, np.ndarray], None],
              workers: int | None = None) -> None:
    """`produce(voice, text)` for every task, in parallel; `on_clip(index, clip)` as each is done.

    Raises the first phrase's error (an AudiocoachError) after stopping every worker.
    """
    if not tasks:
        return
    for voice in dict.fromkeys(voice for voice, _ in tasks):
        engine_for(voice).prepare()
    if not hasattr(os, "fork"):  # no fork (Windows): in this process, without timeouts
        for index, (voice, text) in enumerate(tasks):
            on_clip(index, produce(voice, text))
        return
    context = multiprocessing.get_context("fork")
    pool = [_Worker(context, produce) for _ in range(min(workers or usable_cores(), len(tasks)))]
    waiting = list(reversed(range(len(tasks))))
    busy: dict[Connection, tuple[_Worker, int, float]] = {}
    try:
        while waiting or busy:
            for worker in pool:
                if waiting and worker.idle:
                    index = waiting.pop()
                    worker.send(tasks[index])
                    busy[worker.conn] = (worker, index, time.monotonic() + timeout_for(tasks[index][1]))
            soonest = min(deadline for _, _, deadline in busy.values())
            ready = wait(list(busy), timeout=max(0.0, soonest - time.monotonic()))
            if not ready:
                _, index, _ = min(busy.values(), key=lambda entry: entry[2])
                text = tasks[index][1]
                raise BuildError(f"speaking {_short(text)!r} took more than {timeout_for(text):.0f} s; stopped",
                                 hint="reword the phrase, or try another voice")
            for conn in ready:
                worker, index, _ = busy.pop(cast(Connection, conn))  # wait() gives back what it was given
                on_clip(index, worker.receive(tasks[index][1]))
    finally:
        for worker in pool:
            worker.stop()


class _Worker:
    def __init__(self, context, produce: Produce):
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, self.conn, produce), daemon=True)
        self.process.start()
        child_end.close()
        self.idle = True

    def send(self, task: Task) -> None:
        self.idle = False
        self.conn.send(task)

    def receive(self, text: str) -> np.ndarray:
        try:
            ok, payload = self.conn.recv()
        except (EOFError, OSError):
            raise BuildError(f"the speech process stopped while speaking {_short(text)!r}",
                             hint="it may have run out of memory; try again") from None
        self.idle = True
        if not ok:
            raise payload
        return payload

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _serve(conn: Connection, parent_end: Connection, produce: Produce) -> None:
    """A worker: speak each task sent until the parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it kills us
    parent_end.close()
    while True:
        try:
            voice, text = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            answer: tuple[bool, object] = (True, produce(voice, text))
        except AudiocoachError as err:
            answer = (False, err)
        except Exception as err:  # noqa: BLE001 - reported as a BuildError in the parent
            answer = (False, BuildError(f"the speech engine failed on {_short(text)!r}: {err!r}"[:500]))
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            os._exit(0)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
