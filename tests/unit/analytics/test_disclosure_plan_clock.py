"""The disclosure plan's clock and the risk read-out's plan points: tables of input -> expected,
with reference values worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmkit.analytics.disclosure_plan import NEAR_DAYS, plan_lines, unit_days
from pmkit.analytics.risk import risk_readout
from pmkit.model import parse_session
from pmkit.rules.visibility import view_for
from pmkit.settings import SETTINGS

TODAY = dt.date(2026, 11, 29)


def session(plan: list[dict[str, Any]], *, unit: str = "weeks", date: str | None = "2026-11-24",
            withheld: int = 1) -> Any:
    """An agreed joint goal and a bridgeable issue (no other risk), ``withheld`` management goals,
    a joint action due on 2026-12-20 and a joint issue in ``unit`` where the customer accepts up
    to 2 and management from 1."""
    goals = [{"id": "a", "title": "Alpha shared", "raised_by": "customer",
              "ratings": {"customer": {"importance": 5, "stance": "support"},
                          "management": {"importance": 5, "stance": "support"}}}]
    goals += [{"id": f"w{n}", "title": f"Withheld {n}", "raised_by": "management", "audience": "management"}
              for n in range(1, withheld + 1)]
    return parse_session({
        "title": "t", "date": date, "goals": goals,
        "issues": [{"id": "slip", "title": "Slip", "unit": unit,
                    "positions": {"customer": {"ideal": 0, "walk_away": 2},
                                  "management": {"ideal": 3, "walk_away": 1}}}],
        "actions": [{"id": "due", "title": "Deliver", "due": "2026-12-20"}],
        "plan": plan,
    })


@pytest.mark.parametrize(
    ("unit", "days"),
    [("weeks", 7), ("week", 7), ("Days from today", 1), ("day", 1), ("  weeks late", 7), ("kEUR", None),
     ("workdays", None), ("", None)],
)
def test_units_that_count_days(unit: str, days: int | None) -> None:
    assert unit_days(unit) == days


@pytest.mark.parametrize(
    ("entry", "unit", "affected", "source", "left", "near"),
    [
        ({}, "weeks", None, "", None, False),
        # set explicitly
        ({"affected_from": "2026-12-13"}, "weeks", dt.date(2026, 12, 13), "set", 14, True),
        ({"affected_from": "2026-12-14"}, "weeks", dt.date(2026, 12, 14), "set", 15, False),
        ({"affected_from": "2026-11-20"}, "weeks", dt.date(2026, 11, 20), "set", -9, True),
        # an action: its due date
        ({"linked_to": "action:due"}, "weeks", dt.date(2026, 12, 20), "suggested: due date of action 'Deliver'",
         21, False),
        # an issue in weeks: the session's date + the customer's walk-away, 2 weeks
        ({"linked_to": "issue:slip"}, "weeks", dt.date(2026, 12, 8), "suggested", 9, True),
        # in days: + 2 days
        ({"linked_to": "issue:slip"}, "days", dt.date(2026, 11, 26), "suggested", -3, True),
        # in anything else: no suggestion
        ({"linked_to": "issue:slip"}, "kEUR", None, "", None, False),
        # a day set wins over a suggestion
        ({"linked_to": "action:due", "affected_from": "2027-01-05"}, "weeks", dt.date(2027, 1, 5), "set", 37, False),
    ],
)
def test_customer_affected_from(entry: dict[str, Any], unit: str, affected: dt.date | None, source: str,
                                left: int | None, near: bool) -> None:
    (line,) = plan_lines(session([{"item": "w1", **entry}], unit=unit), TODAY)
    assert (line.affected_from, line.days_left, line.near) == (affected, left, near)
    assert line.affected_source.startswith(source)


def test_no_suggestion_without_a_session_date() -> None:
    (line,) = plan_lines(session([{"item": "w1", "linked_to": "issue:slip"}], date=None), TODAY)
    assert line.affected_from is None


def test_the_owner_is_never_shown_a_day_made_from_the_other_sides_value() -> None:
    s = session([{"item": "w1", "linked_to": "issue:slip"}])
    (facilitator,) = plan_lines(s, TODAY)
    (management,) = plan_lines(view_for(s, "management"), TODAY)
    assert facilitator.affected_from == dt.date(2026, 12, 8)  # from the customer's walk-away
    assert management.affected_from is None  # management's view holds no customer position


@pytest.mark.parametrize(
    ("entry", "since", "expected"),
    [
        ({}, {}, None),
        ({}, {"goal/w1": dt.date(2026, 11, 1)}, dt.date(2026, 11, 1)),  # from the journal
        ({"withheld_since": "2026-10-01"}, {"goal/w1": dt.date(2026, 11, 1)}, dt.date(2026, 10, 1)),  # fixed
    ],
)
def test_withheld_since(entry: dict[str, Any], since: dict[str, dt.date], expected: dt.date | None) -> None:
    (line,) = plan_lines(session([{"item": "w1", **entry}]), TODAY, since)
    assert line.withheld_since == expected


@pytest.mark.parametrize(
    ("entry", "overdue", "disclosable"),
    [
        ({}, False, False),
        ({"decision": "now"}, False, True),
        ({"decision": "by", "by": "2026-11-28"}, True, False),
        ({"decision": "by", "by": "2026-11-29"}, False, False),  # the day itself is not past
        ({"decision": "never", "reason": "internal"}, False, False),
    ],
)
def test_overdue_and_disclosable(entry: dict[str, Any], overdue: bool, disclosable: bool) -> None:
    (line,) = plan_lines(session([{"item": "w1", **entry}]), TODAY)
    assert (line.overdue, line.disclosable) == (overdue, disclosable)


def test_the_near_window_is_the_setting() -> None:
    assert NEAR_DAYS == int(next(s.default for s in SETTINGS if s.name == "plan_warn_days")) == 14
    s = session([{"item": "w1", "affected_from": "2026-12-09"}])  # 10 days away
    assert [x.near for x in plan_lines(s, TODAY, near_days=10)] == [True]
    assert [x.near for x in plan_lines(s, TODAY, near_days=9)] == [False]


# -- the risk read-out's plan points ------------------------------------------------------------
@pytest.mark.parametrize(
    ("withheld", "plan", "reasons", "level", "suggested"),
    [
        # no withheld item: nothing to decide
        (0, [], [], "low", "meet jointly on the shared items"),
        # one undecided item: 1 point; agree with management first
        (1, [], [("undecided", 1)], "low", "first agree with management what to disclose"),
        # three undecided: at most 2 points
        (3, [], [("undecided", 2)], "low", "first agree with management what to disclose"),
        # decided, nothing near: nothing
        (1, [{"item": "w1", "decision": "never", "reason": "internal"}], [], "low", "meet jointly on the shared items"),
        # decided, the customer is affected in 9 days: 2 points
        (1, [{"item": "w1", "decision": "by", "by": "2026-12-30", "linked_to": "issue:slip"}],
         [("affected soon", 2)], "low", "first agree with management what to disclose"),
        # affected 3 days ago (days), and past the disclose-by day: 2 + 2
        (1, [{"item": "w1", "decision": "by", "by": "2026-11-28", "affected_from": "2026-11-26"}],
         [("affected soon", 2), ("past disclose-by", 2)], "medium", "first agree with management what to disclose"),
        # three near and three overdue: 4 + 4 at most, plus nothing undecided
        (3, [{"item": f"w{n}", "decision": "by", "by": "2026-11-01", "affected_from": "2026-12-01"} for n in (1, 2, 3)],
         [("affected soon", 4), ("past disclose-by", 4)], "high", "first agree with management what to disclose"),
    ],
)
def test_risk_points_of_the_plan(withheld: int, plan: list[dict[str, Any]], reasons: list[tuple[str, int]],
                                 level: str, suggested: str) -> None:
    r = risk_readout(session(plan, withheld=withheld), today=TODAY)
    assert [(x.factor, x.points) for x in r.reasons] == reasons
    assert r.level == level
    assert [o.name for o in r.options if o.suggested] == [suggested]


def test_the_risk_reasons_name_the_items_and_their_days() -> None:
    s = session([{"item": "w1", "decision": "by", "by": "2026-11-28", "affected_from": "2026-12-01"}], withheld=2)
    r = risk_readout(s, today=TODAY)
    text = {x.factor: x.text for x in r.reasons}
    assert text["undecided"] == "1 withheld item(s) with no disclosure decision: Withheld 2"
    assert text["affected soon"] == ("1 withheld item(s) affect the customer soon: "
                                     "Withheld 1 (from 2026-12-01, in 2 day(s))")
    assert text["past disclose-by"] == "1 withheld item(s) past the day to disclose by: Withheld 1 (by 2026-11-28)"


def test_escalating_stays_the_call_when_the_session_is_high_risk_without_the_plan() -> None:
    opposed = [{"id": g, "title": f"Goal {g}", "raised_by": "customer",
                "ratings": {"customer": {"importance": 5, "stance": "support"},
                            "management": {"importance": 5, "stance": "oppose"}}} for g in "abc"]
    gaps = [{"id": f"i{n}", "title": f"Issue {n}", "positions": {"customer": {"ideal": 0, "walk_away": 10},
                                                                  "management": {"ideal": 30, "walk_away": 20}}}
            for n in (1, 2)]
    secret = {"id": "s", "title": "Unrelated reorganisation", "raised_by": "management", "audience": "management"}
    r = risk_readout(parse_session({"title": "t", "goals": [*opposed, secret], "issues": gaps}), today=TODAY)
    assert ("undecided", 1) in [(x.factor, x.points) for x in r.reasons]
    assert [o.name for o in r.options if o.suggested] == ["escalate to the sponsor"]
