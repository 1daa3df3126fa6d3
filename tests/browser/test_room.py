"""A joint meeting with a projector, end to end: one real `pmkit serve`, one Debian Chromium
and four pages open at once on one session (the facilitator's, the customer's,
management's and the room's), shared by every test of this module.

The room page follows the facilitator's Room screen panel within a second; it has no
control, and a raw widget-protocol client changes nothing through it; its DOM and every
websocket frame it receives hold no withheld title and no private number, while the
facilitator shows, and tries to show, withheld goals; a private round's answers reach it
only once revealed, as the reveal the facilitator chose; no link or page address carries a
word of the working title; the type is large enough to read from the back of a room. The
facilitator runs a timed agenda from the board and the room follows each step within a
second; an agenda item about a withheld goal reaches neither the room's nor the customer's
page (DOM or frames).
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from pmkit.meeting import links as access
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import RoomView, Workspace
from tests.support.live import Server, leaks, serve, wait_until
from tests.support.pages import v1_parts
from tests.support.widget_protocol import KernelSocket, forge_everything

BOARD = ".pmkit-board .pmkit-ready, .pmkit-board.pmkit-ready"  # a board that shows the session
HEADING = ".pmkit-room-heading"
WITHHELD_GOAL = "Integration vendor is six weeks late on the EDI adapter"
# positions nobody but their party and the facilitator may see, distinctive enough to search for
FEE = {"id": "licence-fee", "title": "Licence fee", "unit": "EUR",
       "positions": {"customer": {"ideal": 48213.75, "walk_away": 51234.5},
                     "management": {"ideal": 60987.25, "walk_away": 55321.125}}}
FOLLOW_WITHIN = 1.0  # seconds from the facilitator's click to the room's screen


@dataclass
class Meeting:
    ws: Workspace
    sid: str
    server: Server
    pages: dict[str, Any]
    urls: dict[str, str]
    frames: list[str] = field(default_factory=list)  # every frame the room's page received
    buffers: list[bytes] = field(default_factory=list)  # the binary parts of those frames
    follow_times: list[float] = field(default_factory=list)


def _capture(page: Any, meeting: Meeting) -> None:
    def on_ws(ws: Any) -> None:
        def received(payload: str | bytes) -> None:
            if isinstance(payload, str):
                meeting.frames.append(payload)
                return
            parts = v1_parts(payload)
            meeting.frames.append("\n".join(p.decode("utf-8", "replace") for p in parts[:5]))
            meeting.buffers.extend(parts[5:])
        ws.on("framereceived", received)
    page.on("websocket", on_ws)


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[Meeting]:
    folder = tmp_path_factory.mktemp("room-ws")
    ws = Workspace(folder)
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    ws.items.add(sid, "issue", FEE, role=FACILITATOR)
    with serve(folder, sid, tmp_path_factory.mktemp("room-serve")) as server:
        urls = {role: access.link_url(server.base, access.make_token(ws, sid,
                                                                     role)) for role in ws.sessions.link_roles(sid)}
        m = Meeting(ws, sid, server, {}, urls)
        for role, url in urls.items():  # four pages at once: each starts loading before any is up
            page = chromium.new_context(viewport={"width": 1280, "height": 720}).new_page()
            if role == ROOM:
                _capture(page, m)
            page.goto(url, wait_until="commit")
            m.pages[role] = page
        for page in m.pages.values():
            page.wait_for_selector(BOARD, state="attached", timeout=180_000)
        yield m
        for page in m.pages.values():
            page.context.close()
    ws.close()


def _hidden(m: Meeting) -> tuple[list[str], list[str]]:
    """What the room may not see: the titles and texts, and the private numbers that can be
    told apart from a page's own numbers (a decimal point, or three digits or more)."""
    hidden = hidden_texts(m.ws.sessions.load(m.sid, FACILITATOR), ROOM)
    numbers = [h for h in hidden if re.fullmatch(r"-?[\d.,]+", h) and ("." in h or len(h) >= 3)]
    assert {"51234.5", "51,234.5", "55321.125", "60987.25", "48213.75", "118.25"} <= set(numbers)
    return [h for h in hidden if not re.fullmatch(r"-?[\d.,]+", h)], numbers


