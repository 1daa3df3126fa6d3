"""Goal entry and rating, and numeric issues, through the widgets: every change is in the
store at once, the analysis follows, bad input gets one line and is kept."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.analytics.overlap import analyze
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard, PrepareBoard
from pmkit.widgets.panels.goals import NOT_RATED, GoalsPanel
from pmkit.widgets.panels.issues import IssuesPanel


@pytest.fixture
def board(workspace: Workspace, demo: str) -> Any:
    b = MeetingBoard(workspace, demo, "facilitator")
    yield b
    b.close()


def goals_of(board: MeetingBoard) -> GoalsPanel:
    panel = board.panel("Goals")
    assert isinstance(panel, GoalsPanel)
    return panel


def issues_of(board: MeetingBoard) -> IssuesPanel:
    panel = board.panel("Numeric issues")
    assert isinstance(panel, IssuesPanel)
    return panel


def stored_goal(ws: Workspace, sid: str, goal_id: str) -> Any:
    return next(g for g in ws.sessions.load(sid, "facilitator").goals if g.id == goal_id)


def test_a_rating_set_in_the_widget_is_stored_and_analysed(
    board: MeetingBoard, workspace: Workspace, demo: str
) -> None:
    panel = goals_of(board)
    panel.select.value = "training-plan"  # customer 3 support; management has not rated it
    before = analyze(workspace.sessions.load(demo, "facilitator"))
    assert any(b.goal_id == "training-plan" for b in before.blind_spots)
    panel.rows["management"].importance.value = 4
    panel.rows["management"].stance.value = "support"
    rating = stored_goal(workspace, demo, "training-plan").ratings["management"]
    assert (rating.importance, rating.stance) == (4, "support")
    after = analyze(workspace.sessions.load(demo, "facilitator"))
    assert not any(b.goal_id == "training-plan" for b in after.blind_spots)
    assert any(p.goal_id == "training-plan" for p in after.common_ground)
    assert "Training" in board.panel("Overview").lists.value or "Train" in board.panel("Overview").lists.value  # type: ignore[attr-defined]
    assert board.status.message.startswith("Saved")
    assert workspace.journal.history(demo)[-1].role == "facilitator"


def test_not_rated_clears_a_rating(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = goals_of(board)
    panel.select.value = "weekly-status"
    panel.rows["management"].importance.value = NOT_RATED
    assert "management" not in stored_goal(workspace, demo, "weekly-status").ratings


def test_a_stance_without_importance_is_refused_and_kept(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = goals_of(board)
    panel.select.value = "training-plan"
    version = workspace.sessions.version(demo)
    panel.rows["management"].stance.value = "oppose"
    assert board.status.is_error and "importance first" in board.status.message
    assert workspace.sessions.version(demo) == version
    # another page's change redraws the board; the unsaved input stays
    Workspace(workspace.folder).items.add(demo, "agreement", {"text": "Elsewhere"}, role="facilitator")
    assert board.sync() is True
    assert panel.rows["management"].stance.value == "oppose"
    panel.rows["management"].importance.value = 2
    assert stored_goal(workspace, demo, "training-plan").ratings["management"].stance == "oppose"


def test_editing_a_goal(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = goals_of(board)
    panel.select.value = "weekly-status"
    panel.title.value = "Honest weekly status <b>with owners</b>"
    panel.description.value = "Every red item named"
    panel.raised_by.value = "management"
    goal = stored_goal(workspace, demo, "weekly-status")
    assert goal.title == "Honest weekly status <b>with owners</b>"
    assert goal.description == "Every red item named"
    assert goal.raised_by == "management"
    assert "&lt;b&gt;with owners&lt;/b&gt;" in panel.detail.value
    assert "<b>with owners</b>" not in panel.detail.value


def test_an_empty_title_is_refused_and_the_input_kept(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = goals_of(board)
    panel.select.value = "weekly-status"
    panel.title.value = "   "
    assert board.status.is_error
    assert "title" in board.status.message
    assert "\n" not in board.status.message and "Traceback" not in board.status.message
    assert stored_goal(workspace, demo, "weekly-status").title == "Honest weekly status with red items named"
    Workspace(workspace.folder).items.set_rating(demo, "test-env", "customer", 4, "support", role="customer")
    board.sync()
    assert panel.title.value == "   "  # kept until it saves or another goal is chosen
    panel.select.value = "test-env"
    panel.select.value = "weekly-status"
    assert panel.title.value == "Honest weekly status with red items named"


def test_setting_an_audience_hides_the_goal_from_the_other_party(
    board: MeetingBoard, workspace: Workspace, demo: str
) -> None:
    customer = MeetingBoard(Workspace(workspace.folder), demo, "customer")
    assert "data-cleansing" in [v for _, v in goals_of(customer).select.options]
    panel = goals_of(board)
    panel.select.value = "data-cleansing"
    panel.audience.value = "management"
    assert stored_goal(workspace, demo, "data-cleansing").audience == "management"
    assert customer.sync() is True
    assert "data-cleansing" not in [v for _, v in goals_of(customer).select.options]
    assert "Customer cleans the master data" not in str([w.get_state() for w in _all(customer)])
    customer.close()


def _all(board: MeetingBoard) -> list[Any]:
    from pmkit.widgets.common import iter_widgets

    return list(iter_widgets(board.widget))


def test_adding_and_deleting_a_goal(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = goals_of(board)
    panel.add.click()
    assert board.status.is_error and "title" in board.status.message
    panel.new_title.value = "Name a single owner for the EDI adapter"
    panel.add.click()
    goal = next(g for g in workspace.sessions.load(demo, "facilitator").goals if g.title.startswith("Name a single"))
    assert panel.select.value == goal.id
    assert panel.new_title.value == ""
    panel.delete.click()
    assert all(g.id != goal.id for g in workspace.sessions.load(demo, "facilitator").goals)
    board.undo_button.click()
    assert any(g.id == goal.id for g in workspace.sessions.load(demo, "facilitator").goals)
    assert board.status.message.startswith("Undone")


def test_the_filter_narrows_the_selector(board: MeetingBoard) -> None:
    panel = goals_of(board)
    panel.filter.value = "VENDOR"
    assert [v for _, v in panel.select.options] == ["vendor-slip", "recover-quietly"]
    assert panel.select.value == "vendor-slip"
    panel.filter.value = ""
    assert len(panel.select.options) == 9


def test_a_party_rates_only_for_itself(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    panel = goals_of(board)
    assert list(panel.rows) == ["customer"]
    panel.select.value = "data-cleansing"
    panel.rows["customer"].importance.value = 5
    panel.rows["customer"].stance.value = "oppose"
    rating = stored_goal(workspace, demo, "data-cleansing").ratings["customer"]
    assert (rating.importance, rating.stance) == (5, "oppose")
    assert workspace.journal.history(demo)[-1].role == "customer"
    assert "Programme management" in panel.detail.value  # others' ratings, read-only
    board.close()


# -- numeric issues ----------------------------------------------------------------------


def test_positions_are_saved_and_shown(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = issues_of(board)
    panel.select.value = "licence-discount"
    row = panel.rows["customer"]
    row.ideal.value = "25"
    row.walk_away.value = "17.5"
    issue = next(i for i in workspace.sessions.load(demo, "facilitator").issues if i.id == "licence-discount")
    assert (issue.positions["customer"].ideal, issue.positions["customer"].walk_away) == (25, 17.5)
    assert "25 / 17.5" in panel.table.value
    row.walk_away.value = ""
    issue = next(i for i in workspace.sessions.load(demo, "facilitator").issues if i.id == "licence-discount")
    assert issue.positions["customer"].walk_away is None


@pytest.mark.parametrize(
    ("ideal", "walk", "message"),
    [("lots", "", "not a number"), ("", "12", "ideal value before"), ("nan", "", "not a finite")],
)
def test_a_bad_position_is_refused_and_kept(
    board: MeetingBoard, workspace: Workspace, demo: str, ideal: str, walk: str, message: str
) -> None:
    panel = issues_of(board)
    panel.select.value = "cutover-slip"
    version = workspace.sessions.version(demo)
    row = panel.rows["management"]
    with panel.quietly():
        row.walk_away.value = walk
    row.ideal.value = ideal
    assert board.status.is_error and message in board.status.message
    assert workspace.sessions.version(demo) == version
    assert row.ideal.value == ideal


def test_the_facilitator_adds_and_edits_an_issue(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = issues_of(board)
    panel.new_title.value = "Number of super-users trained"
    panel.add.click()
    issue = next(i for i in workspace.sessions.load(demo, "facilitator").issues if i.title.startswith("Number of"))
    assert panel.select.value == issue.id
    panel.unit.value = "people"
    panel.audience.value = "customer"
    panel.rows["customer"].ideal.value = "40"
    stored = next(i for i in workspace.sessions.load(demo, "facilitator").issues if i.id == issue.id)
    assert (stored.unit, stored.audience, stored.positions["customer"].ideal) == ("people", "customer", 40)
    management = MeetingBoard(Workspace(workspace.folder), demo, "management")
    assert issue.id not in [v for _, v in issues_of(management).select.options]
    management.close()


def test_a_party_sets_its_own_position_and_sees_no_other(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    panel = issues_of(board)
    assert list(panel.rows) == ["customer"]
    assert not hasattr(panel, "audience") and not hasattr(panel, "add")
    assert "5.5" not in panel.table.value and "12.5" not in panel.table.value  # management's values
    panel.select.value = "cutover-slip"
    panel.rows["customer"].walk_away.value = "3"
    issue = next(i for i in workspace.sessions.load(demo, "facilitator").issues if i.id == "cutover-slip")
    assert issue.positions["customer"].walk_away == 3
    board.close()


def test_200_goals_open_and_rate(workspace: Workspace) -> None:
    from pmkit.model import parse_session

    sid = workspace.sessions.create(
        parse_session(
            {
                "title": "Large",
                "goals": [{"id": f"g{i}", "title": f"Goal {i}", "raised_by": "customer"} for i in range(200)],
            }
        )
    )
    board = MeetingBoard(workspace, sid, "facilitator")
    panel = goals_of(board)
    assert len(panel.select.options) == 200
    panel.select.value = "g150"
    panel.rows["customer"].importance.value = 5
    assert stored_goal(workspace, sid, "g150").ratings["customer"].importance == 5
    board.close()


def test_prepare_board_opens_creates_and_switches_sessions(workspace: Workspace, demo: str) -> None:
    prep = PrepareBoard(workspace)
    assert prep.board is not None and prep.board.session_id == demo
    assert "pmkit-prepare" in prep.widget._dom_classes
    prep.starter.value = "scope-vs-deadline"
    prep.new_title.value = "Harbor Foods, second round"
    prep.create.click()
    assert prep.status.message.startswith("Created")
    new = prep.board.session_id
    assert workspace.sessions.info(new).title == "Harbor Foods, second round"
    assert len(workspace.sessions.load(new, "facilitator").goals) > 5
    goals = prep.board.panel("Goals")
    chart = prep.board.panel("Overview").chart  # type: ignore[attr-defined]
    before = bytes(chart.value)
    goals.rows["management"].importance.value = 0  # type: ignore[attr-defined]
    assert bytes(chart.value) != before  # the overlap follows the entry
    prep.pick.value = demo
    assert prep.board.session_id == demo
    prep.close()


def test_prepare_board_in_an_empty_workspace(workspace: Workspace) -> None:
    prep = PrepareBoard(workspace)
    assert prep.board is None and "No sessions yet" in prep.status.message
    prep.new_title.value = "From scratch"
    prep.create.click()
    assert prep.board is not None
    assert workspace.sessions.info(prep.board.session_id).title == "From scratch"
    prep.close()
