"""Several people per side in the store: members, their own inputs, the party's aggregate in
the same edit, privacy in the query for every role, removal, undo, links and rounds."""

from __future__ import annotations

import re

import pytest

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.store import goal_ratings, raw, recording

GOAL = "cutover-date"  # joint, in the undisclosed-risk starter
ISSUE = "cutover-slip"

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


@pytest.fixture
def sid(workspace: Workspace) -> str:
    return workspace.import_file(starter_path("undisclosed-risk"))


def _team(ws: Workspace, sid: str) -> tuple[str, str, str]:
    ada = ws.add_participant(sid, "management", "Ada Sponsor").participant_id
    ben = ws.add_participant(sid, "management", "Ben Delivery", weight=2).participant_id
    cy = ws.add_participant(sid, "customer", "Cy Buyer").participant_id
    return ada, ben, cy


def test_members_have_random_ids_and_weights(workspace: Workspace, sid: str) -> None:
    ada, ben, cy = _team(workspace, sid)
    assert all(re.fullmatch(r"u-[0-9a-f]{8}", p) for p in (ada, ben, cy))
    people = workspace.participants(sid)
    assert [(p.name, p.party, p.weight) for p in people] == [
        ("Ada Sponsor", "management", 1.0), ("Ben Delivery", "management", 2.0), ("Cy Buyer", "customer", 1.0)]
    with pytest.raises(InputError, match="weight"):
        workspace.add_participant(sid, "management", "Zed", weight=0)
    with pytest.raises(InputError, match="not a party"):
        workspace.add_participant(sid, "vendor", "Zed")
    with pytest.raises(AccessDenied):
        workspace.add_participant(sid, "management", "Zed", role="management")


