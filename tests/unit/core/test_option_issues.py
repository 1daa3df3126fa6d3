"""Option issues in the model: their shape, the checks a user can act on, a party's
reservation value, and every name still imported from ``pmkit.model``."""

from __future__ import annotations

from typing import Any

import pytest

import pmkit.model as model
from pmkit.errors import InvalidSession
from pmkit.model import ITEM_KINDS, OptionIssue, OptionScores, Party, is_withheld, parse_session, plan_owner


def option_issue(**fields: Any) -> dict[str, Any]:
    return {"title": "Payment terms", "options": [{"id": "now", "label": "On delivery"},
                                                  {"id": "net-30", "label": "30 days after delivery"}], **fields}


def problems(data: dict[str, Any]) -> str:
    with pytest.raises(InvalidSession) as exc:
        parse_session({"title": "t", **data})
    return str(exc.value)


def test_an_option_issue_is_an_item_kind_with_private_scores() -> None:
    s = parse_session({"title": "t", "option_issues": [option_issue(scores={
        "customer": {"scores": {"now": 20, "net-30": 100}, "weight": 3, "unacceptable": ["now"]}})]})
    (oi,) = s.option_issues
    assert ITEM_KINDS["option_issue"][:2] == ("option_issues", OptionIssue)
    assert oi.id.startswith("o-") and oi.audience == "joint" and oi.option_ids == ["now", "net-30"]
    assert oi.scores["customer"] == OptionScores(scores={"now": 20, "net-30": 100}, weight=3, unacceptable=["now"])
    assert oi.label("net-30") == "30 days after delivery"
    assert OptionScores().weight == 1.0 and OptionScores().scores == {} and OptionScores().unacceptable == []
    assert s.item("option_issue", oi.id) is oi


@pytest.mark.parametrize(("data", "expected"), [
    ({"option_issues": [option_issue(options=[{"id": "a", "label": "A"}])]},
     'option_issues[1] "Payment terms": options'),
    ({"option_issues": [option_issue(options=[{"id": "a", "label": "A"}, {"id": "a", "label": "B"}])]},
     "option ids must be unique"),
    ({"option_issues": [option_issue(scores={"customer": {"scores": {"later": 5}}})]},
     "scores of 'customer' name later, which is not an option"),
    ({"option_issues": [option_issue(scores={"vendor": {"scores": {"now": 5}}})]},
     "scores has 'vendor', which is not a party"),
    ({"option_issues": [option_issue(scores={"customer": {"scores": {"now": 101}}})]},
     "scores.customer.scores.now = 101"),
    ({"option_issues": [option_issue(scores={"customer": {"weight": -1}})]}, "scores.customer.weight = -1"),
    ({"option_issues": [option_issue(audience="vendor")]}, "audience 'vendor' is not allowed"),
    ({"parties": [{"id": "a", "name": "A", "reservation": 1.5}]}, "parties[1]: reservation = 1.5"),
])
def test_errors_name_the_item_the_field_and_the_value(data: dict[str, Any], expected: str) -> None:
    assert expected in problems(data)


def test_a_withheld_option_issue_has_a_plan_entry_owned_by_its_party() -> None:
    s = parse_session({"title": "t", "option_issues": [option_issue(id="terms", audience="management")],
                       "plan": [{"item": "terms", "decision": "now"}]})
    assert s.plan[0].kind == "option_issue" and s.plan[0].key == "option_issue/terms"
    assert is_withheld("option_issue", s.option_issues[0]) and plan_owner(s.option_issues[0]) == "management"


def test_a_party_may_have_a_reservation_value() -> None:
    assert Party(id="itex", name="Itex").reservation is None
    assert Party(id="itex", name="Itex", reservation=0.25).reservation == 0.25


def test_every_name_is_still_imported_from_pmkit_model() -> None:
    for name in model.__all__:
        assert getattr(model, name) is not None
    for name in ("Session", "Goal", "NumericIssue", "Position", "Rating", "PlanEntry", "Option", "OptionScores",
                 "OptionIssue", "parse_session", "plan_owner", "is_withheld", "check_magnitude", "MAX_TITLE"):
        assert name in model.__all__


def test_the_json_schema_describes_option_issues_and_reservation() -> None:
    schema = model.Session.model_json_schema()
    defs = schema["$defs"]
    assert "option_issues" in schema["properties"] and "reservation" in defs["Party"]["properties"]
    assert defs["OptionIssue"]["properties"]["options"]["minItems"] == 2
    assert set(defs["OptionScores"]["properties"]) == {"scores", "weight", "unacceptable"}
