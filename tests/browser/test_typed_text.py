"""Typed text is never lost: text typed into a form and the form's button clicked at once,
in one burst (no pause between the last key and the click), is saved whole, in Debian's
Chromium against a real `pmkit serve`.

ipywidgets sends a text box's later states only once the kernel has answered the earlier
one, while a button's click goes at once: the click could reach the kernel before the last
keys. Each form therefore acts only when its text boxes have answered a message sent after
the click (:func:`pmkit.widgets.common.on_submit`). Each burst is repeated ten times on
the agreement form (Capture) and on the new-goal form (Goals), and once more with Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pmkit.meeting import links
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import serve, wait_until
from tests.support.screen import SIZES

REPEATS = 10
SHOWN_PANEL = ".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden) .pmkit-ready"


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[tuple[Workspace, str, Any]]:
    """The demo session served once; the facilitator's page open on the Goals tab."""
    tmp = tmp_path_factory.mktemp("typed")
    ws = Workspace(tmp / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    with serve(ws.folder, sid, tmp) as server:
        width, height = SIZES["laptop"]
        page = chromium.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(links.link_url(server.base, links.make_token(ws, sid, FACILITATOR)), timeout=120_000)
        page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=120_000)
        yield ws, sid, page
        page.context.close()
    ws.close()


def _click(page: Any, button: Any) -> Callable[[], Callable[[], None]]:
    """A click on ``button`` as the mouse gives it (move, press, release) and nothing more,
    aimed before the typing: no waiting for the page between the last key and the click."""
    def aim() -> Callable[[], None]:
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        return lambda: page.mouse.click(x, y)
    return aim


def _bursts(page: Any, field: Any, aim: Callable[[], Callable[[], None]], texts: list[str],
            saved: Callable[[], list[str]]) -> list[str]:
    """Type each of ``texts`` key by key and submit at once (``aim`` gives the submit);
    what was saved each time (or the status line's error when nothing was)."""
    got = []
    for text in texts:
        before = len(saved())
        submit = aim()
        field.press_sequentially(text)  # one key event after another, no delay
        submit()  # at once: no wait between the last key and the click
        wait_until(lambda n=before: len(saved()) > n or page.locator(".pmkit-status-error").count() > 0,
                   30, f"{text!r} saved or refused")
        now = saved()
        got.append(now[-1] if len(now) > before else page.inner_text(".pmkit-status"))
        if now[-1:] != [text]:  # refused or cut: start the next burst on an empty box
            field.fill("")
        page.wait_for_function("(e) => e.value === ''", arg=field.element_handle(), timeout=30_000)
    return got


def test_an_agreement_typed_and_recorded_at_once_is_saved_whole(board: tuple[Any, ...]) -> None:
    ws, sid, page = board
    page.locator(".lm-TabBar-tab", has_text="Capture").first.click()
    field = page.locator(".pmkit-agreement-text input")
    field.wait_for(state="visible", timeout=60_000)
    button = page.locator("button.pmkit-record-agreement")
    texts = [f"Agreement {i}: the vendor reports on the EDI adapter every Monday" for i in range(REPEATS)]

    def saved() -> list[str]:
        return [a.text for a in ws.sessions.load(sid, FACILITATOR).agreements]

    assert _bursts(page, field, _click(page, button), texts, saved) == texts
    # Enter in the box records it too, with every key typed before it
    assert _bursts(page, field, lambda: lambda: field.press("Enter"), ["Typed, then Enter at once"], saved) == \
        ["Typed, then Enter at once"]


def test_a_goal_typed_and_added_at_once_is_saved_whole(board: tuple[Any, ...]) -> None:
    ws, sid, page = board
    page.locator(".lm-TabBar-tab", has_text="Goals").first.click()
    field = page.locator("input[aria-label='New goal title']")
    field.wait_for(state="visible", timeout=60_000)
    button = page.get_by_role("button", name="Add goal")
    texts = [f"Goal {i}: a second supplier qualified for the adapter" for i in range(REPEATS)]

    def saved() -> list[str]:
        return [g.title for g in ws.sessions.load(sid, FACILITATOR).goals]

    assert _bursts(page, field, _click(page, button), texts, saved) == texts
