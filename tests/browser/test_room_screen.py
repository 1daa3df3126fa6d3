"""The room's page on a projector (1280×720), in Debian's Chromium against a real
`pmkit serve`: in the overview and in a round's reveal with an agenda item running, axe-core finds no critical or
serious violation (every picture has a text alternative, every scrolling region can be
reached with the keyboard) and no text is cut (:mod:`tests.screen`); likewise the option
issues' own view and a reveal that shows which options every side can accept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pmkit.meeting import links
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import serve
from tests.support.screen import SIZES, axe, clipped, require_axe

HEADING = "(t) => document.querySelector('.pmkit-room-heading')?.textContent === t"
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[tuple[Workspace, str, Any]]:
    """The demo session served once; the room's page open at 1280×720 on the overview."""
    require_axe()
    tmp = tmp_path_factory.mktemp("room-screen")
    ws = Workspace(tmp / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    with serve(ws.folder, sid, tmp) as server:
        width, height = SIZES["projector"]
        page = chromium.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(links.link_url(server.base, links.make_token(ws, sid, ROOM)), timeout=120_000)
        page.wait_for_function(HEADING, arg="Where we stand", timeout=120_000)
        yield ws, sid, page
        page.context.close()
    ws.close()


def _problems(page: Any, state: str) -> list[str]:
    page.evaluate(SETTLED)
    found = [f"{state}: {v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in axe(page)]
    return found + [f"{state}: cut: {problem}" for problem in clipped(page)]


def test_the_room_at_1280x720_in_the_overview_and_a_reveal_is_accessible_and_uncut(room: tuple[Any, ...]) -> None:
    ws, sid, page = room
    found = _problems(page, "overview")
    assert (page.get_attribute("img.pmkit-room-chart", "alt") or "").startswith("Overlap chart of")

    goals = ["test-env", "cutover-date", "weekly-status", "extra-licences", "data-cleansing", "training-plan"]
    rid = ws.rounds.open(sid, goals=goals).round_id
    for goal in goals:  # every joint goal moves: a reveal taller than the screen
        ws.items.set_rating(sid, goal, "customer", 2, "oppose", role="customer")
        ws.items.set_rating(sid, goal, "management", 1, "neutral", role="management")
    ws.rounds.reveal(sid)
    ws.agenda.add(sid, "Where the test environment stands after the slip", 1)
    ws.agenda.start(sid)  # a running agenda item beside the heading, soon in overtime
    ws.meeting.set_room_view(sid, "reveal", rid, role=FACILITATOR)
    page.wait_for_function(HEADING, arg="Round 1: the answers, revealed together", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.pmkit-room-agenda')?.textContent.startsWith('Now: ')",
                           timeout=30_000)
    assert "2 oppose" in page.inner_text(".pmkit-room-body")
    found += _problems(page, "round reveal")

    # a joint option issue: its options on their own screen, then what every side can accept
    options = [{"id": f"o{n}", "label": label} for n, label in enumerate(
        ("Weekend overtime on the adapter team until the cutover", "Descope the EDI adapter from the first release",
         "Bring in a second vendor for the adapter", "Move the cutover to June and keep the full scope"))]
    issue = ws.items.add(sid, "option_issue", {"title": "How to recover the six weeks", "options": options},
                         role=FACILITATOR)
    ws.meeting.set_room_view(sid, "options", role=FACILITATOR)
    page.wait_for_function(HEADING, arg="The options on the table", timeout=30_000)
    assert "Bring in a second vendor" in page.inner_text(".pmkit-room-body")
    found += _problems(page, "options")
    second = ws.rounds.open(sid, option_issues=[issue]).round_id
    ws.items.set_option_scores(sid, issue, "customer", scores={"o0": 90}, unacceptable=["o1"], role="customer")
    ws.items.set_option_scores(sid, issue, "management", scores={"o1": 90}, unacceptable=["o2"], role="management")
    ws.rounds.reveal(sid)
    ws.meeting.set_room_view(sid, "reveal", second, role=FACILITATOR)
    page.wait_for_function(HEADING, arg="Round 2: the answers, revealed together", timeout=30_000)
    common = page.locator(".pmkit-room-common-options li").all_inner_texts()
    assert common == [options[0]["label"], options[3]["label"]]
    found += _problems(page, "option reveal")
    assert not found, "the room's page at 1280×720:\n" + "\n".join(found)
