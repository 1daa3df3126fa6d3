"""The room screen (RoomBoard) and the facilitator's Room screen panel, in the kernel's
Python: what the room's page is made of, what it loads and holds, how it follows the
facilitator's choice, and what the page may send it."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.errors import AccessDenied
from pmkit.meeting import guard
from pmkit.meeting import links as access
from pmkit.model import FACILITATOR, ROOM, Session
from pmkit.rules.visibility import hidden_texts
from pmkit.store import RoomView, SessionInfo, Workspace
from pmkit.widgets import MeetingBoard, PrepareBoard, RoomBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.room import RoomScreenPanel
from pmkit.widgets.room_reveal import room_rounds
from pmkit.widgets.room_views import VIEWS, describe, shown
from tests.support.live import leaks
from tests.support.store import recording

WITHHELD = "vendor-slip"  # management only in the demo
PNG = b"\x89PNG\r\n\x1a\n"


class RecordingWorkspace(Workspace):
    """A real workspace that notes the reads a kernel makes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[str] = []
        sessions = self.sessions
        load, info, every = sessions.load, sessions.info, sessions.all

        def noted_load(session_id: str, role: str, participant: str | None = None) -> Session:
            self.calls.append(f"load {role}")
            return load(session_id, role, participant)

        def noted_info(session_id: str) -> SessionInfo:
            self.calls.append("info")
            return info(session_id)

        def noted_all() -> list[SessionInfo]:
            self.calls.append("sessions")
            return every()

        sessions.load, sessions.info, sessions.all = noted_load, noted_info, noted_all  # type: ignore[method-assign]


def page_text(board: RoomBoard) -> str:
    """Everything the room's widgets hold, as the page would receive it (images as bytes)."""
    out = []
    for w in iter_widgets(board.widget):
        for value in w.get_state().values():
            out.append(bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview)) else repr(value))
    return "\n".join(out)


def test_the_room_page_is_html_and_images_only_and_loads_the_room_view_alone(workspace: Workspace,
                                                                             demo: str) -> None:
    ws = RecordingWorkspace(workspace.folder)
    room = RoomBoard(ws, demo)
    kinds = {type(w).__name__ for w in iter_widgets(room.widget)}
    assert kinds <= {"VBox", "HBox", "HTML", "Image", "ChartImage"}, kinds  # a chart: an Image with its words
    assert not any(isinstance(w, (widgets.Button, widgets.Text, widgets.Dropdown, widgets.ValueWidget))
                   and not isinstance(w, (widgets.HTML, widgets.Image)) for w in iter_widgets(room.widget))
    for state in (RoomView("whom", weight=0.3), RoomView("agreements"), RoomView("goal", "test-env"),
                  RoomView("reveal")):
        workspace.meeting.set_room_view(demo, state.view, state.target, state.weight, role=FACILITATOR)
        assert room.sync()
    ws.items.add(demo, "note", {"text": "aside", "audience": "facilitator"}, role=FACILITATOR)
    room.sync()
    assert set(ws.calls) == {"load room"}  # never the working title's reads, never another role
    assert "pmkit-room" in room.widget._dom_classes and "pmkit-ready" in room.widget._dom_classes
    room.close()


@pytest.mark.parametrize("party", ["customer", "management"])
def test_a_party_kernel_never_reads_the_working_title_or_note(workspace: Workspace, demo: str, party: str) -> None:
    full = workspace.sessions.load(demo, FACILITATOR)
    ws = RecordingWorkspace(workspace.folder)
    with recording(ws) as recorder:
        # what a party's kernel does: check its link, build its board, open every tab, follow a change
        access.check_query(ws, access.link_url("http://x", access.make_token(workspace, demo, party)).split("?")[1])
        board = MeetingBoard(ws, demo, party)
        for n in range(len(board.tabs.titles)):
            board.tabs.selected_index = n
        workspace.items.add(demo, "agreement", {"text": "Both sides agree"}, role=FACILITATOR)
        assert board.sync()
        board.close()
    fetched = recorder.text()
    assert full.title not in fetched and " ".join(full.description.split())[:40] not in " ".join(fetched.split())
    assert full.title_for_everyone in fetched  # what it reads instead
    assert "info" not in ws.calls and "sessions" not in ws.calls


