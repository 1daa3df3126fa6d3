"""The meeting app on a real screen: every role's page and every tab, at the sizes of a
laptop (1366×768), a projector (1280×720) and a large screen (1920×1080), in Debian's
Chromium against a real `pmkit serve`.

* nothing is cut: no label, button, tab title or list entry is clipped or runs off the
  screen (:func:`tests.support.screen.clipped`);
* axe-core finds no critical or serious violation (:func:`tests.support.screen.axe`);
* a facilitator rates a goal, records an agreement and runs a private round, and a party
  exports its minutes, with the keyboard alone.

One server and one browser serve the whole module; each role's page is opened once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmkit.meeting import links
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import Server, serve, wait_until
from tests.support.screen import SIZES, axe, clipped, require_axe

ROLES = ("facilitator", "customer", "management")
CHART = "img.pmkit-overlap-chart"
SHOWN_PANEL = ".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden) .pmkit-ready"
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


class Meeting:
    def __init__(self, server: Server, ws: Workspace, session_id: str, chromium: Any) -> None:
        self.server, self.ws, self.session_id, self.chromium = server, ws, session_id, chromium
        self._pages: dict[str, Any] = {}

    def url(self, role: str) -> str:
        return links.link_url(self.server.base, links.make_token(self.ws, self.session_id, role))

    def open(self, role: str, size: str = "laptop") -> Any:
        width, height = SIZES[size]
        page = self.chromium.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(self.url(role), timeout=120_000)
        page.wait_for_selector(CHART, state="visible", timeout=120_000)
        page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=60_000)
        return page

    def page(self, role: str) -> Any:
        """``role``'s page, opened once for the module."""
        if role not in self._pages:
            self._pages[role] = self.open(role)
        return self._pages[role]


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[Meeting]:
    """The demo session served once for the module, in the module's one Chromium."""
    require_axe()
    tmp = tmp_path_factory.mktemp("screen")
    ws = Workspace(tmp / "workspace")
    session_id = ws.sessions.import_file(starter_path("undisclosed-risk"))
    with serve(ws.folder, session_id, tmp) as server:
        yield Meeting(server, ws, session_id, chromium)
    ws.close()


def settle(page: Any) -> None:
    """Wait until the page has laid itself out (two animation frames: the page script that
    gives roles and names runs in the first)."""
    page.evaluate(SETTLED)


def tabs(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".lm-TabBar-tab").all_inner_texts()]


def show_tab(page: Any, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).first.click()
    page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=60_000)
    settle(page)


def with_pairs(page: Any) -> None:
    """On the Weigh goals tab, choose three goals so that the comparison sliders show."""
    select = page.locator(".pmkit-weigh-goals select")
    values = select.locator("option").evaluate_all("(os) => os.slice(0, 3).map(o => o.value)")
    select.select_option(values)
    page.wait_for_selector(".pmkit-saaty", state="visible", timeout=30_000)
    settle(page)


def every_view(page: Any) -> Iterator[str]:
    """Show every tab in turn (the Weigh goals tab also with its sliders); yields a name for
    what is on the screen."""
    for title in tabs(page):
        show_tab(page, title)
        yield title
        if title == "Weigh goals":
            with_pairs(page)
            yield f"{title} (three goals chosen)"


@pytest.mark.parametrize("role", ROLES)
def test_nothing_is_cut_at_any_size_on_any_tab(meeting: Meeting, role: str) -> None:
    page = meeting.page(role)
    found: list[str] = []
    for view in every_view(page):
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            settle(page)
            found += [f"{role} · {view} · {size}: {problem}" for problem in clipped(page)]
    page.set_viewport_size(dict(zip(("width", "height"), SIZES["laptop"], strict=True)))
    assert not found, "text cut instead of wrapped:\n" + "\n".join(found)


@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_nothing_critical_or_serious_on_any_tab(meeting: Meeting, role: str) -> None:
    page = meeting.page(role)
    found: list[str] = []
    for view in every_view(page):
        for v in axe(page):
            found.append(f"{role} · {view}: {v['impact']} {v['id']} ({v['help']}): {v['nodes']}")
    assert not found, "axe-core:\n" + "\n".join(found)


def test_the_overview_is_one_landmark_among_named_ones(meeting: Meeting) -> None:
    page = meeting.page("customer")
    settle(page)
    roles = page.evaluate("() => [...document.querySelectorAll('[role=banner], [role=main], [role=region], "
                          "[role=status]')].filter(e => e.getClientRects().length)"
                          ".map(e => e.getAttribute('role'))")
    assert roles.count("banner") == 1 and roles.count("main") == 1 and "region" in roles and "status" in roles
    levels = page.evaluate("() => [...document.querySelectorAll('.pmkit-board h1, .pmkit-board h2, "
                           ".pmkit-board h3')].filter(h => h.getClientRects().length || "
                           "h.classList.contains('pmkit-sr-only')).map(h => Number(h.tagName[1]))")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    alt = page.get_attribute(CHART, "alt") or ""
    assert alt.startswith("Overlap chart of 6 goals") and "Top conflicts:" in alt


# -- the keyboard alone ------------------------------------------------------------------

FOCUSED = "() => document.activeElement"