def test_a_member_rating_writes_the_aggregate_in_the_same_edit(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    v0 = workspace.version(sid)
    workspace.rate(sid, GOAL, "management", 5, "support", role="management", participant=ada)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (5, "support")
    workspace.rate(sid, GOAL, "management", 1, "oppose", role="management", participant=ben)
    # Ben weighs 2 of 3: his importance is the weighted median, his stance the majority
    assert goal_ratings(workspace, sid, GOAL)["management"] == (1, "oppose")
    assert workspace.version(sid) == v0 + 2  # one version per input, aggregate included
    entry = workspace.history(sid)[-1]
    assert [c.kind for c in entry.changes] == ["input", "goal"]
    # the party's history holds the aggregate only; no member, no input
    party_entry = workspace.history(sid, "management")[-1]
    assert [c.kind for c in party_entry.changes] == ["goal"]
    assert ben not in str(workspace.history(sid, "customer")) and ben not in str(party_entry)


def test_undo_takes_a_member_input_back_with_its_aggregate(workspace: Workspace, sid: str) -> None:
    ada, _ben, _cy = _team(workspace, sid)
    before = goal_ratings(workspace, sid, GOAL)["management"]
    workspace.rate(sid, GOAL, "management", 0, "oppose", role="management", participant=ada)
    workspace.undo(sid)
    assert goal_ratings(workspace, sid, GOAL)["management"] == before
    assert workspace.member_inputs(sid) == []


def test_a_party_with_members_rates_through_them(workspace: Workspace, sid: str) -> None:
    ada, _ben, cy = _team(workspace, sid)
    with pytest.raises(AccessDenied, match="rates through its participants"):
        workspace.set_rating(sid, GOAL, "management", 3, "neutral", role="management")
    with pytest.raises(AccessDenied):  # the customer may not set management's member's rating
        workspace.rate(sid, GOAL, "management", 3, "neutral", role="customer", participant=ada)
    with pytest.raises(AccessDenied):  # a member of one side is not a member of the other
        workspace.rate(sid, GOAL, "customer", 3, "neutral", role="customer", participant=ada)
    with pytest.raises(NotFound):
        workspace.rate(sid, GOAL, "customer", 3, "neutral", role="customer", participant="u-00000000")
    # the facilitator may set a member's rating, and the party's directly
    workspace.rate(sid, GOAL, "customer", 2, "neutral", role=FACILITATOR, participant=cy)
    workspace.set_rating(sid, GOAL, "management", 4, "support", role=FACILITATOR)
    assert goal_ratings(workspace, sid, GOAL) == {"customer": (2, "neutral"), "management": (4, "support")}


def test_privacy_of_members_is_in_the_query(workspace: Workspace, sid: str) -> None:
    ada, ben, cy = _team(workspace, sid)
    workspace.rate(sid, GOAL, "management", 5, "support", role="management", participant=ada)
    workspace.rate(sid, GOAL, "management", 1, "oppose", role="management", participant=ben)
    workspace.rate(sid, GOAL, "customer", 4, "support", role="customer", participant=cy)
    workspace.set_position(sid, ISSUE, "management", 4.125, 7.875, role="management", participant=ben)

    def fetched(role: str, participant: str | None) -> tuple[str, list[str], int]:
        with recording(workspace) as recorder:
            people = workspace.participants(sid, role, participant)
            inputs = workspace.member_inputs(sid, role, participant)
            workspace.load(sid, role)
            workspace.history(sid, role)
        return recorder.text(), [p.name for p in people], len(inputs)

    text, names, n = fetched("customer", cy)
    assert names == ["Cy Buyer"] and n == 1
    for hidden in ("Ada Sponsor", "Ben Delivery", ada, ben, "4.125", "7.875"):
        assert hidden not in text, hidden
    # own members: only oneself, until the facilitator lets colleagues see each other
    text, names, n = fetched("management", ada)
    assert names == ["Ada Sponsor"] and n == 1 and "Ben Delivery" not in text and ben not in text
    text, names, n = fetched("management", None)  # the party's own link: no member, nobody
    assert names == [] and n == 0
    workspace.set_show_colleagues(sid, True)
    text, names, n = fetched("management", ada)
    assert names == ["Ada Sponsor", "Ben Delivery"] and n == 3
    text, names, _n = fetched("customer", cy)
    assert names == ["Cy Buyer"] and "Ben Delivery" not in text
    assert {(i.participant_id, i.kind) for i in workspace.member_inputs(sid)} == {
        (ada, "rating"), (ben, "rating"), (cy, "rating"), (ben, "position")}
    with raw(workspace) as conn:  # the rows are there: the filter kept them out
        assert conn.execute("SELECT count(*) FROM participants WHERE party = 'management'").fetchone()[0] == 2


def test_removing_a_member_recomputes_and_undo_restores(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    workspace.rate(sid, GOAL, "management", 5, "support", role="management", participant=ada)
    workspace.rate(sid, GOAL, "management", 1, "oppose", role="management", participant=ben)
    workspace.remove_participant(sid, ben)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (5, "support")
    assert [p.name for p in workspace.participants(sid)] == ["Ada Sponsor", "Cy Buyer"]
    assert workspace.member(sid, ben) is not None and not workspace.member(sid, ben).active  # type: ignore[union-attr]
    workspace.undo(sid)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (1, "oppose")
    assert len(workspace.participants(sid)) == 3


def test_positions_aggregate_with_the_least_flexible_walk_away(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    workspace.set_position(sid, ISSUE, "management", 8, 4, role="management", participant=ada)
    workspace.set_position(sid, ISSUE, "management", 10, 6, role="management", participant=ben)
    pos = next(i for i in workspace.load(sid, FACILITATOR).issues if i.id == ISSUE).positions["management"]
    assert (pos.ideal, pos.walk_away) == (10, 6)  # Ben weighs 2 of 3; the highest walk-away


def test_revoking_one_link_leaves_the_others(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    assert workspace.revoke_participant_link(sid, ada) == 1
    assert workspace.member(sid, ada).link_epoch == 1  # type: ignore[union-attr]
    assert workspace.member(sid, ben).link_epoch == 0  # type: ignore[union-attr]
    assert workspace.link_epoch(sid) == 0


def test_judgements_replace_a_members_own(workspace: Workspace, sid: str) -> None:
    ada, _ben, _cy = _team(workspace, sid)
    workspace.set_judgements(sid, "management", {(GOAL, "training-plan"): 3}, role="management", participant=ada)
    workspace.set_judgements(sid, "management", {("training-plan", GOAL): 5}, role="management", participant=ada)
    (j,) = [i.judgement for i in workspace.member_inputs(sid, kind="judgement")]
    assert j == (GOAL, "training-plan", pytest.approx(1 / 5))
    with pytest.raises(InputError, match="Saaty"):
        workspace.set_judgements(sid, "management", {(GOAL, "training-plan"): 10}, role="management",
                                 participant=ada)


def test_in_a_round_a_member_answers_privately_and_the_reveal_publishes(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    workspace.rate(sid, GOAL, "management", 4, "support", role="management", participant=ada)
    workspace.rate(sid, GOAL, "management", 4, "support", role="management", participant=ben)
    workspace.open_round(sid, [GOAL])
    rated = workspace.rate(sid, GOAL, "management", 0, "oppose", role="management", participant=ben)
    assert rated.private
    assert goal_ratings(workspace, sid, GOAL)["management"] == (4, "support")  # nothing published
    (answer,) = workspace.current_round(sid, "management").answers  # type: ignore[union-attr]
    assert answer.text == "0 oppose"  # the party's answer: the aggregate with Ben's answer
    assert "0 oppose" not in str(workspace.current_round(sid, "customer"))
    workspace.reveal_round(sid)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (0, "oppose")
    assert {i.participant_id: i.rating.importance for i in workspace.member_inputs(sid)  # type: ignore[union-attr]
            if i.kind == "rating"} == {ada: 4, ben: 0}
