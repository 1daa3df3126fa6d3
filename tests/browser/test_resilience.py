"""The meeting app under load, faults and hostile input: a real server, a real browser,
a raw websocket client. These tests need /usr/bin/chromium and fail without it."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import Server, kernel_pids, serve, wait_until
from tests.support.pages import BOARD, CHART, SHOWN_PANEL, open_board, tab
from tests.support.widget_protocol import KernelSocket


def _link(ws: Workspace, sid: str, role: str, server: Server) -> str:
    return access.link_url(server.base, access.make_token(ws, sid, role))


def _wait(predicate: Any, timeout: float, what: str) -> None:
    wait_until(predicate, timeout, what, every=0.25)


@pytest.mark.timeout(900)  # twenty kernels on two cores: on a busy machine more than the suite's 300 s
def test_twenty_pages_at_once_all_show_the_board(chromium: Any, workspace: Workspace, demo: str,
                                                 tmp_path: Path) -> None:
    # seven pages on each party's one link: more than a link may have by default
    with serve(workspace.folder, demo, tmp_path, env={"PMKIT_PAGES_PER_LINK": "7"}) as server:
        links = [_link(workspace, demo, ["customer", "management", "facilitator"][i % 3], server) for i in range(20)]
        contexts = [chromium.new_context() for _ in links]
        pages = [c.new_page() for c in contexts]
        for page, url in zip(pages, links, strict=True):
            page.goto(url, wait_until="commit", timeout=300_000)
        # every page shows its board by itself: no reload; a page still waiting after three minutes
        # (twenty kernels on two cores) may say it is taking long, and takes that back once its board
        # is there; none says its board did not finish loading
        for page in pages:
            page.wait_for_selector(f"{CHART}, #pmkit-kernel-notice >> visible=true", timeout=300_000)
            notice = page.locator("#pmkit-kernel-notice")
            assert notice.is_hidden() or "taking long" in notice.inner_text(), notice.inner_text()
            page.wait_for_selector(CHART, state="visible", timeout=300_000)
            notice.wait_for(state="hidden", timeout=10_000)
        assert len(kernel_pids(server.connection_dir)) == 20  # one kernel per open page
        # pages that close say so: their kernels stop (Voila's page-unload shutdown)
        for page in pages:
            page.close(run_before_unload=True)
        _wait(lambda: not kernel_pids(server.connection_dir), 90, "the kernels of closed pages to stop")
        for c in contexts:
            c.close()


def test_a_page_whose_board_never_arrived_says_so_and_offers_a_reload(
    chromium: Any, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    with serve(workspace.folder, demo, tmp_path) as server:
        url = _link(workspace, demo, "customer", server)
        page = chromium.new_page()

        def without_the_board(route: Any) -> None:  # the page as it is when the kernel's output is lost
            response = route.fetch()
            body = re.sub(r'<script type="application/vnd\.voila\.cell-output\+json">.*?</script>', "",
                          response.text(), flags=re.S)
            route.fulfill(response=response, body=body)

        page.route(url, without_the_board)
        page.goto(url, timeout=120_000)
        page.wait_for_selector("#pmkit-kernel-notice", state="visible", timeout=30_000)
        assert "did not finish loading" in page.inner_text("#pmkit-kernel-notice")
        page.unroute(url)
        page.locator("#pmkit-kernel-notice button").click()
        page.wait_for_selector(CHART, state="visible", timeout=120_000)
        assert page.locator("#pmkit-kernel-notice").is_hidden()
        page.close()


def test_a_page_whose_kernel_dies_while_starting_offers_a_reload(
    chromium: Any, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    # every meeting kernel (it has the request's QUERY_STRING) dies before it is ready
    dying = tmp_path / "dying"
    dying.mkdir()
    (dying / "sitecustomize.py").write_text("import os\nif 'QUERY_STRING' in os.environ:\n    os._exit(1)\n")
    env = {"PYTHONPATH": str(dying), "PMKIT_BOARD_WAIT_SECONDS": "4"}
    with serve(workspace.folder, demo, tmp_path, env=env) as server:
        page = chromium.new_page()
        page.goto(_link(workspace, demo, "customer", server), wait_until="commit")
        page.wait_for_selector("#pmkit-kernel-notice", state="visible", timeout=90_000)
        assert "did not finish loading" in page.inner_text("#pmkit-kernel-notice")
        assert page.locator("#pmkit-kernel-notice button").is_visible()
        body = page.content()
        log = server.log()
        page.close()
    assert "board did not come" in log
    session = workspace.sessions.load(demo, "facilitator")
    for text in [session.title, *(g.title for g in session.goals)]:
        assert text not in body


def test_idle_kernels_of_pages_that_vanished_are_culled(workspace: Workspace, demo: str, tmp_path: Path) -> None:
    import urllib.request

    env = {"PMKIT_CULL_IDLE_SECONDS": "4"}
    with serve(workspace.folder, demo, tmp_path, env=env) as server:
        with urllib.request.urlopen(server.facilitator, timeout=120) as r:  # a page that never connects back
            assert r.status == 200
        assert kernel_pids(server.connection_dir)
        _wait(lambda: not kernel_pids(server.connection_dir), 30, "the idle kernel to be culled")


def test_a_killed_meeting_kernel_is_announced_and_nothing_acknowledged_is_lost(
    chromium: Any, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    with serve(workspace.folder, demo, tmp_path) as server:
        page = open_board(chromium, server.facilitator)
        tab(page, "Capture")
        page.locator(".pmkit-agreement-text input").fill("Test environment by 4 December")
        page.locator("button.pmkit-record-agreement").click()
        page.wait_for_function(
            "() => (document.querySelector('.pmkit-agreements')?.textContent ?? '').includes('by 4 December')")
        assert page.locator("#pmkit-kernel-notice").is_hidden()
        (pid,) = kernel_pids(server.connection_dir)
        os.kill(pid, signal.SIGKILL)
        page.wait_for_selector("#pmkit-kernel-notice", state="visible", timeout=30_000)
        assert "connection was lost" in page.inner_text("#pmkit-kernel-notice")
        assert "Reload" in page.inner_text("#pmkit-kernel-notice")
        page.locator("#pmkit-kernel-notice button").click()
        page.wait_for_selector(CHART, state="visible", timeout=120_000)
        tab(page, "Capture")
        page.wait_for_function(
            "() => (document.querySelector('.pmkit-agreements')?.textContent ?? '').includes('by 4 December')")
        page.context.close()
    assert any(a.text == "Test environment by 4 December" for a in workspace.sessions.load(demo,
                                                                                           "facilitator").agreements)


def test_the_server_killed_and_restarted_keeps_every_session_and_its_journal(
    chromium: Any, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    other = workspace.sessions.import_file(starter_path("budget-overrun"))
    with serve(workspace.folder, demo, tmp_path / "first") as server:
        page = open_board(chromium, server.facilitator)
        tab(page, "Capture")
        page.locator(".pmkit-agreement-text input").fill("Freeze scope until the vendor delivers")
        page.locator("button.pmkit-record-agreement").click()
        page.wait_for_function(
            "() => (document.querySelector('.pmkit-agreements')?.textContent ?? '').includes('Freeze scope')")
        journal = [e.seq for e in workspace.journal.history(demo)]
        kernels = kernel_pids(server.connection_dir)
        server.stop(signal.SIGKILL)
        page.context.close()
    # its kernels notice their parent is gone and exit
    _wait(lambda: not [p for p in kernels if Path(f"/proc/{p}").exists()], 30, "orphaned kernels to exit")
    with sqlite3.connect(workspace.folder / "workspace.sqlite") as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with serve(workspace.folder, demo, tmp_path / "second") as server:
        page = open_board(chromium, server.facilitator)
        tab(page, "Capture")
        page.wait_for_function(
            "() => (document.querySelector('.pmkit-agreements')?.textContent ?? '').includes('Freeze scope')")
        page.context.close()
    assert [e.seq for e in workspace.journal.history(demo)][: len(journal)] == journal
    assert {i.id for i in workspace.sessions.all()} >= {demo, other}


def test_a_raw_websocket_client_cannot_change_what_its_role_may_not_and_is_logged(
    chromium: Any, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    with serve(workspace.folder, demo, tmp_path) as server:
        page = open_board(chromium, _link(workspace, demo, "customer", server))
        kernel_id = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        before = workspace.sessions.load(demo, "facilitator").model_dump()
        version = workspace.sessions.version(demo)
        sock = KernelSocket(server.base, kernel_id)
        states = sock.states(sock.comm_ids())
        attempts = 0
        for cid, st in states.items():
            # the role itself, audiences and other parties' names, disabled or not
            sock.update(cid, {"description": "facilitator", "disabled": False,
                              "_options_labels": ["management", "facilitator", "joint"]})
            attempts += 1
            if st.get("_model_name") == "ButtonModel":
                sock.update(cid, {"disabled": True})
                sock.click(cid)  # the page itself disables nothing here; disabled clicks are refused below
                attempts += 2
        # a button disabled by the kernel cannot be clicked: re-enable and click in one go
        for cid, st in states.items():
            if st.get("_model_name") == "ButtonModel" and st.get("disabled"):
                sock.update(cid, {"disabled": False})
                sock.click(cid)
                attempts += 2
        # ordinary kernel requests are not allowed through Voila at all
        sock.send("execute_request", {"code": "open('/tmp/pmkit-pwned', 'w').write('x')", "silent": False})
        sock.settle()
        sock.close()
        wait_until(lambda: "not allowed" in server.log() and "refused widget message" in server.log(), 30,
                   "the server to log the refusals")
        log = server.log()
        page.context.close()
    assert attempts > 10
    print(f"{attempts} forged widget messages from a raw client refused and logged")
    assert "refused widget message from a customer page" in log
    assert "not allowed" in log  # Voila's refusal of execute_request
    assert not Path("/tmp/pmkit-pwned").exists()
    assert workspace.sessions.load(demo, "facilitator").model_dump() == before
    assert workspace.sessions.version(demo) == version


def test_the_page_makes_no_request_off_the_machine_and_carries_a_csp(
    chromium: Any, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    with serve(workspace.folder, demo, tmp_path) as server:
        ctx = chromium.new_context(offline=False)
        page = ctx.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        # the meeting room has no network: anything off the machine fails
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            (server.base, "data:", "blob:")) else route.abort())
        response = page.goto(server.facilitator)
        assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector(BOARD, state="visible", timeout=120_000)
        page.wait_for_selector(CHART, state="visible", timeout=60_000)
        for t in page.locator(".lm-TabBar-tab").all_inner_texts():
            tab(page, t)
            page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=60_000)
        page.wait_for_load_state("networkidle")
        ctx.close()
    off = [u for u in requests if not u.startswith((server.base, "data:", "blob:"))]
    assert off == []
    assert len(requests) > 5


def test_serve_stops_cleanly_with_pages_open(chromium: Any, workspace: Workspace, demo: str, tmp_path: Path) -> None:
    with serve(workspace.folder, demo, tmp_path) as server:
        pages = [open_board(chromium, _link(workspace, demo, r, server)) for r in ("customer", "facilitator")]
        assert len(kernel_pids(server.connection_dir)) == 2
        assert server.stop(signal.SIGTERM) == 0
        _wait(lambda: not kernel_pids(server.connection_dir), 20, "kernels to stop with the server")
        for p in pages:
            p.context.close()
