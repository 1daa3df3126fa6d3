"""Follow-up across sessions: alignment over time, what moved, a goal's history; and their
charts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from pmkit.analytics import followup
from pmkit.analytics.overlap import analyze
from pmkit.charts.followup import alignment_trend_chart, movement_chart
from pmkit.charts.style import to_png
from pmkit.model import Session, parse_session
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.starters import starter


def two_goal_session(title: str, date: str | None, customer: tuple[int, str], goal_id: str = "g1") -> Session:
    data: dict[str, Any] = {
        "title": title,
        "goals": [
            {
                "id": goal_id,
                "title": "Keep the date",
                "raised_by": "customer",
                "ratings": {
                    "customer": {"importance": customer[0], "stance": customer[1]},
                    "management": {"importance": 4, "stance": "support"},
                },
            },
            {"id": "g2", "title": "Cut scope", "raised_by": "management", "ratings": {"management": {"importance": 5}}},
        ],
    }
    if date:
        data["date"] = date
    return parse_session(data)


def test_series_orders_by_date_and_keeps_undated_last() -> None:
    a = two_goal_session("March", "2026-03-01", (5, "oppose"))
    b = two_goal_session("January", "2026-01-15", (5, "support"))
    c = two_goal_session("Undated", None, (2, "neutral"))
    points = followup.series([("a", a), ("c", c), ("b", b)])
    assert [p.session_id for p in points] == ["b", "a", "c"]
    jan, mar, _ = points
    assert jan.alignment == analyze(b).alignment and mar.alignment == analyze(a).alignment
    assert (jan.conflicts, mar.conflicts) == (0, 1)
    assert (jan.common_ground, mar.common_ground) == (1, 0)
    assert jan.date == dt.date(2026, 1, 15)
    assert mar.goals == 2 and mar.blind_spots == 1


def test_series_counts_agreements_and_open_actions() -> None:
    s = starter("undisclosed-risk")
    (point,) = followup.series([("x", s)])
    assert point.agreements == len(s.agreements)
    assert point.open_actions == sum(1 for a in s.actions if a.status == "open")


def test_what_moved_between_two_rounds() -> None:
    before = two_goal_session("Round 1", "2026-01-01", (5, "oppose"))
    after = two_goal_session("Round 2", "2026-02-01", (3, "support"))
    moved = followup.what_moved(("r1", before), ("r2", after))
    assert moved.pair == ("customer", "management")
    assert moved.resolved == ("Keep the date",)
    assert moved.new_conflicts == () and moved.still_contested == ()
    assert [(r.goal_id, r.party, r.before, r.after) for r in moved.ratings] == [
        ("g1", "customer", (5, "oppose"), (3, "support"))
    ]
    (shift,) = moved.shifts
    assert (shift.before, shift.after) == ((5, 4), (3, 4))
    assert moved.alignment_change == pytest.approx(analyze(after).alignment - analyze(before).alignment, abs=0.11)
    assert moved.added == () and moved.removed == ()


def test_goals_are_matched_by_title_when_ids_differ() -> None:
    before = two_goal_session("Round 1", None, (5, "oppose"), goal_id="g-aaaa")
    after = two_goal_session("Round 2", None, (5, "oppose"), goal_id="g-bbbb")
    moved = followup.what_moved(("r1", before), ("r2", after))
    assert moved.added == () and moved.removed == ()
    assert moved.still_contested == ("Keep the date",)
    assert moved.ratings == () and moved.shifts == ()


def test_added_removed_and_positions() -> None:
    before = starter("undisclosed-risk")
    data = before.model_dump(mode="json")
    data["goals"] = [g for g in data["goals"] if g["id"] != "training-plan"]
    data["goals"].append({"title": "New goal in round two", "raised_by": "customer"})
    data["issues"][0]["positions"]["customer"]["walk_away"] = 3
    after = parse_session(data)
    moved = followup.what_moved(("a", before), ("b", after))
    assert moved.removed == ("Train super-users in every depot before cutover",)
    assert moved.added == ("New goal in round two",)
    assert [(p.issue_id, p.party, p.before, p.after) for p in moved.positions] == [
        ("cutover-slip", "customer", (0.0, 2.0), (0.0, 3.0))
    ]


def test_default_pair_prefers_the_earlier_round_of_the_same_goals() -> None:
    one = two_goal_session("Round 1", "2026-01-01", (5, "oppose"))
    other = starter("budget-overrun").model_copy(update={"date": dt.date(2026, 2, 1)})
    two = two_goal_session("Round 2", "2026-03-01", (3, "support"))
    assert followup.default_pair([("one", one), ("other", other), ("two", two)]) == ("one", "two")
    assert followup.default_pair([("one", one)]) is None
    unrelated = starter("quality-vs-speed").model_copy(update={"date": dt.date(2027, 1, 1)})
    assert followup.default_pair([("two", two), ("q", unrelated)]) == ("two", "q")


def test_a_goals_history_from_the_journal(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    workspace.items.set_rating(sid, "weekly-status", "management", 5, "support", role="facilitator")
    workspace.items.update(sid, "goal", "weekly-status", {"title": "Weekly status, reds named"}, role="facilitator")
    workspace.items.set_rating(sid, "test-env", "customer", 1, "neutral", role="customer")
    workspace.items.set_rating(sid, "weekly-status", "customer", 2, "oppose", role="customer")
    events = followup.goal_history(workspace.journal.history(sid), "weekly-status")
    assert [e.op for e in events] == ["created", "update", "update", "update"]
    assert events[0].title == "Honest weekly status with red items named"
    assert events[1].changes == ("management's rating: 3 neutral -> 5 support",)
    assert events[2].changes == ("title: 'Honest weekly status with red items named' -> 'Weekly status, reds named'",)
    assert events[3].role == "customer" and events[3].changes == ("customer's rating: 4 support -> 2 oppose",)
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_history_of_an_added_and_deleted_goal(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    gid = workspace.items.add(sid, "goal", {"title": "Added live", "raised_by": "customer"}, role="facilitator")
    workspace.items.delete(sid, "goal", gid, role="facilitator")
    workspace.journal.undo(sid)
    events = followup.goal_history(workspace.journal.history(sid), gid)
    assert [e.op for e in events] == ["add", "delete", "undo"]
    assert all(e.title == "Added live" for e in events)


def test_a_party_sees_no_history_of_goals_hidden_from_it(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    workspace.items.set_rating(sid, "vendor-slip", "management", 4, "support", role="facilitator")
    assert followup.goal_history(workspace.journal.history(sid, "customer"), "vendor-slip") == ()
    assert len(followup.goal_history(workspace.journal.history(sid, "management"), "vendor-slip")) == 2


def test_followup_charts() -> None:
    before = two_goal_session("Round 1", "2026-01-01", (5, "oppose"))
    after = two_goal_session("Round 2 $x$", "2026-02-01", (3, "support"))
    points = followup.series([("r1", before), ("r2", after)])
    trend = alignment_trend_chart(points)
    line = next(ln for ln in trend.axes[0].lines if ln.get_gid() == "alignment")
    assert list(line.get_ydata()) == [p.alignment for p in points]
    assert to_png(trend).startswith(b"\x89PNG")
    moved = followup.what_moved(("r1", before), ("r2", after))
    fig = movement_chart(moved, names={"customer": "Harbor Foods", "management": "Delivery"}, theme="dark")
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert [a.get_gid() for a in arrows] == ["g1"]
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "Keep the date" in texts and "importance to Harbor Foods" in texts
    assert to_png(fig).startswith(b"\x89PNG")
    assert to_png(alignment_trend_chart(())).startswith(b"\x89PNG")
