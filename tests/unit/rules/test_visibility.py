"""Who sees what: a role's view holds exactly what that role may see."""

from __future__ import annotations

import pytest

from pmkit.errors import AccessDenied
from pmkit.formats.yaml_file import dump_session
from pmkit.model import FACILITATOR, ITEM_KINDS, JOINT, Session, parse_session
from pmkit.rules.visibility import (
    _visible_dates,
    audience_label,
    check_role,
    hidden_marks,
    hidden_option_values,
    hidden_texts,
    hidden_titles,
    hidden_values,
    may_see,
    position_audience,
    view_for,
    visible_audiences,
)
from pmkit.text import date_renderings, number, renderings
from tests.support.starters import STARTERS, starter

ITEMS = [field for field, _cls, _prefix in ITEM_KINDS.values()]


@pytest.mark.parametrize(
    ("role", "audience", "expected"),
    [
        ("facilitator", "joint", True),
        ("facilitator", "customer", True),
        ("facilitator", "management", True),
        ("facilitator", "facilitator", True),
        ("customer", "joint", True),
        ("customer", "customer", True),
        ("customer", "management", False),
        ("customer", "facilitator", False),
        ("management", "joint", True),
        ("management", "management", True),
        ("management", "customer", False),
        ("management", "facilitator", False),
    ],
)
def test_may_see(role: str, audience: str, expected: bool) -> None:
    assert may_see(role, audience) is expected


@pytest.mark.parametrize(
    ("issue_audience", "party", "expected"),
    [
        ("joint", "customer", "customer"),
        ("customer", "customer", "customer"),
        ("management", "customer", "facilitator"),
        ("facilitator", "customer", "facilitator"),
        ("joint", "management", "management"),
        ("management", "management", "management"),
        ("customer", "management", "facilitator"),
    ],
)
def test_a_position_is_seen_by_its_party_only_where_it_sees_the_issue(
    issue_audience: str, party: str, expected: str
) -> None:
    assert position_audience(issue_audience, party) == expected


def test_roles_are_checked() -> None:
    s = parse_session({"title": "t"})
    assert check_role(s, "customer") == "customer"
    with pytest.raises(AccessDenied, match="unknown role 'board'"):
        check_role(s, "board")
    with pytest.raises(AccessDenied):
        view_for(s, "joint")  # an audience, not a role
    assert visible_audiences(FACILITATOR, s.party_ids) is None
    assert visible_audiences("customer", s.party_ids) == frozenset({JOINT, "customer"})
    with pytest.raises(AccessDenied):
        visible_audiences("vendor", s.party_ids)


def test_customer_view_of_the_confidential_starter() -> None:
    s = starter("undisclosed-risk")
    v = view_for(s, "customer")
    goal_ids = [g.id for g in v.goals]
    assert "vendor-slip" not in goal_ids and "recover-quietly" not in goal_ids
    assert "penalty-clause" not in goal_ids
    assert "test-env" in goal_ids
    assert [i.id for i in v.issues] == ["cutover-slip", "licence-discount"]
    assert all(set(i.positions) == {"customer"} for i in v.issues)
    assert [a.id for a in v.agreements] == ["status-format"]
    assert [a.id for a in v.actions] == ["env-date"]
    assert v.notes == []
    # the facilitator sees everything, unchanged, as a copy
    full = view_for(s, FACILITATOR)
    assert full == s and full is not s


def test_management_sees_its_own_items_but_not_the_facilitators() -> None:
    s = starter("undisclosed-risk")
    v = view_for(s, "management")
    assert {"vendor-slip", "recover-quietly"} <= {g.id for g in v.goals}
    assert "penalty-clause" not in {g.id for g in v.goals}
    assert [i.id for i in v.issues] == ["cutover-slip", "licence-discount", "overtime-budget"]
    assert all(set(i.positions) == {"management"} for i in v.issues)
    assert v.notes == []


@pytest.mark.parametrize("name", STARTERS)
def test_every_party_view_holds_only_its_audiences(name: str) -> None:
    s = starter(name)
    for role in s.party_ids:
        v = view_for(s, role)
        for field in ITEMS:
            expected = [i.id for i in getattr(s, field) if i.audience in (JOINT, role)]
            assert [i.id for i in getattr(v, field)] == expected
        for issue in v.issues:
            assert set(issue.positions) <= {role}


@pytest.mark.parametrize("name", STARTERS)
def test_hidden_texts_are_absent_from_the_view_and_present_in_the_whole(name: str) -> None:
    s = starter(name)
    whole = " ".join(dump_session(s).split())  # YAML folds long lines
    assert hidden_texts(s, FACILITATOR) == []
    for role in s.party_ids:
        hidden = hidden_texts(s, role)
        assert hidden, f"{name}: {role} should have something it may not see"
        view = view_for(s, role)
        visible_titles = {getattr(i, "title", None) or getattr(i, "text", "") for f in ITEMS for i in getattr(view, f)}
        titles, values = hidden_titles(s, role), hidden_values(s, role)
        assert hidden == titles + [t for t in hidden if t not in titles]
        for text in titles:
            assert text not in visible_titles
            assert text in whole  # a real title of the session
        for value in values:
            assert number(value) in whole  # a real value of the session, as the YAML writes it
            own = {number(v) for i in view.option_issues for sc in i.scores.values() for v in (*sc.scores.values(),
                                                                                                sc.weight)}
            own |= {p for d in _visible_dates(view) for p in (str(d.day), str(d.month), str(d.year))}
            if number(value) not in own:  # a number the role's own scores or days show proves nothing
                assert number(value) in hidden  # the starters' hidden values differ from what the role sees
        # and the plan entries the role may not read: their condition, reason and dates
        unread = [e for e in s.plan if e not in view.plan]
        plan = {t for e in unread for t in (e.condition, e.reason) if t} | {
            r for e in unread for d in (e.by, e.affected_from, e.withheld_since) if d
            for r in date_renderings(d)}
        assert set(hidden) - set(titles) <= {r for v in values for r in renderings(v)} | plan | set(
            hidden_marks(s, role))