def test_the_room_follows_the_facilitator_and_shows_each_view(workspace: Workspace, demo: str) -> None:
    room = RoomBoard(workspace, demo)
    joint_title = workspace.sessions.load(demo, ROOM).title
    assert room.view == "overview"
    assert f"<h1 class='pmkit-room-joint-title'>{joint_title}</h1>" in room.title.value
    assert bytes(room.chart.value).startswith(PNG) and "Alignment" in room.side.value
    assert not room.sync()  # nothing changed: nothing drawn
    workspace.meeting.set_room_view(demo, "goal", "cutover-date", role=FACILITATOR)
    assert room.sync() and room.view == "goal"
    assert "Keep the March cutover date" in room.title.value and "5 of 5" in room.body.value
    assert room.chart.layout.display == "none"
    workspace.meeting.set_room_view(demo, "whom", weight=0.8, theme="dark", role=FACILITATOR)
    assert room.sync() and "weight 0.80 on Alder Logistics (customer)" in room.title.value
    assert bytes(room.chart.value).startswith(PNG) and "pmkit-theme-dark" in room.widget._dom_classes
    assert "pmkit-theme-light" not in room.widget._dom_classes
    workspace.meeting.set_room_view(demo, "agreements", role=FACILITATOR)
    assert room.sync() and "Weekly status will list red items by name" in room.body.value
    assert "Sign off the vendor recovery plan" not in room.body.value  # management's action
    workspace.meeting.set_room_view(demo, "reveal", role=FACILITATOR)
    assert room.sync() and "No round revealed yet." in room.body.value
    # an edit elsewhere reaches the room on its next look
    workspace.items.add(demo, "agreement", {"text": "Test window starts Monday"}, role=FACILITATOR)
    workspace.meeting.set_room_view(demo, "agreements", role=FACILITATOR)
    assert room.sync() and "Test window starts Monday" in room.body.value
    room.close()


def test_a_goal_the_room_cannot_load_shows_the_overview_and_nothing_of_it(workspace: Workspace,
                                                                          demo: str) -> None:
    full = workspace.sessions.load(demo, FACILITATOR)
    hidden = hidden_texts(full, ROOM)
    room = RoomBoard(workspace, demo)
    texts = [page_text(room)]
    # a joint goal on the screen is made management-only: the room drops it at once
    workspace.meeting.set_room_view(demo, "goal", "weekly-status", role=FACILITATOR)
    room.sync()
    assert room.view == "goal"
    workspace.items.update(demo, "goal", "weekly-status", {"audience": "management"}, role=FACILITATOR)
    assert room.sync() and room.view == "overview"
    assert "Honest weekly status" not in page_text(room)
    # an id written past every check (the store refuses it) is only an id: nothing to load
    with sqlite3.connect(workspace.path) as conn:
        conn.execute("UPDATE room_view SET target = ?, seq = seq + 1 WHERE session_id = ?", (WITHHELD, demo))
    assert room.sync() and room.view == "overview"
    texts.append(page_text(room))
    for view in ("whom", "agreements", "reveal"):
        workspace.meeting.set_room_view(demo, view, role=FACILITATOR)
        room.sync()
        texts.append(page_text(room))
    searched = [h for h in hidden if not re.fullmatch(r"-?[\d.,]+", h) or len(h) >= 3]  # "0" is on every page
    assert leaks("\n".join(texts), [*searched, "Honest weekly status with red items named"]) == []
    room.close()


def test_the_room_page_may_send_nothing() -> None:
    for widget in (widgets.HTML("x"), widgets.Image(value=PNG, format="png"), widgets.VBox()):
        for data in ({"method": "update", "state": {"value": "<b>forged</b>"}, "buffer_paths": []},
                     {"method": "update", "state": {"layout": "x"}, "buffer_paths": []},
                     {"method": "custom", "content": {"event": "click"}}, {"method": "other"}):
            passed, refused = guard.screen(widget, {"content": {"comm_id": "x", "data": data}, "buffers": []}, ROOM)
            assert passed is None and refused
        assert guard.screen(widget, {"content": {"data": {"method": "request_state"}}}, ROOM)[0] is not None
    # a party's page may still change a value
    assert guard.screen(widgets.Text(), {"content": {"data": {"method": "update", "state": {"value": "x"},
                                                              "buffer_paths": []}}}, "customer")[0] is not None


