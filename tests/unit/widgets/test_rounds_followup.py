"""What the journal says about private rounds: what moved, round by round, and the room's
reveal view (joint goals only, never a position), with its HTML."""

from __future__ import annotations

import pytest

from pmkit.analytics.followup import round_moves
from pmkit.analytics.rounds import round_reveal
from pmkit.model import FACILITATOR, JOINT
from pmkit.resources import starter_path
from pmkit.rules.visibility import view_for
from pmkit.store import Workspace
from pmkit.widgets.room_reveal import reveal_for, reveal_html


@pytest.fixture
def risk(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def play_rounds(ws: Workspace, sid: str) -> list[str]:
    """Round 1 revealed (a joint goal, a management-only goal, an issue), round 2 cancelled,
    round 3 revealed then undone (open again)."""
    one = ws.rounds.open(sid, ["cutover-date", "test-env", "vendor-slip"], ["cutover-slip"]).round_id
    ws.items.set_rating(sid, "cutover-date", "customer", 2, "oppose", role="customer")
    ws.items.set_rating(sid, "cutover-date", "management", 3, "support", role="management")
    ws.items.set_rating(sid, "vendor-slip", "management", 1, "oppose", role="management")
    ws.items.set_position(sid, "cutover-slip", "management", 4.125, 7.875, role="management")
    ws.rounds.reveal(sid)
    two = ws.rounds.open(sid, ["weekly-status"]).round_id
    ws.items.set_rating(sid, "weekly-status", "customer", 0, "neutral", role="customer")
    ws.rounds.cancel(sid)
    three = ws.rounds.open(sid, ["training-plan"]).round_id
    ws.items.set_rating(sid, "training-plan", "management", 5, "support", role="management")
    ws.rounds.reveal(sid)
    ws.journal.undo(sid)
    return [one, two, three]


def test_round_moves_lists_each_round_and_what_its_reveal_moved(workspace: Workspace, risk: str) -> None:
    one, two, three = play_rounds(workspace, risk)
    moves = round_moves(workspace.journal.history(risk, FACILITATOR))
    assert [(m.round_id, m.number, m.state) for m in moves] == [
        (one, 1, "revealed"), (two, 2, "cancelled"), (three, 3, "open")]
    first = moves[0]
    assert [(r.goal_id, r.party, r.before, r.after) for r in first.ratings] == [
        ("cutover-date", "customer", (5, "support"), (2, "oppose")),
        ("cutover-date", "management", (5, "support"), (3, "support")),
        ("vendor-slip", "management", (5, "support"), (1, "oppose")),
    ]
    assert [(p.issue_id, p.title, p.party, p.before, p.after) for p in first.positions] == [
        ("cutover-slip", "Acceptable delay of the cutover date", "management", (5.5, 3.5), (4.125, 7.875))]
    assert moves[1].ratings == moves[2].ratings == () and moves[2].positions == ()


def test_a_partys_round_moves_hold_only_what_it_may_see(workspace: Workspace, risk: str) -> None:
    play_rounds(workspace, risk)
    moves = round_moves(workspace.journal.history(risk, "customer"))
    assert [m.state for m in moves] == ["revealed", "cancelled", "open"]
    assert {(r.goal_id, r.party) for r in moves[0].ratings} == {("cutover-date", "customer"),
                                                               ("cutover-date", "management")}
    assert moves[0].positions == ()  # management's position is never in the customer's history


def test_the_reveal_view_shows_joint_goals_before_and_after(workspace: Workspace, risk: str) -> None:
    one, _two, _three = play_rounds(workspace, risk)
    session = workspace.sessions.load(risk, FACILITATOR)
    # given the facilitator's whole journal, it still shows joint goals only, never a position
    view = round_reveal(session, workspace.journal.history(risk, FACILITATOR))
    assert view is not None and view.round_id == one and view.number == 1
    assert [g.goal_id for g in view.goals] == ["test-env", "cutover-date"]  # in the session's order
    cutover = view.goals[1]
    assert [(p.party, p.before, p.after, p.moved) for p in cutover.parties] == [
        ("customer", (5, "support"), (2, "oppose"), True), ("management", (5, "support"), (3, "support"), True)]
    untouched = view.goals[0]  # in the round, nobody answered: shown as it stands
    assert not untouched.moved and untouched.parties[0].after == (5, "support")
    html = reveal_html(view)
    assert "Round 1" in html and "5 support" in html and "2 oppose" in html and "1 of 2 goals moved" in html
    for hidden in ("vendor", "Vendor", "4.125", "7.875", "EDI"):
        assert hidden not in html


def test_the_reveal_view_as_a_party_sees_it(workspace: Workspace, risk: str) -> None:
    one, *_ = play_rounds(workspace, risk)
    view = reveal_for(workspace, risk, "customer")
    assert view is not None and view.round_id == one
    assert [g.goal_id for g in view.goals] == ["test-env", "cutover-date"]
    assert reveal_for(workspace, risk, "customer", "r-none") is None


def test_an_undone_reveal_is_not_shown_and_titles_are_escaped(workspace: Workspace, risk: str) -> None:
    assert reveal_html(reveal_for(workspace, risk, FACILITATOR)).count("No round has been revealed yet") == 1
    workspace.items.update(risk, "goal", "cutover-date", {"title": "<b>Keep</b> March"}, role=FACILITATOR)
    workspace.rounds.open(risk, ["cutover-date"])
    workspace.items.set_rating(risk, "cutover-date", "customer", 1, "oppose", role="customer")
    workspace.rounds.reveal(risk)
    html = reveal_html(reveal_for(workspace, risk, FACILITATOR))
    assert "&lt;b&gt;Keep&lt;/b&gt; March" in html and "<b>Keep</b>" not in html
    workspace.journal.undo(risk)
    assert reveal_for(workspace, risk, FACILITATOR) is None


def test_the_room_view_of_the_session_is_enough(workspace: Workspace, risk: str) -> None:
    """The reveal view works from the joint view of the session (what the room loads)."""
    play_rounds(workspace, risk)
    full = workspace.sessions.load(risk, FACILITATOR)
    joint = full.model_copy(update={"goals": [g for g in full.goals if g.audience == JOINT],
                                    "issues": [], "notes": [], "actions": [], "agreements": []})
    view = round_reveal(joint, workspace.journal.history(risk, "customer"))
    assert view is not None and [g.goal_id for g in view.goals] == ["test-env", "cutover-date"]
    assert view == round_reveal(view_for(full, "customer"), workspace.journal.history(risk, "customer"))
