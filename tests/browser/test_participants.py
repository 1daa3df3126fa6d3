"""Several people per side, end to end: a real `pmkit serve`, Debian's Chromium.

Two members of management rate one goal differently, each on their own page opened from
their own link; the facilitator's Participants tab shows each person's rating, the spread
and the flag; the customer's page (its DOM and every websocket frame, both ways) carries
neither a member's name or id nor an individual rating, only management's aggregate. One
server and one browser serve the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import serve
from tests.support.pages import Meeting, Page, choose_goal, frame_text, ratings_row, settled, tab, wait_text

GOAL = "Keep the March cutover date"


class People(Meeting):
    def open_member(self, party: str, participant: str) -> Page:
        url = access.link_url(self.server.base, access.make_token(self.workspace, self.session_id, party,
                                                                  participant=participant))
        return self._open(url)

    def _open(self, url: str) -> Page:
        page = self.chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        seen = Page(page)

        def record(payload: str | bytes) -> None:
            seen.frames.append(frame_text(payload))

        page.on("websocket", lambda ws: (ws.on("framereceived", record), ws.on("framesent", record)))
        page.goto(url)
        page.wait_for_selector(".pmkit-board", state="visible", timeout=120_000)
        page.wait_for_selector("img.pmkit-overlap-chart", state="visible", timeout=60_000)
        return seen


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[tuple[People, str, str]]:
    folder = tmp_path_factory.mktemp("people")
    ws = Workspace(folder / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    ada = ws.participants.add(sid, "management", "Ada Sponsor").participant_id
    ben = ws.participants.add(sid, "management", "Ben Delivery").participant_id
    with serve(ws.folder, sid, folder) as server:
        yield People(server, ws, sid, chromium), ada, ben
    ws.close()


def rate(page: Any, importance: str, stance: str) -> None:
    page.locator(".pmkit-goals .pmkit-importance select").select_option(label=importance)
    wait_text(page, ".pmkit-goal-detail", f"you (own rating){importance}")
    page.locator(".pmkit-goals .pmkit-stance button", has_text=stance).click()
    page.wait_for_function(
        """([i, s]) => [...document.querySelectorAll('.pmkit-goal-detail tr')].some(
             r => [...r.children].map(c => c.innerText).join('|') === `you (own rating)|${i}|${s}`)""",
        arg=[importance, stance], timeout=30_000)


def test_two_members_rate_apart_the_facilitator_sees_the_split_the_customer_sees_none(
        meeting: tuple[People, str, str]) -> None:
    m, ada, ben = meeting
    facilitator = m.open("facilitator")
    customer = m.open("customer")
    ada_page = m.open_member("management", ada)
    ben_page = m.open_member("management", ben)
    assert "Viewing as Ada Sponsor (Programme management)" in ada_page.page.inner_text(".pmkit-header")
    assert "Viewing as Ben Delivery (Programme management)" in ben_page.page.inner_text(".pmkit-header")

    for p in (ada_page, ben_page):
        tab(p.page, "Goals")
        choose_goal(p.page, GOAL)
    rate(ada_page.page, "5", "support")
    rate(ben_page.page, "1", "oppose")

    # the facilitator: each person's rating, the spread and the flag
    tab(facilitator.page, "Participants")
    wait_text(facilitator.page, ".pmkit-spread", "Ada Sponsor: 5 support; Ben Delivery: 1 oppose")
    row = facilitator.page.evaluate(
        """(goal) => [...document.querySelectorAll('.pmkit-spread tr')].map(
             r => [...r.children].map(c => c.innerText).join('|')).find(r => r.startsWith(goal)) ?? ''""", GOAL)
    assert row == f"{GOAL}|Programme management|Ada Sponsor: 5 support; Ben Delivery: 1 oppose|4|not united"

    # each member sees their own rating only (colleagues' are off by default)
    assert "Ben" not in ada_page.page.inner_text(".pmkit-board")
    assert "Ada" not in ben_page.page.inner_text(".pmkit-board")

    # the customer: management's aggregate (median 1, a tie of support and oppose: neutral)
    settled(m, customer)
    tab(customer.page, "Goals")
    choose_goal(customer.page, GOAL)
    customer.page.wait_for_function(  # the row as the customer's page shows it once it has caught up
        """() => [...document.querySelectorAll('.pmkit-goal-detail tr')].some(
             r => [...r.children].map(c => c.innerText).join('|') === 'Programme management|1|neutral')""",
        timeout=30_000)
    assert ratings_row(customer.page, "Programme management") == "Programme management|1|neutral"
    hidden = ["Ada Sponsor", "Ben Delivery", "Ada", "Ben", ada, ben, "own rating", "Your rating",
              "5 support; ", "1 oppose", "not united", "Participants"]
    assert customer.leaks(hidden) == []
    assert facilitator.leaks(["Ada Sponsor"]) == ["Ada Sponsor"]  # the search finds what is there
    for p in (facilitator, customer, ada_page, ben_page):
        p.page.context.close()