def _assert_room_holds_nothing_withheld(m: Meeting) -> None:
    room = m.pages[ROOM]
    titles, numbers = _hidden(m)
    assert WITHHELD_GOAL in titles and m.ws.sessions.load(m.sid, FACILITATOR).title in titles
    dom = room.content()
    assert leaks(dom, titles) == []
    shown = room.inner_text("body") + "\n" + room.evaluate(
        """() => [...document.querySelectorAll('.pmkit-room *')].map(e =>
             [...['title', 'alt', 'aria-label', 'value'].map(a => e.getAttribute(a) || '')].join(' ')).join('\\n')""")
    assert leaks(shown, numbers) == []
    assert m.frames, "the room's page talked to its kernel"
    wire = "\n".join(m.frames)
    assert leaks(wire, titles) == []
    assert leaks(re.sub(r"\d+(\.\d+)?(em|px|rem|ex|pt|vh|vw|%)", "", wire), numbers) == []
    # what travels as binary parts is pictures only (the charts; none on a screen without one), no text
    assert any(m.buffers) and all(b.startswith(b"\x89PNG\r\n\x1a\n") for b in m.buffers if b)


def _heading(page: Any) -> str:
    return str(page.evaluate(f"() => document.querySelector('{HEADING}')?.textContent ?? ''"))


def _choose(m: Meeting, view: str, expect: str, *, goal: str | None = None, theme: str | None = None,
            steps: int = 0) -> None:
    """Set the facilitator's Room screen panel (not yet shown in the room), ``steps`` clicks
    of the weight slider to the right, and wait until its kernel has the choice: the line
    saying what the button would show says ``expect``."""
    fac = m.pages[FACILITATOR]
    fac.locator(".pmkit-room-view select").select_option(label=view)
    if goal is not None:
        fac.locator(".pmkit-room-goal select").select_option(label=goal)
    if theme is not None:
        fac.locator(".pmkit-room-theme button", has_text=theme).click()
    if steps:
        handle = fac.locator(".pmkit-room-weight .noUi-handle")
        handle.focus()
        for _ in range(steps):
            handle.press("ArrowRight")
    fac.wait_for_function("(t) => document.querySelector('.pmkit-room-next').textContent.includes(t)", arg=expect,
                          timeout=15_000)


def _show_and_time(m: Meeting, heading: str) -> float:
    """Press Show in the room; the seconds until the room's screen shows ``heading``."""
    room = m.pages[ROOM]
    seq = m.ws.meeting.room_view(m.sid).seq
    t0 = time.monotonic()
    m.pages[FACILITATOR].locator("button.pmkit-room-show").click()
    try:
        room.wait_for_function("(t) => document.querySelector('.pmkit-room-heading')?.textContent === t",
                               arg=heading, polling=10, timeout=15_000)
    except Exception as exc:  # say what each side had, not only that it timed out
        fac = m.pages[FACILITATOR]
        raise AssertionError(
            f"the room did not show {heading!r}: it shows {_heading(room)!r}; stored {m.ws.meeting.room_view(m.sid)}; "
            f"facilitator: {fac.inner_text('.pmkit-status')!r}, {fac.inner_text('.pmkit-room-now')!r}; "
            f"log: {m.server.log()[-3000:]}") from exc
    elapsed = time.monotonic() - t0
    assert m.ws.meeting.room_view(m.sid).seq == seq + 1
    m.follow_times.append(elapsed)
    return elapsed


