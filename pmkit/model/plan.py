"""The disclosure plan's entries and the rules of which item has one and who owns it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import StringConstraints, model_validator

from pmkit.i18n import _
from pmkit.model.base import FACILITATOR, JOINT, ShortText, Text, _Base
from pmkit.model.items import Goal

DECISIONS = ("undecided", "now", "by", "never")
Decision = Literal["undecided", "now", "by", "never"]
RoleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
ItemRef = Annotated[str, StringConstraints(pattern=r"^(action|issue):[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


def is_withheld(kind: str, item: Any) -> bool:
    """Whether an item of ``kind`` is withheld from some party, and so has a place in the
    disclosure plan: its audience is not joint, and it is not a note for the facilitator
    alone (the facilitator's own working note)."""
    return item.audience != JOINT and not (kind == "note" and item.audience == FACILITATOR)


def plan_owner(item: Any) -> str:
    """Who decides whether a withheld item is disclosed: the party of its audience; for an
    item for the facilitator alone, the party that raised it (a goal) or the facilitator."""
    if item.audience != FACILITATOR:
        return str(item.audience)
    return str(item.raised_by) if isinstance(item, Goal) else FACILITATOR


def plan_key(kind: str, item_id: str) -> str:
    """How the plan names an item: ``<kind>/<id>`` (ids are unique within a kind)."""
    return f"{kind}/{item_id}"


class PlanEntry(_Base):
    """What is recorded for one withheld item: its owner's decision and its clock.

    ``decision`` is ``undecided`` (the default), ``now``, ``by`` (with the date ``by`` and
    optionally a ``condition``: "by 2026-12-11, after the recovery plan is signed off") or
    ``never`` (with a ``reason``). ``affected_from`` is the day the customer starts to be
    affected; ``linked_to`` (``action:ID`` or ``issue:ID``) names a dated item that suggests
    it when it is not set (:mod:`pmkit.analytics.disclosure_plan`). ``withheld_since`` fixes the day the
    item was first withheld (otherwise the journal says). ``decided_on`` and ``recorded_by``
    (the role that recorded the decision: the owner, or the facilitator on its behalf) are
    set by the workspace with each decision.
    """

    item: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    kind: Literal["", "goal", "issue", "agreement", "action", "note", "option_issue"] = ""  # found from the id when ""
    decision: Decision = "undecided"
    by: dt.date | None = None
    condition: ShortText | None = None
    reason: Text | None = None
    affected_from: dt.date | None = None
    linked_to: ItemRef | None = None
    withheld_since: dt.date | None = None
    decided_on: dt.date | None = None
    recorded_by: RoleId | None = None

    @model_validator(mode="after")
    def _decision_rules(self) -> PlanEntry:
        if self.decision == "by" and self.by is None:
            raise ValueError(_("a 'by' decision needs the date to disclose by (by: YYYY-MM-DD)"))
        if self.decision != "by" and (self.by is not None or self.condition):
            raise ValueError(_(
                "a date to disclose by and a condition belong to a 'by' decision, not '{decision}'").format(
                    decision=self.decision))
        if self.decision == "never" and not self.reason:
            raise ValueError(_("a 'never' decision needs a reason"))
        return self

    @property
    def key(self) -> str:
        return plan_key(self.kind, self.item)