# -- the facilitator's panel ------------------------------------------------------------------
def test_only_the_facilitators_page_has_the_room_screen_panel(workspace: Workspace, demo: str) -> None:
    facilitator = MeetingBoard(workspace, demo, FACILITATOR)
    assert "Room screen" in facilitator.tabs.titles
    assert "Parties and the room see: <b>ERP integration: test environment and cutover</b>" in facilitator.title.value
    assert "Undisclosed risk" in facilitator.title.value
    for party in ("customer", "management"):
        board = MeetingBoard(workspace, demo, party)
        assert "Room screen" not in board.tabs.titles
        assert not any("pmkit-room-screen" in getattr(w, "_dom_classes", ()) for w in iter_widgets(board.widget))
        with pytest.raises(AccessDenied):
            RoomScreenPanel(BoardContext(workspace, demo, party))
        board.close()
    with pytest.raises(AccessDenied):
        MeetingBoard(workspace, demo, ROOM)  # the room's page is the room board
    facilitator.close()


def test_the_panel_marks_and_refuses_withheld_goals_and_says_what_the_room_shows(workspace: Workspace,
                                                                                 demo: str) -> None:
    board = MeetingBoard(workspace, demo, FACILITATOR)
    panel: Any = board.panel("Room screen")
    labels = dict((v, label) for label, v in panel.goal.options)
    assert labels["cutover-date"] == "Keep the March cutover date"
    assert labels[WITHHELD].endswith("[Programme management only: not for the room]")
    assert labels["penalty-clause"].endswith("[facilitator only: not for the room]")
    assert "The room shows the overview, light theme." in panel.now.value
    panel.view.value, panel.goal.value = "goal", WITHHELD
    assert "is for Programme management only: the room cannot show it." in panel.next.value
    panel.show_button.click()
    assert board.status.is_error and "is for Programme management only: the room shows nothing of it" in \
        board.status.message
    assert workspace.meeting.room_view(demo) == RoomView()  # nothing was chosen
    panel.goal.value = "cutover-date"
    assert "Show in the room: one goal, “Keep the March cutover date”, light theme." in panel.next.value
    panel.show_button.click()
    assert not board.status.is_error
    assert workspace.meeting.room_view(demo) == RoomView("goal", "cutover-date", 0.5, "light", 1)
    assert "The room shows one goal, “Keep the March cutover date”, light theme." in panel.now.value
    panel.view.value, panel.weight.value, panel.theme.value = "whom", 0.7, "dark"
    panel.show_button.click()
    assert "whom to please, weight 0.70 on Alder Logistics (customer), dark theme" in panel.now.value
    # a goal shown that stops being for everyone: the line says the room dropped it
    workspace.meeting.set_room_view(demo, "goal", "weekly-status", role=FACILITATOR)
    workspace.items.update(demo, "goal", "weekly-status", {"audience": "management"}, role=FACILITATOR)
    again: Any = MeetingBoard(workspace, demo, FACILITATOR).panel("Room screen")
    assert (again.view.value, again.goal.value) == ("goal", "weekly-status")  # the panel opens on the choice
    assert "the overview (the goal chosen is not for everyone" in again.now.value
    board.close()