def test_four_pages_on_one_session_each_with_its_own_title(meeting: Meeting) -> None:
    full = meeting.ws.sessions.load(meeting.sid, FACILITATOR)
    for role, page in meeting.pages.items():
        text = page.inner_text("body")
        assert full.title_for_everyone in text, role
        assert (full.title in text) == (role == FACILITATOR), role  # the working title: the facilitator's alone
    assert "Parties and the room see: " + full.title_for_everyone in meeting.pages[FACILITATOR].inner_text("body")
    assert meeting.pages[ROOM].locator(".pmkit-room-joint-title").inner_text() == full.title_for_everyone
    assert _heading(meeting.pages[ROOM]) == "Where we stand"


def test_links_and_page_addresses_carry_no_word_of_the_title(meeting: Meeting) -> None:
    full = meeting.ws.sessions.load(meeting.sid, FACILITATOR)
    words = {w for w in re.findall(r"[a-z]+", f"{full.title} {full.description}".lower()) if len(w) >= 4}
    words -= {"customer", "management"}  # role names: a link says whose it is
    words -= set(re.findall(r"[a-z]+", full.title_for_everyone.lower()))  # everyone may read these
    assert {"undisclosed", "vendor", "delay", "slipped"} <= words
    for role, page in meeting.pages.items():
        url = urlparse(page.url)
        assert url.path == "/" and list(parse_qs(url.query)) == ["pmk"], role
        token = parse_qs(url.query)["pmk"][0]
        body = token.split(".", 1)[0]
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        assert set(payload) == {"s", "r", "x", "e"} and payload["r"] == role and payload["s"] == meeting.sid
        assert re.fullmatch(r"s-[0-9a-f]{12}", payload["s"])
        assert not [w for w in words if w in json.dumps(payload).lower()], role
        assert not [w for w in words if w in page.title().lower()], page.title()
    log = meeting.server.log().lower() + "\n".join(meeting.server.lines).lower()
    assert not [w for w in ("undisclosed", "vendor", "delay") if w in log]


