"""JupyterHub in front of the meeting app, end to end: a real `jupyterhub` with a real
`configurable-http-proxy` (scripts/install-hub puts both in .hub/), the configuration in
deploy/jupyterhub/, `pmkit serve` started by the hub as its service, a real PostgreSQL
database and Debian's Chromium. One hub start for the module.

* a facilitator logs in through the hub, and their link opens the board through the proxy;
* a party's link opens its board through the proxy, with no hub account;
* a request without a valid link, or a facilitator's link without the hub login, gets
  nothing of the session.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pmkit.meeting import links as access
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import free_port, wait_until
from tests.support.pages import BOARD, CHART
from tests.support.paths import ROOT
from tests.support.postgres import fresh_schema

PASSWORD = "facilitate-" + secrets.token_hex(4)


@dataclass
class Hub:
    url: str
    service: str  # the meeting app behind the proxy
    links: dict[str, str]
    title: str
    log: Path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, follow: bool = False) -> tuple[int, dict[str, str], str]:
    """Status, headers (names in lower case) and body of a GET."""
    opener = urllib.request.build_opener(*([] if follow else [_NoRedirect()]))
    try:
        with opener.open(url, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Hub]:
    install = subprocess.run([str(ROOT / "scripts" / "install-hub")], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    state = tmp_path_factory.mktemp("hub")
    database = fresh_schema(postgres_url)
    secret = secrets.token_urlsafe(32)
    hub_port, api_port, proxy_api, serve_port = (free_port() for _ in range(4))
    env = {
        **os.environ,
        "PMKIT_WORKSPACE": str(state / "workspace"),
        "PMKIT_DATABASE_URL": database,
        "PMKIT_SECRET": secret,
        "PMKIT_BACKUP_MINUTES": "0",
        "PMKIT_HUB_URL": f"http://127.0.0.1:{hub_port}",
        "PMKIT_HUB_API_URL": f"http://127.0.0.1:{api_port}",
        "PMKIT_HUB_PROXY_API_URL": f"http://127.0.0.1:{proxy_api}",
        "PMKIT_HUB_STATE": str(state),
        "PMKIT_HUB_FACILITATORS": "dana",
        "PMKIT_HUB_PASSWORD": PASSWORD,
        "PMKIT_SERVE_PORT": str(serve_port),
        "PMKIT_SERVE_COMMAND": f"{sys.executable} -m pmkit",
        "PYTHONPATH": str(ROOT),
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PMKIT_SECRET", secret)
        ws = Workspace(state / "workspace", database=database)
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        base = f"http://127.0.0.1:{hub_port}/services/pmkit"
        links = {role: access.link_url(base, access.make_token(ws, sid, role)) for role in ws.sessions.roles(sid)}
        title = ws.sessions.info(sid).title
        ws.close()
    log = state / "hub.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(ROOT / ".hub" / "venv" / "bin" / "jupyterhub"), "-f",
                                 str(ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py")],
                                cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        def service_answers() -> bool:
            assert proc.poll() is None, log.read_text()
            try:
                return fetch(base + "/")[0] == 403  # the app itself, through the proxy
            except OSError:
                return False
        wait_until(service_answers, 180, "the hub, its proxy and the meeting app", every=0.5)
        yield Hub(f"http://127.0.0.1:{hub_port}", base, links, title, log)
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _no_session_data(hub: Hub, body: str) -> None:
    for word in (hub.title, "Integration test environment", "pmkit-board"):
        assert word not in body


def test_a_request_without_a_valid_link_or_login_gets_nothing(hub: Hub) -> None:
    forged = hub.links["customer"][:-6] + "AAAAAA"
    for url in (hub.service + "/", forged, hub.service + "/?pmk="):
        status, _headers, body = fetch(url)
        assert status == 403, url
        _no_session_data(hub, body)
    # a facilitator's link alone is sent to the hub's login, and shows nothing of the session
    status, headers, body = fetch(hub.links["facilitator"])
    assert status == 302 and "/hub/api/oauth2/authorize" in headers.get("location", ""), (status, headers)
    _no_session_data(hub, body)
    status, _headers, body = fetch(hub.links["facilitator"], follow=True)
    assert "/hub/login" in body or "Sign in" in body
    _no_session_data(hub, body)
    # the login's way back refuses a made-up code or state
    status, _h, body = fetch(hub.service + "/oauth_callback?code=made-up&state=made-up")
    assert status == 403
    _no_session_data(hub, body)


def test_a_facilitator_logs_in_through_the_hub_and_their_link_opens_the_board(hub: Hub, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(hub.links["facilitator"])
    page.wait_for_selector("#username_input", timeout=60_000)  # the hub's own login form
    page.fill("#username_input", "dana")
    page.fill("#password_input", "not the password")
    page.click("#login_submit")
    page.wait_for_selector("#username_input", timeout=30_000)  # refused: still the login form
    assert page.locator(BOARD).count() == 0
    page.fill("#username_input", "dana")
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_selector(BOARD, state="visible", timeout=120_000)
    page.wait_for_selector(CHART, state="visible", timeout=60_000)
    assert page.url.startswith(hub.service) and "Facilitator" in page.inner_text(".pmkit-role")
    # logged in, the link opens at once (the login is kept in the service's cookie)
    page.goto(hub.links["facilitator"])
    page.wait_for_selector(BOARD, state="visible", timeout=120_000)
    assert "/hub/" not in page.url
    context.close()


def test_a_partys_link_opens_its_board_through_the_proxy_without_a_hub_account(hub: Hub, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(hub.links["customer"])
    page.wait_for_selector(BOARD, state="visible", timeout=120_000)
    page.wait_for_selector(CHART, state="visible", timeout=60_000)
    assert page.url.startswith(hub.service) and "Harbor" not in page.url
    assert not [c for c in context.cookies() if c["name"].startswith("jupyterhub")]
    context.close()