def test_a_rounds_reveal_chosen_in_the_panel_shows_in_the_room(workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, FACILITATOR)
    panel: Any = board.panel("Room screen")
    room = RoomBoard(workspace, demo)
    assert [v for _, v in panel.round.options] == [""]  # no round revealed: only "the last revealed"
    panel.view.value = "reveal"
    panel.show_button.click()
    assert room.sync() and "No round revealed yet." in room.body.value
    assert "The room shows the round reveal (no round revealed yet), light theme." in panel.now.value
    # a round on two joint goals and a withheld one; while it is open the room holds no answer
    first = workspace.rounds.open(demo, goals=["test-env", "weekly-status", WITHHELD]).round_id
    workspace.items.set_rating(demo, "test-env", "customer", 2, "oppose", role="customer")
    workspace.items.set_rating(demo, "weekly-status", "management", 5, "support", role="management")
    workspace.items.set_rating(demo, WITHHELD, "management", 1, "oppose", role="management")
    room.sync()
    assert "2 oppose" not in page_text(room) and "5 support" not in room.body.value
    workspace.rounds.reveal(demo)
    assert board.sync() and room.sync()
    assert room.title.value.endswith("<h2 class='pmkit-room-heading'>Round 1: the answers, revealed together</h2>")
    body = room.body.value
    assert "Integration test environment ready for the customer" in body and "Honest weekly status" in body
    assert "5 support" in body and "<b>2 oppose</b>" in body and "<b>5 support</b>" in body
    assert "Integration vendor is six weeks late" not in page_text(room)  # the withheld goal of the round
    assert [(label, v) for label, v in panel.round.options] == [("The last round revealed", ""), ("Round 1", first)]
    # a second round; the facilitator shows the first one again, then the last one
    second = workspace.rounds.open(demo, goals=["cutover-date"]).round_id
    workspace.items.set_rating(demo, "cutover-date", "management", 3, "neutral", role="management")
    workspace.rounds.reveal(demo)
    board.sync()
    panel.round.value = first
    assert "Show in the room: the reveal of round 1, light theme." in panel.next.value
    panel.show_button.click()
    assert workspace.meeting.room_view(demo).target == first
    assert room.sync() and "Round 1:" in room.title.value and "Keep the March cutover date" not in room.body.value
    assert "The room shows the reveal of round 1, light theme." in panel.now.value
    panel.round.value = ""
    panel.show_button.click()
    assert room.sync() and "Round 2:" in room.title.value and "Keep the March cutover date" in room.body.value
    assert "<b>3 neutral</b>" in room.body.value
    assert "the reveal of round 2, the last revealed" in panel.now.value and second in dict(
        (v, label) for label, v in panel.round.options)
    room.close()
    board.close()


def test_the_views_registry_and_what_is_shown() -> None:
    assert list(VIEWS) == ["overview", "goal", "whom", "agreements", "reveal", "options"]
    assert shown(RoomView("goal", "a"), ["a"]) == ("goal", "a")
    assert shown(RoomView("goal", "b"), ["a"]) == ("overview", "")
    assert shown(RoomView("later-view"), ["a"]) == ("overview", "")
    s = Session(title="Working", goals=[])
    assert describe(RoomView("agreements"), s) == "The room shows the agreements and actions, light theme."


def test_the_prepare_board_edits_both_titles(workspace: Workspace, demo: str) -> None:
    prep = PrepareBoard(workspace, demo)
    assert prep.working_title.value.startswith("Undisclosed risk")
    assert prep.joint_title.value == "ERP integration: test environment and cutover"
    prep.joint_title.value = ""
    prep.save_titles.click()
    assert prep.joint_title.placeholder == "Joint meeting, 24 November 2026"
    assert workspace.sessions.load(demo, "customer").title == "Joint meeting, 24 November 2026"
    assert "Parties and the room see: <b>Joint meeting, 24 November 2026</b>" in prep.everyone.value
    prep.working_title.value = " "
    prep.save_titles.click()
    assert prep.status.is_error and workspace.sessions.info(demo).title.startswith("Undisclosed risk")
    prep.close()


def test_the_panel_numbers_rounds_as_the_room_does_and_a_round_the_room_cannot_see_takes_no_number(
        workspace: Workspace, demo: str) -> None:
    board = MeetingBoard(workspace, demo, FACILITATOR)
    panel: Any = board.panel("Room screen")
    room = RoomBoard(workspace, demo)
    # the first round is on a withheld goal alone: the room may not learn it happened
    hidden = workspace.rounds.open(demo, goals=[WITHHELD]).round_id
    workspace.items.set_rating(demo, WITHHELD, "management", 1, "oppose", role="management")
    workspace.rounds.reveal(demo)
    joint = workspace.rounds.open(demo, goals=["cutover-date"]).round_id
    workspace.items.set_rating(demo, "cutover-date", "management", 3, "neutral", role="management")
    workspace.rounds.reveal(demo)
    assert [(r.round_id, r.number) for r in workspace.rounds.all(demo, FACILITATOR)] == [(hidden, 1), (joint, 2)]
    assert [(r.round_id, r.number) for r in workspace.rounds.all(demo, ROOM)] == [(joint, 1)]
    board.sync()
    assert [(label, v) for label, v in panel.round.options] == [("The last round revealed", ""),
                                                                  ("Round 1 (your round 2)", joint)]
    panel.view.value = "reveal"
    assert "Show in the room: the reveal of round 1, the last revealed, light theme." in panel.next.value
    panel.show_button.click()
    assert room.sync() and room.title.value.endswith(
        "<h2 class='pmkit-room-heading'>Round 1: the answers, revealed together</h2>")
    assert "The room shows the reveal of round 1, the last revealed, light theme." in panel.now.value
    panel.round.value = joint
    panel.show_button.click()
    assert room.sync() and "Round 1:" in room.title.value and "<b>3 neutral</b>" in room.body.value
    assert "The room shows the reveal of round 1, light theme." in panel.now.value
    assert hidden not in page_text(room) and "Round 2" not in page_text(room)
    room.close()
    board.close()


