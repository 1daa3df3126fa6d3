"""A member's page and the facilitator's Participants panel, in a kernel-less board."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard


def test_a_member_page_names_the_member_and_sets_their_own_rating(workspace: Workspace, demo: str) -> None:
    ada = workspace.participants.add(demo, "management", "Ada Sponsor").participant_id
    ben = workspace.participants.add(demo, "management", "Ben Delivery").participant_id
    workspace.items.rate(demo, "cutover-date", "management", 1, "oppose", role="management", participant=ben)
    board = MeetingBoard(workspace, demo, "management", participant=ada)
    assert "Viewing as <b>Ada Sponsor (Programme management)</b>" in board.title.value
    goals = board.panel("Goals")
    goals.select.value = "cutover-date"
    (row,) = goals.rows.values()
    assert row.importance.description == "Your rating"
    row.importance.value = 5
    row.stance.value = "support"
    mine = [(i.participant_id, i.rating.importance) for i in workspace.participants.inputs(demo) if i.rating]
    assert (ada, 5) in mine and (ben, 1) in mine
    assert "Ben" not in goals.detail.value and "you (own rating)" in goals.detail.value
    assert "Participants" not in [t for t, _ in board.panels]
    board.close()
    with pytest.raises(AccessDenied):
        MeetingBoard(workspace, demo, "customer", participant=ada)


def test_the_facilitator_sees_each_rating_the_spread_and_the_flag(workspace: Workspace, demo: str) -> None:
    ada = workspace.participants.add(demo, "management", "Ada Sponsor").participant_id
    ben = workspace.participants.add(demo, "management", "Ben Delivery").participant_id
    workspace.items.rate(demo, "cutover-date", "management", 5, "support", role="management", participant=ada)
    workspace.items.rate(demo, "cutover-date", "management", 1, "support", role="management", participant=ben)
    board = MeetingBoard(workspace, demo, "facilitator")
    panel = board.panel("Participants")
    html = panel.spread.value
    assert "Ada Sponsor: 5 support; Ben Delivery: 1 support" in html and "<td>4</td>" in html
    assert "not united" in html
    panel.colleagues.value = True
    assert workspace.participants.show_colleagues(demo)
    board.close()


def test_a_member_weighs_pairwise_as_their_own_judgements_and_ratings(workspace: Workspace, demo: str) -> None:
    ada = workspace.participants.add(demo, "customer", "Ada Buyer").participant_id
    ben = workspace.participants.add(demo, "customer", "Ben Ops").participant_id
    workspace.items.rate(demo, "cutover-date", "customer", 1, "support", role="customer", participant=ben)
    entries = len(workspace.journal.history(demo))
    board = MeetingBoard(workspace, demo, "customer", participant=ada)
    panel = board.panel("Weigh goals")
    panel.goals.value = ("test-env", "cutover-date")
    panel._pairs["test-env", "cutover-date"].slider.value = 1 / 3  # cutover-date three times as important
    panel.apply_button.click()
    assert not panel.status.is_error, panel.status.message
    mine = {(i.kind, i.item_id): i for i in workspace.participants.inputs(demo) if i.participant_id == ada}
    assert mine["judgement", "cutover-date/test-env"].judgement == ("cutover-date", "test-env", 3.0)
    assert mine["rating", "cutover-date"].rating.importance == 5  # type: ignore[union-attr]
    assert mine["rating", "test-env"].rating.importance == 2  # type: ignore[union-attr]
    bens = [i for i in workspace.participants.inputs(demo) if i.participant_id == ben]
    assert [(i.kind, i.item_id, i.rating.importance) for i in bens] == [("rating", "cutover-date", 1)]  # type: ignore[union-attr]
    assert len(workspace.journal.history(demo)) == entries + 1  # one edit: judgements, ratings, aggregates
    board.close()


def test_the_facilitator_adds_and_removes_participants_on_the_board(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    panel = board.panel("Participants")
    assert panel.party.value == "customer"  # the first side is chosen
    panel.name.value = "Dee Steering"
    panel.weight.value = 2.0
    panel.add.click()
    assert not board.status.is_error, board.status.message
    (dee,) = workspace.participants.all(demo)
    assert (dee.name, dee.party, dee.weight) == ("Dee Steering", "customer", 2.0)
    assert "Dee Steering" in panel.people.value and panel.pick.value == dee.participant_id
    panel.add.click()  # no name typed: one line, nothing added
    assert board.status.is_error and len(workspace.participants.all(demo)) == 1
    panel.remove.click()
    assert workspace.participants.all(demo) == [] and panel.remove.disabled
    board.close()


def test_every_control_on_a_member_page_sets_that_member_s_own_inputs(workspace: Workspace, demo: str) -> None:
    ada = workspace.participants.add(demo, "management", "Ada Sponsor").participant_id
    ben = workspace.participants.add(demo, "management", "Ben Delivery").participant_id
    workspace.items.rate(demo, "cutover-date", "management", 1, "oppose", role="management", participant=ben)
    bens = [i for i in workspace.participants.inputs(demo) if i.participant_id == ben]
    board = MeetingBoard(workspace, demo, "management", participant=ada)
    goals, issues = board.panel("Goals"), board.panel("Numeric issues")
    assert list(goals.rows) == ["management"] and list(issues.rows) == ["management"]  # one row: their own
    for _label, goal_id in goals.select.options:
        goals.select.value = goal_id
        goals.rows["management"].importance.value = 4
    for _label, issue_id in issues.select.options:
        issues.select.value = issue_id
        issues.rows["management"].ideal.value = "3"
    assert not board.status.is_error, board.status.message
    inputs = workspace.participants.inputs(demo)
    assert [i for i in inputs if i.participant_id == ben] == bens  # a colleague's inputs untouched
    assert {i.participant_id for i in inputs} == {ada, ben}
    assert {i.kind for i in inputs if i.participant_id == ada} == {"rating", "position"}
    board.close()