def test_the_room_follows_the_facilitator_within_a_second_and_shows_nothing_withheld(meeting: Meeting) -> None:
    m = meeting
    fac, room = m.pages[FACILITATOR], m.pages[ROOM]
    fac.locator(".lm-TabBar-tab", has_text="Room screen").first.click()
    fac.wait_for_selector(".pmkit-room-show", state="visible", timeout=60_000)
    assert "The room shows the overview" in fac.inner_text(".pmkit-room-now")

    _choose(m, "One goal", "one goal, “Keep the March cutover date”", goal="Keep the March cutover date")
    _show_and_time(m, "Keep the March cutover date")
    assert "5 of 5" in room.inner_text(".pmkit-room-body")  # the heading comes last: the rest is there

    # the facilitator picks a withheld goal: it is listed, marked, refused; the room stays
    options = fac.eval_on_selector_all(".pmkit-room-goal option",
                                       "els => els.map(e => e.textContent.replaceAll('\\u00a0', ' '))")
    marked = next(o for o in options if WITHHELD_GOAL in o)
    assert marked.endswith("[Programme management only: not for the room]")
    seq = m.ws.meeting.room_view(m.sid).seq
    _choose(m, "One goal", "is for Programme management only: the room cannot show it.", goal=marked)
    fac.locator("button.pmkit-room-show").click()
    fac.wait_for_function("() => (document.querySelector('.pmkit-status')?.textContent ?? '')"
                          ".includes('the room shows nothing of it')", timeout=15_000)
    assert m.ws.meeting.room_view(m.sid).seq == seq and _heading(room) == "Keep the March cutover date"

    # whom to please at a weight the facilitator sets, in the dark theme
    _choose(m, "Whom to please", "whom to please, weight 0.70 on Alder Logistics (customer), dark theme",
            theme="Dark", steps=4)
    _show_and_time(m, "Whom to please: weight 0.70 on Alder Logistics (customer)")
    colours = room.evaluate("""() => [getComputedStyle(document.querySelector('.pmkit-room')).backgroundColor,
        ...[...document.querySelectorAll('.pmkit-room-ranking li, .pmkit-room h1')]
           .map(e => getComputedStyle(e).color)]""")
    assert colours[0] == "rgb(30, 30, 30)" and set(colours[1:]) == {"rgb(240, 240, 240)"}, colours  # light on dark

    _choose(m, "Agreements and actions", "the agreements and actions, light theme", theme="Light")
    _show_and_time(m, "Agreements and actions")
    assert "Weekly status will list red items by name" in room.inner_text(".pmkit-room-body")
    _choose(m, "Round reveal", "the round reveal (no round revealed yet), light theme")
    _show_and_time(m, "Round reveal")
    assert "No round revealed yet." in room.inner_text(".pmkit-room-body")

    # a goal on the screen is withdrawn from everyone on another page: the room drops it
    _choose(m, "One goal", "one goal, “Honest weekly status", goal="Honest weekly status with red items named")
    _show_and_time(m, "Honest weekly status with red items named")
    m.ws.items.update(m.sid, "goal", "weekly-status", {"audience": "management"}, role=FACILITATOR)
    t0 = time.monotonic()
    room.wait_for_function("() => document.querySelector('.pmkit-room-heading')?.textContent === 'Where we stand'",
                           polling=10, timeout=15_000)
    m.follow_times.append(time.monotonic() - t0)
    assert "Honest weekly status" not in room.content()
    fac.wait_for_function("() => document.querySelector('.pmkit-room-now').textContent"
                          ".includes('the goal chosen is not for everyone')", timeout=15_000)
    _choose(m, "Agreements and actions", "the agreements and actions")
    _show_and_time(m, "Agreements and actions")
    m.ws.items.update(m.sid, "goal", "weekly-status", {"audience": "joint"}, role=FACILITATOR)
    _choose(m, "Overview", "the overview, light theme")
    _show_and_time(m, "Where we stand")
    _choose(m, "One goal", "one goal, “Integration test environment",
            goal="Integration test environment ready for the customer's team")
    _show_and_time(m, "Integration test environment ready for the customer's team")
    print(f"\nroom followed in {', '.join(f'{t:.2f}' for t in m.follow_times)} s "
          f"(max {max(m.follow_times):.2f} s)")
    assert max(m.follow_times) < FOLLOW_WITHIN, m.follow_times
    assert "The room shows one goal, “Integration test environment" in fac.inner_text(".pmkit-room-now")
    _run_the_agenda(m)
    _assert_room_holds_nothing_withheld(m)
    for role in (ROOM, "customer"):  # the withheld agenda item: not in the DOM, not on the wire
        assert WITHHELD_AGENDA not in m.pages[role].content(), role
    assert WITHHELD_AGENDA not in "\n".join(m.frames)
    assert WITHHELD_AGENDA in fac.content()


WITHHELD_AGENDA = "Caucus on telling Alder about the adapter slip"


def _agenda_shows(m: Meeting, click: str, expect: str) -> float:
    """Press an Agenda button on the facilitator's page; the seconds until the room's agenda
    line reads ``expect`` ("" : no item)."""
    t0 = time.monotonic()
    m.pages[FACILITATOR].locator(f"button.{click}").click()
    m.pages[ROOM].wait_for_function(
        "(t) => (document.querySelector('.pmkit-room-agenda')?.textContent ?? '').startsWith(t)"
        " && (t !== '' || document.querySelector('.pmkit-room-agenda').textContent === '')",
        arg=expect, polling=10, timeout=15_000)
    return time.monotonic() - t0


