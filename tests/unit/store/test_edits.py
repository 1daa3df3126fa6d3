"""Edits: who may write what, one version and one journal entry per edit, deltas and
conflicts, and bad edits refused before anything is written."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.analytics.ahp_judgements import weigh
from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.store import by_id, goal_ratings, raw

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


@pytest.fixture
def risk(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def test_a_party_rates_for_itself_only(workspace: Workspace, risk: str) -> None:
    workspace.items.set_rating(risk, "training-plan", "customer", 2, "oppose", role="customer")
    assert goal_ratings(workspace, risk, "training-plan")["customer"] == (2, "oppose")
    with pytest.raises(AccessDenied, match="may not rate goals for 'management'"):
        workspace.items.set_rating(risk, "training-plan", "management", 5, "support", role="customer")
    assert "management" not in goal_ratings(workspace, risk, "training-plan")
    with pytest.raises(AccessDenied):
        workspace.items.set_position(risk, "cutover-slip", "management", 1, 2, role="customer")


def test_a_party_cannot_touch_what_it_may_not_see(workspace: Workspace, risk: str) -> None:
    # management-only goal: for the customer it does not exist
    with pytest.raises(NotFound, match="no goal 'vendor-slip'"):
        workspace.items.set_rating(risk, "vendor-slip", "customer", 5, role="customer")
    with pytest.raises(NotFound):
        workspace.items.set_position(risk, "overtime-budget", "customer", 1, role="customer")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda ws, s: ws.items.update(s, "goal", "test-env", {"audience": "customer"}, role="customer"),
            "only the facilitator may change",
        ),
        (
            lambda ws, s: ws.items.update(s, "goal", "test-env", {"title": "Mine"}, role="customer"),
            "only the facilitator may change",
        ),
        (
            lambda ws, s: ws.items.add(s, "agreement", {"text": "We agree"}, role="customer"),
            "only the facilitator may add agreements",
        ),
        (
            lambda ws, s: ws.items.add(s, "note", {"text": "psst"}, role="management"),
            "only the facilitator may add notes",
        ),
        (
            lambda ws, s: ws.items.add(s, "goal", {"title": "X", "raised_by": "management"}, role="customer"),
            "raised by itself",
        ),
        (
            lambda ws, s: ws.items.add(
                s,
                "goal",
                {"title": "X", "raised_by": "customer", "audience": "facilitator"},
                role="customer",
            ),
            "for everyone or itself",
        ),
        (
            lambda ws, s: ws.items.add(
                s,
                "goal",
                {
                    "title": "X",
                    "raised_by": "customer",
                    "ratings": {"management": {"importance": 1}},
                },
                role="customer",
            ),
            "only for itself",
        ),
        (
            lambda ws, s: ws.items.delete(s, "goal", "test-env", role="customer"),
            "only the facilitator may delete",
        ),
        (lambda ws, s: ws.journal.undo(s, role="management"), "only the facilitator may undo"),
        (lambda ws, s: ws.sessions.load(s, "board"), "unknown role 'board'"),
        (lambda ws, s: ws.items.set_rating(s, "test-env", "customer", 1, role="board"), "may not rate"),
    ],
)
def test_a_party_may_not(workspace: Workspace, risk: str, call: Any, message: str) -> None:
    with pytest.raises(AccessDenied, match=message):
        call(workspace, risk)
    assert workspace.sessions.version(risk) == 1  # nothing was written
    assert len(workspace.journal.history(risk)) == 1


def test_a_party_may_add_its_own_goal(workspace: Workspace, risk: str) -> None:
    demo = {"title": "Weekly demo", "raised_by": "customer", "ratings": {"customer": {"importance": 4}}}
    gid = workspace.items.add(risk, "goal", demo, role="customer")
    assert gid in {g.id for g in workspace.sessions.load(risk, "management").goals}
    private = workspace.items.add(
        risk,
        "goal",
        {"title": "Our own red line", "raised_by": "customer", "audience": "customer"},
        role="customer",
    )
    assert private not in {g.id for g in workspace.sessions.load(risk, "management").goals}


# -- edits, versions, conflicts -----------------------------------------------------------
def test_every_edit_bumps_the_version_and_is_journaled(workspace: Workspace, risk: str) -> None:
    ws = Workspace(workspace.folder, actor="dana")
    ws.items.set_rating(risk, "training-plan", "management", 2, "neutral", role=FACILITATOR)
    ws.items.update(risk, "action", "env-date", {"status": "done"}, role=FACILITATOR)
    nid = ws.items.add(risk, "note", {"text": "Room 4 booked", "audience": "joint"}, role=FACILITATOR)
    ws.items.set_position(risk, "cutover-slip", "customer", 1, 3, role=FACILITATOR)
    ws.items.delete(risk, "note", nid, role=FACILITATOR)
    assert ws.sessions.version(risk) == 6
    entries = ws.journal.history(risk)
    assert [e.op for e in entries] == ["import", "update", "update", "add", "update", "delete"]
    assert [e.version for e in entries] == [1, 2, 3, 4, 5, 6]
    e = entries[2]
    assert (e.actor, e.role, e.kind, e.item_id) == ("dana", FACILITATOR, "action", "env-date")
    assert e.before is not None and e.after is not None
    assert (e.before["status"], e.after["status"]) == ("open", "done")
    assert e.summary == "action 'Confirm a date for the integration test environment': status"
    assert e.at.endswith("+00:00")
    assert ws.journal.history(risk, limit=2) == entries[-2:]
    ws.close()


def test_a_no_op_edit_changes_nothing(workspace: Workspace, risk: str) -> None:
    rev = workspace.items.update(risk, "goal", "test-env", {"audience": "joint"}, role=FACILITATOR)
    assert rev == 1
    workspace.items.set_rating(risk, "test-env", "customer", 5, "support", role=FACILITATOR)
    assert workspace.sessions.version(risk) == 1


def test_a_stale_write_is_a_conflict_and_a_fresh_one_is_not(workspace: Workspace, risk: str) -> None:
    other = Workspace(workspace.folder)
    rev = other.items.update(risk, "goal", "test-env", {"description": "theirs"}, role=FACILITATOR, base_rev=1)
    assert rev == 2
    with pytest.raises(ConflictError, match="reload it and apply your edit again"):
        workspace.items.update(risk, "goal", "test-env", {"description": "mine"}, role=FACILITATOR, base_rev=1)
    g = next(g for g in workspace.sessions.load(risk, FACILITATOR).goals if g.id == "test-env")
    assert g.description == "theirs"
    assert workspace.items.update(risk, "goal", "test-env", {"description": "mine"}, role=FACILITATOR, base_rev=2) == 3
    other.close()


def test_edits_are_deltas_so_interleaved_writers_keep_both(workspace: Workspace, risk: str) -> None:
    other = Workspace(workspace.folder)
    workspace.items.set_rating(risk, "training-plan", "customer", 1, "oppose", role="customer")
    other.items.set_rating(risk, "training-plan", "management", 4, "support", role="management")
    workspace.items.update(risk, "goal", "training-plan", {"description": "both rated"}, role=FACILITATOR)
    assert goal_ratings(other, risk, "training-plan") == {
        "customer": (1, "oppose"),
        "management": (4, "support"),
    }
    other.close()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda ws, s: ws.items.set_rating(s, "test-env", "customer", 6, role=FACILITATOR),
            InputError,
            "0-5",
        ),
        (
            lambda ws, s: ws.items.set_rating(s, "test-env", "customer", 3, "adore", role=FACILITATOR),
            InputError,
            "'adore'",
        ),
        (
            lambda ws, s: ws.items.set_rating(s, "test-env", "vendor", 3, role=FACILITATOR),
            InputError,
            "not a party",
        ),
        (
            lambda ws, s: ws.items.set_position(s, "cutover-slip", "customer", float("nan"), role=FACILITATOR),
            InputError,
            "finite",
        ),
        (
            lambda ws, s: ws.items.update(s, "goal", "test-env", {"audience": "board"}, role=FACILITATOR),
            InputError,
            "audience 'board'",
        ),
        (
            lambda ws, s: ws.items.update(s, "goal", "test-env", {"id": "other"}, role=FACILITATOR),
            InputError,
            "cannot be changed",
        ),
        (
            lambda ws, s: ws.items.update(s, "goal", "test-env", {"colour": "red"}, role=FACILITATOR),
            InputError,
            "colour",
        ),
        (
            lambda ws, s: ws.items.update(s, "widget", "x", {}, role=FACILITATOR),
            InputError,
            "unknown item kind",
        ),
        (
            lambda ws, s: ws.items.update(s, "goal", "nope", {}, role=FACILITATOR),
            NotFound,
            "no goal 'nope'",
        ),
        (
            lambda ws, s: ws.items.add(
                s,
                "goal",
                {"title": "t", "raised_by": "customer", "id": "test-env"},
                role=FACILITATOR,
            ),
            InputError,
            "exists already",
        ),
        (
            lambda ws, s: ws.items.add(
                s,
                "issue",
                {"title": "Fee", "positions": {"vendor": {"ideal": 1}}},
                role=FACILITATOR,
            ),
            InputError,
            "positions has 'vendor'",
        ),
        (
            lambda ws, s: ws.items.add(
                s,
                "issue",
                {"title": "Fee", "positions": {"customer": {"ideal": "lots"}}},
                role=FACILITATOR,
            ),
            InputError,
            "positions.customer.ideal",
        ),
        (
            lambda ws, s: ws.items.add(
                s,
                "goal",
                {"title": "t", "raised_by": "customer", "positions": {}},
                role=FACILITATOR,
            ),
            InputError,
            "positions",
        ),
        (
            lambda ws, s: ws.items.add(s, "note", "just text", role=FACILITATOR),
            InputError,
            "mapping",
        ),
    ],
)
def test_bad_edits_are_refused_and_write_nothing(
    workspace: Workspace, risk: str, call: Any, error: type[Exception], message: str
) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    with pytest.raises(error, match=message):
        call(workspace, risk)
    assert workspace.sessions.version(risk) == 1
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before


def test_an_issue_added_with_positions_keeps_each_partys_values_private(workspace: Workspace, risk: str) -> None:
    iid = workspace.items.add(
        risk,
        "issue",
        {
            "title": "Change budget",
            "unit": "kEUR",
            "positions": {"customer": {"ideal": 40, "walk_away": 55}, "management": {"ideal": 80}},
        },
        role=FACILITATOR,
    )
    mine = next(i for i in workspace.sessions.load(risk, "customer").issues if i.id == iid)
    assert set(mine.positions) == {"customer"} and mine.positions["customer"].walk_away == 55
    full = next(i for i in workspace.sessions.load(risk, FACILITATOR).issues if i.id == iid)
    assert full.positions["management"].ideal == 80


# -- one edit: one transaction, one version, one journal entry, undone whole -------------
BUDGET = {
    "title": "Change budget",
    "unit": "kEUR",
    "positions": {"customer": {"ideal": 40, "walk_away": 55}, "management": {"ideal": 80, "walk_away": 60}},
}


def test_an_issue_added_with_positions_is_one_edit_and_one_undo_reverts_it(workspace: Workspace, risk: str) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    iid = workspace.items.add(risk, "issue", BUDGET, role=FACILITATOR)
    assert workspace.sessions.version(risk) == 2
    entries = workspace.journal.history(risk)
    assert len(entries) == 2
    entry = entries[-1]
    assert (entry.op, entry.version, entry.kind, entry.item_id) == ("add", 2, "issue", iid)
    assert [(c.kind, c.item_id, c.op) for c in entry.changes] == [
        ("issue", iid, "add"),
        ("position", f"{iid}/customer", "add"),
        ("position", f"{iid}/management", "add"),
    ]
    assert workspace.journal.undo(risk).seq == entry.seq
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before
    assert workspace.sessions.version(risk) == 3
    with raw(workspace) as conn:
        left = conn.execute("SELECT count(*) FROM items WHERE session_id = ? AND item_id LIKE ?", (risk, f"{iid}%"))
        assert left.fetchone()[0] == 0
    with pytest.raises(NotFound, match="nothing to undo"):
        workspace.journal.undo(risk)


def test_deleting_an_issue_with_its_positions_is_one_edit_undone_whole(workspace: Workspace, risk: str) -> None:
    before = {role: by_id(workspace.sessions.load(risk, role)) for role in workspace.sessions.roles(risk)}
    workspace.items.delete(risk, "issue", "cutover-slip", role=FACILITATOR)
    assert workspace.sessions.version(risk) == 2
    entry = workspace.journal.history(risk)[-1]
    assert entry.op == "delete"
    assert [(c.item_id, c.op) for c in entry.changes] == [
        ("cutover-slip", "delete"),
        ("cutover-slip/customer", "delete"),
        ("cutover-slip/management", "delete"),
    ]
    workspace.journal.undo(risk)
    assert workspace.sessions.version(risk) == 3
    # every role sees what it saw: the positions came back with their audiences
    assert {role: by_id(workspace.sessions.load(risk, role)) for role in workspace.sessions.roles(risk)} == before


def test_a_weighing_is_one_edit_undone_whole(workspace: Workspace, risk: str) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    view = workspace.sessions.load(risk, "customer")
    a, b, c = ("test-env", "cutover-date", "training-plan")
    w = weigh(view, "customer", [(a, b, 3), (a, c, 5), (b, c, 3)])
    assert len(w.changed) >= 2
    changed = workspace.items.set_ratings(risk, "customer", w.ratings, role="customer")
    assert changed == len(w.changed)
    assert workspace.sessions.version(risk) == 2
    entry = workspace.journal.history(risk)[-1]
    assert (entry.op, entry.role) == ("update", "customer")
    assert sorted(ch.item_id for ch in entry.changes) == sorted(g.goal_id for g in w.changed)
    for g in w.goals:  # importances set, stances kept
        old = view.goals[[x.id for x in view.goals].index(g.goal_id)].ratings.get("customer")
        assert goal_ratings(workspace, risk, g.goal_id)["customer"] == (g.importance, old.stance if old else "neutral")
    assert workspace.items.set_ratings(risk, "customer", w.ratings, role="customer") == 0  # again: nothing changes
    assert workspace.sessions.version(risk) == 2
    workspace.journal.undo(risk)
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before


def test_a_batch_of_ratings_is_refused_whole(workspace: Workspace, risk: str) -> None:
    before = workspace.sessions.export_yaml(risk, FACILITATOR)
    with pytest.raises(NotFound, match="'vendor-slip' is gone or not visible to 'customer'"):
        workspace.items.set_ratings(risk, "customer", {"test-env": (1, None), "vendor-slip": (2, None)},
                                    role=FACILITATOR)
    with pytest.raises(InputError, match="0-5"):
        workspace.items.set_ratings(risk, "customer", {"test-env": (1, "oppose"), "training-plan": (9, None)},
                              role="customer")
    with pytest.raises(AccessDenied, match="may not rate goals for 'management'"):
        workspace.items.set_ratings(risk, "management", {"test-env": (1, None)}, role="customer")
    assert workspace.sessions.export_yaml(risk, FACILITATOR) == before
    assert workspace.sessions.version(risk) == 1 and len(workspace.journal.history(risk)) == 1


def test_positions_of_an_issue_are_found_by_their_exact_prefix(workspace: Workspace, risk: str) -> None:
    """An '_' in an issue id is no wildcard: deleting issue 'a_b' leaves the positions of 'axb'."""
    for iid in ("a_b", "axb"):
        workspace.items.add(risk, "issue", {**BUDGET, "id": iid}, role=FACILITATOR)
    workspace.items.delete(risk, "issue", "a_b", role=FACILITATOR)
    assert [len(i.positions) for i in workspace.sessions.load(risk, FACILITATOR).issues if i.id == "axb"] == [2]
    assert [c.item_id for c in workspace.journal.history(risk)[-1].changes] == ["a_b", "a_b/customer", "a_b/management"]
