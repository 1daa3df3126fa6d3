"""Take turns on a busy machine: at most N meeting kernels build their board at once.

Twenty people opening the link together start twenty kernels; if all of them import the
scientific stack and build their board at the same time, each gets 1/20 of the CPU and every
page waits for the slowest (about a minute on two cores). Holding one of N lock files while
building lets pages finish one after another: the first in seconds, the last no later.

The locks are ``flock`` locks on files in ``<workspace>/.slots``: the operating system
drops them when a kernel exits or dies, so a killed kernel never keeps a slot.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["default_slots", "slot"]


def default_slots() -> int:
    """The CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@contextmanager
def slot(folder: Path, slots: int, *, poll: float = 0.05, timeout: float = 600) -> Iterator[int]:
    """Hold one of ``slots`` lock files under ``folder/.slots`` for the ``with`` block.

    Waits until one is free, at most ``timeout`` seconds; after that, or when the lock files
    cannot be made (a read-only folder), the block runs without a slot: a late page is
    better than no page. Yields the slot number, or -1 without one.
    """
    where = folder / ".slots"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        yield -1
        return
    deadline = time.monotonic() + timeout
    while True:
        for i in range(max(1, slots)):
            try:
                fd = os.open(where / f"{i}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                yield -1
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield i
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
            return
        if time.monotonic() >= deadline:
            yield -1
            return
        time.sleep(poll)
