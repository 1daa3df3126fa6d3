"""The disclosure plan's rules: what a decision may say, which items are withheld, who owns
each, who may read an entry, and the refusals, as tables of input -> expected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmkit.errors import AccessDenied, InputError, InvalidSession, NotFound
from pmkit.formats.yaml_file import dump_session, load_session
from pmkit.model import PlanEntry, is_withheld, parse_session, plan_owner
from pmkit.rules.disclosure_plan import (
    decision_text,
    entry_for,
    find_item,
    recorded_text,
    require_disclosable,
    withheld_items,
)
from pmkit.rules.permissions import authorize_decide
from pmkit.rules.visibility import hidden_texts, may_read_plan, view_for
from pmkit.text import date_renderings
from tests.support.starters import starter

DAY = dt.date(2026, 12, 11)


def session(**extra: Any) -> Any:
    """Two parties; a goal and an action for management, a goal for the facilitator raised by
    management, an agreement for the facilitator, a facilitator's note, a customer goal and
    joint items."""
    return parse_session({
        "title": "t", "date": "2026-11-24",
        "goals": [
            {"id": "slip", "title": "Vendor slip", "raised_by": "management", "audience": "management"},
            {"id": "penalty", "title": "Penalty clause", "raised_by": "management", "audience": "facilitator"},
            {"id": "budget", "title": "Our own budget", "raised_by": "customer", "audience": "customer"},
            {"id": "env", "title": "Test environment", "raised_by": "customer"},
        ],
        "issues": [{"id": "delay", "title": "Delay", "unit": "weeks",
                    "positions": {"customer": {"ideal": 0, "walk_away": 2}}}],
        "agreements": [{"id": "plan", "text": "Tell them later", "kind": "decision", "audience": "facilitator"}],
        "actions": [{"id": "env", "title": "Confirm the date", "due": "2026-11-30"},
                    {"id": "fix", "title": "Sign off the fix", "due": "2026-11-27", "audience": "management"}],
        "notes": [{"id": "mine", "text": "Raise it last", "audience": "facilitator"},
                  {"id": "hers", "text": "A note for management", "audience": "management"}],
        **extra,
    })


# -- a decision ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, None),
        ({"decision": "now"}, None),
        ({"decision": "by", "by": "2026-12-11"}, None),
        ({"decision": "by", "by": "2026-12-11", "condition": "the fix is signed off"}, None),
        ({"decision": "never", "reason": "internal cost"}, None),
        ({"decision": "undecided", "reason": "waiting for legal"}, None),
        ({"decision": "by"}, "needs the date to disclose by"),
        ({"decision": "now", "by": "2026-12-11"}, "belong to a 'by' decision"),
        ({"decision": "never", "condition": "later"}, "belong to a 'by' decision"),
        ({"decision": "never"}, "needs a reason"),
        ({"decision": "soon"}, "decision"),
        ({"linked_to": "goal:env"}, "linked_to"),
        ({"recorded_by": "Management"}, "recorded_by"),
    ],
)
def test_what_a_decision_may_say(fields: dict[str, Any], problem: str | None) -> None:
    if problem is None:
        PlanEntry.model_validate({"item": "slip", **fields})
    else:
        with pytest.raises(ValueError, match=problem):
            PlanEntry.model_validate({"item": "slip", **fields})


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({}, "undecided"),
        ({"decision": "now"}, "disclose now"),
        ({"decision": "by", "by": "2026-12-11"}, "disclose by 2026-12-11"),
        ({"decision": "by", "by": "2026-12-11", "condition": "the fix is signed off"},
         "disclose by 2026-12-11 after the fix is signed off"),
        ({"decision": "never", "reason": "internal cost"}, "do not disclose: internal cost"),
    ],
)
def test_a_decision_in_words(entry: dict[str, Any], words: str) -> None:
    assert decision_text(PlanEntry.model_validate({"item": "x", **entry})) == words


# -- withheld items and their owners -----------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "item_id", "withheld", "owner"),
    [
        ("goal", "slip", True, "management"),  # the party of its audience
        ("goal", "penalty", True, "management"),  # for the facilitator alone: who raised it
        ("goal", "budget", True, "customer"),  # a customer's item, withheld from management
        ("goal", "env", False, None),  # joint: nothing withheld
        ("agreement", "plan", True, "facilitator"),  # for the facilitator, raised by nobody
        ("action", "fix", True, "management"),
        ("note", "mine", False, None),  # the facilitator's own working note
        ("note", "hers", True, "management"),
    ],
)
def test_which_items_are_withheld_and_who_owns_them(kind: str, item_id: str, withheld: bool,
                                                    owner: str | None) -> None:
    s = session()
    item = s.item(kind, item_id)
    assert is_withheld(kind, item) is withheld
    if owner is not None:
        assert plan_owner(item) == owner
    assert ((kind, item) in list(withheld_items(s))) is withheld


def test_positions_are_no_plan_items() -> None:
    s = session()
    assert all(kind != "position" for kind, _ in withheld_items(s))
    with pytest.raises(InvalidSession, match=r"plan\[1\]: item = 'delay/customer'"):
        session(plan=[{"item": "delay/customer"}])


@pytest.mark.parametrize(
    ("role", "audience", "may"),
    [
        ("facilitator", "management", True),
        ("facilitator", "facilitator", True),
        ("management", "management", True),
        ("management", "facilitator", False),  # its own goal for the facilitator: it never sees it
        ("customer", "management", False),
        ("customer", "customer", True),
        ("customer", "joint", False),
    ],
)
def test_who_may_read_a_plan_entry(role: str, audience: str, may: bool) -> None:
    assert may_read_plan(role, audience) is may


@pytest.mark.parametrize(
    ("role", "owner", "audience", "allowed"),
    [
        ("management", "management", "management", True),
        ("facilitator", "management", "management", True),  # on management's behalf
        ("facilitator", "management", "facilitator", True),
        ("management", "management", "facilitator", False),  # owns it, may not see it
        ("customer", "management", "management", False),
        ("customer", "customer", "customer", True),
    ],
)
def test_who_may_decide(role: str, owner: str, audience: str, allowed: bool) -> None:
    if allowed:
        authorize_decide(role, owner, audience)
    else:
        with pytest.raises(AccessDenied, match="decides only on its own withheld items"):
            authorize_decide(role, owner, audience)


# -- the plan in a session -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("plan", "problem"),
    [
        ([{"item": "nope"}], "no item with this id"),
        ([{"item": "env"}], "the id of a goal and an action"),  # a goal and an action share it
        ([{"item": "env", "kind": "action"}], "not withheld from anyone"),
        ([{"item": "mine"}], "not withheld from anyone"),
        ([{"item": "slip"}, {"item": "slip", "kind": "goal"}], "named twice"),
        ([{"item": "slip", "linked_to": "action:nope"}], "is not an item of the session"),
        ([{"item": "budget", "linked_to": "action:fix"}], "not seen by customer"),
        ([{"item": "slip", "recorded_by": "board"}], "recorded_by 'board' is not a role"),
    ],
)
def test_a_plan_names_each_withheld_item_once(plan: list[dict[str, Any]], problem: str) -> None:
    with pytest.raises(InvalidSession, match=problem):
        session(plan=plan)


def test_entries_are_kept_in_the_order_of_their_items_and_their_kind_is_found() -> None:
    s = session(plan=[{"item": "fix"}, {"item": "hers"}, {"item": "slip", "decision": "now"}])
    assert [(e.kind, e.item) for e in s.plan] == [("goal", "slip"), ("action", "fix"), ("note", "hers")]
    assert entry_for(s, "goal", "slip").decision == "now"
    assert entry_for(s, "goal", "penalty") == PlanEntry.model_validate({"item": "penalty", "kind": "goal"})


def test_the_plan_round_trips_through_yaml_and_an_empty_one_is_left_out() -> None:
    s = session(plan=[{"item": "slip", "decision": "by", "by": "2026-12-11", "condition": "it is fixed",
                       "linked_to": "action:env", "withheld_since": "2026-11-10", "decided_on": "2026-11-24",
                       "recorded_by": "facilitator"},
                      {"item": "fix", "decision": "never", "reason": "internal"}])
    text = dump_session(s)
    assert load_session(text) == s
    assert dump_session(load_session(text)) == text
    assert "plan:" not in dump_session(session())


def test_a_partys_view_holds_its_own_entries_only() -> None:
    s = session(plan=[{"item": "slip", "decision": "now"}, {"item": "penalty", "decision": "never", "reason": "legal"},
                      {"item": "budget", "decision": "undecided", "reason": "ours"},
                      {"item": "plan", "decision": "now"}])
    assert [e.item for e in view_for(s, "management").plan] == ["slip"]  # not its goal for the facilitator
    assert [e.item for e in view_for(s, "customer").plan] == ["budget"]
    assert [e.item for e in view_for(s, "facilitator").plan] == ["slip", "penalty", "budget", "plan"]


def test_a_link_the_owner_cannot_see_is_left_out_of_its_view() -> None:
    # a link is checked when it is made; if the linked item is hidden afterwards, the view drops it
    s = session(plan=[{"item": "slip", "linked_to": "action:fix"}])
    s.actions[1].audience = "facilitator"
    assert view_for(s, "management").plan[0].linked_to is None


def test_hidden_texts_hold_every_plan_entry_a_role_may_not_read() -> None:
    s = session(plan=[{"item": "slip", "decision": "by", "by": "2027-02-17", "condition": "the fix is signed off"},
                      {"item": "penalty", "decision": "never", "reason": "legal advice",
                       "affected_from": "2027-04-01"}])
    customer = hidden_texts(s, "customer")
    assert {"the fix is signed off", "legal advice"} <= set(customer)
    assert set(date_renderings(dt.date(2027, 2, 17))) <= set(customer)
    assert "17 February 2027" in customer
    management = hidden_texts(s, "management")
    assert "legal advice" in management and "the fix is signed off" not in management
    assert "2027-02-17" not in management
    # a date the role's own view holds is no secret (the session's date, a joint due date)
    s2 = session(plan=[{"item": "slip", "affected_from": "2026-11-30"}])
    assert "2026-11-30" not in hidden_texts(s2, "customer")


# -- finding an item, refusals -----------------------------------------------------------------
def test_an_item_is_named_by_id_or_kind_and_id() -> None:
    s = session()
    assert find_item(s, "slip", "facilitator", "sid")[1].id == "slip"
    assert find_item(s, "action:fix", "facilitator", "sid")[0] == "action"
    with pytest.raises(InputError, match="seen by everyone already"):
        find_item(s, "goal:env", "facilitator", "sid")
    with pytest.raises(InputError, match="unknown kind 'thing'"):
        find_item(s, "thing:slip", "facilitator", "sid")


def test_a_party_naming_another_partys_item_gets_the_answer_for_a_missing_one() -> None:
    view = view_for(session(), "customer")
    with pytest.raises(NotFound) as theirs:
        find_item(view, "slip", "customer", "sid")
    with pytest.raises(NotFound) as missing:
        find_item(view, "no-such-item", "customer", "sid")
    assert str(theirs.value).replace("slip", "X") == str(missing.value).replace("no-such-item", "X")
    assert "management" not in str(theirs.value)


@pytest.mark.parametrize(
    ("entry", "refused"),
    [
        ({}, "Management has not decided"),
        ({"decision": "never", "reason": "legal"}, "Management has decided 'never'"),
        ({"decision": "by", "by": "2026-12-11"}, "decided to disclose by 2026-12-11; when the day has come, "
                                                   "Management confirms by deciding 'now'"),
        ({"decision": "now"}, None),
    ],
)
def test_disclosing_needs_the_owners_decision_to_disclose_now(entry: dict[str, Any], refused: str | None) -> None:
    s = session()
    item = s.item("goal", "slip")
    e = PlanEntry.model_validate({"item": "slip", "kind": "goal", **entry})
    names = {p.id: p.name for p in s.parties}
    if refused is None:
        require_disclosable(item, e, names)
        return
    with pytest.raises(AccessDenied) as info:
        require_disclosable(item, e, names)
    message = str(info.value)
    assert refused in message and "\n" not in message
    assert message.startswith("not disclosed: 'Vendor slip' is Management's to disclose")


def test_who_recorded_a_decision() -> None:
    s = session(plan=[{"item": "slip", "decision": "now", "recorded_by": "facilitator", "decided_on": "2026-11-24"},
                      {"item": "fix", "decision": "now", "recorded_by": "management"},
                      {"item": "hers"}])
    assert recorded_text(s.plan[0], s) == "recorded by the facilitator on behalf of Management on 2026-11-24"
    assert recorded_text(s.plan[1], s) == "recorded by Management"
    assert recorded_text(s.plan[2], s) == ""


def test_the_demo_shows_a_decided_and_an_undecided_item() -> None:
    demo = starter("undisclosed-risk")
    decisions = {e.item: e.decision for e in demo.plan}
    assert decisions["vendor-slip"] == "by" and decisions["recover-quietly"] == "undecided"
    assert decisions["overtime-budget"] == "never"
    overtime = next(e for e in demo.plan if e.item == "overtime-budget")
    assert recorded_text(overtime, demo).startswith("recorded by the facilitator on behalf of Programme management")
    assert view_for(demo, "customer").plan == []
