"""Where a build's time goes: seconds per stage (speech, mix, encode), counted cheaply in-process.

Stages nest and each second is counted once, in the innermost stage under way: the mixer's
chunks are produced inside the encoder's loop, so the encoder's own share is its time less the
mixing it pulled. `collect()` gathers one build's (or one batch step's) seconds into a fresh
dict, which a worker returns with its result and the batch sums (stdlib only: no audio stack).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["timed", "timed_items", "collect", "add", "STAGES"]

STAGES = ("speech", "mix", "encode")  # what the season benchmark reports; the rest is planning and files

T = TypeVar("T")



class _State(threading.local):
    """Per thread (a Dask worker may run builds in threads): the collecting dict and the stages under way."""

    def __init__(self) -> None:
        self.sink: dict[str, float] | None = None  # None: nothing is counted
        self.stack: list[_Entry] = []  # the stages under way, innermost last


class _Entry:
    __slots__ = ("started", "nested")

    def __init__(self, started: float) -> None:
        self.started = started
        self.nested = 0.0  # seconds of the stages inside it


_state = _State()


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Count the time inside (less that of nested stages) as `stage`, when someone collects."""
    state = _state
    if state.sink is None:
        yield
        return
    sink, stack = state.sink, state.stack
    entry = _Entry(time.perf_counter())
    stack.append(entry)
    try:
        yield
    finally:
        stack.pop()
        spent = time.perf_counter() - entry.started
        sink[stage] = sink.get(stage, 0.0) + spent - entry.nested
        if stack:
            stack[-1].nested += spent


def timed_items(stage: str, items: Iterable[T]) -> Iterator[T]:
    """`items`, the time spent producing each counted as `stage` (e.g. the mixer's chunks)."""
    iterator = iter(items)
    while True:
        with timed(stage):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


@contextmanager
def collect() -> Iterator[dict[str, float]]:
    """Gather the seconds of every stage timed inside into the dict yielded (nested collects each get their own)."""
    state = _state
    outer = state.sink, state.stack
    state.sink, state.stack = {}, []
    try:
        yield state.sink
    finally:
        state.sink, state.stack = outer


def add(total: dict[str, float], times: dict[str, float]) -> dict[str, float]:
    """Sum `times` into `total` (returned)."""
    for stage, seconds in times.items():
        total[stage] = total.get(stage, 0.0) + seconds
    return total
