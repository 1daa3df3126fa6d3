"""The disclosure plan's timeline: one bar per withheld item, its decision and today marked,
session text drawn literally, in every theme."""

from __future__ import annotations

import datetime as dt

import pytest
from matplotlib.dates import date2num, num2date
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from pmkit.analytics.disclosure_plan import plan_lines
from pmkit.charts.disclosure_plan import plan_timeline_chart
from pmkit.charts.style import to_png
from pmkit.model import parse_session
from tests.support.starters import starter

PNG = b"\x89PNG\r\n\x1a\n"
TODAY = dt.date(2026, 11, 29)
MATH = "Rate $\\x$ per day"  # mathtext would fail on \x


def gids(fig: object, kind: type) -> dict[str, object]:
    return {a.get_gid(): a for a in fig.findobj(kind) if a.get_gid()}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("theme", "presenter"), [("light", False), ("dark", True)])
def test_the_demo_timeline(theme: str, presenter: bool) -> None:
    lines = plan_lines(starter("undisclosed-risk"), TODAY)
    fig = plan_timeline_chart(lines, TODAY, theme=theme, presenter=presenter)
    assert to_png(fig).startswith(PNG)
    bars = gids(fig, Rectangle)
    # the vendor slip: from 2026-11-10 (withheld since) to 2026-11-30 (its action's due date)
    slip = bars["bar-goal-vendor-slip"]
    assert num2date(slip.get_x()).date() == dt.date(2026, 11, 10)  # type: ignore[attr-defined]
    assert num2date(slip.get_x() + slip.get_width()).date() == dt.date(2026, 11, 30)  # type: ignore[attr-defined]
    marks = gids(fig, Line2D)
    assert marks["today"].get_xdata()[0] == date2num(TODAY)  # type: ignore[attr-defined]
    # the decision to disclose by 2026-12-11 is marked on that day: after the customer is affected
    by = marks["decision-goal-vendor-slip"]
    assert by.get_xdata()[0] == date2num(dt.date(2026, 12, 11)) and by.get_marker() == "D"  # type: ignore[attr-defined]
    assert marks["decision-issue-overtime-budget"].get_marker() == "X"  # type: ignore[attr-defined]
    assert marks["decision-goal-recover-quietly"].get_marker() == "$?$"  # type: ignore[attr-defined]
    # an item with no customer-affected day is a dashed line up to today
    assert "bar-goal-penalty-clause" in marks
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1].startswith("Integration vendor is six weeks late") and "customer affected soon" in labels[-1]


def test_session_text_is_drawn_literally() -> None:
    s = parse_session({"title": "t", "date": "2026-11-24",
                       "goals": [{"id": "m", "title": MATH, "raised_by": "management", "audience": "management"}],
                       "plan": [{"item": "m", "decision": "by", "by": "2026-12-01", "condition": MATH,
                                 "affected_from": "2026-12-05", "withheld_since": "2026-11-01"}]})
    fig = plan_timeline_chart(plan_lines(s, TODAY), TODAY)
    assert to_png(fig).startswith(PNG)  # an unbalanced "$" or "\x" would fail in mathtext
    drawn = [t for t in fig.findobj(Text) if "$" in t.get_text()]
    assert drawn and all(not t.get_parse_math() for t in drawn)


def test_nothing_withheld_says_so() -> None:
    fig = plan_timeline_chart((), TODAY)
    assert to_png(fig).startswith(PNG)
    assert "nothing is withheld" in [t.get_text() for t in fig.findobj(Text)]