def test_hidden_texts_learn_option_scores_weights_marks_and_a_withheld_issues_labels() -> None:
    s = starter("undisclosed-risk")  # the recovery route is management's: the customer sees none of it
    customer = hidden_texts(s, "customer", option_values=True)
    for text in ("How to recover the six weeks the EDI adapter slipped", "Weekend overtime on the adapter team",
                 "Descope the EDI adapter from the first release", "Bring in a second vendor for the adapter",
                 "cannot accept second-vendor", "Programme management cannot accept Bring in a second vendor "
                 "for the adapter", "80", "20"):
        assert text in customer, text
    assert set(hidden_option_values(s, "customer")) == {80.0, 100.0, 20.0, 4.0, 10.0, 60.0, 5.0}
    assert "80" not in hidden_texts(s, "customer")  # scores only when asked for
    b = starter("budget-overrun")  # a joint issue: each side sees its own input, not the other's
    assert set(hidden_option_values(b, "customer")) == {100.0, 60.0, 0.0, 4.0}
    assert hidden_marks(b, "customer") == ["cannot accept net-60", "Account and delivery management cannot accept "
                                           "60 days after delivery"]
    assert "On delivery" not in hidden_texts(b, "customer")  # the issue itself is everyone's
    assert hidden_option_values(b, FACILITATOR) == [] and hidden_marks(b, FACILITATOR) == []


def test_hidden_texts_lists_titles_and_position_values() -> None:
    s = starter("undisclosed-risk")
    hidden = hidden_texts(s, "customer")
    assert "Integration vendor is six weeks late on the EDI adapter" in hidden
    assert "Do not mention the EDI adapter until management has agreed what to disclose." in hidden
    assert "Weekend overtime budget to recover the slip" in hidden
    # values of a hidden issue, and management's values on joint issues
    assert {"61.5", "118.25", "5.5", "3.5", "12.5"} <= set(hidden)
    # the customer's own values are not hidden from it
    assert "30" not in hidden and "15" not in hidden


def test_view_is_a_valid_session_and_leaves_the_original_untouched() -> None:
    s = starter("budget-overrun")
    before = s.model_copy(deep=True)
    v = view_for(s, "customer")
    assert isinstance(v, Session)
    assert Session.model_validate(v.model_dump()) == v
    assert s == before


def test_audience_label_says_who_may_see_an_item() -> None:
    s = starter("undisclosed-risk")
    party = s.party_ids[1]
    assert audience_label(JOINT, s) == "everyone"
    assert audience_label(FACILITATOR, s) == "facilitator only"
    assert audience_label(party, s) == f"{s.party_name(party)} only"


def _with_hidden_values(*values: float) -> Session:
    return parse_session({
        "title": "t",
        "issues": [{"title": "Budget", "unit": "EUR", "positions": {
            "customer": {"ideal": 1, "walk_away": 2},
            "management": {"ideal": values[0], "walk_away": values[1] if len(values) > 1 else None}}}],
    })


@pytest.mark.parametrize(
    ("value", "found", "not_found"),
    [
        (12345.75, ["12345.75", "12345.8", "12,345.75", "12346", "12,346", "12345", "12,345.8"], []),
        (480, ["480", "480.0", "480.00"], ["48"]),
        (99.85, ["99.85", "99.8", "99.9"], ["100"]),  # a rounding to one significant digit is chance
        (12.5, ["12.5", "12.50"], ["12", "13"]),  # too short: every "12" would be a leak
        (7, ["7"], ["7.0", "7.00"]),  # the value itself, however short; nothing more
        (-1250, ["-1250", "-1,250", "−1,250"], []),
        (1e15, ["1e15", "1000000000000000", "1,000,000,000,000,000"], []),
    ],
)
def test_hidden_texts_list_every_rendering_of_a_hidden_value(
    value: float, found: list[str], not_found: list[str]
) -> None:
    hidden = hidden_texts(_with_hidden_values(value, 0.5), "customer")
    assert hidden_values(_with_hidden_values(value, 0.5), "customer") == [value, 0.5]
    for text in found:
        assert text in hidden
    for text in not_found:
        assert text not in hidden
    assert hidden.index(number(value)) < hidden.index(number(0.5))  # the value as pmkit prints it first


def test_a_rendering_the_view_explains_is_not_a_leak() -> None:
    s = parse_session({
        "title": "t",
        "goals": [{"title": "Crash-free sessions above 99.5 percent", "raised_by": "customer"}],
        "issues": [{"title": "Crash-free", "positions": {"customer": {"ideal": 99.0, "walk_away": 99.6},
                                                         "management": {"ideal": 99.85, "walk_away": 99.45}}}],
    })
    hidden = hidden_texts(s, "customer")
    assert {"99.85", "99.8", "99.9", "99.45"} <= set(hidden)
    assert "99.5" not in hidden  # the customer's own goal says 99.5
    assert "99.6" not in hidden and "99.0" not in hidden  # the customer's own values


def test_a_number_shown_rounded_is_still_found() -> None:
    """The old leak oracle searched for str(x) only: a page printing f"{x:g}" passed."""
    s = _with_hidden_values(12345.75, 118.25)
    page = f"management would accept {12345.75:g} and {118.25:.1f}"
    leaked = [t for t in hidden_texts(s, "customer") if t in page]
    assert "12345.8" in leaked and "118.2" in leaked
