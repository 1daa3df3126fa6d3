"""The meeting app end to end: a real `pmkit serve`, Debian's Chromium through Playwright.

These tests need /usr/bin/chromium and fail (never skip) without it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.live import Server, leaks, rss_mb, serve
from tests.support.pages import BOARD, CHART, SHOWN_PANEL, is_number, open_board, tab
from tests.support.widget_protocol import KernelSocket, forge_everything


@pytest.fixture
def served(workspace: Workspace, demo: str, tmp_path: Path) -> Iterator[Server]:
    with serve(workspace.folder, demo, tmp_path) as server:
        yield server


def link(ws: Workspace, sid: str, role: str, server: Server) -> str:
    return access.link_url(server.base, access.make_token(ws, sid, role))


def test_facilitator_sees_the_board_and_a_rating_change_redraws_the_chart(
    chromium: Any, served: Server, workspace: Workspace, demo: str
) -> None:
    page = open_board(chromium, served.facilitator)
    before = page.get_attribute(CHART, "src")
    tab(page, "Goals")
    page.locator(".pmkit-goal-select select").select_option(label="Keep the March cutover date")
    page.wait_for_function(
        "() => document.querySelector('.pmkit-goal-detail') && "
        "document.querySelector('.pmkit-goal-detail').textContent.includes('March cutover')")
    page.locator(".pmkit-importance select").first.select_option(label="0")
    page.wait_for_function(f"(b) => document.querySelector('{CHART}').getAttribute('src') !== b", arg=before,
                           timeout=10_000)
    goal = next(g for g in workspace.sessions.load(demo, "facilitator").goals if g.id == "cutover-date")
    assert goal.ratings["customer"].importance == 0
    page.context.close()


def test_an_agreement_recorded_on_one_page_reaches_the_other_within_2_seconds(
    chromium: Any, served: Server, workspace: Workspace, demo: str
) -> None:
    facilitator = open_board(chromium, served.facilitator)
    customer = open_board(chromium, link(workspace, demo, "customer", served))
    tab(facilitator, "Capture")
    tab(customer, "Capture")
    text = "Both sides accept a two-week test window <b>starting Monday</b>"
    facilitator.locator(".pmkit-agreement-text input").fill(text)
    facilitator.locator("button.pmkit-record-agreement").click()
    t0 = time.monotonic()
    customer.wait_for_function(
        "(t) => document.querySelector('.pmkit-agreements') && "
        "(document.querySelector('.pmkit-agreements')?.textContent ?? '').includes(t)",
        arg="Both sides accept a two-week test window", timeout=10_000)
    elapsed = time.monotonic() - t0
    assert elapsed < 2.0, f"the agreement took {elapsed:.2f}s to reach the other page"
    # markup in the text is shown as text, never interpreted
    assert customer.locator(".pmkit-agreements b").count() == 0
    customer.reload()
    customer.wait_for_selector(BOARD, state="visible", timeout=120_000)
    tab(customer, "Capture")
    customer.wait_for_function(
        "(t) => (document.querySelector('.pmkit-agreements')?.textContent ?? '').includes(t)", arg=text, timeout=10_000)
    r = run_cli("export", demo, "--format", "yaml", "--as", "customer")
    assert r.returncode == 0 and "two-week test window" in r.stdout
    facilitator.context.close()
    customer.context.close()


def _visit_every_tab(page: Any) -> None:
    """Open each tab and wait until its panel shows the session (class ``pmkit-ready``)."""
    for t in page.locator(".lm-TabBar-tab").all_inner_texts():
        tab(page, t)
        page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=60_000)


def _after_a_poll(page: Any, workspace: Workspace, demo: str) -> None:
    """Make a joint change elsewhere and wait until this page shows it: every update the page
    was due has reached it."""
    marker = f"Poll marker {time.monotonic_ns()}"
    workspace.items.add(demo, "agreement", {"text": marker, "audience": "joint"}, role="facilitator")
    tab(page, "Capture")
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=marker, timeout=30_000)


@pytest.mark.parametrize("role", ["customer", "management"])
def test_a_party_page_never_receives_what_it_may_not_see(
    chromium: Any, served: Server, workspace: Workspace, demo: str, role: str
) -> None:
    frames: list[str] = []
    page = open_board(chromium, link(workspace, demo, role, served), frames)
    _visit_every_tab(page)
    _after_a_poll(page, workspace, demo)
    hidden = hidden_texts(workspace.sessions.load(demo, "facilitator"), role)
    assert hidden, "the starter has items this role may not see"
    dom = page.content()
    assert "ERP integration: test environment and cutover" in dom  # the board is there, with the title for everyone
    titles = [h for h in hidden if not is_number(h)]
    # small round numbers (0, 2, 30) are everywhere on a page; only distinctive ones can be
    # searched for. The demo's confidential values for the customer are all distinctive.
    numbers = [h for h in hidden if is_number(h) and ("." in h or len(h) >= 3)]
    if role == "customer":
        assert numbers == [h for h in hidden if is_number(h)]
    assert leaks(dom, titles) == []
    # numbers: the page's own icons (SVG paths in CSS) are full of them, so look where
    # session data could be: the text shown and every form value and label of the board
    shown = page.inner_text("body") + "\n" + page.evaluate(
        """() => [...document.querySelectorAll('.pmkit-board *')].map(e =>
             [e.value || '', ...['title', 'alt', 'aria-label', 'placeholder', 'label', 'value']
               .map(a => e.getAttribute(a) || '')].join(' ')).join('\\n')""")
    assert leaks(shown, numbers) == []
    assert frames, "the page talked to its kernel"
    wire = "\n".join(frames)
    assert leaks(wire, titles) == []
    # layout values such as "width": "5.5em" are not session data
    assert leaks(re.sub(r"\d+(\.\d+)?(em|px|rem|ex|pt|%)", "", wire), numbers) == []
    page.context.close()


@pytest.mark.parametrize("kind", ["forged", "expired", "other-session", "revoked"])
def test_bad_links_show_no_session_data_in_the_browser(
    chromium: Any, served: Server, workspace: Workspace, demo: str, kind: str, tmp_path: Path
) -> None:
    if kind == "forged":
        url = served.facilitator[:-6] + "abcdef"
    elif kind == "expired":
        url = access.link_url(served.base, access.make_token(workspace, demo, "facilitator", ttl_hours=-1))
    elif kind == "other-session":
        other = Workspace(tmp_path / "other")
        sid = other.sessions.import_file(starter_path("undisclosed-risk"))
        url = access.link_url(served.base, access.make_token(other, sid, "facilitator"))
    else:
        url = link(workspace, demo, "customer", served)
        workspace.meeting.revoke_links(demo)
    page = chromium.new_context().new_page()
    page.goto(url)
    body = page.content()
    assert "Link not accepted" in body
    session = workspace.sessions.load(demo, "facilitator")
    for text in [session.title, *(g.title for g in session.goals)]:
        assert text not in body
    assert page.locator(BOARD).count() == 0
    page.context.close()


def test_widget_messages_a_party_may_not_send_change_nothing(
    chromium: Any, served: Server, workspace: Workspace, demo: str
) -> None:
    page = open_board(chromium, link(workspace, demo, "customer", served))
    _visit_every_tab(page)
    kernel_id = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    before = workspace.sessions.load(demo, "facilitator")
    version = workspace.sessions.version(demo)

    sock = KernelSocket(served.base, kernel_id)
    states = sock.states(sock.comm_ids())
    assert len(states) > 10, "the page's widgets are listed"
    hidden = [g.title for g in before.goals if g.audience != "joint"]
    sent = forge_everything(sock, states, ["management", "facilitator", "joint", *hidden, "<script>x</script>"])
    # and the same kind of message sent from the page itself, over its own origin
    page.evaluate(
        """([kid, cids]) => new Promise((resolve) => {
            const ws = new WebSocket(`ws://${location.host}/api/kernels/${kid}/channels?session_id=page-forge`);
            ws.onopen = () => {
              for (const cid of cids) {
                for (const data of [{method: 'custom', content: {event: 'click'}},
                                    {method: 'update', state: {disabled: false}, buffer_paths: []}]) {
                  ws.send(JSON.stringify({header: {msg_id: Math.random().toString(), username: 'page',
                    session: 'page-forge', msg_type: 'comm_msg', version: '5.3', date: ''},
                    parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
                    content: {comm_id: cid, data: data}}));
                }
              }
              // the kernel answers in order: its reply to this request comes after all of the above
              ws.onmessage = (ev) => {
                if (typeof ev.data === 'string' && JSON.parse(ev.data).parent_header.msg_id === 'page-forge-done') {
                  ws.close(); resolve();
                }
              };
              ws.send(JSON.stringify({header: {msg_id: 'page-forge-done', username: 'page', session: 'page-forge',
                msg_type: 'comm_info_request', version: '5.3', date: ''}, parent_header: {}, metadata: {},
                channel: 'shell', buffers: [], content: {target_name: 'jupyter.widget'}}));
            };
        })""",
        [kernel_id, list(states)],
    )
    sock.settle()
    sock.close()
    assert sent > 20
    # the server stayed well: a legacy-protocol client receiving binary frames (the chart's
    # PNG) once made Voila read a huge offset count and exhaust memory
    assert rss_mb(served.proc.pid) < 600
    assert page.evaluate("1 + 1") == 2
    after = workspace.sessions.load(demo, "facilitator")
    # the customer may change only its own ratings and positions; everything else is as it was
    def strip(session: Any) -> dict[str, Any]:
        data = session.model_dump()
        for g in data["goals"]:
            g["ratings"].pop("customer", None)
        for i in data["issues"]:
            i["positions"].pop("customer", None)
        return data

    assert strip(after) == strip(before)
    for entry in workspace.journal.history(demo):
        if entry.version > version:
            assert entry.role == "customer" and entry.kind in ("goal", "position"), entry
            if entry.kind == "goal":
                changed = {k for k in entry.after or {} if (entry.after or {}).get(k) != (entry.before or {}).get(k)}
                assert changed <= {"ratings"}
                assert entry.before["ratings"].get("management") == entry.after["ratings"].get("management")
    page.context.close()
