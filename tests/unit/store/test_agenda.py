"""The agenda: items with a timebox, an audience and what they are about; who reads which
(filtered in the query: the room never loads a withheld item or one about a withheld item);
running it by the store's clock; every edit journaled and undone."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import AccessDenied, InputError
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import AgendaItem, Workspace
from pmkit.views.agenda import clock_text, spent_text

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def sid(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def titles(ws: Workspace, sid: str, role: str) -> list[str]:
    return [a.title for a in ws.agenda.items(sid, role)]


def test_a_withheld_item_and_one_about_a_withheld_item_reach_only_their_audience(workspace: Workspace,
                                                                                  sid: str) -> None:
    ws = workspace
    ws.agenda.add(sid, "Status round", 10)
    slip = ws.agenda.add(sid, "The vendor's slip", 15, about="goal:vendor-slip")
    ws.agenda.add(sid, "Caucus", 5, audience="management")
    ws.agenda.add(sid, "Test environment", 10, about="goal:test-env")
    assert slip.audience == "management"  # it takes the audience of what it is about
    assert titles(ws, sid, FACILITATOR) == ["Status round", "The vendor's slip", "Caucus", "Test environment"]
    assert titles(ws, sid, "management") == ["Status round", "The vendor's slip", "Caucus", "Test environment"]
    assert titles(ws, sid, "customer") == ["Status round", "Test environment"]
    assert titles(ws, sid, ROOM) == ["Status round", "Test environment"]
    # what an item is about made withheld later: the item leaves the room's read with it
    ws.items.update(sid, "goal", "test-env", {"audience": "management"}, role=FACILITATOR)
    assert titles(ws, sid, ROOM) == ["Status round"]
    assert titles(ws, sid, "customer") == ["Status round"]


def test_an_item_about_a_withheld_item_is_never_joint_and_only_the_facilitator_prepares(workspace: Workspace,
                                                                                         sid: str) -> None:
    with pytest.raises(InputError, match="cannot be for joint; give it --audience management"):
        workspace.agenda.add(sid, "Slip", 5, about="goal:vendor-slip", audience="joint")
    with pytest.raises(InputError, match="cannot be for customer"):
        workspace.agenda.add(sid, "Slip", 5, about="goal:vendor-slip", audience="customer")
    with pytest.raises(AccessDenied):
        workspace.agenda.add(sid, "Mine", 5, role="customer")
    with pytest.raises(InputError, match="from 1 to 480"):
        workspace.agenda.add(sid, "Forever", 0)
    with pytest.raises(InputError, match="KIND:ID"):
        workspace.agenda.add(sid, "What", 5, about="note:fac-caution")
    assert workspace.agenda.items(sid) == []


def test_running_the_agenda_counts_by_the_stores_time_stamps(workspace: Workspace, sid: str) -> None:
    ws = workspace
    ws.agenda.add(sid, "Status round", 10)
    ws.agenda.add(sid, "Caucus", 5, audience="management")
    ws.agenda.add(sid, "Cutover", 20)
    first = ws.agenda.start(sid)
    assert first.title == "Status round" and ws.agenda.current(sid, ROOM) == first
    with pytest.raises(InputError, match="is running; move on with --next"):
        ws.agenda.start(sid)
    caucus = ws.agenda.next(sid)
    assert caucus is not None and caucus.title == "Caucus"
    assert ws.agenda.current(sid, ROOM) is None  # the room sees no item while a withheld one runs
    extended = ws.agenda.extend(sid, 3)
    assert extended.timebox == 8
    cutover = ws.agenda.next(sid)
    assert cutover is not None and ws.agenda.current(sid, ROOM) == cutover
    assert ws.agenda.next(sid) is None  # the agenda is done
    assert [a.state for a in ws.agenda.items(sid)] == ["done", "done", "done"]
    with pytest.raises(InputError, match="no agenda item left"):
        ws.agenda.start(sid)


def test_time_left_overtime_and_time_spent_in_words() -> None:
    start = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    item = AgendaItem("t-1", "Cutover", 10, "joint", started_at=start.isoformat())
    assert item.remaining(start + dt.timedelta(minutes=3)) == 7 * 60
    assert clock_text(item, start + dt.timedelta(minutes=3)) == "7 min left"
    assert clock_text(item, start + dt.timedelta(minutes=9, seconds=30)) == "under a minute left"
    assert clock_text(item, start + dt.timedelta(minutes=12, seconds=10)) == "Overtime: 3 min over"
    longer = AgendaItem("t-1", "Cutover", 10, "joint", extended=5, started_at=start.isoformat())
    assert clock_text(longer, start + dt.timedelta(minutes=12)) == "3 min left"
    done = AgendaItem("t-1", "Cutover", 10, "joint", extended=5, started_at=start.isoformat(),
                      ended_at=(start + dt.timedelta(minutes=17)).isoformat())
    assert done.overrun() == 7
    assert spent_text(done) == "planned 10 min, extended by 5 min, spent 17 min, 7 min over"
    assert spent_text(AgendaItem("t-2", "Later", 5, "joint")) == "planned 5 min, not taken"


def test_every_agenda_edit_is_journaled_for_its_audience_and_undone(workspace: Workspace, sid: str) -> None:
    ws = workspace
    ws.agenda.add(sid, "Status round", 10)
    ws.agenda.add(sid, "Caucus", 5, audience="management")
    ws.agenda.start(sid)
    ws.agenda.next(sid)
    ws.agenda.extend(sid, 4)
    ops = [e.op for e in ws.journal.history(sid)][-5:]
    assert ops == ["add", "add", "agenda-start", "agenda-next", "agenda-extend"]
    customer = ws.journal.history(sid, "customer")
    assert all("Caucus" not in e.summary for e in customer)
    assert [e.op for e in customer][-3:] == ["add", "agenda-start", "agenda-next"]
    states = [(a.title, a.state, a.extended) for a in ws.agenda.items(sid)]
    assert states == [("Status round", "done", 0), ("Caucus", "running", 4)]
    ws.journal.undo(sid)  # the extension
    assert [(a.state, a.extended) for a in ws.agenda.items(sid)] == [("done", 0), ("running", 0)]
    ws.journal.undo(sid)  # moving on: the first runs again, the second waits
    assert [a.state for a in ws.agenda.items(sid)] == ["running", "waiting"]
    ws.journal.undo(sid)  # the start
    assert [a.state for a in ws.agenda.items(sid)] == ["waiting", "waiting"]
    ws.journal.undo(sid)  # the caucus added
    assert titles(ws, sid, FACILITATOR) == ["Status round"]
    ws.journal.undo(sid)
    assert ws.agenda.items(sid) == []
