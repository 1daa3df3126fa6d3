"""The facilitator's risk read-out: level, reasons and options."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmkit.analytics.risk import risk_readout
from pmkit.model import parse_session
from tests.support.starters import starter


def goal(gid: str, c: tuple[int, str] | None, m: tuple[int, str] | None, *, audience: str = "joint",
         raised_by: str = "customer", title: str | None = None) -> dict[str, Any]:
    ratings = {}
    if c:
        ratings["customer"] = {"importance": c[0], "stance": c[1]}
    if m:
        ratings["management"] = {"importance": m[0], "stance": m[1]}
    return {"id": gid, "title": title or f"Goal {gid}", "raised_by": raised_by, "audience": audience,
            "ratings": ratings}


def gap_issue(n: int) -> dict[str, Any]:
    return {"id": f"i{n}", "title": f"Issue {n}", "positions": {
        "customer": {"ideal": 0, "walk_away": 10}, "management": {"ideal": 30, "walk_away": 20}}}


AGREED = [goal("a", (5, "support"), (5, "support")), goal("b", (4, "support"), (3, "support"))]


@pytest.mark.parametrize(
    ("goals", "issues", "level", "factors"),
    [
        (AGREED, [], "low", []),
        # one gap: 2 points, still low
        (AGREED, [gap_issue(1)], "low", ["no bargaining range"]),
        # two gaps: 4 points (capped), medium
        (AGREED, [gap_issue(1), gap_issue(2), gap_issue(3)], "medium", ["no bargaining range"]),
        # opposed on everything that matters: misalignment 2 + conflicts 2 = medium
        ([goal("a", (5, "support"), (5, "oppose")), goal("b", (4, "oppose"), (4, "support"))], [], "medium",
         ["misalignment", "conflicts"]),
        # and with two gaps it is high
        ([goal("a", (5, "support"), (5, "oppose")), goal("b", (4, "oppose"), (4, "support"))],
         [gap_issue(1), gap_issue(2)], "high", ["misalignment", "conflicts", "no bargaining range"]),
        # a conflict where one side rates 3 is not high stakes (alignment 56 still counts)
        ([goal("a", (5, "support"), (5, "support")), goal("b", (3, "oppose"), (5, "support"))], [], "low",
         ["misalignment"]),
    ],
)
def test_levels(goals: list[dict[str, Any]], issues: list[dict[str, Any]], level: str, factors: list[str]) -> None:
    r = risk_readout(parse_session({"title": "t", "goals": goals, "issues": issues}))
    assert r.level == level
    assert [x.factor for x in r.reasons] == factors
    assert r.score == sum(x.points for x in r.reasons)


def test_withheld_items_that_bear_on_the_customers_goals() -> None:
    session = parse_session({
        "title": "t",
        "goals": [
            goal("env", (5, "support"), (4, "support"), title="Integration test environment ready"),
            goal("slip", None, (5, "support"), audience="management", raised_by="management",
                 title="Integration vendor is six weeks late"),
            goal("other", None, (4, "support"), audience="management", raised_by="management",
                 title="Offshore centre for payroll"),
        ],
        "notes": [{"text": "The integration partner is unreliable", "audience": "facilitator"}],
    })
    r = risk_readout(session)
    linked = {w.item_id: w.bears_on for w in r.withheld}
    assert linked == {"slip": ("Integration test environment ready",), "other": ()}
    # and neither withheld goal has a disclosure decision (1 point each, at most 2)
    assert [(x.factor, x.points) for x in r.reasons] == [("withheld", 2), ("withheld", 1), ("undecided", 2)]
    assert r.level == "medium"
    suggested = [o.name for o in r.options if o.suggested]
    assert suggested == ["first agree with management what to disclose"]


def test_every_option_says_what_it_risks() -> None:
    r = risk_readout(starter("scope-vs-deadline"))
    assert [o.name for o in r.options] == [
        "meet jointly on the shared items", "first agree with management what to disclose",
        "escalate to the sponsor", "step back"]
    assert all(o.risks and o.when for o in r.options)
    assert sum(o.suggested for o in r.options) == 1
    assert not r.options[3].suggested  # stepping back is never suggested


@pytest.mark.parametrize(
    ("name", "level", "suggested"),
    [
        ("undisclosed-risk", "high", "first agree with management what to disclose"),
        # high only with its two undecided withheld items: agree with management first
        ("scope-vs-deadline", "high", "first agree with management what to disclose"),
        ("budget-overrun", "high", "escalate to the sponsor"),
        ("quality-vs-speed", "high", "first agree with management what to disclose"),
    ],
)
def test_starters(name: str, level: str, suggested: str) -> None:
    r = risk_readout(starter(name), today=dt.date(2026, 11, 20))
    assert r.level == level
    assert [o.name for o in r.options if o.suggested] == [suggested]


def test_the_undisclosed_vendor_slip_is_named() -> None:
    r = risk_readout(starter("undisclosed-risk"))
    bearing = {w.title for w in r.withheld if w.bears_on}
    assert "Integration vendor is six weeks late on the EDI adapter" in bearing
    assert any("bargaining range" in x.text and "Acceptable delay of the cutover date" in x.text for x in r.reasons)