def test_a_round_the_room_sees_only_from_its_reveal_keeps_its_number_when_another_opens(
        workspace: Workspace, demo: str) -> None:
    # opened on a withheld goal, which is then shown to everyone before the reveal: the room's
    # history holds the reveal but not the opening
    first = workspace.rounds.open(demo, goals=[WITHHELD]).round_id
    workspace.items.update(demo, "goal", WITHHELD, {"audience": "joint"}, role=FACILITATOR)
    workspace.items.set_rating(demo, WITHHELD, "customer", 2, "oppose", role="customer")
    workspace.rounds.reveal(demo)
    assert room_rounds(workspace, demo) == {first: 1}
    second = workspace.rounds.open(demo, goals=["cutover-date"]).round_id
    workspace.items.set_rating(demo, "cutover-date", "management", 3, "neutral", role="management")
    workspace.rounds.reveal(demo)
    assert room_rounds(workspace, demo) == {first: 1, second: 2}  # in the order revealed; the first stays 1
    room = RoomBoard(workspace, demo)
    for rid, number in ((first, 1), (second, 2), ("", 2)):
        workspace.meeting.set_room_view(demo, "reveal", rid, role=FACILITATOR)
        room.sync()
        assert f"Round {number}: the answers, revealed together" in room.title.value, rid
    room.close()


def test_the_room_shows_a_joint_option_issue_and_after_the_reveal_only_what_every_side_can_accept(
        workspace: Workspace) -> None:
    from pmkit.resources import starter_path

    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    workspace.meeting.set_room_view(sid, "options", role=FACILITATOR)
    room = RoomBoard(workspace, sid)
    assert room.view == "options"
    for label in ("Payment terms for phase two invoices", "On delivery", "30 days after delivery",
                  "60 days after delivery"):
        assert label in room.body.value
    round_id = workspace.rounds.open(sid, option_issues=["payment-terms"], role=FACILITATOR)
    workspace.items.set_option_scores(sid, "payment-terms", "customer", scores={"net-30": 41.25, "net-60": 93.5},
                                      weight=2.75, unacceptable=["on-delivery"], role="customer")
    workspace.meeting.set_room_view(sid, "reveal", role=FACILITATOR)
    room.sync()
    assert "No round revealed yet" in room.body.value  # nothing while the round is open
    workspace.rounds.reveal(sid, role=FACILITATOR)
    room.sync()
    body = room.body.value
    assert "Every side can accept" in body
    common = re.findall(r"<li>([^<]*)</li>", body.split("pmkit-room-common-options", 1)[1])
    assert common == ["30 days after delivery"]  # management cannot accept 60 days, the customer on delivery
    page = re.sub(r"<style>.*?</style>", "", "\n".join(str(w.get_state()) for w in iter_widgets(room.widget)),
                  flags=re.S)  # the page's own CSS says "font-weight"
    assert leaks(page, ["41.25", "93.5", "2.75", "cannot accept", "weight", "management cannot"]) == []
    assert round_id.round_id in room_rounds(workspace, sid)
    # a party's scores missing: nothing is called common ground
    workspace.items.set_option_scores(sid, "payment-terms", "management", clear=True, role=FACILITATOR)
    room.sync()
    assert "Not every side has given its scores yet" in room.body.value
    room.close()
