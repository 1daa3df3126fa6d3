"""A team's deployment end to end: two real `pmkit serve` processes (standing in for two
machines) on one real PostgreSQL database, Debian's Chromium through Playwright.

* a change made on a page of one server appears on a page of the other within 1 s, by the
  database's notification (both servers poll only every 30 s, so polling cannot do it);
* stopping PostgreSQL in the middle of the meeting gives every page a clear notice (no
  traceback); after a restart the notice clears, nothing acknowledged is lost, and the
  pages save again.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import pytest

from pmkit.errors import UNAVAILABLE
from pmkit.meeting import links as access
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import Server, serve
from tests.support.pages import BOARD, open_board, tab
from tests.support.postgres import fresh_schema, postgres, postgres_server

AGREEMENTS = ".pmkit-agreements"
STATUS = ".pmkit-status"


def team_env(url: str, secret: str) -> dict[str, str]:
    """Two machines share the database and the link secret, nothing else."""
    return {"PMKIT_DATABASE_URL": url, "PMKIT_SECRET": secret, "PMKIT_POLL_SECONDS": "30",
            "PMKIT_BACKUP_MINUTES": "0"}


def link(ws: Workspace, sid: str, role: str, server: Server) -> str:
    return access.link_url(server.base, access.make_token(ws, sid, role))


def record_agreement(page: Any, text: str) -> None:
    page.locator(".pmkit-agreement-text input").fill(text)
    page.locator("button.pmkit-record-agreement").click()


def shows(page: Any, selector: str, text: str, timeout: float) -> None:
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.textContent ?? '').includes(t)",
                           arg=[selector, text], timeout=timeout * 1000)


def test_a_change_on_one_server_reaches_a_page_of_the_other_within_a_second(
    chromium: Any, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_schema(postgres_url)
    secret = secrets.token_urlsafe(32)
    monkeypatch.setenv("PMKIT_SECRET", secret)
    ws = Workspace(tmp_path / "here", database=url)
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    env = team_env(url, secret)
    with serve(tmp_path / "machine-a", sid, tmp_path / "a", env=env) as a, \
            serve(tmp_path / "machine-b", sid, tmp_path / "b", env=env) as b:
        facilitator = open_board(chromium, a.facilitator)
        customer = open_board(chromium, link(ws, sid, "customer", b))
        tab(facilitator, "Capture")
        tab(customer, "Capture")
        delays = []
        for n in range(3):
            text = f"Agreed on server A, seen on server B, round {n}"
            record_agreement(facilitator, text)
            t0 = time.monotonic()
            shows(customer, AGREEMENTS, text, timeout=10)
            delays.append(time.monotonic() - t0)
        assert max(delays) < 1.0, f"from the click on server A to the page of server B: {delays}"
        assert {x.text for x in ws.sessions.load(sid, "customer").agreements} >= {
            f"Agreed on server A, seen on server B, round {n}" for n in range(3)}
        facilitator.context.close()
        customer.context.close()
    ws.close()


def test_stopping_postgresql_mid_meeting_is_a_notice_and_nothing_acknowledged_is_lost(
    chromium: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with postgres_server() as url:
        folder = Path(url.split("host=")[1])
        secret = secrets.token_urlsafe(32)
        monkeypatch.setenv("PMKIT_SECRET", secret)
        ws = Workspace(tmp_path / "here", database=url)
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        env = {**team_env(url, secret), "PMKIT_POLL_SECONDS": "0.5"}
        with serve(tmp_path / "machine", sid, tmp_path / "srv", env=env) as server:
            facilitator = open_board(chromium, server.facilitator)
            customer = open_board(chromium, link(ws, sid, "customer", server))
            tab(facilitator, "Capture")
            tab(customer, "Capture")
            record_agreement(facilitator, "Saved before the outage")
            shows(facilitator, STATUS, "Saved", timeout=10)  # acknowledged on the page
            shows(customer, AGREEMENTS, "Saved before the outage", timeout=10)

            postgres("stop", folder)
            for page in (facilitator, customer):
                shows(page, STATUS, UNAVAILABLE[:40], timeout=15)
            record_agreement(facilitator, "Typed during the outage")  # refused, and said so
            shows(facilitator, STATUS, UNAVAILABLE[:40], timeout=10)
            for page in (facilitator, customer):
                text = page.inner_text("body")
                assert "Traceback" not in text and "psycopg" not in text and str(folder) not in text

            postgres("start", folder)
            for page in (facilitator, customer):
                shows(page, STATUS, "reachable again", timeout=20)
            record_agreement(facilitator, "Saved after the restart")
            shows(customer, AGREEMENTS, "Saved after the restart", timeout=10)
            facilitator.reload()
            facilitator.wait_for_selector(BOARD, state="visible", timeout=120_000)
            facilitator.context.close()
            customer.context.close()
        texts = [a.text for a in ws.sessions.load(sid, FACILITATOR).agreements]
        assert "Saved before the outage" in texts and "Saved after the restart" in texts
        assert "Typed during the outage" not in texts
        assert "Traceback" not in server.log()
        ws.close()
