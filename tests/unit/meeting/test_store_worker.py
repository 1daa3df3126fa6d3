"""The light pages' store worker: jobs run beside the event loop, those waiting together
share one commit, a job's error is its own, and nothing is acknowledged that was not
committed."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from pmkit.errors import NotFound, StorageError
from pmkit.meeting.store_worker import StoreWorker
from pmkit.resources import starter_path
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace

RATING = {"importance": 4, "stance": "support"}


@pytest.fixture
def window(workspace: Workspace) -> tuple[str, Actor, Actor]:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    a = Actor("management", workspace.participants.add(sid, "management", "Ana").participant_id)
    b = Actor("customer", workspace.participants.add(sid, "customer", "Cy").participant_id)
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    workspace.prepare.open(sid, until, goals=["test-env", "vendor-slip"], issues=["cutover-slip"])
    return sid, a, b


def _stored(ws: Workspace, sid: str, who: Actor) -> dict[tuple[str, str], Any]:
    with Workspace(ws.folder) as other:  # what another connection reads: what was committed
        mine = other.prepare.mine(sid, who)
        assert mine is not None
        return dict(mine.answers)


def _counting(ws: Workspace, monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> list[int]:
    """Count the batches the worker opens (and make their commit fail, with ``fail``)."""
    real = ws.batch
    opened: list[int] = []

    @contextmanager
    def batch() -> Iterator[None]:
        opened.append(1)
        with real():
            yield
            if fail:
                raise StorageError("cannot write to the workspace: disk full")

    def counted() -> AbstractContextManager[None]:
        return batch()

    monkeypatch.setattr(ws, "batch", counted)
    return opened


def test_jobs_waiting_together_share_one_commit_and_keep_their_own_errors(
        workspace: Workspace, window: tuple[str, Actor, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    sid, ana, cy = window
    batches = _counting(workspace, monkeypatch)
    worker = StoreWorker(workspace)
    loop_thread = threading.get_ident()
    started, gate = threading.Event(), threading.Event()

    def first() -> int:
        started.set()
        gate.wait(10)  # the jobs below queue meanwhile
        return threading.get_ident()

    async def scenario() -> list[Any]:
        held = asyncio.ensure_future(worker.run(first))
        while not started.is_set():  # the worker runs the first job
            await asyncio.sleep(0.001)
        jobs = [worker.run(lambda: workspace.prepare.answer(sid, "goal", "test-env", RATING, role=ana)),
                worker.run(lambda: workspace.prepare.answer(sid, "goal", "vendor-slip", RATING, role=cy)),
                worker.run(lambda: workspace.prepare.answer(sid, "issue", "cutover-slip",
                                                            {"ideal": 3.0, "walk_away": 5.0}, role=cy))]
        tasks = [asyncio.ensure_future(j) for j in jobs]
        while not all(t.done() for t in tasks):  # released once the three wait in the queue
            if not gate.is_set() and worker._jobs.qsize() == 3:
                gate.set()
            await asyncio.sleep(0.001)
        return [await held, *(await asyncio.gather(*tasks, return_exceptions=True))]

    thread, saved, refused, position = asyncio.run(scenario())
    assert thread != loop_thread
    assert saved == RATING
    assert isinstance(refused, NotFound)  # another party's goal: this job's own error
    assert position == {"ideal": 3.0, "walk_away": 5.0}
    assert len(batches) == 2  # the first job alone, then the three that waited for it
    assert _stored(workspace, sid, ana) == {("goal", "test-env"): RATING}
    assert _stored(workspace, sid, cy) == {("issue", "cutover-slip"): {"ideal": 3.0, "walk_away": 5.0}}


def test_a_failed_commit_fails_every_job_of_its_batch_and_writes_nothing(
        workspace: Workspace, window: tuple[str, Actor, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    sid, ana, _cy = window
    _counting(workspace, monkeypatch, fail=True)
    worker = StoreWorker(workspace)

    async def save() -> Any:
        return await worker.run(lambda: workspace.prepare.answer(sid, "goal", "test-env", RATING, role=ana))

    with pytest.raises(StorageError, match="disk full"):
        asyncio.run(save())
    assert _stored(workspace, sid, ana) == {}
