"""What a party's board holds and what it can change, whatever the browser sends.

The browser can set any synced trait and click any button through comm messages; these
tests send exactly those messages (``set_state`` and the button's click message) to every
widget of a party's board, and call the callbacks with forged targets."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.i18n import use
from pmkit.model import Session
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from tests.support.widgets import send_everything, states


class RecordingWorkspace(Workspace):
    """A real workspace that also notes which roles were loaded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loaded: list[str] = []
        load = self.sessions.load

        def noted(session_id: str, role: str, participant: str | None = None) -> Session:
            self.loaded.append(role)
            return load(session_id, role, participant)

        self.sessions.load = noted  # type: ignore[method-assign]


def without_own(session: Session, party: str) -> dict[str, Any]:
    """The session minus what ``party`` may change (its own ratings and positions)."""
    data = session.model_dump(mode="json")
    for goal in data["goals"]:
        goal["ratings"].pop(party, None)
    for issue in data["issues"]:
        issue["positions"].pop(party, None)
    return data


@pytest.mark.parametrize("lang", ["en", "de", "fr"])
@pytest.mark.parametrize("party", ["customer", "management"])
def test_a_party_board_loads_and_holds_only_its_view(workspace: Workspace, demo: str, party: str, lang: str) -> None:
    """In every language: a hidden number must not reach a German page as 12.345,75 either."""
    ws = RecordingWorkspace(workspace.folder)
    with use(lang):
        board = MeetingBoard(ws, demo, party)
        for title, _f in board._specs[1:]:
            board.panel(title)  # every tab drawn
        board.sync()
        ws.items.add(demo, "note", {"text": "facilitator aside", "audience": "facilitator"}, role="facilitator")
        board.sync()
    assert ws.loaded and set(ws.loaded) == {party}
    full = workspace.sessions.load(demo, "facilitator")
    page = states(board)
    numbers = set(re.findall(r"\d+(?:\.\d+)?", page))
    for text in hidden_texts(full, party):
        if re.fullmatch(r"\d+(\.\d+)?", text):
            # small whole numbers are everywhere on a page (counts, dates); decimals are not
            if "." in text:
                assert text not in numbers, text
        else:
            assert text not in page, text
    board.close()


def test_the_customer_page_never_shows_management_items(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    page = states(board)
    secrets = ("EDI adapter", "Recover the vendor slip", "penalty", "overtime", "118.25", "61.5", "Disclose")
    for secret in secrets:
        assert secret not in page
    board.close()


def test_a_party_page_has_no_widget_that_edits_what_it_may_not(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "customer")
    descriptions = [getattr(w, "description", "") for w in iter_widgets(board.widget)]
    assert "Seen by" not in descriptions
    assert not [d for d in descriptions if d in ("Add goal", "Delete goal", "Add issue", "Delete issue")]
    capture = ("Record", "Add action", "Delete agreement", "Delete action", "Undo last change")
    assert not [d for d in descriptions if d in capture]
    assert not any(isinstance(w, widgets.DatePicker) for w in iter_widgets(board.widget))
    # the only rating and position inputs are the customer's own
    importance = [w for w in iter_widgets(board.widget) if "pmkit-importance" in w._dom_classes]
    assert [w.description for w in importance] == ["Alder Logistics (customer)"]
    board.close()


@pytest.mark.parametrize("party", ["customer", "management"])
def test_any_message_from_a_party_page_changes_only_its_own_ratings(
    workspace: Workspace, demo: str, party: str
) -> None:
    before = workspace.sessions.load(demo, "facilitator")
    board = MeetingBoard(workspace, demo, party)
    send_everything(board)
    board.sync()
    send_everything(board)
    after = workspace.sessions.load(demo, "facilitator")
    assert without_own(after, party) == without_own(before, party)
    assert {e.role for e in workspace.journal.history(demo)} <= {"facilitator", party}
    assert "Traceback" not in states(board)
    board.close()


def forged_calls(board: MeetingBoard, other: str) -> list[tuple[str, Any]]:
    goals = board.panel("Goals")
    issues = board.panel("Numeric issues")
    capture = board.panel("Capture")

    def edit(panel: Any, kind: str, field: str, current: Any, new: Any) -> None:
        panel._changed(field, panel.item_saver(kind, field, current), {"new": new})

    return [
        ("audience", lambda: edit(goals, "goal", "audience", goals.current, "joint")),  # type: ignore[attr-defined]
        ("title", lambda: edit(goals, "goal", "title", goals.current, "Renamed")),  # type: ignore[attr-defined]
        (
            "other rating",
            lambda: goals._changed("x", goals._rating_saver(other, "importance"), {"new": 5}),  # type: ignore[attr-defined]
        ),
        ("other position", lambda: issues._changed("x", issues._position_saver(other), {"new": "1"})),  # type: ignore[attr-defined]
        ("issue audience", lambda: edit(issues, "issue", "audience", issues.current, "joint")),  # type: ignore[attr-defined]
        ("add goal", lambda: goals._add()),  # type: ignore[attr-defined]
        ("delete goal", lambda: goals._delete()),  # type: ignore[attr-defined]
        ("record", lambda: capture._record()),  # type: ignore[attr-defined]
        ("add action", lambda: capture._add_action()),  # type: ignore[attr-defined]
        ("action status", lambda: edit(capture, "action", "status", capture._current_action, "done")),  # type: ignore[attr-defined]
        ("action due", lambda: edit(capture, "action", "due", capture._current_action, dt.date(2030, 1, 1))),  # type: ignore[attr-defined]
        ("delete action", lambda: capture._delete_action()),  # type: ignore[attr-defined]
        ("delete agreement", lambda: capture._delete_agreement()),  # type: ignore[attr-defined]
        ("undo", lambda: board._undo()),
    ]


@pytest.mark.parametrize(("party", "other"), [("customer", "management"), ("management", "customer")])
def test_forged_callbacks_on_a_party_page_are_refused(workspace: Workspace, demo: str, party: str, other: str) -> None:
    board = MeetingBoard(workspace, demo, party)
    board.panel("Goals").select.value = "test-env"  # type: ignore[attr-defined]
    board.panel("Numeric issues").select.value = "cutover-slip"  # type: ignore[attr-defined]
    for what, call in forged_calls(board, other):
        version = workspace.sessions.version(demo)
        board.status.clear()
        call()
        assert workspace.sessions.version(demo) == version, what
        assert board.status.is_error and "not allowed" in board.status.message, what
    board.close()


def test_the_facilitator_is_allowed_what_parties_are_refused(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, "facilitator")
    board.panel("Goals").select.value = "test-env"  # type: ignore[attr-defined]
    goals = board.panel("Goals")
    goals._changed("audience", goals.item_saver("goal", "audience", goals.current), {"new": "customer"})  # type: ignore[attr-defined]
    assert not board.status.is_error
    assert next(g for g in workspace.sessions.load(demo,
                                                   "facilitator").goals if g.id == "test-env").audience == "customer"
    board.close()
