"""The rules for option issues: a side's scores from its members' (weighted medians, the least
flexible member's unacceptable options), who sees a side's scores, and the echo check over an
option issue's labels."""

from __future__ import annotations

from typing import Any

from pmkit.model import parse_session
from pmkit.rules.aggregation import aggregate_option_scores
from pmkit.rules.echo_check import find_echoes
from pmkit.rules.visibility import view_for


def test_a_sides_scores_are_weighted_medians_and_any_member_can_refuse() -> None:
    ann = {"scores": {"a": 50, "b": 40}, "weight": 2, "unacceptable": []}
    bob = {"scores": {"a": 70}, "weight": 4, "unacceptable": ["a"]}
    cat = {"scores": {"a": 10, "b": 90}, "weight": 1, "unacceptable": ["b"]}
    agg = aggregate_option_scores([(ann, 1.0), (bob, 2.0), (cat, 1.0)])
    assert agg == {"scores": {"a": 50, "b": 0}, "weight": 2, "unacceptable": ["a", "b"]}
    # bob's weight alone reaches half: his scores and weight are the side's; b unscored by him counts 0
    assert aggregate_option_scores([(ann, 1.0), (bob, 3.0)]) == {"scores": {"a": 70, "b": 0}, "weight": 4,
                                                                  "unacceptable": ["a"]}
    assert aggregate_option_scores([]) is None


def session(**more: Any) -> Any:
    return parse_session({"title": "t", "parties": [
        {"id": "customer", "name": "Customer", "reservation": 0.2},
        {"id": "management", "name": "Management", "reservation": 0.4}], **more})


def terms(audience: str = "joint") -> dict[str, Any]:
    return {"id": "terms", "title": "Payment terms", "audience": audience,
            "options": [{"id": "now", "label": "On delivery"}, {"id": "later", "label": "Sixty days"}],
            "scores": {"customer": {"scores": {"now": 10, "later": 100}, "unacceptable": ["now"]},
                       "management": {"scores": {"now": 100, "later": 0}, "weight": 4}}}


def test_a_party_sees_its_own_scores_and_reservation_only() -> None:
    s = session(option_issues=[terms()])
    customer = view_for(s, "customer")
    assert set(customer.option_issues[0].scores) == {"customer"}
    assert [p.reservation for p in customer.parties] == [0.2, None]
    room = view_for(s, "room")
    assert room.option_issues[0].scores == {} and [p.reservation for p in room.parties] == [None, None]
    facilitator = view_for(s, "facilitator")
    assert set(facilitator.option_issues[0].scores) == {"customer", "management"}
    assert [p.reservation for p in facilitator.parties] == [0.2, 0.4]


def test_on_an_option_issue_for_management_the_customers_scores_are_the_facilitators() -> None:
    s = session(option_issues=[terms("management")])
    assert view_for(s, "customer").option_issues == []
    assert set(view_for(s, "management").option_issues[0].scores) == {"management"}


def test_the_echo_check_reads_an_option_issues_labels() -> None:
    hidden = terms("management")
    hidden["options"][1]["label"] = "Bring in a second vendor for the adapter"
    s = session(option_issues=[hidden], agreements=[{"text": "Adapter review with the vendor on Friday"}])
    (echo, *_rest) = [e for e in find_echoes(s) if e.audience == "customer"]
    assert echo.item_kind == "option_issue" and {"adapter", "vendor"} <= {w.lower() for w in echo.shared}
    joint = session(option_issues=[terms()], goals=[{"title": "Sixty days to pay", "raised_by": "customer",
                                                     "audience": "customer"}])
    assert any(e.text_where == "option_issue terms option later" for e in find_echoes(joint))
