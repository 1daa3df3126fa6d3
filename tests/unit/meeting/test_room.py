"""The room role, random session ids and the title for everyone, in the store and on the
command line: what the room reads (joint items only, filtered in the query), that it
writes nothing, its link, the room screen's state, random ids and which title
each role gets; the store parts on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest

from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.meeting import links as access
from pmkit.model import FACILITATOR, ROOM, parse_session
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts, link_roles, may_see, view_for, visible_audiences
from pmkit.store import ROOM_VIEWS, RoomView, Workspace
from pmkit.views.bargaining_ranges import range_facts
from tests.support.cli import run_cli
from tests.support.starters import STARTERS, starter
from tests.support.store import recording

pytestmark = pytest.mark.usefixtures("backend")

SESSION_ID = re.compile(r"s-[0-9a-f]{12}")


# -- the room's reads -------------------------------------------------------------------------
def test_the_room_sees_joint_items_only_and_no_position() -> None:
    s = starter("undisclosed-risk")
    assert link_roles(s) == [FACILITATOR, "customer", "management", ROOM]
    assert visible_audiences(ROOM, s.party_ids) == frozenset({"joint"})
    assert [a for a in ("joint", "customer", "management", FACILITATOR) if may_see(ROOM, a)] == ["joint"]
    view = view_for(s, ROOM)
    assert {g.id for g in view.goals} == {g.id for g in s.goals if g.audience == "joint"}
    assert all(not i.positions for i in view.issues)
    hidden = hidden_texts(s, ROOM)
    assert s.title in hidden and "Integration vendor is six weeks late on the EDI adapter" in hidden
    assert all(t in hidden for p in ("customer", "management") for t in hidden_texts(s, p) if not t[0].isdigit())


@pytest.mark.parametrize("name", STARTERS)
def test_the_room_never_fetches_a_row_or_title_it_may_not_see(workspace: Workspace, name: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    workspace.meeting.set_room_view(sid, "overview", role=FACILITATOR)
    with recording(workspace) as recorder:
        # what the room's kernel reads: its link's roles, the version, its view, the room's
        # state, the journal and rounds for a reveal
        workspace.sessions.link_roles(sid)
        workspace.sessions.version(sid)
        view = workspace.sessions.load(sid, ROOM)
        workspace.meeting.room_view(sid)
        workspace.journal.history(sid, ROOM)
        workspace.rounds.all(sid, ROOM)
    fetched = recorder.text()
    full = starter(name)
    for text in hidden_texts(full, ROOM):
        if not re.fullmatch(r"-?[\d.,]+", text):
            assert text not in fetched, f"the room fetched a row holding {text!r}"
    assert view == view_for(full, ROOM)
    assert view.title == full.title_for_everyone != full.title and view.description == ""


def test_the_room_writes_nothing(workspace: Workspace, demo: str) -> None:
    before, version = workspace.sessions.load(demo, FACILITATOR), workspace.sessions.version(demo)
    goal = {"title": "From the room", "raised_by": "customer"}
    attempts = [
        lambda: workspace.items.add(demo, "goal", goal, role=ROOM),
        lambda: workspace.items.add(demo, "note", {"text": "x"}, role=ROOM),
        lambda: workspace.items.update(demo, "goal", "test-env", {"title": "x"}, role=ROOM),
        lambda: workspace.items.set_rating(demo, "test-env", "customer", 1, role=ROOM),
        lambda: workspace.items.set_rating(demo, "test-env", ROOM, 1, role=ROOM),
        lambda: workspace.items.set_ratings(demo, "customer", {"test-env": (1, None)}, role=ROOM),
        lambda: workspace.items.set_position(demo, "cutover-slip", "customer", 1, 2, role=ROOM),
        lambda: workspace.items.delete(demo, "goal", "test-env", role=ROOM),
        lambda: workspace.journal.undo(demo, role=ROOM),
        lambda: workspace.meeting.revoke_links(demo, role=ROOM),
        lambda: workspace.sessions.set_titles(demo, joint_title="x", role=ROOM),
        lambda: workspace.meeting.set_room_view(demo, "whom", role=ROOM),
        lambda: range_facts(workspace, demo, ROOM),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            attempt()
    assert (workspace.sessions.load(demo, FACILITATOR), workspace.sessions.version(demo)) == (before, version)
    assert workspace.meeting.room_view(demo) == RoomView()
    assert workspace.sessions.roles(demo) == [FACILITATOR, "customer", "management"]  # the roles that edit
    assert workspace.sessions.link_roles(demo) == [*workspace.sessions.roles(demo), ROOM]


# -- the room screen's state --------------------------------------------------------------------
def test_the_facilitator_alone_chooses_what_the_room_shows(workspace: Workspace, demo: str) -> None:
    assert workspace.meeting.room_view(demo) == RoomView("overview", "", 0.5, "light", 0)
    state = workspace.meeting.set_room_view(demo, "goal", "cutover-date", 0.8, "dark", role=FACILITATOR)
    assert state == workspace.meeting.room_view(demo) == RoomView("goal", "cutover-date", 0.8, "dark", 1)
    again = workspace.meeting.set_room_view(demo, "whom", "cutover-date", 0.25, role=FACILITATOR)
    assert again == RoomView("whom", "", 0.25, "light", 2)  # the target belongs to the goal view alone
    # no edit, no journal entry
    assert workspace.sessions.version(demo) == 1 and len(workspace.journal.history(demo)) == 1
    for role in ("customer", "management"):
        with pytest.raises(AccessDenied):
            workspace.meeting.set_room_view(demo, "overview", role=role)
    refused = [
        (("goal", "vendor-slip"), "not for everyone: the room shows nothing of it"),
        (("goal", "penalty-clause"), "not for everyone"),
        (("goal", ""), "choose the goal"),
        (("goal", "nope"), "no goal 'nope'"),
        (("slideshow", ""), "unknown room view"),
        (("goal", "x" * 80), "not an item id"),
    ]
    for (view, target), message in refused:
        with pytest.raises((InputError, NotFound), match=message):
            workspace.meeting.set_room_view(demo, view, target, role=FACILITATOR)
    for weight in (-0.1, 1.5, float("nan"), "a"):
        with pytest.raises(InputError, match="from 0 to 1"):
            workspace.meeting.set_room_view(demo, "whom", weight=weight, role=FACILITATOR)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown theme"):
        workspace.meeting.set_room_view(demo, "whom", theme="neon", role=FACILITATOR)
    assert workspace.meeting.room_view(demo) == again  # a refused choice changes nothing
    with pytest.raises(NotFound):
        workspace.meeting.room_view("nope")
    assert set(ROOM_VIEWS) == {"overview", "goal", "whom", "agreements", "reveal", "options"}


# -- ids without words ---------------------------------------------------------------------------
def _payload(url: str) -> dict[str, object]:
    token = url.split("pmk=", 1)[1].split("&", 1)[0]
    body = token.split(".", 1)[0]
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def _words(title: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) >= 3]


@pytest.mark.parametrize("name", STARTERS)
def test_ids_and_links_carry_no_word_of_the_title(workspace: Workspace, name: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    assert SESSION_ID.fullmatch(sid)
    r = run_cli("links", sid, "--base-url", "http://meeting.local:9000")
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert r.returncode == 0 and [role for role, _ in rows] == workspace.sessions.link_roles(sid)
    s = starter(name)
    for role, url in rows:
        payload = _payload(url)
        assert payload["s"] == sid and payload["r"] == role and set(payload) == {"s", "r", "x", "e"}
        assert url.startswith("http://meeting.local:9000/?pmk=") and url.count("=") <= 3  # one parameter
        for word in set(_words(s.title) + _words(s.description)) - set(link_roles(s)):
            assert word not in json.dumps(payload).lower(), word  # what anyone holding the link can read
        assert access.check_query(workspace, url.split("?", 1)[1]).role == role


def test_the_title_for_everyone_for_each_role(workspace: Workspace) -> None:
    session = parse_session({"title": "Vendor slip — quietly", "description": "our own note",
                             "date": "2026-11-24",
                             "goals": [{"title": "Ship", "raised_by": "customer"}]})
    sid = workspace.sessions.create(session)
    titles = {role: (workspace.sessions.load(sid, role).title, workspace.sessions.load(sid, role).description)
              for role in workspace.sessions.link_roles(sid)}
    assert titles == {FACILITATOR: ("Vendor slip — quietly", "our own note"),
                      "customer": ("Joint meeting, 24 November 2026", ""),
                      "management": ("Joint meeting, 24 November 2026", ""),
                      ROOM: ("Joint meeting, 24 November 2026", "")}
    workspace.sessions.set_titles(sid, joint_title="Release planning", role=FACILITATOR)
    assert {workspace.sessions.load(sid, r).title for r in ("customer", "management", ROOM)} == {"Release planning"}
    facilitator = workspace.sessions.load(sid, FACILITATOR)
    assert (facilitator.title, facilitator.title_for_everyone) == ("Vendor slip — quietly", "Release planning")
    workspace.sessions.set_titles(sid, title="Working: the slip", description="new note", role=FACILITATOR)
    assert workspace.sessions.info(sid).title == "Working: the slip"  # the facilitator's list shows the working title
    assert workspace.sessions.load(sid, "customer").title == "Release planning"
    # journaled apart: the parties see that the title for everyone changed, never the working title
    last = workspace.journal.history(sid)[-2:]
    assert [(e.op, [c.audience_after for c in e.changes]) for e in last] == [
        ("retitle", ["joint"]), ("retitle", ["facilitator"])]
    for role in ("customer", ROOM):
        text = repr(workspace.journal.history(sid, role))
        assert "Release planning" in text and "slip" not in text and "note" not in text
    for bad, message in (({"title": "  "}, "title"), ({"joint_title": "x" * 301}, "joint_title")):
        with pytest.raises(InputError, match=message):
            workspace.sessions.set_titles(sid, role=FACILITATOR, **bad)  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        workspace.sessions.set_titles(sid, joint_title="mine", role="customer")
    # undo puts the titles back, one edit at a time: the working title and note, then the title for everyone
    assert workspace.journal.undo(sid).op == "retitle"
    back = workspace.sessions.load(sid, FACILITATOR)
    assert (back.title, back.description, back.title_for_everyone) == ("Vendor slip — quietly", "our own note",
                                                                      "Release planning")
    assert workspace.journal.undo(sid).op == "retitle"
    assert workspace.sessions.load(sid, "customer").title == "Joint meeting, 24 November 2026"
    assert "slip" not in repr(workspace.journal.history(sid, "customer"))  # the undo's changes keep their audiences
    with pytest.raises(NotFound, match="nothing to undo"):
        workspace.journal.undo(sid)


def test_the_command_line_shows_each_role_its_title(workspace: Workspace, demo: str) -> None:
    s = starter("undisclosed-risk")
    assert run_cli("title", demo).stdout.splitlines() == [f"working\t{s.title}", f"everyone\t{s.joint_title}"]
    for role in ("customer", ROOM):
        shown = run_cli("show", demo, "--as", role).stdout
        assert shown.splitlines()[0] == s.joint_title and "Undisclosed" not in shown
        exported = run_cli("export", demo, "--as", role).stdout
        assert exported.startswith(f"title: '{s.joint_title}'\n") and "slipped by six weeks" not in exported
    room = run_cli("export", demo, "--as", ROOM).stdout
    assert "vendor" not in room.lower() and "walk_away" not in room and "ideal" not in room
    r = run_cli("analyze", demo, "--as", ROOM)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "room screen has no bargaining facts" in r.stderr
    r = run_cli("title", demo, "--everyone", "")
    assert r.stdout.splitlines()[1] == "everyone\tJoint meeting, 24 November 2026"
    r = run_cli("title", demo, "--working", "")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and run_cli("title", demo).stdout.startswith(
        f"working\t{s.title}")


def test_a_new_session_date_default_and_ids_are_random(workspace: Workspace) -> None:
    a = workspace.sessions.create(parse_session({"title": "Same"}))
    b = workspace.sessions.create(parse_session({"title": "Same"}))
    assert a != b and SESSION_ID.fullmatch(a) and SESSION_ID.fullmatch(b)
    assert workspace.sessions.load(a, "customer").title == "Joint meeting"
    dated = parse_session({"title": "x", "date": dt.date(2027, 1, 5)})
    assert dated.title_for_everyone == "Joint meeting, 5 January 2027"
