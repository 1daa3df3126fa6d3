"""Hidden edits send the other roles' pages nothing at all: four pages at once (facilitator,
customer, management, room) on a real `pmkit serve`; management answers a private round on
its own goal, decides on its withheld item and the facilitator changes the working title:
the customer's and the room's pages receive no websocket frame, while management's page
shows its decision. A joint change then reaches them (the capture works)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import serve, wait_until
from tests.support.pages import Meeting, Page, frame_text, settled, tab, wait_text

QUIET_SECONDS = 3.0  # how long the untouched pages are watched for a frame (several poll intervals)


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[Meeting]:
    folder = tmp_path_factory.mktemp("hidden")
    ws = Workspace(folder / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    with serve(ws.folder, sid, folder) as server:
        yield Meeting(server, ws, sid, chromium)
    ws.close()


def _room(meeting: Meeting) -> Page:
    url = access.link_url(meeting.server.base, access.make_token(meeting.workspace, meeting.session_id, "room"))
    page = meeting.chromium.new_context(viewport={"width": 1280, "height": 720}).new_page()
    seen = Page(page)

    def on_ws(ws: Any) -> None:
        ws.on("framereceived", lambda p: seen.frames.append(frame_text(p)))

    page.on("websocket", on_ws)
    page.goto(url)
    page.wait_for_selector(".pmkit-room.pmkit-ready, .pmkit-room .pmkit-ready", timeout=120_000)
    return seen


def test_a_hidden_edit_sends_the_other_roles_pages_no_frame(meeting: Meeting) -> None:
    ws, sid = meeting.workspace, meeting.session_id
    facilitator, customer, management = (meeting.open(r) for r in (FACILITATOR, "customer", "management"))
    ws.meeting.set_room_view(sid, "agreements", role=FACILITATOR)  # the room lists the agreements
    room = _room(meeting)
    settled(meeting, customer, management)
    wait_until(lambda: "Settled at" in room.page.content(), 30, "the room's page shows the joint agreement")
    quiet = {name: len(p.frames) for name, p in (("customer", customer), ("room", room))}
    # what the customer may not see: a round on management's own goal, its answer, a decision, a title
    ws.rounds.open(sid, ["vendor-slip"])
    ws.items.rate(sid, "vendor-slip", "management", 2, "oppose", role="management")
    ws.disclosure_plan.decide(sid, "goal", "vendor-slip", "never", role="management", reason="Handled in house")
    ws.sessions.set_titles(sid, title="Working: the vendor slip", role=FACILITATOR)
    tab(management.page, "Disclosure plan")
    wait_text(management.page, ".pmkit-board", "Handled in house")  # management's page did follow
    deadline = time.monotonic() + QUIET_SECONDS
    while time.monotonic() < deadline:  # watching for frames that must not come; not a wait for one
        customer.page.wait_for_timeout(250)
        assert {"customer": len(customer.frames), "room": len(room.frames)} == quiet
    # a joint change reaches both: the capture was live all along
    settled(meeting, customer)
    assert len(customer.frames) > quiet["customer"]
    for p in (facilitator, customer, management, room):
        p.page.context.close()
