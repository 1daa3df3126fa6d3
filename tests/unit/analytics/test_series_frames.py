"""The series as DataFrames, meeting by meeting, with reference values worked out by hand;
each role's table is built from that role's views alone, so the customer's holds no trace of
management's withheld items (not a title, not a count, not a day)."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.analytics.overlap import analyze
from pmkit.model import FACILITATOR, parse_session
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.views.series import series_frame, since_last
from tests.support.live import leaks

SESSION = {
    "title": "Cutover review",
    "date": "2026-11-24",
    "goals": [
        {"id": "g-cut", "title": "Cut over in March", "raised_by": "management",
         "ratings": {"customer": {"importance": 5, "stance": "oppose"},
                     "management": {"importance": 5, "stance": "support"}}},
        {"id": "g-test", "title": "Test with real data", "raised_by": "customer",
         "ratings": {"customer": {"importance": 4, "stance": "support"},
                     "management": {"importance": 4, "stance": "support"}}},
        {"id": "g-slip", "title": "Quietly absorb the adapter slip", "raised_by": "management",
         "audience": "management", "ratings": {"management": {"importance": 5, "stance": "support"}}},
    ],
    "actions": [
        {"id": "x-env", "title": "Book the test environment", "owner": "Integration lead", "due": "2026-11-20"},
        {"id": "x-fix", "title": "Patch the adapter in secret", "owner": "Vendor manager", "due": "2026-11-10",
         "audience": "management"},
        {"id": "x-later", "title": "Plan the training", "due": "2027-01-15"},
    ],
    "plan": [
        {"item": "g-slip", "kind": "goal", "withheld_since": "2026-11-01"},
        {"item": "x-fix", "kind": "action", "decision": "by", "by": "2026-12-20", "withheld_since": "2026-11-10"},
    ],
}


@pytest.fixture
def series(workspace: Workspace) -> tuple[str, str]:
    first = workspace.sessions.create(parse_session(SESSION))
    second = workspace.series.follow_up(first, date=dt.date(2026, 12, 8))
    return first, second


def rows(frame: object) -> list[tuple[object, ...]]:
    columns = ["meeting", "open_conflicts", "open_actions", "late_actions", "withheld_items", "days_withheld"]
    return [tuple(r) for r in frame[columns].itertuples(index=False)]  # type: ignore[index]


def test_the_series_frame_meeting_by_meeting(workspace: Workspace, series: tuple[str, str]) -> None:
    first, second = series
    frame = series_frame(workspace, second, FACILITATOR)
    assert list(frame["session_id"]) == [first, second]
    assert list(frame["date"]) == [dt.date(2026, 11, 24), dt.date(2026, 12, 8)]
    # withheld: the goal since 1 Nov, the action since 10 Nov: 23 + 14 days on 24 Nov, 37 + 28 on 8 Dec
    assert rows(frame) == [(1, 1, 3, 2, 2, 37), (2, 1, 3, 2, 2, 65)]
    expected = analyze(workspace.sessions.load(first, FACILITATOR)).alignment
    assert frame["alignment"].iloc[0] == pytest.approx(expected)
    assert rows(series_frame(workspace, second, "management")) == [(1, 1, 3, 2, 2, 37), (2, 1, 3, 2, 2, 65)]


def test_the_customers_series_holds_nothing_withheld(workspace: Workspace, series: tuple[str, str]) -> None:
    first, second = series
    frame = series_frame(workspace, second, "customer")
    # its own view: two open actions, one late; nothing withheld from it is counted
    assert rows(frame) == [(1, 1, 2, 1, 0, 0), (2, 1, 2, 1, 0, 0)]
    text = frame.to_csv() + repr(frame.attrs)
    for sid in (first, second):
        assert leaks(text, hidden_texts(workspace.sessions.load(sid, FACILITATOR), "customer")) == []
    late = since_last(workspace, second, "customer", today=dt.date(2026, 12, 8))
    assert late is not None and [a.title for a in late.late] == ["Book the test environment"]
    assert since_last(workspace, first, "customer") is None
