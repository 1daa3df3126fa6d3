"""Live capture of agreements, decisions and action items through the widgets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.panels.capture import CapturePanel


@pytest.fixture
def board(workspace: Workspace, demo: str) -> Any:
    b = MeetingBoard(workspace, demo, "facilitator")
    yield b
    b.close()


def capture_of(board: MeetingBoard) -> CapturePanel:
    panel = board.panel("Capture")
    assert isinstance(panel, CapturePanel)
    return panel


def test_recording_an_agreement(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = capture_of(board)
    panel.text.value = "Pilot in <i>two</i> depots & report back"
    panel.record.click()
    texts = [a.text for a in workspace.sessions.load(demo, "customer").agreements]
    assert "Pilot in <i>two</i> depots & report back" in texts
    assert panel.text.value == ""
    assert "Pilot in &lt;i&gt;two&lt;/i&gt; depots &amp; report back" in panel.agreements.value
    assert "<i>two</i>" not in panel.agreements.value
    assert board.status.message.startswith("Saved: agreement")


def test_an_empty_agreement_is_refused(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    version = workspace.sessions.version(demo)
    capture_of(board).record.click()
    assert board.status.is_error and "type what was agreed" in board.status.message
    assert workspace.sessions.version(demo) == version


def test_a_confidential_decision_reaches_only_its_audience(
    board: MeetingBoard, workspace: Workspace, demo: str
) -> None:
    customer = MeetingBoard(Workspace(workspace.folder), demo, "customer")
    management = MeetingBoard(Workspace(workspace.folder), demo, "management")
    panel = capture_of(board)
    panel.text.value = "Fund the weekend overtime from the risk budget"
    panel.kind.value = "decision"
    panel.agreement_audience.value = "management"
    panel.record.click()
    stored = [a for a in workspace.sessions.load(demo, "facilitator").agreements if a.text.startswith("Fund the")]
    assert [(a.kind, a.audience) for a in stored] == [("decision", "management")]
    assert management.sync()
    assert not customer.sync()  # an edit the customer may not see: its page does not even redraw
    assert "Fund the weekend overtime" in capture_of(management).agreements.value
    assert "Fund the weekend overtime" not in capture_of(customer).agreements.value
    customer.close()
    management.close()


def test_adding_and_editing_an_action(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = capture_of(board)
    panel.action_title.value = "Send the depot list"
    panel.owner.value = "Integration lead"
    panel.due.value = dt.date(2026, 12, 4)
    panel.add_action.click()
    action = next(a for a in workspace.sessions.load(demo, "facilitator").actions if a.title == "Send the depot list")
    assert (action.owner, action.due, action.status, action.audience) == (
        "Integration lead",
        dt.date(2026, 12, 4),
        "open",
        "joint",
    )
    assert (panel.action_title.value, panel.owner.value, panel.due.value) == ("", "", None)
    assert "2026-12-04" in panel.actions.value
    assert panel.action_pick.value == action.id  # the newest is ready to edit
    panel.status_pick.value = "done"
    panel.edit_owner.value = "Programme director"
    panel.edit_due.value = dt.date(2026, 12, 11)
    action = next(a for a in workspace.sessions.load(demo, "facilitator").actions if a.id == action.id)
    assert (action.status, action.owner, action.due) == ("done", "Programme director", dt.date(2026, 12, 11))
    panel.edit_due.value = None
    assert next(a for a in workspace.sessions.load(demo, "facilitator").actions if a.id == action.id).due is None
    panel.delete_action.click()
    assert all(a.id != action.id for a in workspace.sessions.load(demo, "facilitator").actions)


def test_deleting_an_agreement(board: MeetingBoard, workspace: Workspace, demo: str) -> None:
    panel = capture_of(board)
    panel.agreement_pick.value = "status-format"
    panel.delete_agreement.click()
    assert all(a.id != "status-format" for a in workspace.sessions.load(demo, "facilitator").agreements)
    assert "Weekly status will list red items" not in panel.agreements.value


def test_a_party_sees_the_record_and_no_form(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    panel = capture_of(board)
    assert "Weekly status will list red items by name" in panel.agreements.value
    assert "Confirm a date for the integration test environment" in panel.actions.value
    assert "Disclose the vendor slip" not in panel.agreements.value
    assert "vendor recovery plan" not in panel.actions.value
    for name in ("text", "record", "add_action", "action_pick", "status_pick", "delete_action"):
        assert not hasattr(panel, name)
    board.close()
