"""A role's calendar feed over HTTP from a real `pmkit serve` (no kernel): a valid URL gives
a parsable feed, a forged or revoked one 403 with one line and nothing of the session."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import icalendar

from pmkit.meeting.calendar import feed_url, make_feed_token
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import serve


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_a_feed_is_served_to_a_valid_url_only(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        token = make_feed_token(ws, sid, "customer")
    with serve(folder, None, tmp_path) as server:
        status, media, body = fetch(feed_url(server.base, token))
        assert (status, media) == (200, "text/calendar; charset=utf-8")
        cal = icalendar.Calendar.from_ical(body)
        assert f"{sid}-action-env-date@pmkit" in {str(e["UID"]) for e in cal.walk("VEVENT")}
        forged = token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")
        status, _, body = fetch(feed_url(server.base, forged))
        assert status == 403 and body == b"this calendar URL is not valid; ask the facilitator for a new one\n"
        with Workspace(folder) as ws:
            ws.calendar.revoke(sid)
        status, _, body = fetch(feed_url(server.base, token))
        assert status == 403 and b"revoked" in body and sid.encode() not in body
