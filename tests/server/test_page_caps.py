"""One link cannot start unlimited kernels: a flood of requests with one link gets a few
pages and then HTTP 429 with no kernel; a full server answers 503; the facilitator's link
always gets through; `pmkit open-pages` shows what is open, per link; the kernels of pages
whose connection closed (no ``beforeunload``) are gone within seconds."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pmkit.meeting import links
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.live import kernel_pids, serve, wait_until
from tests.support.widget_protocol import KernelSocket


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=600) as r:  # noqa: S310 - a local test server
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _kernel_id(page: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page)
    assert found, "the page names its kernel"
    return found.group(1)


def test_thirty_requests_with_one_link_start_at_most_the_caps_kernels(workspace: Workspace, demo: str,
                                                                      tmp_path: Path) -> None:
    # pages fetched here never connect back: give them time (the last test is about that)
    env = {"PMKIT_PAGES_PER_LINK": "3", "PMKIT_PAGE_GONE_SECONDS": "600"}
    with serve(workspace.folder, demo, tmp_path, env=env) as server:
        url = links.link_url(server.base, links.make_token(workspace, demo, "customer"))
        with ThreadPoolExecutor(30) as pool:
            answers = list(pool.map(_get, [url] * 30))
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200] * 3 + [429] * 27
        assert len(kernel_pids(server.connection_dir)) == 3
        refused = next(body for status, body in answers if status == 429)
        assert "Too many open pages" in refused and "already has 3 pages open" in refused
        assert "kernelId" not in refused and workspace.sessions.load(demo, "facilitator").title not in refused
        # what is open, per link: the command line and the server's log
        listed = run_cli("open-pages", demo)
        assert listed.returncode == 0, listed.stderr
        assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [["customer", "3"]]
        # the facilitator's link still gets through, and is not counted against the link's cap
        status, page = _get(server.facilitator)
        assert status == 200 and _kernel_id(page)
        assert len(kernel_pids(server.connection_dir)) == 4
        log = server.log()
    assert log.count("page refused: session") == 27
    assert "link customer already has 3 open pages" in log
    assert "pmk=" not in log  # links never reach the log


def test_a_full_server_answers_503_but_the_facilitator_gets_in(workspace: Workspace, demo: str,
                                                               tmp_path: Path) -> None:
    with serve(workspace.folder, demo, tmp_path, env={"PMKIT_KERNELS_PER_SERVER": "2",
                                                              "PMKIT_PAGE_GONE_SECONDS": "600"}) as server:
        for role in ("customer", "management"):
            assert _get(links.link_url(server.base, links.make_token(workspace, demo, role)))[0] == 200
        status, body = _get(links.link_url(server.base, links.make_token(workspace, demo, "room")))
        assert status == 503 and "server is full" in body
        assert len(kernel_pids(server.connection_dir)) == 2
        assert _get(server.facilitator)[0] == 200
        assert len(kernel_pids(server.connection_dir)) == 3


def test_kernels_of_pages_whose_connection_closed_are_gone_within_seconds(workspace: Workspace, demo: str,
                                                                          tmp_path: Path) -> None:
    with serve(workspace.folder, demo, tmp_path, env={"PMKIT_PAGES_PER_LINK": "3"}) as server:
        url = links.link_url(server.base, links.make_token(workspace, demo, "customer"))
        sockets = []
        for _ in range(3):
            status, page = _get(url)
            assert status == 200
            sockets.append(KernelSocket(server.base, _kernel_id(page)))
        assert len(kernel_pids(server.connection_dir)) == 3
        assert _get(url)[0] == 429  # while the three are open
        for sock in sockets:  # the pages vanish: no unload request, the connection just ends
            sock.close()
        wait_until(lambda: not kernel_pids(server.connection_dir), 10, "the kernels of the closed pages to stop")
        # their places are free again
        status, page = _get(url)
        assert status == 200
        log = server.log()
    assert log.count("(the page is gone)") == 3
