"""Writes sharing one commit (``Workspace.batch``): on SQLite they are durable together, a
write that fails undoes its own statements only, and nothing of the batch is visible to
another connection before it ends; on PostgreSQL each write commits on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import NotFound
from pmkit.resources import starter_path
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace

pytestmark = pytest.mark.usefixtures("backend")

RATING = {"importance": 4, "stance": "support"}


@pytest.fixture
def window(workspace: Workspace) -> tuple[str, Actor, Actor]:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    a = Actor("management", workspace.participants.add(sid, "management", "Ana").participant_id)
    b = Actor("customer", workspace.participants.add(sid, "customer", "Cy").participant_id)
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    workspace.prepare.open(sid, until, goals=["test-env", "vendor-slip"], issues=["cutover-slip"])
    return sid, a, b


def _answers(ws: Workspace, sid: str, who: Actor) -> dict[tuple[str, str], object]:
    mine = ws.prepare.mine(sid, who)
    assert mine is not None
    return dict(mine.answers)


def test_a_failed_write_in_a_batch_undoes_only_its_own(workspace: Workspace, window: tuple[str, Actor, Actor]) -> None:
    sid, ana, cy = window
    with workspace.batch():
        workspace.prepare.answer(sid, "goal", "test-env", RATING, role=ana)
        with pytest.raises(NotFound):  # another party's goal: refused inside the batch
            workspace.prepare.answer(sid, "goal", "vendor-slip", RATING, role=cy)
        workspace.prepare.answer(sid, "goal", "test-env", {"importance": 2, "stance": "oppose"}, role=cy)
    with Workspace(workspace.folder) as other:  # another connection reads what was committed
        assert _answers(other, sid, ana) == {("goal", "test-env"): RATING}
        assert _answers(other, sid, cy) == {("goal", "test-env"): {"importance": 2, "stance": "oppose"}}


def test_an_error_leaving_the_batch_writes_nothing_of_it(workspace: Workspace,
                                                          window: tuple[str, Actor, Actor]) -> None:
    sid, ana, _cy = window
    with pytest.raises(RuntimeError), workspace.batch():
        workspace.prepare.answer(sid, "goal", "test-env", RATING, role=ana)
        raise RuntimeError("the batch fails before its commit")
    if workspace.backend == "sqlite":  # one transaction: nothing of it was committed
        assert _answers(workspace, sid, ana) == {}
    else:  # each write committed on its own
        assert _answers(workspace, sid, ana) == {("goal", "test-env"): RATING}


def test_a_batch_is_committed_only_when_it_ends(workspace: Workspace, window: tuple[str, Actor, Actor]) -> None:
    sid, ana, _cy = window
    with Workspace(workspace.folder) as other, workspace.batch():
        workspace.prepare.answer(sid, "goal", "test-env", RATING, role=ana)
        assert _answers(workspace, sid, ana) == {("goal", "test-env"): RATING}  # the batch reads its own writes
        seen = _answers(other, sid, ana)
        assert seen == ({} if workspace.backend == "sqlite" else {("goal", "test-env"): RATING})
    with Workspace(workspace.folder) as other:
        assert _answers(other, sid, ana) == {("goal", "test-env"): RATING}
