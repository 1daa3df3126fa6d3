"""The facilitator's Agenda tab runs the agenda (and makes the next meeting); the room shows
the running joint item with its time left or its overtime, in words, from the store's time
stamps; a withheld agenda item never reaches the room's widgets; the minutes record the time
spent and the overruns; a follow-up's overview says what happened since the last meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import AccessDenied
from pmkit.model import FACILITATOR
from pmkit.reports.exports import report_context
from pmkit.store import Workspace
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.agenda import AgendaPanel
from pmkit.widgets.panels.overview import OverviewPanel
from pmkit.widgets.room import RoomBoard


def test_the_panel_runs_the_agenda_and_the_room_follows(workspace: Workspace, demo: str) -> None:
    ws = workspace
    panel = AgendaPanel(BoardContext(ws, demo, FACILITATOR))
    room = RoomBoard(ws, demo)
    try:
        for title, minutes, about in (("Status round", 10, ""), ("The vendor's slip", 15, "goal:vendor-slip"),
                                      ("Test environment", 10, "goal:test-env")):
            panel.title.value, panel.minutes.value, panel.about.value = title, minutes, about
            panel.add.click()
        assert not panel.status.is_error, panel.status.message
        assert [(a.title, a.audience) for a in ws.agenda.items(demo)] == [
            ("Status round", "joint"), ("The vendor's slip", "management"), ("Test environment", "joint")]
        assert "not in the room" in panel.listing.value
        panel.start.click()
        room.sync()
        assert "Now: Status round" in room.agenda.value
        assert any(f"{n} min left" in room.agenda.value for n in (9, 10))
        panel.next.click()  # the withheld item runs: the room shows no agenda item, and nothing of it
        room.sync()
        assert room.agenda.value == ""
        assert "slip" not in repr([w.value for w in (room.title, room.side, room.body, room.agenda)])
        panel.next.click()  # about a goal everyone sees: it goes on the room screen
        room.sync()
        assert "Now: Test environment" in room.agenda.value
        assert ws.meeting.room_view(demo).view == "goal" and ws.meeting.room_view(demo).target == "test-env"
        panel.more.value = 7
        panel.extend.click()
        assert ws.agenda.current(demo) is not None and ws.agenda.current(demo).timebox == 17  # type: ignore[union-attr]
    finally:
        room.close()


def test_the_room_says_overtime_in_words(workspace: Workspace, demo: str) -> None:
    ws = workspace
    ws.agenda.add(demo, "Cutover", 1)
    ws.agenda.start(demo)
    room = RoomBoard(ws, demo)
    try:
        item = ws.agenda.current(demo, "room")
        assert item is not None
        later = dt.datetime.fromisoformat(str(item.started_at)) + dt.timedelta(minutes=4, seconds=5)
        clock = "pmkit.store.agenda.clock"
        with pytest.MonkeyPatch.context() as mp:  # the server's clock, four minutes on
            mp.setattr(clock, lambda: later)
            room.sync()
        assert "Overtime: 4 min over" in room.agenda.value and "pmkit-room-overtime" in room.agenda.value
    finally:
        room.close()


def test_only_the_facilitator_has_the_panel(workspace: Workspace, demo: str) -> None:
    with pytest.raises(AccessDenied):
        AgendaPanel(BoardContext(workspace, demo, "management"))


def test_the_minutes_record_time_spent_and_the_record_adds_what_the_room_never_saw(workspace: Workspace,
                                                                                    demo: str) -> None:
    ws = workspace
    ws.agenda.add(demo, "Status round", 10)
    ws.agenda.add(demo, "Caucus on the slip", 5, about="goal:vendor-slip")
    ws.agenda.add(demo, "Cutover", 20)
    ws.agenda.start(demo)
    ws.agenda.next(demo)

    def agenda(role: str) -> list[tuple[str, str, str]]:
        ctx = report_context(ws, ws.sessions.load(demo, role), demo, role)
        return [(a.text, a.marker, a.detail) for a in ctx.agenda]

    room = agenda("room")
    assert [t for t, _m, _d in room] == ["Status round", "Cutover"]
    assert room[0][2] == "planned 10 min, spent under a minute" and room[1][2] == "planned 20 min, not taken"
    assert [t for t, _m, _d in agenda("customer")] == ["Status round", "Cutover"]
    record = agenda(FACILITATOR)
    assert [t for t, _m, _d in record] == ["Status round", "Caucus on the slip", "Cutover"]
    assert record[1][1] == "Programme management only; not shown in the room"


def test_a_follow_ups_overview_says_what_happened_since_the_last_meeting(workspace: Workspace, demo: str) -> None:
    ws = workspace
    new = ws.series.follow_up(demo, date=dt.date(2026, 12, 8))
    ws.items.rate(new, "test-env", "customer", 2, "support", role="customer")
    customer = OverviewPanel(BoardContext(ws, new, "customer"))
    text = customer.since.value
    assert "Since last meeting (meeting 1)" in text
    assert "Weekly status will list red items by name with an owner" in text  # agreed last time
    assert "5 support -&gt; 2 support" in text
    assert "Confirm a date for the integration test environment" in text  # due 30 Nov: late
    assert "recovery plan" not in text.lower() and "Disclose the vendor slip" not in text  # management's
    assert OverviewPanel(BoardContext(ws, demo, "customer")).since.value == ""
