"""The journal: history as a role may see it, undo of whole edits, and a journal that cannot
be altered."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied, NotFound
from pmkit.formats.yaml_file import load_session
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.store import RAW_ERRORS, by_id, goal_ratings, raw, recording

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


@pytest.fixture
def risk(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


# -- history and undo ---------------------------------------------------------------------
def test_undo_of_edits_restores_the_exact_document(workspace: Workspace, risk: str) -> None:
    original = workspace.sessions.export_yaml(risk, FACILITATOR)
    workspace.items.set_rating(risk, "training-plan", "management", 1, "oppose", role=FACILITATOR)
    workspace.items.update(risk, "issue", "cutover-slip", {"unit": "days"}, role=FACILITATOR)
    workspace.items.set_position(risk, "cutover-slip", "customer", 3, 9, role=FACILITATOR)
    for _ in range(3):
        workspace.journal.undo(risk)
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == original


def test_undo_walks_back_one_edit_at_a_time(workspace: Workspace, risk: str) -> None:
    original = workspace.sessions.export_yaml(risk, FACILITATOR)
    workspace.items.set_rating(risk, "training-plan", "management", 1, "oppose", role=FACILITATOR)
    after_one = workspace.sessions.export_yaml(risk, FACILITATOR)
    workspace.items.update(risk, "goal", "test-env", {"title": "Test environment by Friday"}, role=FACILITATOR)
    after_two = workspace.sessions.export_yaml(risk, FACILITATOR)
    workspace.items.delete(risk, "action", "env-date", role=FACILITATOR)
    workspace.items.add(risk, "note", {"text": "late addition"}, role=FACILITATOR)

    assert workspace.journal.undo(risk).op == "add"
    assert workspace.journal.undo(risk).op == "delete"
    # the deleted action is back (at the end of its list: the journal does not keep positions)
    assert by_id(workspace.sessions.load(risk, FACILITATOR)) == by_id(load_session(after_two))
    assert workspace.journal.undo(risk).kind == "goal"
    assert by_id(workspace.sessions.load(risk, FACILITATOR)) == by_id(load_session(after_one))
    workspace.journal.undo(risk)
    assert by_id(workspace.sessions.load(risk, FACILITATOR)) == by_id(load_session(original))
    with pytest.raises(NotFound, match="nothing to undo"):
        workspace.journal.undo(risk)
    ops = [e.op for e in workspace.journal.history(risk)]
    assert ops == ["import", "update", "update", "delete", "add", "undo", "undo", "undo", "undo"]
    seqs = {e.op: e.seq for e in workspace.journal.history(risk) if e.op != "undo"}
    undone = [e.undoes for e in workspace.journal.history(risk) if e.op == "undo"]
    assert undone[:2] == [seqs["add"], seqs["delete"]]  # newest first


def test_undo_by_a_party_is_refused(workspace: Workspace, risk: str) -> None:
    workspace.items.set_rating(risk, "training-plan", "customer", 1, role="customer")
    for role in ("customer", "management"):
        with pytest.raises(AccessDenied):
            workspace.journal.undo(risk, role=role)
    assert goal_ratings(workspace, risk, "training-plan")["customer"] == (1, "neutral")


def test_history_of_a_party_leaves_out_what_it_may_not_see(workspace: Workspace, risk: str) -> None:
    workspace.items.update(risk, "goal", "vendor-slip", {"description": "now eight weeks"}, role=FACILITATOR)
    workspace.items.update(risk, "note", "fac-caution", {"text": "Still quiet."}, role=FACILITATOR)
    workspace.items.update(risk, "goal", "test-env", {"description": "Friday"}, role=FACILITATOR)
    workspace.items.set_position(risk, "cutover-slip", "management", 6, 4, role=FACILITATOR)
    assert [e.item_id for e in workspace.journal.history(risk, "customer")] == [risk, "test-env"]
    assert [e.item_id for e in workspace.journal.history(risk, "management")] == [
        risk,
        "vendor-slip",
        "test-env",
        "cutover-slip/management",
    ]
    assert len(workspace.journal.history(risk, FACILITATOR)) == 5


def test_an_item_moved_out_of_sight_leaves_no_trace_in_the_partys_history(workspace: Workspace, risk: str) -> None:
    workspace.items.update(risk, "goal", "test-env", {"audience": "management"}, role=FACILITATOR)
    assert [e.item_id for e in workspace.journal.history(risk, "customer")] == [risk]


def test_the_journal_is_append_only(workspace: Workspace, risk: str) -> None:
    workspace.items.set_rating(risk, "training-plan", "customer", 1, role="customer")
    with raw(workspace) as conn:
        for sql in ("UPDATE journal SET actor = 'someone else'", "DELETE FROM journal"):
            with pytest.raises(RAW_ERRORS, match="append-only"):
                conn.execute(sql)
        assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 2
    assert {e.actor for e in workspace.journal.history(risk)} == {workspace.actor}


def test_neither_journal_table_can_be_altered(workspace: Workspace, risk: str) -> None:
    workspace.items.add(risk, "issue", {"title": "Fee", "positions": {"customer": {"ideal": 1}}}, role=FACILITATOR)
    with raw(workspace) as conn:
        for sql in (
            "UPDATE journal SET op = 'import'",
            "DELETE FROM journal WHERE op = 'add'",
            "UPDATE journal_changes SET after = NULL",
            "UPDATE journal_changes SET audience_after = 'joint'",
            "DELETE FROM journal_changes",
        ):
            with pytest.raises(RAW_ERRORS, match="append-only"):
                conn.execute(sql)
        assert conn.execute("SELECT count(*) FROM journal_changes").fetchone()[0] == 3
    assert [len(e.changes) for e in workspace.journal.history(risk)] == [1, 2]


def test_a_partys_history_holds_only_the_changes_it_may_see(workspace: Workspace, risk: str) -> None:
    start = {"customer": (1111.25, 2222.75), "management": (12345.75, 23456.25)}
    iid = workspace.items.add(
        risk,
        "issue",
        {"title": "Change budget", "positions": {p: {"ideal": i, "walk_away": w} for p, (i, w) in start.items()}},
        role=FACILITATOR,
    )
    workspace.items.set_position(risk, iid, "management", 12345.75, 30000.5, role="management")
    workspace.items.delete(risk, "issue", iid, role=FACILITATOR)
    assert [len(e.changes) for e in workspace.journal.history(risk)] == [1, 3, 1, 3]
    expected = {  # the joint issue's edits, each with the party's own position only
        "customer": [[risk], [iid, f"{iid}/customer"], [iid, f"{iid}/customer"]],
        "management": [[risk], [iid, f"{iid}/management"], [f"{iid}/management"], [iid, f"{iid}/management"]],
    }
    secret = {"customer": ("1111.25", "2222.75"), "management": ("12345.75", "23456.25", "30000.5")}
    for party, other in (("customer", "management"), ("management", "customer")):
        with recording(workspace) as recorder:
            entries = workspace.journal.history(risk, party)
        assert [[c.item_id for c in e.changes] for e in entries] == expected[party]
        for text in secret[other]:  # never even fetched from the file
            assert text not in recorder.text(), f"{party} fetched {text}"
            assert text not in repr(entries)
        changes = [c for e in entries for c in e.changes]
        assert all(a in (None, "joint", party) for c in changes for a in (c.audience_before, c.audience_after))


def test_undo_reverts_a_whole_edit_even_after_other_edits_were_undone(workspace: Workspace, risk: str) -> None:
    original = workspace.sessions.export_yaml(risk, FACILITATOR)
    iid = workspace.items.add(risk, "issue", {"title": "Fee", "positions": {"customer": {"ideal": 1, "walk_away": 3}}},
                             role=FACILITATOR)
    workspace.items.update(risk, "issue", iid, {"audience": "management"}, role=FACILITATOR)
    assert iid not in {i.id for i in workspace.sessions.load(risk, "customer").issues}
    assert workspace.journal.undo(risk).op == "update"  # the customer's position is its own again
    mine = next(i for i in workspace.sessions.load(risk, "customer").issues if i.id == iid)
    assert mine.positions["customer"].walk_away == 3
    undone = workspace.journal.undo(risk)
    assert (undone.op, len(undone.changes)) == ("add", 2)
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == original
    assert [e.undoes for e in workspace.journal.history(risk)][-2:] == [undone.seq + 1, undone.seq]
