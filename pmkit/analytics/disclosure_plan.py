"""The disclosure plan's clock: how long each withheld item has been withheld, against when
the customer starts to be affected by it. Pure: a session view and today's date in, lines out.

For every withheld item of the view (:func:`pmkit.rules.disclosure_plan.withheld_items`; a party's view holds
only its own), one :class:`PlanLine`:

* **withheld since**: the entry's own ``withheld_since`` when it has one, else the day the
  workspace's journal gives (``Workspace.withheld_since``, passed in as ``since``), else none;
* **customer affected from**: the entry's ``affected_from`` when it is set; otherwise a
  *suggested* day from the dated item it is linked to (``linked_to``):

  - an action: its due date;
  - a numeric issue whose unit is days or weeks (its first word ``day``/``days``/``week``/
    ``weeks``, counted from the session's date): the session's date plus the smallest
    walk-away (else ideal) among the positions, in the view, of the parties the item is
    withheld from: the point beyond which that party no longer accepts the slip. A view
    without those positions (an owner's own view never holds the other side's) has no
    suggestion, so an owner is never shown a day made from a value it may not see; a
    result more than 3650 days away is no suggestion either;

* **days left**: customer affected from minus today (negative once it has passed);
* **near**: days left is at most ``near_days`` (``plan_warn_days``, 14 by default), past
  days included; **overdue**: decided ``by`` a day before today and still withheld;
* **disclosable**: decided ``now`` (the facilitator may disclose it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pmkit.model import NumericIssue, PlanEntry, Session, plan_owner
from pmkit.rules.disclosure_plan import decision_text, entry_for, item_title, recorded_text, withheld_items
from pmkit.rules.visibility import may_see

__all__ = ["MAX_SUGGESTION_DAYS", "NEAR_DAYS", "PlanLine", "plan_lines", "suggested_affected", "unit_days"]

NEAR_DAYS = 14  # the default of the setting plan_warn_days
MAX_SUGGESTION_DAYS = 3650
_UNIT = re.compile(r"^\s*(day|days|week|weeks)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PlanLine:
    """One withheld item on the clock, with its decision."""

    kind: str
    item_id: str
    title: str
    audience: str
    owner: str
    decision: str  # undecided | now | by | never
    decision_text: str  # "disclose by 2026-12-11 after …"
    by: dt.date | None
    withheld_since: dt.date | None
    affected_from: dt.date | None
    affected_source: str  # "set", "suggested: due date of action '…'", or "" when unknown
    days_left: int | None
    near: bool
    overdue: bool
    disclosable: bool
    recorded: str  # "recorded by … on …" or ""


def unit_days(unit: str) -> int | None:
    """How many days one unit is: 1 for days, 7 for weeks, None for anything else."""
    m = _UNIT.match(unit)
    if m is None:
        return None
    return 7 if m.group(1).lower().startswith("week") else 1


def _from_issue(session: Session, issue: NumericIssue, withheld_from: list[str]) -> dt.date | None:
    per = unit_days(issue.unit)
    if per is None or session.date is None:
        return None
    values = [p.walk_away if p.walk_away is not None else p.ideal
              for party, p in issue.positions.items() if party in withheld_from]
    if not values:
        return None
    days = math.floor(min(values) * per)
    if abs(days) > MAX_SUGGESTION_DAYS:
        return None
    return session.date + dt.timedelta(days=days)


def suggested_affected(session: Session, entry: PlanEntry, audience: str) -> tuple[dt.date, str] | None:
    """The suggested customer-affected day of an entry whose item has ``audience``, from the
    item it is linked to, and where it comes from; None when there is none (see the module)."""
    if not entry.linked_to:
        return None
    kind, _, ref = entry.linked_to.partition(":")
    linked = session.item(kind, ref)
    if linked is None:
        return None
    if kind == "action":
        due = getattr(linked, "due", None)
        return (due, f"suggested: due date of action '{linked.title}'") if due else None
    withheld_from = [p for p in session.party_ids if not may_see(p, audience)]
    day = _from_issue(session, linked, withheld_from)
    return (day, f"suggested: {session.date} plus the walk-away on '{linked.title}'") if day else None


def plan_lines(session: Session, today: dt.date, since: Mapping[str, dt.date] | None = None,
               near_days: int = NEAR_DAYS) -> tuple[PlanLine, ...]:
    """Every withheld item of ``session`` (a role's view) on the clock, in the session's order."""
    out: list[PlanLine] = []
    for kind, item in withheld_items(session):
        entry = entry_for(session, kind, item.id)
        affected, source = entry.affected_from, "set" if entry.affected_from else ""
        if affected is None:
            suggestion = suggested_affected(session, entry, item.audience)
            if suggestion is not None:
                affected, source = suggestion
        left = (affected - today).days if affected else None
        out.append(PlanLine(
            kind=kind, item_id=item.id, title=item_title(item), audience=item.audience, owner=plan_owner(item),
            decision=entry.decision, decision_text=decision_text(entry), by=entry.by,
            withheld_since=entry.withheld_since or (since or {}).get(entry.key),
            affected_from=affected, affected_source=source, days_left=left,
            near=left is not None and left <= near_days,
            overdue=entry.decision == "by" and entry.by is not None and entry.by < today,
            disclosable=entry.decision == "now",
            recorded=recorded_text(entry, session),
        ))
    return tuple(out)
