"""The disclosure plan in the workspace: decisions, the clock's dates, and disclosing.

Rules (who decides, what a decision may say, when an item may be disclosed) are in
:mod:`pmkit.rules.disclosure_plan`; this module applies them inside the edits:

* :meth:`DisclosurePlan.decide` records the owner's decision on one withheld item (or the
  facilitator's, on the owner's behalf) and :meth:`DisclosurePlan.set_clock` the day the
  customer is affected from and the dated item that suggests it. Each is one edit (op
  ``decide``, one journal entry, undone by ``pmkit undo``) changing the item's row of
  ``disclosure_plan``; the entry records who recorded it and when;
* :meth:`DisclosurePlan.disclose` (the facilitator alone, and only once the owner has
  decided ``now``) makes the item joint and stamps ``disclosed_on``, and removes its plan
  entry, in one edit (op ``disclose``) whose journal entry holds both changes: the item's new
  audience and the decision it carried out. Undo passes it by: the other side has seen it;
* :meth:`DisclosurePlan.withheld_since` reads the clock's start from the journal.

A party may name only the withheld items of its own audience; any other id, whether it
exists or not, gets the same answer (:func:`pmkit.rules.disclosure_plan.not_yours`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from pmkit.errors import InputError, invalid
from pmkit.i18n import _
from pmkit.model import FACILITATOR, ITEM_KINDS, JOINT, PlanEntry, is_withheld, plan_key, plan_owner
from pmkit.rules.disclosure_plan import item_title, not_yours, require_disclosable
from pmkit.rules.permissions import Actor, as_actor, authorize_decide, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.db import Row, now
from pmkit.store.edit import Edit
from pmkit.store.rows import PLAN, kind_class, loads, plan_data, validate

__all__ = ["DECISION_FIELDS", "KEEP", "DisclosurePlan"]

DECISION_FIELDS = ("decision", "by", "condition", "reason")
KEEP: Any = object()  # set_clock: leave this field as it is


def _today() -> dt.date:
    """The day of an edit, as the journal's time stamps count it (UTC)."""
    return dt.datetime.fromisoformat(now()).date()


