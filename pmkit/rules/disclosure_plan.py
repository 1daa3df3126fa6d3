"""The disclosure plan's rules: which items are withheld, who decides on each, what a decision
may say, and when an item may be disclosed.

Management may hold back an issue it means to fix before the customer hears of it, and by
the time it is fixed it may be too late for the customer. So the plan records, for every
item withheld from a party, its owner's decision *before* the joint meeting, and dates it:

* **withheld items** (:func:`withheld_items`): every item whose audience is not joint, but
  for a note for the facilitator alone (the facilitator's own working note). Positions on
  numeric issues are always private and are no plan items;
* **the owner** (:func:`pmkit.model.plan_owner`) decides: the party of the item's audience
  (``management`` for an item for management); for an item for the facilitator alone, the
  party that raised it (a goal) or else the facilitator;
* **who records a decision**: the owner, on its own page or with ``pmkit decide --as
  PARTY``, and the facilitator on the owner's behalf (the entry then says "recorded by the
  facilitator on behalf of …"). A party sees, and decides on, only the items of its own
  audience: the owner of a goal for the facilitator alone never sees that goal, so the
  facilitator records its decision. A party naming any other item gets the same answer as
  for an item that does not exist (:func:`not_yours`), so asking reveals nothing;
* **decisions**: ``undecided`` (no entry), ``now``, ``by`` a date, optionally "after" a
  condition, ``never`` with a reason. A decision applies to the audience it was made for:
  when an item's audience changes other than by disclosing, the item is undecided again
  (the journal keeps the old decision);
* **disclosing** (:func:`require_disclosable`): the facilitator alone discloses, and only an
  item whose owner has decided ``now`` (when a ``by`` date has come, the owner confirms by
  deciding ``now``). Disclosing makes the item joint in one edit that names the decision it
  carries out and stamps ``disclosed_on``; it is not undone (the other side has seen it).

Who may read the plan: the owner and the facilitator. The workspace filters it in its
queries; :func:`pmkit.rules.visibility.view_for` applies the same rule in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pmkit import settings
from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.i18n import _
from pmkit.model import FACILITATOR, ITEM_KINDS, PlanEntry, Session, is_withheld, plan_owner
from pmkit.text import day

__all__ = [
    "decision_text",
    "entry_for",
    "find_item",
    "item_title",
    "not_yours",
    "plan_tab_for",
    "recorded_text",
    "require_disclosable",
    "warn_days",
    "withheld_items",
]


def withheld_items(session: Session) -> Iterator[tuple[str, Any]]:
    """Every withheld item of ``session`` as ``(kind, item)``, in the session's order."""
    for kind, (field, _cls, _prefix) in ITEM_KINDS.items():
        for item in getattr(session, field):
            if is_withheld(kind, item):
                yield kind, item


def plan_tab_for(role: str, session: Session) -> bool:
    """Whether ``role``'s board has a Disclosure plan tab: the facilitator's, and a party's
    that withholds an item itself (decided from ``session``, the party's own view)."""
    return role == FACILITATOR or any(item.audience == role for _kind, item in withheld_items(session))


def item_title(item: Any) -> str:
    return str(getattr(item, "title", None) or getattr(item, "text", ""))


def entry_for(session: Session, kind: str, item_id: str) -> PlanEntry:
    """The plan entry of an item, or a fresh ``undecided`` one."""
    for entry in session.plan:
        if entry.kind == kind and entry.item == item_id:
            return entry
    return PlanEntry.model_validate({"item": item_id, "kind": kind})


def not_yours(ref: str, role: str, session_id: str) -> NotFound:
    """The answer to a role naming an item that is not one of its withheld items, whether or
    not it exists: the same words either way, so the answer tells nothing."""
    if role == FACILITATOR:
        return NotFound(_("no withheld item '{ref}' in session '{session}'; `pmkit plan {session}` "
                          "lists them").format(ref=ref, session=session_id))
    return NotFound(_("{role} has no withheld item '{ref}' in session '{session}'; a party decides on its "
                      "own withheld items only (`pmkit plan {session} --as {role}` lists them)").format(
                          role=role, ref=ref, session=session_id))