def _run_the_agenda(m: Meeting) -> None:
    """The facilitator runs a timed agenda from the board; the room follows each step within
    a second, its time counted by the server, and never shows the withheld item."""
    m.ws.agenda.add(m.sid, "Status round", 10)
    m.ws.agenda.add(m.sid, WITHHELD_AGENDA, 5, about="goal:vendor-slip")
    m.ws.agenda.add(m.sid, "Cutover plan", 20)
    fac = m.pages[FACILITATOR]
    fac.locator(".lm-TabBar-tab", has_text="Agenda").first.click()
    fac.wait_for_selector("button.pmkit-agenda-start", state="visible", timeout=60_000)
    fac.wait_for_function("(t) => document.querySelector('.pmkit-agenda-list').textContent.includes(t)",
                          arg="Cutover plan", timeout=15_000)
    times = [_agenda_shows(m, "pmkit-agenda-start", "Now: Status round")]
    assert any(f"{n} min left" in m.pages[ROOM].inner_text(".pmkit-room-agenda") for n in (9, 10))
    times.append(_agenda_shows(m, "pmkit-agenda-next", ""))  # the withheld item runs: no agenda line
    times.append(_agenda_shows(m, "pmkit-agenda-next", "Now: Cutover plan"))
    print(f"room followed the agenda in {', '.join(f'{t:.2f}' for t in times)} s")
    assert max(times) < FOLLOW_WITHIN, times
    fac.locator(".lm-TabBar-tab", has_text="Room screen").first.click()  # where the other tests start
    fac.wait_for_selector(".pmkit-room-show", state="visible", timeout=60_000)


def test_a_private_round_stays_off_the_room_until_the_reveal_the_facilitator_shows(meeting: Meeting) -> None:
    m = meeting
    fac, room = m.pages[FACILITATOR], m.pages[ROOM]
    # a round on a joint goal and a withheld one; each party answers on its own
    rid = m.ws.rounds.open(m.sid, goals=["test-env", "vendor-slip"]).round_id
    m.ws.items.set_rating(m.sid, "test-env", "customer", 2, "oppose", role="customer")
    m.ws.items.set_rating(m.sid, "test-env", "management", 1, "neutral", role="management")
    m.ws.items.set_rating(m.sid, "vendor-slip", "management", 3, "oppose", role="management")
    _choose(m, "Agreements and actions", "the agreements and actions, light theme")
    _show_and_time(m, "Agreements and actions")  # the room looked after the answers were given
    answers = ["2 oppose", "1 neutral", "3 oppose"]
    assert leaks(room.content() + "\n".join(m.frames), answers) == []
    m.ws.rounds.reveal(m.sid)
    fac.wait_for_function("() => [...document.querySelectorAll('.pmkit-room-round option')]"  # the panel lists it
                          ".some(o => o.textContent.replaceAll('\\u00a0', ' ') === 'Round 1')", timeout=15_000)
    _choose(m, "Round reveal", "the reveal of round 1, the last revealed, light theme")
    fac.locator(".pmkit-room-round select").select_option(label="Round 1")
    fac.wait_for_function("(t) => document.querySelector('.pmkit-room-next').textContent.includes(t)",
                          arg="the reveal of round 1, light theme", timeout=15_000)
    elapsed = _show_and_time(m, "Round 1: the answers, revealed together")
    assert elapsed < FOLLOW_WITHIN, elapsed
    body = room.inner_text(".pmkit-room-body")
    assert "Integration test environment ready for the customer's team" in body
    assert "2 oppose" in body and "1 neutral" in body and "5 support" in body and "4 support" in body, body
    assert m.ws.meeting.room_view(m.sid) == RoomView("reveal", rid, m.ws.meeting.room_view(m.sid).weight, "light",
                                             m.ws.meeting.room_view(m.sid).seq)
    fac.wait_for_function("() => document.querySelector('.pmkit-room-now').textContent"
                          ".includes('The room shows the reveal of round 1')", timeout=15_000)
    assert "3 oppose" not in room.content()  # the withheld goal's answer, now its rating: never the room's
    _assert_room_holds_nothing_withheld(m)


