"""The board's Preparation tab: the facilitator opens a window, sees progress (never an
answer), asks for reminders and closes it; no party's board has the tab or any trace."""

from __future__ import annotations

import datetime as dt

from pmkit.rules.permissions import Actor
from pmkit.store import Workspace
from pmkit.widgets.board import MeetingBoard


def test_open_follow_remind_and_close_from_the_board(workspace: Workspace, demo: str) -> None:
    ana = workspace.participants.add(demo, "management", "Anastasia Quill").participant_id
    fac = MeetingBoard(workspace, demo, "facilitator")
    panel = fac.panel("Preparation")
    panel.goals.value = ("test-env",)  # type: ignore[attr-defined]
    panel.until.value = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()  # type: ignore[attr-defined]
    panel.open_button.click()  # type: ignore[attr-defined]
    window = workspace.prepare.current(demo)
    assert window is not None and window.goals == ("test-env",)
    workspace.prepare.answer(demo, "goal", "test-env", {"importance": 1, "stance": "oppose"},
                             role=Actor("management", ana))
    panel.buttons["refresh"].click()  # type: ignore[attr-defined]
    table = panel.table.value  # type: ignore[attr-defined]
    assert "Anastasia Quill" in table and "1 of 1 answered" in table and "oppose" not in table
    panel.buttons["remind"].click()  # type: ignore[attr-defined]
    panel.buttons["close"].click()  # type: ignore[attr-defined]
    assert workspace.journal.history(demo)[-1].op == "prepare-close"
    for role in ("customer", "management"):
        board = MeetingBoard(workspace, demo, role)
        assert "Preparation" not in board.tabs.titles
        board.close()
    fac.close()