def find_item(session: Session, ref: str, role: str, session_id: str) -> tuple[str, Any]:
    """The withheld item ``ref`` (``ID`` or ``KIND:ID``) in ``session``, ``role``'s own view,
    as ``(kind, item)``; :func:`not_yours` when there is none."""
    kind, sep, item_id = ref.partition(":")
    if not sep:
        kind, item_id = "", ref
    found = [(k, item) for k, item in withheld_items(session) if item.id == item_id and kind in ("", k)]
    if not found and kind and kind not in ITEM_KINDS:
        raise InputError(_("'{ref}': unknown kind '{kind}'; use ID or KIND:ID with KIND one of {kinds}").format(
            ref=ref, kind=kind, kinds=", ".join(ITEM_KINDS)))
    if len(found) > 1:
        named = _(" and ").join((_("an {kind}") if k[0] in "aeiou" else _("a {kind}")).format(kind=k)
                                for k, _item in found)
        raise InputError(_("'{ref}' is the id of {named}; name one as KIND:ID, e.g. {example}").format(
            ref=ref, named=named, example=f"{found[0][0]}:{item_id}"))
    if not found:
        visible = [session.item(k, item_id) for k in ITEM_KINDS if kind in ("", k)]
        if any(x is not None and x.audience == "joint" for x in visible):
            raise InputError(_("'{ref}' is seen by everyone already: nothing is withheld, "
                               "so there is nothing to decide or disclose").format(ref=ref))
        raise not_yours(ref, role, session_id)
    return found[0]


def decision_text(entry: PlanEntry) -> str:
    """A decision in words: "undecided", "disclose now", "disclose by 2026-12-11 after the
    recovery plan is signed off", "do not disclose: internal cost"."""
    if entry.decision == "now":
        return _("disclose now")
    if entry.decision == "by":
        assert entry.by is not None
        if entry.condition:
            return _("disclose by {day} after {condition}").format(day=day(entry.by), condition=entry.condition)
        return _("disclose by {day}").format(day=day(entry.by))
    if entry.decision == "never":
        return _("do not disclose: {reason}").format(reason=entry.reason)
    return _("undecided")


def recorded_text(entry: PlanEntry, session: Session) -> str:
    """Who recorded the decision and when: "recorded by Programme management on 2026-11-24",
    "recorded by the facilitator on behalf of Programme management on …", or ""."""
    if entry.recorded_by is None:
        return ""
    item = session.item(entry.kind, entry.item)
    owner = plan_owner(item) if item is not None else entry.recorded_by
    behalf = entry.recorded_by == FACILITATOR and owner != FACILITATOR
    when = day(entry.decided_on) if entry.decided_on else ""
    if entry.recorded_by != FACILITATOR:
        text = _("recorded by {party} on {day}") if when else _("recorded by {party}")
        return text.format(party=session.party_name(entry.recorded_by), day=when)
    if behalf:
        text = (_("recorded by the facilitator on behalf of {party} on {day}") if when
                else _("recorded by the facilitator on behalf of {party}"))
        return text.format(party=session.party_name(owner), day=when)
    return (_("recorded by the facilitator on {day}") if when else _("recorded by the facilitator")).format(day=when)


def require_disclosable(item: Any, entry: PlanEntry, names: Mapping[str, str]) -> None:
    """Refuse, in one line naming the owner (``names``: party names by id), to disclose an
    item its owner has not decided to disclose now."""
    if entry.decision == "now":
        return
    owner = plan_owner(item)
    name = _("the facilitator") if owner == FACILITATOR else names.get(owner, owner)
    how = f"pmkit decide SESSION {item.id} --as {owner} now"
    if entry.decision == "by" and entry.by is not None:
        state = _("decided to disclose by {day}; when the day has come, {name} confirms "
                  "by deciding 'now'").format(day=day(entry.by), name=name)
    else:
        state = (_("has decided '{decision}'").format(decision=entry.decision) if entry.decision != "undecided"
                 else _("has not decided"))
    raise AccessDenied(_("not disclosed: '{title}' is {name}'s to disclose, and {name} {state} "
                         "(`{how}`); nothing was changed").format(title=item_title(item), name=name, state=state,
                                                                  how=how))


def warn_days() -> int:
    """Setting ``plan_warn_days``: how many days ahead a customer-affected date counts as near."""
    return int(settings.number("plan_warn_days", 0, 3650))

