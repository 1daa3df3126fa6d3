"""What a role may write: one table of rules, for the store and the widgets alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pmkit.errors import AccessDenied
from pmkit.model import Agreement, Goal, Rating
from pmkit.rules import permissions as perm

OWN_GOAL = Goal(id="g", title="Ours", raised_by="customer", ratings={"customer": Rating(importance=3)})


@pytest.mark.parametrize(
    ("check", "refusal"),
    [
        (lambda: perm.authorize_add("facilitator", "agreement", Agreement(text="We agree")), None),
        (lambda: perm.authorize_add("customer", "goal", OWN_GOAL), None),
        (lambda: perm.authorize_add("customer", "goal", OWN_GOAL.model_copy(update={"audience": "customer"})), None),
        (lambda: perm.authorize_add("customer", "agreement", Agreement(text="We agree")),
         "only the facilitator may add agreements"),
        (lambda: perm.authorize_add("management", "goal", OWN_GOAL), "raised by itself"),
        (lambda: perm.authorize_add("customer", "goal", OWN_GOAL.model_copy(update={"audience": "facilitator"})),
         "for everyone or itself"),
        (lambda: perm.authorize_add("customer", "goal", OWN_GOAL.model_copy(
            update={"ratings": {"management": Rating(importance=1)}})), "only for itself"),
        (lambda: perm.authorize_update("facilitator", "goal"), None),
        (lambda: perm.authorize_update("customer", "goal"), "only the facilitator may change a goal"),
        (lambda: perm.authorize_rating("customer", "customer"), None),
        (lambda: perm.authorize_rating("facilitator", "management"), None),
        (lambda: perm.authorize_rating("customer", "management"), "may not rate goals for 'management'"),
        (lambda: perm.authorize_position("management", "management"), None),
        (lambda: perm.authorize_position("customer", "management"), "may not set the position of 'management'"),
        (lambda: perm.authorize_facilitator("facilitator", "undo"), None),
        (lambda: perm.authorize_facilitator("customer", "undo"), "only the facilitator may undo"),
        (lambda: perm.require(perm.may_edit_items("customer"), "adding goals"), "not allowed: adding goals"),
        (lambda: perm.require(perm.may_rate("customer", "customer"), "rating"), None),
        (lambda: perm.authorize_round("facilitator", "open a round"), None),
        (lambda: perm.authorize_round("customer", "open a round"), "only the facilitator may open a round"),
        (lambda: perm.authorize_round("room", "reveal a round"), "only the facilitator may reveal a round"),
        (lambda: perm.authorize_answer("customer", "customer"), None),
        (lambda: perm.authorize_answer("customer", "management"), "may not answer in a round for 'management'"),
        (lambda: perm.authorize_answer("facilitator", "customer"), "a party answers for itself"),
        (lambda: perm.authorize_answer("room", "customer"), "may not answer"),
    ],
)
def test_write_rules(check: Callable[[], None], refusal: str | None) -> None:
    if refusal is None:
        check()
    else:
        with pytest.raises(AccessDenied, match=refusal):
            check()


def test_the_questions_the_widgets_ask() -> None:
    assert perm.may_edit_items("facilitator") and not perm.may_edit_items("customer")
    assert perm.may_rate("facilitator", "customer") and perm.may_rate("customer", "customer")
    assert not perm.may_rate("customer", "management") and not perm.may_rate("room", "customer")
    assert perm.may_run_rounds("facilitator") and not perm.may_run_rounds("customer")
    assert not perm.may_run_rounds("room")
