"""The light pages' store work, on one thread beside the server's event loop.

A request of a light page (:mod:`pmkit.meeting.prepare_page`) checks its link, reads and
writes the workspace: a few database statements and, for a write, a commit that waits for
the disk. Done on the event loop, every other request of the server would wait for it.
:class:`StoreWorker` runs that work on a thread of its own instead; the event loop keeps
reading and answering requests meanwhile.

**One commit for the writes waiting together.** The worker takes every job that waits when
it is free (at most :data:`BATCH` of them) and runs them in one
:meth:`~pmkit.store.Workspace.batch`: on SQLite one transaction, each job's writes a
savepoint of it, one sync of the file for all of them. A job that raises undoes its own
writes only and gets its own error. A job's result is handed back only once the batch has
committed: an answer is acknowledged only once it is on disk; if the commit fails, every job
of the batch gets that error and nothing of it was written. Under load the batches grow by
themselves (the jobs arriving during one commit make the next batch); alone, a job is a
batch of one.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from pmkit.logs import server_log
from pmkit.store import Workspace

__all__ = ["BATCH", "StoreWorker"]

BATCH = 64  # the most jobs sharing one commit
T = TypeVar("T")
_Job = tuple[Callable[[], Any], asyncio.Future[Any], asyncio.AbstractEventLoop]
_Done = tuple[_Job, Any, BaseException | None]  # a job, its result, its error


class StoreWorker:
    """One thread running store jobs for the event loop, waiting jobs sharing one commit."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    async def run(self, job: Callable[[], T]) -> T:
        """``job()`` on the worker's thread, in a copy of the caller's context; its result (or
        its exception) once committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._ensure_thread()
        context = contextvars.copy_context()  # the request's: its language, above all
        self._jobs.put((lambda: context.run(job), future, loop))
        return await future

    def _ensure_thread(self) -> None:
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._serve, name="pmkit-store", daemon=True)
                    self._thread.start()

    def _serve(self) -> None:
        while True:
            jobs = [self._jobs.get()]
            while len(jobs) < BATCH:
                try:
                    jobs.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            try:
                self._settle(self._batch(jobs))
            except Exception:  # noqa: BLE001 - the thread must outlive any one batch
                server_log().exception("the light pages' store worker failed a batch")

    def _batch(self, jobs: list[_Job]) -> list[_Done]:
        done: list[_Done] = []
        try:
            with self.ws.batch():
                for job in jobs:
                    try:
                        done.append((job, job[0](), None))
                    except Exception as exc:  # noqa: BLE001 - the job's own error, handed to its request
                        done.append((job, None, exc))
        except Exception as exc:  # noqa: BLE001 - the commit failed: nothing of the batch was written
            failed: list[_Done] = [(job, None, error or exc) for job, _value, error in done]
            return failed + [(job, None, exc) for job in jobs[len(done):]]
        return done

    @staticmethod
    def _settle(done: list[_Done]) -> None:
        for (_fn, future, loop), value, error in done:
            loop.call_soon_threadsafe(_resolve, future, value, error)


def _resolve(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
