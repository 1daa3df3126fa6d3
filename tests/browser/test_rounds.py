"""A private round end to end: a real `pmkit serve`, Debian's Chromium through Playwright.

The facilitator opens a round on its page; the customer and management answer on theirs.
Until the reveal, no party page (its DOM or any websocket frame, either way) carries the
other party's answer in any rendering, nor the facilitator's markers of who answered;
management's position never reaches the customer at all. The facilitator's page shows who
answered and what; one click reveals everything and both party pages show it. One server
and one browser serve the module.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.store import Workspace
from pmkit.text import renderings
from tests.support.live import serve
from tests.support.pages import (
    Meeting,
    Page,
    choose_goal,
    frame_text,
    ratings_row,
    settled,
    tab,
    wait_text,
)

GOAL = "Keep the March cutover date"
ISSUE = "Acceptable delay of the cutover date"
# Each party's answers, as every panel and the facilitator's table write them. The demo's
# published ratings of the goal are 5 support for both; nothing on a party page reads so.
CUSTOMER_SAYS = ("1 neutral", "1 support", "<td>1</td><td>support</td>")
MANAGEMENT_SAYS = ("0 neutral", "0 oppose", "<td>0</td><td>oppose</td>",
                   *renderings(4.125), *renderings(7.875))
# what only the facilitator's Rounds panel shows: who has answered, the table of answers
FACILITATOR_MARKERS = ("has answered", "of 2 answered", "of 3 answered", "pmkit-round-answers", "waiting")


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[Meeting]:
    folder = tmp_path_factory.mktemp("rounds")
    ws = Workspace(folder / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    with serve(ws.folder, sid, folder) as server:
        yield Meeting(server, ws, sid, chromium)
    ws.close()


def text_of(page: Any, selector: str) -> str:
    return str(page.evaluate("(s) => document.querySelector(s)?.innerText ?? ''", selector))


def rate(page: Any, importance: str, stance: str) -> None:
    page.locator(".pmkit-importance select").select_option(label=importance)
    wait_text(page, ".pmkit-round-note", f"Your answer: {importance} ")
    page.locator(".pmkit-stance button", has_text=stance).click()
    wait_text(page, ".pmkit-round-note", f"Your answer: {importance} {stance}")


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


# a joint option issue scored privately in a round: each side's scores, weight and "cannot accept"
CUTOVER = {"title": "Cutover window", "options": [{"id": "march", "label": "March cutover"},
                                                   {"id": "april", "label": "April cutover"},
                                                   {"id": "june", "label": "June cutover"}]}
CUSTOMER_SCORES = {"march": "37.25", "april": "64.75", "june": "81.125"}, "2.875", "march"
MANAGEMENT_SCORES = {"march": "93.375", "april": "58.625", "june": "14.875"}, "3.625", "june"


def _private(scores: tuple[dict[str, str], str, str], name: str) -> list[str]:
    values, weight, refused = scores
    label = next(o["label"] for o in CUTOVER["options"] if o["id"] == refused)
    return [*(r for v in (*values.values(), weight) for r in renderings(float(v))),
            f"cannot accept {refused}", f"{name} cannot accept {label}"]


def _room(meeting: Meeting) -> Page:
    """The room's page, every websocket frame recorded (it has no board chart to wait for)."""
    url = access.link_url(meeting.server.base, access.make_token(meeting.workspace, meeting.session_id, "room"))
    page = meeting.chromium.new_context(viewport={"width": 1280, "height": 720}).new_page()
    seen = Page(page)
    def record(payload: str | bytes) -> None:  # a binary frame as the text it carries, without its buffers
        seen.frames.append(frame_text(payload))

    page.on("websocket", lambda ws: (ws.on("framereceived", record), ws.on("framesent", record)))
    page.goto(url)
    page.wait_for_selector(".pmkit-room.pmkit-ready", state="visible", timeout=120_000)
    return seen


def _score(page: Any, scores: tuple[dict[str, str], str, str]) -> None:
    values, weight, refused = scores
    tab(page, "Options")
    page.locator(".pmkit-option-select select").select_option(label="Cutover window")
    wait_text(page, ".pmkit-options .pmkit-round-note", "What you save here is your private answer")
    for n, value in enumerate(values.values()):
        page.locator(".pmkit-option-score input").nth(n).fill(value)
    page.locator(".pmkit-option-weight input").fill(weight)
    page.locator(".pmkit-option-refuse input").nth(list(values).index(refused)).check()
    page.locator("button.pmkit-option-save").click()
    wait_text(page, ".pmkit-status", "your private answer on 'Cutover window'")


def test_an_option_round_keeps_each_sides_scores_on_its_own_page_and_the_room_shows_only_common_ground(
        meeting: Meeting) -> None:
    ws, sid = meeting.workspace, meeting.session_id
    issue = ws.items.add(sid, "option_issue", CUTOVER, role="facilitator")
    customer, management, room = meeting.open("customer"), meeting.open("management"), _room(meeting)
    ws.meeting.set_room_view(sid, "options", role="facilitator")
    wait_text(room.page, ".pmkit-room-body", "April cutover")
    ws.rounds.open(sid, option_issues=[issue], role="facilitator")
    _score(customer.page, CUSTOMER_SCORES)
    _score(management.page, MANAGEMENT_SCORES)
    mine, theirs = _private(CUSTOMER_SCORES, "Alder Logistics (customer)"), _private(MANAGEMENT_SCORES,
                                                                                    "Programme management")
    settled(meeting, customer, management)
    assert "64.75" in customer.leaks(mine) and "58.625" in management.leaks(theirs)  # the search finds its own
    assert customer.leaks(theirs) == [] and management.leaks(mine) == []  # DOM and every frame, round open
    assert room.leaks([*mine, *theirs, "Cutover window: "]) == []
    # the reveal publishes each side's scores to itself; the room shows what every side can accept
    ws.rounds.reveal(sid, role="facilitator")
    ws.meeting.set_room_view(sid, "reveal", role="facilitator")
    wait_text(room.page, ".pmkit-room-body", "Every side can accept")
    common = room.page.locator(".pmkit-room-common-options li").all_inner_texts()
    assert common == ["April cutover"]
    settled(meeting, customer, management)
    assert customer.leaks(theirs) == [] and management.leaks(mine) == []
    assert room.leaks([*mine, *theirs]) == []
    # an improvement of the agreed terms: the customer's private answer reaches no other page
    ws.settlement.agree(sid, {"options": {issue: "june"}}, role="facilitator")
    ws.settlement.propose(sid, {"options": {issue: "april"}}, role="facilitator")
    ws.settlement.answer(sid, False, role="customer")
    settled(meeting, customer, management)
    answer = ["not accepted", "accepted by every", "Alder Logistics (customer) rejected", "customer rejected",
              "settle-answer", "proposal 1"]
    assert management.leaks(answer) == [] and room.leaks(answer) == []
    for p in (customer, management, room):
        p.page.context.close()
