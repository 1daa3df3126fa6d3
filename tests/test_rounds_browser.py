"""A private round end to end: a real `pmkit serve`, Debian's Chromium through Playwright.

The facilitator opens a round on its page; the customer and management answer on theirs.
Until the reveal, no party page (its DOM or any websocket frame, either way) carries the
other party's answer in any rendering, nor the facilitator's markers of who answered;
management's position never reaches the customer at all. The facilitator's page shows who
answered and what; one click reveals everything and both party pages show it. One server
and one browser serve the module.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.store import Workspace
from pmkit.text import renderings
from tests.live import Server, browser, leaks, serve
from tests.test_meeting_browser import BOARD, CHART, _is_number, tab

pytestmark = pytest.mark.browser

GOAL = "Keep the March cutover date"
ISSUE = "Acceptable delay of the cutover date"
# Each party's answers, as every panel and the facilitator's table write them. The demo's
# published ratings of the goal are 5 support for both; nothing on a party page reads so.
CUSTOMER_SAYS = ("1 neutral", "1 support", "<td>1</td><td>support</td>")
MANAGEMENT_SAYS = ("0 neutral", "0 oppose", "<td>0</td><td>oppose</td>",
                   *renderings(4.125), *renderings(7.875))
# what only the facilitator's Rounds panel shows: who has answered, the table of answers
FACILITATOR_MARKERS = ("has answered", "of 2 answered", "of 3 answered", "pmkit-round-answers", "waiting")


@dataclass
class Page:
    """A board in the browser and every websocket frame it received or sent."""

    page: Any
    frames: list[str] = field(default_factory=list)

    def everything(self) -> str:
        """The page's DOM and every frame so far (where a text would be)."""
        return "\n".join([self.page.content(), *self.frames])

    def leaks(self, hidden: Sequence[str]) -> list[str]:
        """The ``hidden`` texts and numbers found in the DOM or any frame. Numbers are looked
        for where session data can be (the page's own icons are SVG paths full of numbers):
        the text shown and every form value and label of the board, and the frames less
        their layout sizes."""
        shown = self.page.inner_text("body") + "\n" + self.page.evaluate(
            """() => [...document.querySelectorAll('.pmkit-board *')].map(e =>
                 [e.value || '', ...['title', 'alt', 'aria-label', 'placeholder', 'label', 'value']
                   .map(a => e.getAttribute(a) || '')].join(' ')).join('\\n')""")
        wire = re.sub(r"\d+(\.\d+)?(em|px|rem|ex|pt|%)", "", "\n".join(self.frames))
        numbers = [h for h in hidden if _is_number(h)]
        texts = [h for h in hidden if not _is_number(h)]
        return sorted(set(leaks(self.everything(), texts) + leaks(shown + "\n" + wire, numbers)))


@dataclass
class Meeting:
    server: Server
    workspace: Workspace
    session_id: str
    chromium: Any

    def open(self, role: str) -> Page:
        url = access.link_url(self.server.base, access.make_token(self.workspace, self.session_id, role))
        page = self.chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        seen = Page(page)

        def record(payload: str | bytes) -> None:
            seen.frames.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

        def on_ws(ws: Any) -> None:
            ws.on("framereceived", record)
            ws.on("framesent", record)

        page.on("websocket", on_ws)
        page.goto(url)
        page.wait_for_selector(BOARD, state="visible", timeout=120_000)
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        return seen


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Meeting]:
    folder = tmp_path_factory.mktemp("rounds")
    ws = Workspace(folder / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    with serve(ws.folder, sid, folder) as server, browser() as chromium:
        yield Meeting(server, ws, sid, chromium)
    ws.close()


def text_of(page: Any, selector: str) -> str:
    return str(page.evaluate("(s) => document.querySelector(s)?.innerText ?? ''", selector))


def wait_text(page: Any, selector: str, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.textContent ?? '')"
                           ".replace(/\\u00a0/g, ' ').includes(t)",
                           arg=[selector, text], timeout=timeout)


def choose_goal(page: Any, title: str) -> None:
    """Select the goal whose label starts with ``title`` (a goal in the round is marked)."""
    select = page.locator(".pmkit-goal-select select")
    labels = select.evaluate("(s) => [...s.options].map(o => o.textContent.replace(/\\u00a0/g, ' '))")
    select.select_option(index=next(i for i, label in enumerate(labels) if label.startswith(title)))
    wait_text(page, ".pmkit-goal-detail", title)


def rate(page: Any, importance: str, stance: str) -> None:
    page.locator(".pmkit-importance select").select_option(label=importance)
    wait_text(page, ".pmkit-round-note", f"Your answer: {importance} ")
    page.locator(".pmkit-stance button", has_text=stance).click()
    wait_text(page, ".pmkit-round-note", f"Your answer: {importance} {stance}")


def settled(meeting: Meeting, *pages: Page) -> None:
    """Every update due to these pages has reached them: a joint change made now is shown."""
    marker = f"Settled at {time.monotonic_ns()}"
    meeting.workspace.items.add(meeting.session_id, "agreement", {"text": marker}, role="facilitator")
    for p in pages:
        tab(p.page, "Capture")
        wait_text(p.page, ".pmkit-agreements", marker)


