"""Calendar feeds: what each role's feed holds (parsed with icalendar, checked against the
leak rules), stable UIDs, SEQUENCE rising on a change, a deleted action CANCELLED, and the
signed feed URLs (forged, revoked, expired, not a meeting link)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import icalendar
import pytest

from pmkit.errors import AccessDenied
from pmkit.meeting.calendar import make_feed_token, verify_feed_token
from pmkit.meeting.links import make_token
from pmkit.model import FACILITATOR
from pmkit.reports.calendar import feed
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.live import leaks

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def sid(workspace: Workspace) -> str:
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


def events(ws: Workspace, sid: str, role: str) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(feed(ws, sid, role))
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_each_role_gets_its_own_dates_and_the_customer_nothing_else(workspace: Workspace, sid: str) -> None:
    customer = events(workspace, sid, "customer")
    management = events(workspace, sid, "management")
    assert sorted(str(e["SUMMARY"]) for e in customer.values()) == [
        "Due: Confirm a date for the integration test environment",
        "Meeting: ERP integration: test environment and cutover"]
    due = customer[f"{sid}-action-env-date@pmkit"]
    assert due.decoded("DTSTART").isoformat() == "2026-11-30" and "Integration lead" in str(due["DESCRIPTION"])
    assert {str(e["SUMMARY"]) for e in management.values()} >= {
        "Due: Sign off the vendor recovery plan",
        "Disclose by: Integration vendor is six weeks late on the EDI adapter"}
    disclose = management[f"{sid}-disclose-vendor-slip@pmkit"]
    assert disclose.decoded("DTSTART").isoformat() == "2026-12-11"
    full = workspace.sessions.load(sid, FACILITATOR)
    raw = feed(workspace, sid, "customer").decode()
    assert leaks(raw, hidden_texts(full, "customer")) == []
    assert "recovery-plan" not in raw and "vendor-slip" not in raw
    assert "20261211" not in raw and "20261127" not in raw  # management's dates, as iCalendar writes them


def test_uids_stay_sequence_rises_and_a_deleted_action_is_cancelled(workspace: Workspace, sid: str) -> None:
    uid = f"{sid}-action-env-date@pmkit"
    first = events(workspace, sid, "customer")
    assert int(first[uid]["SEQUENCE"]) == 0
    assert int(events(workspace, sid, "customer")[uid]["SEQUENCE"]) == 0  # unchanged: same SEQUENCE
    workspace.items.update(sid, "action", "env-date", {"due": "2026-12-04"}, role=FACILITATOR)
    moved = events(workspace, sid, "customer")[uid]
    assert int(moved["SEQUENCE"]) == 1 and moved.decoded("DTSTART").isoformat() == "2026-12-04"
    workspace.items.delete(sid, "action", "env-date", role=FACILITATOR)
    gone = events(workspace, sid, "customer")[uid]
    assert (str(gone["STATUS"]), int(gone["SEQUENCE"])) == ("CANCELLED", 2)
    assert int(events(workspace, sid, "customer")[uid]["SEQUENCE"]) == 2  # cancelled once, not again and again
    workspace.journal.undo(sid)  # the action is back: a new SEQUENCE, confirmed
    back = events(workspace, sid, "customer")[uid]
    assert (str(back["STATUS"]), int(back["SEQUENCE"])) == ("CONFIRMED", 3)


def test_a_withheld_action_leaving_the_customers_view_cancels_only_what_it_saw(workspace: Workspace,
                                                                                 sid: str) -> None:
    uid = f"{sid}-action-env-date@pmkit"
    events(workspace, sid, "customer")
    workspace.items.update(sid, "action", "env-date", {"audience": "management", "title": "Secret slip memo"},
                           role=FACILITATOR)
    gone = events(workspace, sid, "customer")[uid]
    assert str(gone["STATUS"]) == "CANCELLED" and "Secret" not in str(gone["SUMMARY"])


def test_feed_urls_are_signed_revocable_and_apart_from_meeting_links(workspace: Workspace, sid: str) -> None:
    token = make_feed_token(workspace, sid, "customer")
    assert verify_feed_token(workspace, token) == (sid, "customer")
    with pytest.raises(AccessDenied, match="not valid"):
        verify_feed_token(workspace, token[:-2] + ("A" if token[-1] != "A" else "B") + token[-1])
    with pytest.raises(AccessDenied, match="not valid"):  # a meeting link is no feed URL
        verify_feed_token(workspace, make_token(workspace, sid, "customer"))
    with pytest.raises(AccessDenied, match="expired"):
        verify_feed_token(workspace, make_feed_token(workspace, sid, "customer", ttl_days=-1))
    with pytest.raises(AccessDenied, match="no calendar for 'room'"):
        make_feed_token(workspace, sid, "room")
    workspace.calendar.revoke(sid)
    with pytest.raises(AccessDenied, match="revoked"):
        verify_feed_token(workspace, token)


def test_the_command_prints_one_url_per_role(_isolated_workspace: Path) -> None:
    with Workspace(_isolated_workspace) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    r = run_cli("calendar", sid, "--base-url", "https://pm.example/")
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert [role for role, _ in rows] == [FACILITATOR, "customer", "management"]
    assert all(url.startswith("https://pm.example/calendar/") and url.endswith(".ics") for _, url in rows)
    revoked = run_cli("calendar", sid, "--revoke")
    assert revoked.returncode == 0
    with Workspace(_isolated_workspace) as ws, pytest.raises(AccessDenied, match="revoked"):
        verify_feed_token(ws, rows[1][1].rsplit("/", 1)[1][:-4])


def test_the_next_meeting_is_the_next_session_of_the_series(workspace: Workspace, sid: str) -> None:
    uid = f"{sid}-meeting@pmkit"
    for role in ("customer", "management", FACILITATOR):
        assert events(workspace, sid, role)[uid].decoded("DTSTART").isoformat() == "2026-11-24"
    new = workspace.series.follow_up(sid, date=dt.date(2026, 12, 8))
    for role in ("customer", "management", FACILITATOR):
        meeting = events(workspace, sid, role)[uid]
        assert meeting.decoded("DTSTART").isoformat() == "2026-12-08"
        assert int(meeting["SEQUENCE"]) == 1  # moved: subscribed calendars update it
    raw = feed(workspace, sid, "customer").decode() + feed(workspace, new, "customer").decode()
    for session_id in (sid, new):
        assert leaks(raw, hidden_texts(workspace.sessions.load(session_id, FACILITATOR), "customer")) == []
    assert "vendor-slip" not in raw and "recovery-plan" not in raw and "20261211" not in raw