class DisclosurePlan(Part):
    """Decisions, the clock and disclosing: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)

    def decide(self, session_id: str, kind: str, item_id: str, decision: str | None, *, role: str | Actor,
               by: dt.date | None = None, condition: str | None = None, reason: str | None = None,
               affected_from: dt.date | None = KEEP, linked_to: str | None = KEEP) -> PlanEntry:
        """Record, in one edit, the decision on a withheld item (``undecided``, ``now``, ``by``
        with ``by`` and optionally ``condition``, or ``never`` with ``reason``; ``None``: keep
        it) and, when given, its clock (see :meth:`set_clock`); returns the entry. The owner
        decides, or the facilitator on its behalf."""
        changes: dict[str, Any] = {}
        if decision is not None:
            changes.update(decision=decision, by=by, condition=condition or None, reason=reason or None)
        changes.update({k: v or None for k, v in (("affected_from", affected_from), ("linked_to", linked_to))
                        if v is not KEEP})
        if not changes:
            raise InputError(_("nothing to record: give a decision, a customer-affected day or a linked item"))
        return self._put(session_id, kind, item_id, role, changes, decided=decision is not None)

    def set_clock(self, session_id: str, kind: str, item_id: str, *, role: str | Actor,
                  affected_from: dt.date | None = KEEP, linked_to: str | None = KEEP) -> PlanEntry:
        """Set (``None`` clears) the day the customer is affected from, and the dated item
        (``action:ID`` or ``issue:ID``) that suggests it when it is not set; the decision stays."""
        return self.decide(session_id, kind, item_id, None, role=role, affected_from=affected_from,
                           linked_to=linked_to)

    def disclose(self, session_id: str, kind: str, item_id: str, *, role: str | Actor = FACILITATOR) -> PlanEntry:
        """Make a withheld item joint, as its owner decided; returns the decision carried out.
        Refused (nothing changes) unless the owner has decided ``now``."""
        authorize_facilitator(as_actor(role).role, "disclose withheld items")
        with self.core.edit(session_id, role, "disclose") as edit:
            meta = self.core.check_role(session_id, role)
            row, item = self._withheld(edit, kind, item_id)
            plan_row = self._current(edit, row)
            entry = (validate(PlanEntry, loads(plan_row["data"]), "plan") if plan_row is not None
                     else PlanEntry.model_validate({"item": item_id, "kind": kind}))
            require_disclosable(item, entry, {p["id"]: p["name"] for p in meta["parties"]})
            edit.update(row, {**loads(row["data"]), "audience": JOINT, "disclosed_on": _today().isoformat()}, JOINT)
            if plan_row is not None:
                edit.delete(plan_row)
        return entry

    def withheld_since(self, session_id: str, role: str) -> dict[str, dt.date]:
        """The day each withheld item ``role`` may read the plan of was withheld, by plan key
        (``goal/vendor-slip``): the newest change that took it from joint (or added it) to a
        withheld audience, from the journal; the session's creation for an item withheld since
        then. An entry's own ``withheld_since`` overrides this (:mod:`pmkit.analytics.disclosure_plan`)."""
        self.core.check_role(session_id, role)
        kinds = tuple(ITEM_KINDS)
        mine = "i.audience = ?" if role != FACILITATOR else "i.audience <> ?"
        args: tuple[Any, ...] = (session_id, role if role != FACILITATOR else JOINT, *kinds)
        items = self._db.read(f"SELECT i.kind, i.item_id, i.audience FROM items i WHERE i.session_id = ? AND {mine} "
                              f"AND i.kind IN ({', '.join('?' * len(kinds))})", args)
        keys = [plan_key(r["kind"], r["item_id"]) for r in items
                if not (r["kind"] == "note" and r["audience"] == FACILITATOR)]
        if not keys:
            return {}
        marks = ", ".join("?" * len(keys))
        rows = self._db.read(  # only the role's own items: a party's process reads nothing of the others
            "SELECT c.kind, c.item_id, max(j.at) AS at FROM journal j JOIN journal_changes c ON c.seq = j.seq "
            "WHERE j.session_id = ? AND c.audience_after IS NOT NULL AND c.audience_after <> ? "
            "AND (c.audience_before IS NULL OR c.audience_before = ?) "
            f"AND c.kind || '/' || c.item_id IN ({marks}) GROUP BY c.kind, c.item_id",
            (session_id, JOINT, JOINT, *keys),
        )
        found = {plan_key(r["kind"], r["item_id"]): _day(r["at"]) for r in rows}
        # the creation day alone: info() would read the working title, which only the facilitator reads
        head = self._db.read("SELECT created_at FROM sessions WHERE id = ?", (session_id,))
        created = _day(head[0]["created_at"])
        return {k: found.get(k, created) for k in keys}

    # -- parts ---------------------------------------------------------------------------
    def _put(self, session_id: str, kind: str, item_id: str, role: str | Actor, changes: Mapping[str, Any],
             *, decided: bool) -> PlanEntry:
        kind_class(kind)
        with self.core.edit(session_id, role, "decide") as edit:
            self.core.check_role(session_id, role)
            row, item = self._withheld(edit, kind, item_id)
            authorize_decide(edit.role, plan_owner(item), row["audience"])
            key = plan_key(kind, item_id)
            plan_row = edit.row(PLAN, key)  # kept for the journal even when written for another audience
            current = self._current(edit, row)
            before = loads(current["data"]) if current is not None else {"item": item_id, "kind": kind}
            after = {**before, **changes}
            if decided:
                after.update(decided_on=_today().isoformat(), recorded_by=edit.role)
            try:
                entry = PlanEntry.model_validate(after)
            except ValidationError as exc:
                if any(e["loc"] == ("linked_to",) for e in exc.errors(include_url=False)):
                    raise InputError(_("decision on '{item}': linked_to: '{after}' is not action:ID or issue:ID; "
                                       "nothing was saved").format(
                                       item=item_title(item), after=after.get('linked_to'))) from None
                raise invalid(exc, _("decision on '{item}'").format(
                                     item=item_title(item)), then=_("; nothing was saved")) from None
            if entry.linked_to:
                self._check_link(edit, entry.linked_to, plan_owner(item))
            data = plan_data(entry)
            if plan_row is None:
                edit.insert(PLAN, key, row["audience"], data)
            elif current is None or loads(current["data"]) != data:
                edit.update(plan_row, data, row["audience"])
            return entry

    def _withheld(self, edit: Edit, kind: str, item_id: str) -> tuple[Row, Any]:
        """The row and model of a withheld item ``edit``'s role may see; for any other id the
        same :func:`~pmkit.rules.disclosure_plan.not_yours` answer, whether it exists or not."""
        row = edit.row(kind, item_id) if kind in ITEM_KINDS else None
        ref = f"{kind}:{item_id}"
        if row is None or (edit.role != FACILITATOR and row["audience"] not in (JOINT, edit.role)):
            raise not_yours(ref, edit.role, edit.session_id)
        item = kind_class(kind).model_validate(loads(row["data"]))
        if row["audience"] == JOINT:
            raise InputError(_("'{item}' is seen by everyone already: nothing is withheld, so nothing to decide or "
                               "disclose").format(item=item_title(item)))
        if not is_withheld(kind, item):
            raise InputError(_("'{item}' is the facilitator's own note, not withheld from anyone in particular; it "
                               "has no disclosure decision").format(item=item_title(item)))
        return row, item

    @staticmethod
    def _current(edit: Edit, row: Row) -> Row | None:
        """The item's plan row if it is current: written for the audience the item has now
        (an entry written for another audience no longer applies: the item is undecided)."""
        plan_row = edit.row(PLAN, plan_key(row["kind"], row["item_id"]))
        return plan_row if plan_row is not None and plan_row["audience"] == row["audience"] else None

    @staticmethod
    def _check_link(edit: Edit, link: str, owner: str) -> None:
        kind, _sep, ref = link.partition(":")
        linked = edit.row(kind, ref)
        if linked is None or (edit.role != FACILITATOR and linked["audience"] not in (JOINT, edit.role)):
            raise InputError(_("linked_to '{link}': no such {kind} in session '{session_id}'").format(
                               link=link, kind=kind, session_id=edit.session_id))
        if owner != FACILITATOR and linked["audience"] not in (JOINT, owner):
            raise InputError(_("linked_to '{link}': {owner}, who owns the item, may not see it; link an item {owner} "
                               "sees").format(link=link, owner=owner))


def _day(stamp: str) -> dt.date:
    return dt.datetime.fromisoformat(stamp).date()

