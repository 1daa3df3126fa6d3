"""The session model: defaults, generated ids, and validation messages a user can act on."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.errors import InvalidSession, PmkitError
from pmkit.model import (
    FACILITATOR,
    ITEM_KINDS,
    JOINT,
    Goal,
    Rating,
    Session,
    new_item_id,
    parse_session,
)


def goal(title: str = "Goal", **fields: Any) -> dict[str, Any]:
    return {"title": title, "raised_by": "customer", **fields}


def test_defaults_two_parties_and_their_roles() -> None:
    s = parse_session({"title": "Kick-off"})
    assert s.party_ids == ["customer", "management"]
    assert s.roles == [FACILITATOR, "customer", "management"]
    assert s.party_name("management") == "Management"
    assert s.goals == [] and s.issues == [] and s.notes == []


def test_more_than_two_parties_are_allowed() -> None:
    s = parse_session(
        {
            "title": "Three-way",
            "parties": [
                {"id": "customer", "name": "Customer"},
                {"id": "management", "name": "Management"},
                {"id": "vendor", "name": "Vendor"},
            ],
            "goals": [goal(raised_by="vendor", ratings={"vendor": {"importance": 4}})],
        }
    )
    assert s.roles == [FACILITATOR, "customer", "management", "vendor"]
    assert s.goals[0].ratings["vendor"] == Rating(importance=4, stance="neutral")


def test_missing_ids_are_generated_unique_and_prefixed_by_kind() -> None:
    s = parse_session(
        {
            "title": "t",
            "goals": [goal("a"), goal("b")],
            "issues": [{"title": "Budget"}],
            "agreements": [{"text": "Yes"}],
            "actions": [{"title": "Do"}],
            "notes": [{"text": "Hm"}],
        }
    )
    ids = [
        s.goals[0].id,
        s.goals[1].id,
        s.issues[0].id,
        s.agreements[0].id,
        s.actions[0].id,
        s.notes[0].id,
    ]
    assert len(set(ids)) == len(ids)
    assert [i.split("-")[0] for i in ids] == ["g", "g", "i", "a", "x", "n"]
    # unguessable: not a counter
    assert new_item_id("goal") != new_item_id("goal")


def test_every_item_kind_defaults_to_joint_audience() -> None:
    for _kind, (_field, cls, _prefix) in ITEM_KINDS.items():
        assert cls.model_fields["audience"].default == JOINT


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # item, field, bad value and the rule
        (
            {"title": "t", "goals": [goal("Ship it", ratings={"customer": {"importance": 7}})]},
            ['goals[1] "Ship it"', "ratings.customer.importance", "7", "less than or equal to 5"],
        ),
        (
            {
                "title": "t",
                "goals": [goal("Ship it", ratings={"customer": {"importance": 3, "stance": "love"}})],
            },
            ['goals[1] "Ship it"', "stance", "'love'", "'support', 'neutral' or 'oppose'"],
        ),
        (
            {"title": "t", "goals": [goal("Hidden", audience="board")]},
            ['goals[1] "Hidden"', "audience 'board'", "joint, facilitator, customer, management"],
        ),
        (
            {"title": "t", "goals": [goal("Who", raised_by="vendor")]},
            ['goals[1] "Who"', "raised_by 'vendor'", "customer, management"],
        ),
        (
            {"title": "t", "goals": [goal("R", ratings={"board": {"importance": 1}})]},
            ['goals[1] "R"', "ratings has 'board'", "customer, management"],
        ),
        (
            {"title": "t", "issues": [{"title": "Budget", "positions": {"board": {"ideal": 1}}}]},
            ['issues[1] "Budget"', "positions has 'board'"],
        ),
        (
            {"title": "t", "goals": [goal("A", id="x1"), goal("B", id="x1")]},
            ['goals[2] "B"', "id 'x1' is used twice"],
        ),
        (
            {
                "title": "t",
                "parties": [{"id": "joint", "name": "J"}, {"id": "customer", "name": "C"}],
            },
            ["'joint' is reserved"],
        ),
        (
            {"title": "t", "goals": [goal(colour="red")]},
            ["goals[1]", "unknown field 'colour'", "pmkit schema"],
        ),
        ({"title": "t", "goals": [{"raised_by": "customer"}]}, ["goals[1]", "title is missing"]),
        ({"description": "no title"}, ["session", "title is missing"]),
        (
            {
                "title": "t",
                "issues": [{"title": "Budget", "positions": {"customer": {"ideal": float("inf")}}}],
            },
            ['issues[1] "Budget"', "positions.customer.ideal", "finite number"],
        ),
        (
            {"title": "t", "actions": [{"title": "Call", "due": "next week"}]},
            ['actions[1] "Call"', "due", "'next week'", "date"],
        ),
        ({"title": "t", "parties": []}, ["parties", "at least 1 item"]),
        (
            {"title": "t", "parties": [{"id": "Customer X", "name": "C"}]},
            ["parties[1]: id", "'Customer X'"],
        ),
        ({"title": "   "}, ["title", "at least 1 character"]),
        ({"title": "x" * 301}, ["title", "at most 300 characters"]),
    ],
)
def test_validation_errors_name_item_field_value_and_rule(data: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(InvalidSession) as info:
        parse_session(data)
    message = str(info.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, (part, message)


@pytest.mark.parametrize("data", [None, [], "title: x", 42, ["title"]])
def test_a_session_must_be_a_mapping(data: Any) -> None:
    with pytest.raises(InvalidSession, match="must be a mapping"):
        parse_session(data)


def test_every_problem_is_listed_and_the_message_counts_the_rest() -> None:
    data = {
        "title": "t",
        "goals": [
            goal("A", ratings={"customer": {"importance": 9}}),
            goal("B", raised_by=""),
            goal("C", colour="x"),
        ],
    }
    with pytest.raises(InvalidSession) as info:
        parse_session(data)
    problems = info.value.problems  # type: ignore[attr-defined]
    assert len(problems) == 3
    assert "(and 2 more problems; `pmkit check` lists them)" in str(info.value)
    assert [p.split(":")[0] for p in problems] == ['goals[1] "A"', 'goals[2] "B"', 'goals[3] "C"']
    assert "raised_by" in problems[1]

    # reference problems are all listed too, once every field is well-formed
    data = {"title": "t", "goals": [goal("A", audience="board"), goal("B", raised_by="vendor")]}
    with pytest.raises(InvalidSession) as info:
        parse_session(data)
    assert len(info.value.problems) == 2  # type: ignore[attr-defined]


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidSession) as info:
        parse_session({"title": "t", "actions": [{"title": "a", "due": "z" * 10_000}]})
    assert len(str(info.value)) <= 400


def test_errors_are_pmkit_errors_and_not_pydantic_ones() -> None:
    with pytest.raises(PmkitError) as info:
        parse_session({"title": "t", "goals": "many"})
    assert info.type is InvalidSession
    assert info.value.__cause__ is None  # no chained traceback for users


def test_text_is_kept_as_plain_text() -> None:
    html = "<script>alert('x')</script> & <b>bold</b>"
    s = parse_session({"title": html, "notes": [{"text": html}]})
    assert s.title == html
    assert s.notes[0].text == html


def test_assignment_is_validated() -> None:
    g = Goal(title="A", raised_by="customer")
    with pytest.raises(ValueError):
        g.ratings = {"customer": {"importance": 9}}  # type: ignore[dict-item]


def test_session_round_trips_through_its_own_dump() -> None:
    s = parse_session(
        {
            "title": "t",
            "date": "2026-11-24",
            "goals": [goal(ratings={"customer": {"importance": 2, "stance": "oppose"}})],
            "issues": [{"title": "Budget", "positions": {"customer": {"ideal": 1.5, "walk_away": 2}}}],
            "actions": [{"title": "Call", "due": "2026-12-01", "status": "done"}],
        }
    )
    assert parse_session(s.model_dump()) == s
    assert Session.model_validate_json(s.model_dump_json()) == s