def test_the_room_page_has_no_control_and_forged_messages_change_nothing(meeting: Meeting) -> None:
    m = meeting
    room = m.pages[ROOM]
    controls = "input, select, button, textarea, [contenteditable=''], [contenteditable='true']"
    assert room.locator(f".pmkit-room :is({controls})").count() == 0
    # nor anywhere on the page (but the hidden notice offering a reload if the connection is lost)
    assert room.evaluate(f"() => [...document.querySelectorAll(\"{controls}\")]"
                         ".filter(e => !e.closest('#pmkit-kernel-notice')).length") == 0
    kernel_id = room.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    before = (m.ws.sessions.load(m.sid, FACILITATOR), m.ws.sessions.version(m.sid), m.ws.meeting.room_view(m.sid))
    heading = _heading(room)
    sock = KernelSocket(m.server.base, kernel_id)
    states = sock.states(sock.comm_ids())
    models = {str(s.get("_model_name")) for s in states.values()}
    assert models and all(re.fullmatch(r"(VBox|HBox|HTML|Image|Layout|\w*Style)Model", n) for n in models), models
    sent = forge_everything(sock, states, ["<b>forged</b>", WITHHELD_GOAL, "management", "goal"])
    for cid in states:  # and the messages no page of the room has any use for
        sock.update(cid, {"value": "forged"})
        sock.click(cid)
    sock.settle()
    sock.close()
    assert sent > 10
    assert (m.ws.sessions.load(m.sid, FACILITATOR), m.ws.sessions.version(m.sid),
            m.ws.meeting.room_view(m.sid)) == before
    assert _heading(room) == heading and "forged" not in room.content()
    wait_until(lambda: "refused widget message from a room page" in m.server.log(), 10, "the refusals in the log")
    _assert_room_holds_nothing_withheld(m)


def test_the_room_is_readable_from_the_back_at_1280_and_1920(meeting: Meeting, tmp_path: Path) -> None:
    m = meeting
    room = m.pages[ROOM]
    m.ws.meeting.set_room_view(m.sid, "overview", role=FACILITATOR)
    room.wait_for_function("() => document.querySelector('.pmkit-room-heading')?.textContent === 'Where we stand'",
                           timeout=15_000)
    measure = """() => {
      const room = document.querySelector('.pmkit-room');
      const texts = [...room.querySelectorAll('h1, h2, h3, p, li, td, th, span')]
        .filter(e => e.offsetParent !== null && e.textContent.trim());
      const px = e => parseFloat(getComputedStyle(e).fontSize);
      const chart = room.querySelector('img.pmkit-room-chart').getBoundingClientRect();
      const right = Math.max(...texts.map(e => e.getBoundingClientRect().right));
      return {smallest: Math.min(...texts.map(px)), title: px(room.querySelector('h1')), textRight: right,
              roomWidth: room.getBoundingClientRect().width,
              chartBottom: chart.bottom, chartRight: chart.right, chartWidth: chart.width,
              scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
              height: window.innerHeight};
    }"""
    sizes = {}
    for width, height, smallest in ((1280, 720, 24), (1920, 1080, 34)):
        room.set_viewport_size({"width": width, "height": height})
        room.wait_for_function(f"() => window.innerWidth === {width} && Math.round(document.querySelector("
                               f"'.pmkit-room').getBoundingClientRect().width) === {width}")  # laid out again
        got = room.evaluate(measure)
        sizes[width] = got
        assert got["smallest"] >= smallest, got  # every text, from the list items to the badges
        assert got["title"] >= 2 * smallest - 6, got  # the title for everyone, large
        assert got["scrollWidth"] <= width and got["textRight"] <= width, got  # nothing off the screen sideways
        assert got["roomWidth"] == width, got  # the whole screen is the room's
        assert got["chartBottom"] <= height + 1 and got["chartRight"] <= width and got["chartWidth"] > width / 3, got
        room.screenshot(path=str(tmp_path / f"room-{width}.png"))
    print(f"\nroom type: {sizes[1280]['smallest']:.0f} px text, {sizes[1280]['title']:.0f} px title at 1280x720; "
          f"{sizes[1920]['smallest']:.0f} / {sizes[1920]['title']:.0f} px at 1920x1080")
    room.set_viewport_size({"width": 1280, "height": 720})
    assert m.ws.meeting.room_view(m.sid) == RoomView("overview", "", 0.5, "light", m.ws.meeting.room_view(m.sid).seq)
