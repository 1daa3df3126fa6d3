"""Option issues in the workspace, on SQLite and on PostgreSQL: a party's scores are rows
its own process and the facilitator's read and no other; one method writes them for a
party, a member (the party's aggregate in the same edit) or as a private answer in a round;
every edit is journaled and undone whole."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.model import FACILITATOR, OptionScores, parse_session
from pmkit.store import Workspace
from tests.support.store import recording

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


def make(ws: Workspace, audience: str = "joint") -> str:
    return ws.sessions.create(parse_session({
        "title": "Terms", "parties": [{"id": "customer", "name": "Customer", "reservation": 0.35},
                                      {"id": "management", "name": "Management"}],
        "option_issues": [{"id": "terms", "title": "Payment terms", "audience": audience, "options": [
            {"id": "now", "label": "On delivery"}, {"id": "net-30", "label": "Thirty days"},
            {"id": "net-60", "label": "Sixty days"}], "scores": {
            "customer": {"scores": {"now": 0, "net-30": 70, "net-60": 100}, "weight": 3,
                         "unacceptable": ["now"]},
            "management": {"scores": {"now": 100, "net-30": 61.5, "net-60": 0}, "weight": 4,
                           "unacceptable": ["net-60"]}}}]}))


def scores(ws: Workspace, sid: str, role: str = FACILITATOR) -> dict[str, OptionScores]:
    return dict(ws.sessions.load(sid, role).item("option_issue", "terms").scores)


def test_each_role_loads_only_the_scores_it_may_see(workspace: Workspace) -> None:
    sid = make(workspace)
    assert set(scores(workspace, sid)) == {"customer", "management"}
    for role in ("customer", "room"):
        with recording(workspace) as rec:
            view = workspace.sessions.load(sid, role)
        fetched = rec.text()
        assert "61.5" not in fetched and "net-60\"]" not in fetched  # management's score, its refusal
        assert set(view.option_issues[0].scores) == ({"customer"} if role == "customer" else set())
        assert "0.35" not in fetched or role == "customer"
    assert [p.reservation for p in workspace.sessions.load(sid, "management").parties] == [None, None]
    assert workspace.sessions.load(sid, "customer").parties[0].reservation == 0.35


def test_a_party_sets_its_own_scores_and_undo_puts_them_back(workspace: Workspace) -> None:
    sid = make(workspace)
    before = scores(workspace, sid)["management"]
    assert workspace.items.set_option_scores(sid, "terms", "management", scores={"now": 90, "net-30": 100},
                                             role="management") is None
    after = scores(workspace, sid, "management")["management"]
    assert after.scores == {"now": 90, "net-30": 100} and after.weight == 4 and after.unacceptable == ["net-60"]
    workspace.items.set_option_scores(sid, "terms", "management", weight=1, unacceptable=[], role="management")
    assert scores(workspace, sid)["management"].weight == 1
    last = workspace.journal.history(sid)[-1]
    assert last.role == "management" and last.kind == "option_scores"
    assert workspace.journal.history(sid, "customer")[-1].kind != "option_scores"  # not in the other's history
    workspace.journal.undo(sid)
    workspace.journal.undo(sid)
    assert scores(workspace, sid)["management"] == before
    workspace.items.set_option_scores(sid, "terms", "management", clear=True, role="management")
    assert "management" not in scores(workspace, sid)
    workspace.journal.undo(sid)
    assert scores(workspace, sid)["management"] == before


@pytest.mark.parametrize(("call", "error", "words"), [
    ({"party": "customer", "role": "management"}, AccessDenied, "may not set"),
    ({"party": "customer", "role": "room"}, AccessDenied, "read-only"),
    ({"party": "customer", "role": "customer", "scores": {"later": 5}}, InputError, "later is not an option"),
    ({"party": "customer", "role": "customer", "scores": {"now": 150}}, InputError,
     "scores.now: Input should be less than or equal to 100 (got 150)"),
    ({"party": "customer", "role": "customer", "unacceptable": ["now", "now"]}, InputError, "twice"),
])
def test_a_wrong_write_is_refused_in_one_line_and_writes_nothing(workspace: Workspace, call: dict[str, Any],
                                                                   error: type[Exception], words: str) -> None:
    sid = make(workspace)
    version = workspace.sessions.version(sid)
    with pytest.raises(error) as exc:
        workspace.items.set_option_scores(sid, "terms", **call)
    assert words in str(exc.value) and "\n" not in str(exc.value)
    assert workspace.sessions.version(sid) == version


def test_an_option_issue_for_one_party_is_not_the_others(workspace: Workspace) -> None:
    sid = make(workspace, audience="management")
    assert workspace.sessions.load(sid, "customer").option_issues == []
    with pytest.raises(NotFound):
        workspace.items.set_option_scores(sid, "terms", "customer", weight=2, role="customer")
    # the customer's scores on management's issue are the facilitator's alone
    with recording(workspace) as rec:
        workspace.sessions.load(sid, "customer")
    assert "terms" not in rec.text()


def test_add_update_and_delete_are_edits_undone_whole(workspace: Workspace) -> None:
    sid = make(workspace)
    oid = workspace.items.add(sid, "option_issue", {"title": "Cutover window", "options": [
        {"id": "march", "label": "March"}, {"id": "june", "label": "June"}],
        "scores": {"customer": {"scores": {"march": 100}}}}, role=FACILITATOR)
    assert workspace.sessions.load(sid, "customer").item("option_issue", oid).scores["customer"].scores == {
        "march": 100}
    with pytest.raises(InputError, match="set_option_scores"):
        workspace.items.update(sid, "option_issue", oid, {"scores": {}}, role=FACILITATOR)
    workspace.items.update(sid, "option_issue", oid, {"audience": "management"}, role=FACILITATOR)
    assert workspace.sessions.load(sid, "customer").item("option_issue", oid) is None
    assert "customer" in workspace.sessions.load(sid, FACILITATOR).item("option_issue", oid).scores
    workspace.journal.undo(sid)
    assert workspace.sessions.load(sid, "customer").item("option_issue", oid).scores["customer"].scores == {
        "march": 100}
    workspace.items.delete(sid, "option_issue", "terms", role=FACILITATOR)
    assert [o.id for o in workspace.sessions.load(sid, FACILITATOR).option_issues] == [oid]
    workspace.journal.undo(sid)
    assert set(scores(workspace, sid)) == {"customer", "management"}
    workspace.journal.undo(sid)
    assert [o.id for o in workspace.sessions.load(sid, FACILITATOR).option_issues] == ["terms"]


def test_members_make_the_sides_scores_and_undo_reverts_each_input(workspace: Workspace) -> None:
    sid = make(workspace)
    ann = workspace.participants.add(sid, "customer", "Ann")
    bob = workspace.participants.add(sid, "customer", "Bob", weight=2)
    workspace.items.set_option_scores(sid, "terms", "customer", scores={"now": 40, "net-30": 50}, weight=2,
                                      role=FACILITATOR, participant=ann.participant_id)
    assert scores(workspace, sid)["customer"] == OptionScores(scores={"now": 40, "net-30": 50}, weight=2)
    workspace.items.set_option_scores(sid, "terms", "customer", scores={"net-60": 80}, weight=5,
                                      unacceptable=["now"], role="customer", participant=bob.participant_id)
    assert scores(workspace, sid)["customer"] == OptionScores(scores={"now": 0, "net-30": 0, "net-60": 80},
                                                              weight=5, unacceptable=["now"])
    with pytest.raises(AccessDenied, match="participants"):
        workspace.items.set_option_scores(sid, "terms", "customer", weight=1, role="customer")
    (mine,) = workspace.participants.inputs(sid, "customer", bob.participant_id, kind="option_scores")
    assert mine.option_scores == OptionScores(scores={"net-60": 80}, weight=5, unacceptable=["now"])
    workspace.journal.undo(sid)
    assert scores(workspace, sid)["customer"] == OptionScores(scores={"now": 40, "net-30": 50}, weight=2)
    workspace.participants.remove(sid, ann.participant_id)
    assert "customer" not in scores(workspace, sid)  # no current member has scored: the side has not
    workspace.journal.undo(sid)
    assert scores(workspace, sid)["customer"].weight == 2


def test_in_a_round_scores_are_private_answers_until_the_reveal(workspace: Workspace) -> None:
    sid = make(workspace)
    published = scores(workspace, sid)
    opened = workspace.rounds.open(sid, option_issues=["terms"])
    assert opened.option_issues == ("terms",) and opened.covers("option_issue", "terms")
    rid = workspace.items.set_option_scores(sid, "terms", "customer", weight=5, role="customer")
    assert rid == opened.round_id
    assert scores(workspace, sid) == published  # nothing reaches the item before the reveal
    (answer,) = workspace.rounds.current(sid, "customer").answers
    assert answer.option_scores is not None and answer.option_scores.weight == 5
    assert answer.option_scores.scores == published["customer"].scores  # the rest kept from the published
    assert workspace.rounds.current(sid, "management").answers == ()
    with recording(workspace) as rec:
        workspace.rounds.all(sid, "management")
    assert '"weight":5' not in rec.text().replace(" ", "")
    workspace.rounds.reveal(sid)
    assert scores(workspace, sid)["customer"].weight == 5
    workspace.journal.undo(sid)  # the reveal: the round is open again, the answer kept
    assert scores(workspace, sid) == published and workspace.rounds.current(sid, FACILITATOR) is not None
    workspace.journal.undo(sid)  # the answer
    assert workspace.rounds.current(sid, FACILITATOR).answers == ()
    workspace.journal.undo(sid)  # the opening
    assert workspace.rounds.all(sid, FACILITATOR) == []


def test_a_members_answer_in_a_round_becomes_their_input_at_the_reveal(workspace: Workspace) -> None:
    sid = make(workspace)
    ann = workspace.participants.add(sid, "customer", "Ann")
    workspace.rounds.open(sid, option_issues=["terms"])
    workspace.items.set_option_scores(sid, "terms", "customer", scores={"now": 10, "net-30": 100}, weight=2,
                                      role="customer", participant=ann.participant_id)
    (answer,) = workspace.rounds.current(sid, "customer").answers
    assert answer.option_scores == OptionScores(scores={"now": 10, "net-30": 100}, weight=2)
    assert workspace.participants.inputs(sid, kind="option_scores") == []
    workspace.rounds.reveal(sid)
    assert scores(workspace, sid)["customer"] == OptionScores(scores={"now": 10, "net-30": 100}, weight=2)
    (given,) = workspace.participants.inputs(sid, kind="option_scores")
    assert given.participant_id == ann.participant_id
