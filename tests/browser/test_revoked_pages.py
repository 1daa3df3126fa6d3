"""A revoked link stops its open pages: a member's page after `pmkit participants --revoke`,
a role's page after `pmkit links --revoke`. Within 5 s the page says the link was revoked,
its kernel is gone, and a forged write over the websocket changes nothing. Pages closed
without ``beforeunload`` (the browser gone) have their kernels gone within seconds, with a
pool of preheated kernels too; a page closed while it still loads stops its kernel at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import websocket

from pmkit.meeting import links
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.live import Server, kernel_pids, serve, wait_until
from tests.support.pages import BOARD, open_board
from tests.support.widget_protocol import KernelSocket

REVOKED = ".pmkit-revoked"


def _kernel_id(page: Any) -> str:
    return str(page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))


def _pid(server: Server, kernel_id: str) -> int:
    for pid in kernel_pids(server.connection_dir):
        if kernel_id in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return pid
    raise AssertionError(f"no process for kernel {kernel_id}")


def _revoked_and_gone(page: Any, server: Server, pid: int, workspace: Workspace, demo: str) -> None:
    """The page says so within 5 s, its kernel is gone, and the kernel takes no forged write."""
    page.wait_for_selector(REVOKED, state="visible", timeout=5_000)
    assert "was revoked" in page.inner_text(REVOKED)
    assert page.locator(".pmkit-board .lm-TabBar-tab").count() == 0  # the board is gone from the page
    wait_until(lambda: not Path(f"/proc/{pid}").exists(), 5, "the revoked page's kernel to stop")
    assert page.locator("#pmkit-kernel-notice").is_hidden()  # not "connection lost": revoked says why
    version = workspace.sessions.version(demo)
    with pytest.raises((websocket.WebSocketException, ConnectionError)):
        sock = KernelSocket(server.base, _kernel_id(page), timeout=10)
        for cid in sock.comm_ids():
            sock.update(cid, {"value": "forged after revocation", "index": 0})
            sock.click(cid)
        sock.settle()
    assert workspace.sessions.version(demo) == version


def test_revoked_links_stop_their_open_pages_within_five_seconds(chromium: Any, workspace: Workspace, demo: str,
                                                                   tmp_path: Path) -> None:
    member = workspace.participants.add(demo, "customer", "Cora Buyer").participant_id
    with serve(workspace.folder, demo, tmp_path) as server:
        own = open_board(chromium, links.link_url(server.base, links.make_token(workspace, demo, "customer",
                                                                                 participant=member)))
        role = open_board(chromium, links.link_url(server.base, links.make_token(workspace, demo, "management")))
        own_pid, role_pid = _pid(server, _kernel_id(own)), _pid(server, _kernel_id(role))

        r = run_cli("participants", demo, "--revoke", member)
        assert r.returncode == 0, r.stderr
        _revoked_and_gone(own, server, own_pid, workspace, demo)
        assert role.locator(REVOKED).count() == 0 and role.locator(BOARD).is_visible()  # other links stay
        assert Path(f"/proc/{role_pid}").exists()

        r = run_cli("links", demo, "--revoke")
        assert r.returncode == 0, r.stderr
        _revoked_and_gone(role, server, role_pid, workspace, demo)
        log = server.log()
        for page in (own, role):
            page.context.close()
    assert log.count("(its link was revoked)") == 2


def test_kernels_of_pages_closed_without_unload_are_gone_within_seconds(chromium: Any, workspace: Workspace,
                                                                        demo: str, tmp_path: Path) -> None:
    with serve(workspace.folder, demo, tmp_path, "--preheat", "2") as server:
        pages = [open_board(chromium, links.link_url(server.base, links.make_token(workspace, demo, role)))
                 for role in ("customer", "management", "customer", "facilitator")]
        pids = [_pid(server, _kernel_id(p)) for p in pages]
        wait_until(lambda: len(kernel_pids(server.connection_dir)) == len(pages) + 2, 120, "the pool to refill")
        for page in pages:
            page.context.close()  # the browser goes away: no beforeunload, no unload request
        wait_until(lambda: not [p for p in pids if Path(f"/proc/{p}").exists()], 10,
                   "the kernels of the closed pages to stop")
        # only the pool is left
        assert len(kernel_pids(server.connection_dir)) == 2


def test_a_page_closed_while_it_loads_has_its_kernel_shut_down_at_once(chromium: Any, workspace: Workspace,
                                                                       demo: str, tmp_path: Path) -> None:
    # no reclaim of gone pages within the test: only the page's own unload request stops its kernel
    with serve(workspace.folder, demo, tmp_path, env={"PMKIT_PAGE_GONE_SECONDS": "600"}) as server:
        page = chromium.new_context().new_page()
        held: list[Any] = []  # Voila's script, which sends its unload request once it has run, never comes
        page.route("**/voila/static/voila.js", lambda route: held.append(route))
        url = links.link_url(server.base, links.make_token(workspace, demo, "customer"))
        with page.expect_request("**/voila/static/voila.js", timeout=120_000):  # the board's cells are in
            page.goto(url, wait_until="commit")
        assert page.locator("#jupyter-config-data").count() == 1
        pids = kernel_pids(server.connection_dir)
        assert len(pids) == 1
        page.close(run_before_unload=True)  # the person gives up on a page still loading
        wait_until(lambda: not Path(f"/proc/{pids[0]}").exists(), 5, "the kernel of the closed page to stop")
        log = server.log()
        page.context.close()
    assert "Traceback" not in log