def press_until(page: Any, test: str, what: str, *, key: str = "Tab", limit: int = 120) -> None:
    """Press ``key`` until ``test`` (a JavaScript predicate on the focused element) holds."""
    for _ in range(limit):
        if page.evaluate(f"() => {{ const e = document.activeElement; return Boolean({test}); }}"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{what} was not reached with {key} in {limit} presses")


def tab_to(page: Any, title: str) -> None:
    """Select the tab ``title`` with the keyboard: into the tab list, arrows, Enter."""
    press_until(page, "e.getAttribute('role') === 'tab'", "the tab list", key="Shift+Tab")
    press_until(page, f"e.getAttribute('role') === 'tab' && e.textContent.trim() === {title!r}",
                f"the {title} tab", key="ArrowRight", limit=12)
    page.keyboard.press("Enter")
    page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=60_000)
    settle(page)


def test_a_facilitator_rates_a_goal_and_records_an_agreement_by_keyboard(meeting: Meeting) -> None:
    page = meeting.open("facilitator")
    page.locator("body").focus()
    # the page opens on the Goals tab: into the goal list, then the second goal
    press_until(page, "e.closest('.pmkit-goal-select')", "the goal list")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelector('.pmkit-goal-detail').textContent"
                           ".includes('Keep the March cutover date')", timeout=30_000)
    before = page.get_attribute(CHART, "src")
    # the customer's importance of that goal: down one step from 5
    press_until(page, "e.tagName === 'SELECT' && e.closest('.pmkit-importance')", "the customer's importance")
    page.keyboard.press("ArrowUp")
    wait_until(lambda: _rating(meeting, "cutover-date") == 4, 30, "the rating saved")
    page.wait_for_function("(b) => document.querySelector('img.pmkit-overlap-chart').getAttribute('src') !== b",
                           arg=before, timeout=30_000)

    tab_to(page, "Capture")
    press_until(page, "e.closest('.pmkit-agreement-text')", "the agreement's text")
    # key by key: the Record button acts only once the box has sent every key typed before
    page.keyboard.type("Keyboard users can record agreements")
    press_until(page, "e.closest('.pmkit-record-agreement')", "the Record button")
    page.keyboard.press("Enter")
    wait_until(lambda: any(a.text == "Keyboard users can record agreements"
                           for a in meeting.ws.sessions.load(meeting.session_id, "facilitator").agreements),
               30, "the agreement saved")
    page.wait_for_function("() => document.querySelector('.pmkit-agreements').textContent"
                           ".includes('Keyboard users can record agreements')", timeout=30_000)
    page.context.close()


def test_a_facilitator_runs_a_private_round_by_keyboard(meeting: Meeting) -> None:
    page = meeting.open("facilitator")
    page.locator("body").focus()
    tab_to(page, "Rounds")
    # into the goal list: the arrow key chooses its first goal; then Open round
    press_until(page, "e.tagName === 'SELECT' && e.closest('.pmkit-round-goals')", "the round's goal list")
    page.keyboard.press("ArrowDown")
    press_until(page, "e.tagName === 'BUTTON' && e.closest('.pmkit-round-open')", "the Open round button")
    page.keyboard.press("Enter")
    wait_until(lambda: _open_round(meeting) is not None, 30, "the round opened")
    assert len(_open_round(meeting).goals) == 1  # type: ignore[union-attr]
    page.wait_for_function("() => document.querySelector('.pmkit-round-state').textContent.includes('is open')",
                           timeout=30_000)
    # the open round's Reveal button, by keyboard too
    press_until(page, "e.tagName === 'BUTTON' && e.closest('.pmkit-round-reveal')", "the Reveal button",
                key="Shift+Tab")
    page.keyboard.press("Enter")
    wait_until(lambda: _open_round(meeting) is None, 30, "the round revealed")
    assert meeting.ws.rounds.all(meeting.session_id, "facilitator")[-1].state == "revealed"
    page.context.close()


def _open_round(meeting: Meeting) -> Any:
    rounds = meeting.ws.rounds.all(meeting.session_id, "facilitator")
    return rounds[-1] if rounds and rounds[-1].is_open else None


def test_a_party_exports_its_minutes_by_keyboard(meeting: Meeting) -> None:
    page = meeting.open("customer")
    page.locator("body").focus()
    press_until(page, "e.getAttribute('role') === 'tab'", "the tab list")
    tab_to(page, "Export")
    press_until(page, "e.tagName === 'BUTTON' && e.textContent.includes('Export HTML')", "the Export HTML button")
    page.keyboard.press("Enter")
    page.wait_for_selector("a.pmkit-download", state="visible", timeout=60_000)
    exported = Path(meeting.ws.folder) / "exports" / f"{meeting.session_id}-customer.html"
    assert exported.is_file() and "minutes" in exported.read_text(encoding="utf-8").lower()
    press_until(page, "e.classList.contains('pmkit-download')", "the download link")
    page.context.close()


def _rating(meeting: Meeting, goal_id: str) -> int | None:
    goal = next(g for g in meeting.ws.sessions.load(meeting.session_id, "facilitator").goals if g.id == goal_id)
    rating = goal.ratings.get("customer")
    return None if rating is None else rating.importance
