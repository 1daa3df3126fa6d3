"""A real `pmkit serve`: links checked before any kernel starts, nothing served that
should not be, links kept out of the log, and a clean stop that takes its kernels along."""

from __future__ import annotations

import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from tests.support.live import kernel_pids, serve, wait_until


def fetch(url: str, timeout: float = 120) -> tuple[int, dict[str, str], str]:
    req = urllib.request.Request(url, headers={"User-Agent": "pmkit-test"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def served(workspace: Workspace, demo: str, tmp_path: Path):
    with serve(workspace.folder, demo, tmp_path) as server:
        yield server


def _session_words(workspace: Workspace, sid: str) -> list[str]:
    s = workspace.sessions.load(sid, "facilitator")
    return [s.title, *(g.title for g in s.goals), *(a.text for a in s.agreements)]


def test_bad_links_get_a_short_page_with_no_session_data_and_start_no_kernel(
    served, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    from tests.support.cli import run_cli

    good = access.make_token(workspace, demo, "customer")
    facilitator_payload = access.make_token(workspace, demo, "facilitator").split(".")[0]
    expired = access.make_token(workspace, demo, "customer", ttl_hours=-1)
    other = Workspace(tmp_path / "elsewhere")
    foreign = access.make_token(other, other.sessions.import_file(
        starter_path("budget-overrun")), "facilitator")
    queries = ["", "?pmk=", "?pmk=nonsense", f"?pmk={good[:-5]}", f"?pmk={expired}",
               f"?pmk={foreign}", f"?token={good}", f"?pmk={good}x",
               f"?pmk={facilitator_payload}.{good.split('.')[1]}",  # another role, this signature
               f"?pmk={good}&pmk={good}"]
    words = _session_words(workspace, demo)

    def refused(q: str) -> None:
        status, headers, body = fetch(served.base + "/" + q)
        assert status == 403, (q, status)
        assert "Link not accepted" in body
        assert "Content-Security-Policy" in headers
        for w in words:
            assert w not in body, (q, w)

    for q in queries:
        refused(q)
    # the good link (valid until now), replayed after `pmkit links --revoke`
    assert access.check_query(workspace, f"pmk={good}").role == "customer"
    r = run_cli("links", demo, "--revoke", env={"PMKIT_WORKSPACE": str(workspace.folder)})
    assert r.returncode == 0, r.stderr
    queries.append(f"?pmk={good}")
    refused(queries[-1])
    assert kernel_pids(served.connection_dir) == []
    print(f"{len(queries)} tampered links refused, no kernel started")


def test_a_valid_link_opens_a_page_and_routes_that_would_list_or_serve_files_do_not(
    served, workspace: Workspace, demo: str
) -> None:
    status, headers, body = fetch(served.facilitator)
    assert status == 200
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "cdn.jsdelivr.net" not in body and "cdnjs.cloudflare.com" not in body
    for path in ["/voila/files/meeting.ipynb", "/voila/files/", "/api/contents", "/api/contents/meeting.ipynb",
                 "/voila/tree", "/tree", "/voila/render/meeting.ipynb", "/voila/api/contents/",
                 "/meeting.ipynb", "/api/kernels", "/api/sessions"]:
        status, _h, body = fetch(served.base + path)
        assert status in (301, 302, 403, 404, 405), (path, status)
        assert '"cells"' not in body and "pmkit.meeting.app" not in body, path


def test_links_never_reach_the_server_log(served, workspace: Workspace, demo: str) -> None:
    customer = access.make_token(workspace, demo, "customer")
    fetch(served.base + f"/?pmk={customer}")
    fetch(served.base + "/?pmk=forged-value-123")
    fetch(served.facilitator)
    wait_until(lambda: served.log().count("page opened") >= 2 and " 403 " in served.log(), 30,
               "the server to log the three requests")
    log = served.log()
    assert "GET /" in log or "page opened" in log, "the log records requests"
    token = served.facilitator.split("pmk=")[1]
    assert token not in log and customer not in log and "forged-value-123" not in log
    # the only place a link appears is the line printed for the facilitator to open
    assert [line for line in served.lines if "pmk=" in line] == [f"facilitator {served.facilitator}"]


def test_sigterm_stops_the_server_and_every_kernel(served, workspace: Workspace) -> None:
    assert fetch(served.facilitator)[0] == 200
    assert kernel_pids(served.connection_dir), "opening a page starts a kernel"
    assert served.stop(signal.SIGTERM) == 0
    wait_until(lambda: kernel_pids(served.connection_dir) == [], 15, "every kernel to stop", every=0.2)


def test_ctrl_c_stops_the_server_and_every_kernel(served) -> None:
    assert fetch(served.facilitator)[0] == 200
    served.stop(signal.SIGINT)
    wait_until(lambda: kernel_pids(served.connection_dir) == [], 15, "every kernel to stop", every=0.2)


def test_preheated_kernels_check_the_link_before_a_kernel_is_handed_out(
    workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    with serve(workspace.folder, demo, tmp_path, "--preheat", "2") as server:
        wait_until(lambda: len(kernel_pids(server.connection_dir)) >= 2, 60, "the two preheated kernels")
        status, _h, body = fetch(server.base + "/?pmk=forged")
        assert status == 403
        for w in _session_words(workspace, demo):
            assert w not in body
        status, _h, body = fetch(server.facilitator)
        assert status == 200


def test_serve_binds_loopback_by_default(served) -> None:
    assert served.facilitator.startswith("http://127.0.0.1:")
    assert any(line.startswith("serving http://127.0.0.1:") for line in served.lines)


def test_serving_an_unknown_session_is_a_one_line_error(tmp_path: Path) -> None:
    from tests.support.cli import run_cli

    r = run_cli("serve", "no-such-session", "--port", "8999", process=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "no session 'no-such-session'" in r.stderr


@pytest.mark.parametrize("variable", ["PMKIT_CULL_IDLE_SECONDS", "PMKIT_BOARD_WAIT_SECONDS", "PMKIT_BACKUP_MINUTES"])
def test_a_setting_that_is_not_a_number_is_a_one_line_error(variable: str, tmp_path: Path) -> None:
    from tests.support.cli import run_cli

    r = run_cli("serve", "--port", "8999", env={variable: "ten", "PMKIT_WORKSPACE": str(tmp_path)}, process=True)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and variable in r.stderr and "'ten'" in r.stderr


def test_hidden_texts_never_in_a_refused_page(served, workspace: Workspace, demo: str) -> None:
    s = workspace.sessions.load(demo, "facilitator")
    _status, _h, body = fetch(served.base + "/?pmk=abc")
    for text in hidden_texts(s, "customer"):
        assert text not in body
