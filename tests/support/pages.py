"""A board in headless Chromium: open it, pick a tab or a goal, wait for a text, and record
every websocket frame a page receives or sends."""

from __future__ import annotations

import re
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pmkit.meeting import links as access
from pmkit.store import Workspace
from tests.support.live import Server, leaks


def v1_parts(payload: bytes) -> list[bytes]:
    """The parts of a binary frame of the v1 kernel websocket protocol (a count, offsets as
    64-bit little-endian numbers, then channel, header, parent header, metadata, content
    and the buffers)."""
    n = struct.unpack_from("<Q", payload, 0)[0]
    offsets = [struct.unpack_from("<Q", payload, 8 * (i + 1))[0] for i in range(n)] + [len(payload)]
    return [payload[offsets[i]:offsets[i + 1]] for i in range(n)]


def frame_text(payload: str | bytes) -> str:
    """A websocket frame as the text it carries: a binary frame's message parts, without its
    binary buffers (a chart's PNG, whose bytes may read as any digits)."""
    if isinstance(payload, str):
        return payload
    try:
        parts = v1_parts(payload)[:5]
    except struct.error:
        return payload.decode("utf-8", "replace")
    return "\n".join(p.decode("utf-8", "replace") for p in parts)


CHART = "img.pmkit-overlap-chart"
BOARD = ".pmkit-board"


def open_board(chromium: Any, url: str, frames: list[str] | None = None) -> Any:
    """Open ``url`` in a new page and wait for the board and its chart; every websocket frame
    the page receives goes to ``frames`` when given."""
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    if frames is not None:
        def on_ws(ws: Any) -> None:
            ws.on("framereceived", lambda payload: frames.append(
                frame_text(payload)))
            ws.on("framesent", lambda payload: None)
        page.on("websocket", on_ws)
    page.goto(url)
    page.wait_for_selector(BOARD, state="visible", timeout=120_000)
    page.wait_for_selector(CHART, state="visible", timeout=60_000)
    return page


def tab(page: Any, title: str) -> None:
    """Click the board's tab ``title``."""
    page.locator(".lm-TabBar-tab", has_text=title).first.click()


SHOWN_PANEL = ".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden) .pmkit-ready"


def is_number(text: str) -> bool:
    """Whether ``text`` is a plain decimal number (how a hidden value is told from a hidden text)."""
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


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
        their layout sizes, widget ids, times of day and timestamps."""
        shown = self.page.inner_text("body") + "\n" + self.page.evaluate(
            """() => [...document.querySelectorAll('.pmkit-board *')].map(e =>
                 [e.value || '', ...['title', 'alt', 'aria-label', 'placeholder', 'label', 'value']
                   .map(a => e.getAttribute(a) || '')].join(' ')).join('\\n')""")
        wire = re.sub(r"\d+(\.\d+)?(em|px|rem|ex|pt|%)", "", "\n".join(self.frames))
        # ids on the wire (widgets', messages', the kernel session's: hex, "...f15" or "15aa539f-..._9337_182"
        # hold no value)
        wire = re.sub(r"(?<![0-9a-f])([0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4,})+)(_\d+)*(?![0-9a-f])", "", wire)
        # times of day and timestamps (a status line's "03:15", a message's ISO date): their digits are no value
        clock = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?|\b\d{1,2}:\d{2}(:\d{2})?\b"
        shown, wire = re.sub(clock, "", shown), re.sub(clock, "", wire)
        numbers = [h for h in hidden if is_number(h)]
        texts = [h for h in hidden if not is_number(h)]
        return sorted(set(leaks(self.everything(), texts) + leaks(shown + "\n" + wire, numbers)))


@dataclass
class Meeting:
    """A served session and one browser: :meth:`open` opens a role's page, recording its frames."""

    server: Server
    workspace: Workspace
    session_id: str
    chromium: Any

    def open(self, role: str) -> Page:
        url = access.link_url(self.server.base, access.make_token(self.workspace, self.session_id, role))
        page = self.chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        seen = Page(page)

        def record(payload: str | bytes) -> None:
            seen.frames.append(frame_text(payload))

        def on_ws(ws: Any) -> None:
            ws.on("framereceived", record)
            ws.on("framesent", record)

        page.on("websocket", on_ws)
        page.goto(url)
        page.wait_for_selector(BOARD, state="visible", timeout=120_000)
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        return seen


def wait_text(page: Any, selector: str, text: str, timeout: float = 30_000) -> None:
    """Wait until the element ``selector`` holds ``text`` (non-breaking spaces read as spaces)."""
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.textContent ?? '')"
                           ".replace(/\\u00a0/g, ' ').includes(t)",
                           arg=[selector, text], timeout=timeout)


def choose_goal(page: Any, title: str) -> None:
    """Select the goal whose label starts with ``title`` (a goal in the round is marked)."""
    select = page.locator(".pmkit-goal-select select")
    labels = select.evaluate("(s) => [...s.options].map(o => o.textContent.replace(/\\u00a0/g, ' '))")
    select.select_option(index=next(i for i, label in enumerate(labels) if label.startswith(title)))
    wait_text(page, ".pmkit-goal-detail", title)


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

