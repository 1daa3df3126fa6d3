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
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def _team(ws: Workspace, sid: str) -> tuple[str, str, str]:
    ada = ws.participants.add(sid, "management", "Ada Sponsor").participant_id
    ben = ws.participants.add(sid, "management", "Ben Delivery", weight=2).participant_id
    cy = ws.participants.add(sid, "customer", "Cy Buyer").participant_id
    return ada, ben, cy


def test_members_have_random_ids_and_weights(workspace: Workspace, sid: str) -> None:
    ada, ben, cy = _team(workspace, sid)
    assert all(re.fullmatch(r"u-[0-9a-f]{8}", p) for p in (ada, ben, cy))
    people = workspace.participants.all(sid)
    assert [(p.name, p.party, p.weight) for p in people] == [
        ("Ada Sponsor", "management", 1.0), ("Ben Delivery", "management", 2.0), ("Cy Buyer", "customer", 1.0)]
    with pytest.raises(InputError, match="weight"):
        workspace.participants.add(sid, "management", "Zed", weight=0)
    with pytest.raises(InputError, match="not a party"):
        workspace.participants.add(sid, "vendor", "Zed")
    with pytest.raises(AccessDenied):
        workspace.participants.add(sid, "management", "Zed", role="management")


def test_a_member_rating_writes_the_aggregate_in_the_same_edit(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    v0 = workspace.sessions.version(sid)
    workspace.items.rate(sid, GOAL, "management", 5, "support", role="management", participant=ada)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (5, "support")
    workspace.items.rate(sid, GOAL, "management", 1, "oppose", role="management", participant=ben)
    # Ben weighs 2 of 3: his importance is the weighted median, his stance the majority
    assert goal_ratings(workspace, sid, GOAL)["management"] == (1, "oppose")
    assert workspace.sessions.version(sid) == v0 + 2  # one version per input, aggregate included
    entry = workspace.journal.history(sid)[-1]
    assert [c.kind for c in entry.changes] == ["input", "goal"]
    # the party's history holds the aggregate only; no member, no input
    party_entry = workspace.journal.history(sid, "management")[-1]
    assert [c.kind for c in party_entry.changes] == ["goal"]
    assert ben not in str(workspace.journal.history(sid, "customer")) and ben not in str(party_entry)


def test_undo_takes_a_member_input_back_with_its_aggregate(workspace: Workspace, sid: str) -> None:
    ada, _ben, _cy = _team(workspace, sid)
    before = goal_ratings(workspace, sid, GOAL)["management"]
    workspace.items.rate(sid, GOAL, "management", 0, "oppose", role="management", participant=ada)
    workspace.journal.undo(sid)
    assert goal_ratings(workspace, sid, GOAL)["management"] == before
    assert workspace.participants.inputs(sid) == []


def test_a_party_with_members_rates_through_them(workspace: Workspace, sid: str) -> None:
    ada, _ben, cy = _team(workspace, sid)
    with pytest.raises(AccessDenied, match="rates through its participants"):
        workspace.items.set_rating(sid, GOAL, "management", 3, "neutral", role="management")
    with pytest.raises(AccessDenied):  # the customer may not set management's member's rating
        workspace.items.rate(sid, GOAL, "management", 3, "neutral", role="customer", participant=ada)
    with pytest.raises(AccessDenied):  # a member of one side is not a member of the other
        workspace.items.rate(sid, GOAL, "customer", 3, "neutral", role="customer", participant=ada)
    with pytest.raises(NotFound):
        workspace.items.rate(sid, GOAL, "customer", 3, "neutral", role="customer", participant="u-00000000")
    # the facilitator may set a member's rating, and the party's directly
    workspace.items.rate(sid, GOAL, "customer", 2, "neutral", role=FACILITATOR, participant=cy)
    workspace.items.set_rating(sid, GOAL, "management", 4, "support", role=FACILITATOR)
    assert goal_ratings(workspace, sid, GOAL) == {"customer": (2, "neutral"), "management": (4, "support")}


def test_privacy_of_members_is_in_the_query(workspace: Workspace, sid: str) -> None:
    ada, ben, cy = _team(workspace, sid)
    workspace.items.rate(sid, GOAL, "management", 5, "support", role="management", participant=ada)
    workspace.items.rate(sid, GOAL, "management", 1, "oppose", role="management", participant=ben)
    workspace.items.rate(sid, GOAL, "customer", 4, "support", role="customer", participant=cy)
    workspace.items.set_position(sid, ISSUE, "management", 4.125, 7.875, role="management", participant=ben)

    def fetched(role: str, participant: str | None) -> tuple[str, list[str], int]:
        with recording(workspace) as recorder:
            people = workspace.participants.all(sid, role, participant)
            inputs = workspace.participants.inputs(sid, role, participant)
            workspace.sessions.load(sid, role)
            workspace.journal.history(sid, role)
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
    workspace.participants.set_show_colleagues(sid, True)
    text, names, n = fetched("management", ada)
    assert names == ["Ada Sponsor", "Ben Delivery"] and n == 3
    text, names, _n = fetched("customer", cy)
    assert names == ["Cy Buyer"] and "Ben Delivery" not in text
    assert {(i.participant_id, i.kind) for i in workspace.participants.inputs(sid)} == {
        (ada, "rating"), (ben, "rating"), (cy, "rating"), (ben, "position")}
    with raw(workspace) as conn:  # the rows are there: the filter kept them out
        assert conn.execute("SELECT count(*) FROM participants WHERE party = 'management'").fetchone()[0] == 2


def test_removing_a_member_recomputes_and_undo_restores(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    workspace.items.rate(sid, GOAL, "management", 5, "support", role="management", participant=ada)
    workspace.items.rate(sid, GOAL, "management", 1, "oppose", role="management", participant=ben)
    workspace.participants.remove(sid, ben)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (5, "support")
    assert [p.name for p in workspace.participants.all(sid)] == ["Ada Sponsor", "Cy Buyer"]
    assert workspace.participants.get(sid, ben) is not None and not workspace.participants.get(sid, ben).active  # type: ignore[union-attr]
    workspace.journal.undo(sid)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (1, "oppose")
    assert len(workspace.participants.all(sid)) == 3


def test_positions_aggregate_with_the_least_flexible_walk_away(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    workspace.items.set_position(sid, ISSUE, "management", 8, 4, role="management", participant=ada)
    workspace.items.set_position(sid, ISSUE, "management", 10, 6, role="management", participant=ben)
    pos = next(i for i in workspace.sessions.load(sid, FACILITATOR).issues if i.id == ISSUE).positions["management"]
    assert (pos.ideal, pos.walk_away) == (10, 6)  # Ben weighs 2 of 3; the highest walk-away


def test_revoking_one_link_leaves_the_others(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    assert workspace.participants.revoke_link(sid, ada) == 1
    assert workspace.participants.get(sid, ada).link_epoch == 1  # type: ignore[union-attr]
    assert workspace.participants.get(sid, ben).link_epoch == 0  # type: ignore[union-attr]
    assert workspace.meeting.link_epoch(sid) == 0


def test_judgements_replace_a_members_own(workspace: Workspace, sid: str) -> None:
    ada, _ben, _cy = _team(workspace, sid)
    workspace.participants.set_judgements(sid, "management", {(GOAL, "training-plan"): 3}, role="management",
                                          participant=ada)
    workspace.participants.set_judgements(sid, "management", {("training-plan", GOAL): 5}, role="management",
                                          participant=ada)
    (j,) = [i.judgement for i in workspace.participants.inputs(sid, kind="judgement")]
    assert j == (GOAL, "training-plan", pytest.approx(1 / 5))
    with pytest.raises(InputError, match="Saaty"):
        workspace.participants.set_judgements(sid, "management", {(GOAL, "training-plan"): 10}, role="management",
                                 participant=ada)


def test_in_a_round_a_member_answers_privately_and_the_reveal_publishes(workspace: Workspace, sid: str) -> None:
    ada, ben, _cy = _team(workspace, sid)
    workspace.items.rate(sid, GOAL, "management", 4, "support", role="management", participant=ada)
    workspace.items.rate(sid, GOAL, "management", 4, "support", role="management", participant=ben)
    workspace.rounds.open(sid, [GOAL])
    rated = workspace.items.rate(sid, GOAL, "management", 0, "oppose", role="management", participant=ben)
    assert rated.private
    assert goal_ratings(workspace, sid, GOAL)["management"] == (4, "support")  # nothing published
    (answer,) = workspace.rounds.current(sid, "management").answers  # type: ignore[union-attr]
    assert answer.text == "0 oppose"  # the party's answer: the aggregate with Ben's answer
    assert "0 oppose" not in str(workspace.rounds.current(sid, "customer"))
    workspace.rounds.reveal(sid)
    assert goal_ratings(workspace, sid, GOAL)["management"] == (0, "oppose")
    assert {i.participant_id: i.rating.importance for i in workspace.participants.inputs(sid)  # type: ignore[union-attr]
            if i.kind == "rating"} == {ada: 4, ben: 0}
