"""Reading the workspace: a session round trip, sessions and versions, and reads filtered
by role in the query itself (a party never fetches a row it may not see)."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.errors import NotFound
from pmkit.formats.yaml_file import dump_session
from pmkit.model import FACILITATOR, ITEM_KINDS
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts, view_for
from pmkit.store import Workspace
from tests.support.starters import STARTERS, starter
from tests.support.store import raw, recording

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


@pytest.mark.parametrize("name", STARTERS)
def test_import_then_load_gives_back_the_same_session(workspace: Workspace, name: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    assert workspace.sessions.load(sid, FACILITATOR) == starter(name)
    assert workspace.sessions.export_yaml(sid, FACILITATOR) == dump_session(starter(name))
    for role in [*starter(name).party_ids, "room"]:
        assert workspace.sessions.load(sid, role) == view_for(starter(name), role)


def test_sessions_info_and_version(workspace: Workspace) -> None:
    a = workspace.sessions.import_file(starter_path("budget-overrun"))
    b = workspace.sessions.import_file(starter_path("quality-vs-speed"))
    assert [i.id for i in workspace.sessions.all()] == [a, b]
    assert workspace.sessions.info(a).title == starter("budget-overrun").title
    assert workspace.sessions.version(a) == 1
    assert workspace.sessions.roles(a) == [FACILITATOR, "customer", "management"]
    with pytest.raises(NotFound, match="no session 'nope'"):
        workspace.sessions.load("nope", FACILITATOR)


# -- who sees what ------------------------------------------------------------------------
@pytest.mark.parametrize("name", STARTERS)
def test_a_party_never_reads_rows_it_may_not_see(workspace: Workspace, name: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    # some journal entries about items of every audience
    for g in starter(name).goals:
        workspace.items.update(sid, "goal", g.id, {"description": "reviewed"}, role=FACILITATOR)
    for role in [*starter(name).party_ids, "room"]:
        with recording(workspace) as recorder:
            s = workspace.sessions.load(sid, role)
            workspace.journal.history(sid, role)
        fetched = recorder.text()
        hidden = [t for t in hidden_texts(starter(name), role) if not t.replace(".", "").isdigit()]
        assert hidden
        for text in hidden:
            assert text not in fetched, f"{role} fetched a row holding {text!r}"
        assert (s.title, s.description) == (starter(name).title_for_everyone, "")
        for field, _cls, _p in ITEM_KINDS.values():
            assert all(i.audience in ("joint", role) for i in getattr(s, field))
        if role == "room":
            assert all(i.audience == "joint" for f, _c, _p in ITEM_KINDS.values() for i in getattr(s, f))
            assert not any(i.positions for i in s.issues)
        # the rows are there: the filter, not their absence, kept them out
        with raw(workspace) as conn:
            n = conn.execute(
                "SELECT count(*) FROM items WHERE session_id=? AND audience NOT IN ('joint', ?)",
                (sid, role),
            ).fetchone()[0]
            assert n > 0


def test_positions_follow_the_issue_audience_and_undo_restores_them(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))

    def customer_positions() -> dict[str, dict[str, Any]]:
        return {i.id: i.positions for i in workspace.sessions.load(sid, "customer").issues}

    before = customer_positions()
    assert set(before["cutover-slip"]) == {"customer"}
    workspace.items.update(sid, "issue", "cutover-slip", {"audience": "management"}, role=FACILITATOR)
    assert "cutover-slip" not in customer_positions()
    with raw(workspace) as conn:
        aud = conn.execute(
            "SELECT audience FROM items WHERE session_id=? AND item_id='cutover-slip/customer'",
            (sid,),
        ).fetchone()[0]
    assert aud == "facilitator"  # no longer loaded for the customer at all
    workspace.journal.undo(sid)
    assert customer_positions() == before
    # and the other way: a management issue made joint shows the customer its own position only
    workspace.items.set_position(sid, "overtime-budget", "customer", 10, 20, role=FACILITATOR)
    assert "overtime-budget" not in customer_positions()
    workspace.items.update(sid, "issue", "overtime-budget", {"audience": "joint"}, role=FACILITATOR)
    assert set(customer_positions()["overtime-budget"]) == {"customer"}
