"""What the next meeting of a series starts from: the rule of what carries over.

:func:`carry_over` takes the facilitator's whole view of a meeting and gives the session the
next one starts from:

* the parties, the working title and note, the title for everyone (a dated neutral title
  takes the new date);
* every goal with each side's latest ratings, every numeric issue with each side's latest
  positions, every option issue with each side's latest scores: the starting point, so the
  conflicts that stayed open are open again, and what moves from here is what moved since;
* the open actions (done and dropped ones stay in the meeting that closed them);
* the disclosure plan's undecided and dated entries (``by``), and ``never`` decisions,
  which stand; each with ``withheld_since`` fixed to the day its item was first withheld,
  so its clock runs on across meetings instead of starting again;
* not the agreements, decisions and notes: they are the record of the meeting that made them.

Items keep their ids and audiences, so a withheld item stays withheld and the series can
match each item from one meeting to the next. Pure: a session in, a session out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pmkit.model import PlanEntry, Session, plan_key

__all__ = ["CARRIED_DECISIONS", "carry_over"]

CARRIED_DECISIONS = ("undecided", "by", "never")  # a "now" decision was carried out: the item is joint


def carry_over(session: Session, *, withheld_since: Mapping[str, dt.date], date: dt.date | None) -> Session:
    """The session the meeting after ``session`` (the facilitator's view) starts from, on
    ``date``. ``withheld_since``: the day each withheld item was first withheld, by plan key
    (``Workspace.disclosure_plan.withheld_since``), kept on each plan entry carried over."""
    actions = [a for a in session.actions if a.status == "open"]
    kept = {("action", a.id) for a in actions} | {(k, x.id) for k, xs in (
        ("goal", session.goals), ("issue", session.issues), ("option_issue", session.option_issues)) for x in xs}
    plan = []
    for entry in session.plan:
        if entry.decision not in CARRIED_DECISIONS or (entry.kind, entry.item) not in kept:
            continue
        since = entry.withheld_since or withheld_since.get(entry.key)
        linked = entry.linked_to
        if linked:
            kind, _, ref = linked.partition(":")
            linked = linked if (kind, ref) in kept else None
        plan.append(entry.model_copy(update={"withheld_since": since, "linked_to": linked}))
    # withheld items with no entry yet get one, so that their clock carries over too
    planned = {e.key for e in session.plan}
    for kind, items in (("goal", session.goals), ("issue", session.issues),
                        ("option_issue", session.option_issues), ("action", actions)):
        for x in items:
            key = plan_key(kind, x.id)
            if key in withheld_since and key not in planned:
                plan.append(PlanEntry(item=x.id, kind=kind, withheld_since=withheld_since[key]))
    data = session.model_dump(mode="json")
    data.update(date=date.isoformat() if date else None, agreements=[], notes=[],
                actions=[a.model_dump(mode="json") for a in actions],
                plan=[e.model_dump(mode="json", exclude_none=True) for e in plan])
    return Session.model_validate(data)