def ratings_row(page: Any, party: str) -> str:
    """The goal detail's row for ``party``: ``name|importance|stance``."""
    return str(page.evaluate(
        """(party) => [...document.querySelectorAll('.pmkit-goal-detail tr')].map(
             r => [...r.children].map(c => c.innerText).join('|')).find(r => r.startsWith(party)) ?? ''""",
        party))


def test_a_private_round_answers_stay_on_their_own_page_until_one_reveal(meeting: Meeting) -> None:
    facilitator = meeting.open("facilitator")
    customer = meeting.open("customer")
    management = meeting.open("management")
    fac = facilitator.page
    for p in (customer, management):
        assert p.leaks([*CUSTOMER_SAYS, *MANAGEMENT_SAYS, "Your answer"]) == []  # the search finds only new text
        assert p.page.locator(".lm-TabBar-tab", has_text="Rounds").count() == 0

    # the facilitator opens a round on a joint goal and a joint issue
    tab(fac, "Rounds")
    fac.locator(".pmkit-round-goals select").select_option(label=[GOAL])
    fac.locator(".pmkit-round-issues select").select_option(label=[ISSUE])
    fac.locator("button.pmkit-round-open").click()
    wait_text(fac, ".pmkit-round-state", "Round 1 is open")

    # each party answers on its own page, and is told the answer stays private
    for p in (customer, management):
        tab(p.page, "Goals")
        wait_text(p.page, ".pmkit-goal-select", "[in the open round]")
        choose_goal(p.page, GOAL)
        wait_text(p.page, ".pmkit-round-note", "nobody else sees it until the facilitator reveals the round")
    rate(customer.page, "1", "support")
    rate(management.page, "0", "oppose")
    tab(management.page, "Numeric issues")
    management.page.locator(".pmkit-issue-select select").select_option(label=ISSUE)
    management.page.locator(".pmkit-ideal input").fill("4.125")
    management.page.locator(".pmkit-ideal input").press("Enter")
    management.page.locator(".pmkit-walk-away input").fill("7.875")
    management.page.locator(".pmkit-walk-away input").press("Enter")
    wait_text(management.page, ".pmkit-issues .pmkit-round-note", "Your answer: ideal 4.125, walk-away 7.875")

    # the facilitator sees who has answered, and the values
    wait_text(fac, ".pmkit-round-answers", "ideal 4.125, walk-away 7.875")
    answers = text_of(fac, ".pmkit-round-answers")
    assert "1 support" in answers and "0 oppose" in answers
    assert "has answered" in text_of(fac, ".pmkit-round-state")

    # until the reveal, a party page holds its own answer only: DOM and every frame
    settled(meeting, customer, management)
    for p in (customer, management):
        tab(p.page, "Goals")
        wait_text(p.page, ".pmkit-goal-detail", GOAL)
        assert ratings_row(p.page, "Alder Logistics") == "Alder Logistics (customer)|5|support"
        assert ratings_row(p.page, "Programme management") == "Programme management|5|support"
    assert customer.leaks(CUSTOMER_SAYS[1:2]) == ["1 support"]  # its own answer is there, and found
    assert management.leaks(["0 oppose", "4.125"]) == ["0 oppose", "4.125"]
    assert customer.leaks([*MANAGEMENT_SAYS, *FACILITATOR_MARKERS]) == []
    assert management.leaks([*CUSTOMER_SAYS, *FACILITATOR_MARKERS]) == []

    # one click publishes every answer; both party pages show the new ratings
    frames_before = len(customer.frames)
    t0 = time.monotonic()
    fac.locator("button.pmkit-round-reveal").click()
    for p in (customer, management):
        p.page.wait_for_function(
            """() => [...document.querySelectorAll('.pmkit-goal-detail tr')].some(
                 r => [...r.children].map(c => c.innerText).join('|') === 'Programme management|0|oppose')""",
            timeout=10_000)
        assert ratings_row(p.page, "Alder Logistics") == "Alder Logistics (customer)|1|support"
        assert p.page.locator(".pmkit-goals .pmkit-round-note").inner_text() == ""
    elapsed = time.monotonic() - t0
    assert elapsed < 5, f"the reveal took {elapsed:.1f}s to reach both party pages"
    wait_text(fac, ".pmkit-round-state", "Round 1 was revealed")
    # management's position is its own, after the reveal as before
    settled(meeting, customer)
    assert customer.leaks([*renderings(4.125), *renderings(7.875)]) == []
    assert len(customer.frames) > frames_before
    for p in (facilitator, customer, management):
        p.page.context.close()


def test_a_cancelled_round_leaves_the_party_page_as_it_was(meeting: Meeting) -> None:
    customer = meeting.open("customer")
    tab(customer.page, "Goals")
    choose_goal(customer.page, "Train super-users")
    meeting.workspace.rounds.open(meeting.session_id, ["training-plan"])
    wait_text(customer.page, ".pmkit-round-note", "is open on this goal")
    rate(customer.page, "4", "oppose")
    meeting.workspace.rounds.cancel(meeting.session_id)
    customer.page.wait_for_function(
        "() => (document.querySelector('.pmkit-goals .pmkit-round-note')?.innerText ?? 'x') === ''", timeout=10_000)
    assert ratings_row(customer.page, "Alder Logistics") == "Alder Logistics (customer)|3|support"
    assert customer.page.locator(".pmkit-importance select").input_value() != ""
    customer.page.context.close()
