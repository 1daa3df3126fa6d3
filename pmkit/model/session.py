"""The session: its header, its parties and items, the checks across them, and
:func:`parse_session`, the single entry for untrusted data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, ValidationError, model_validator

from pmkit.errors import InvalidSession, one_line
from pmkit.i18n import _
from pmkit.model.base import (
    AUDIENCES_FIXED,
    FACILITATOR,
    JOINT,
    MAX_ITEMS,
    RESERVED_IDS,
    Language,
    ShortText,
    Text,
    Title,
    _Base,
)
from pmkit.model.items import (
    ITEM_KINDS,
    Action,
    Agreement,
    Goal,
    Note,
    NumericIssue,
    OptionIssue,
    Party,
    _default_parties,
    new_item_id,
)
from pmkit.model.plan import PlanEntry, is_withheld, plan_owner
from pmkit.text import long_day


def everyone_title(joint_title: str, date: dt.date | None) -> str:
    """The title for everyone: ``joint_title``, else the neutral "Joint meeting" (with the
    date, "Joint meeting, 24 November 2026", when there is one)."""
    if joint_title:
        return joint_title
    return _("Joint meeting, {date}").format(date=long_day(date)) if date else _("Joint meeting")


class Session(_Base):
    title: Title  # the facilitator's working title
    joint_title: ShortText = ""  # the title for everyone (parties, the room); see title_for_everyone
    description: Text = ""  # the facilitator's working note
    date: dt.date | None = None
    language: Language = "en"  # the meeting's language: the room's, and every link's unless it says another
    parties: list[Party] = Field(default_factory=_default_parties, min_length=1, max_length=12)
    goals: list[Goal] = Field(default_factory=list, max_length=MAX_ITEMS)
    issues: list[NumericIssue] = Field(default_factory=list, max_length=MAX_ITEMS)
    agreements: list[Agreement] = Field(default_factory=list, max_length=MAX_ITEMS)
    actions: list[Action] = Field(default_factory=list, max_length=MAX_ITEMS)
    notes: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)
    option_issues: list[OptionIssue] = Field(default_factory=list, max_length=MAX_ITEMS)
    plan: list[PlanEntry] = Field(default_factory=list, max_length=MAX_ITEMS)

    @property
    def title_for_everyone(self) -> str:
        """The title parties and the room see: ``joint_title``, else a neutral one
        ("Joint meeting", with the session's date when it has one)."""
        return everyone_title(self.joint_title, self.date)

    @property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.parties]

    @property
    def roles(self) -> list[str]:
        return [FACILITATOR, *self.party_ids]

    def party_name(self, party_id: str) -> str:
        for p in self.parties:
            if p.id == party_id:
                return p.name
        return party_id

    @model_validator(mode="after")
    def _check_references(self) -> Session:
        problems: list[str] = []
        ids = [p.id for p in self.parties]
        if len(set(ids)) != len(ids):
            problems.append(_("parties: ids must be unique, got {ids}").format(ids=ids))
        for pid in ids:
            if pid in RESERVED_IDS:
                problems.append(_("parties: '{party}' is reserved; choose another party id").format(party=pid))
        allowed_aud = [*AUDIENCES_FIXED, *ids]
        known = set(ids)
        for kind, (field, _cls, _prefix) in ITEM_KINDS.items():
            seen: set[str] = set()
            for n, item in enumerate(getattr(self, field)):
                label = _label(field, n, item)
                if not item.id:
                    item.id = new_item_id(kind)
                if item.id in seen:
                    problems.append(_("{label}: id '{id}' is used twice; ids must be unique").format(
                        label=label, id=item.id))
                seen.add(item.id)
                if item.audience not in allowed_aud:
                    problems.append(
                        _("{label}: audience '{audience}' is not allowed; use one of {audiences}").format(
                            label=label, audience=item.audience, audiences=', '.join(allowed_aud))
                    )
                if isinstance(item, Goal):
                    if item.raised_by not in known:
                        problems.append(
                            _("{label}: raised_by '{raised_by}' is not a party; use one of {ids}").format(
                                label=label, raised_by=item.raised_by, ids=', '.join(ids))
                        )
                    for pid in item.ratings:
                        if pid not in known:
                            problems.append(
                                _("{label}: ratings has '{pid}', which is not a party; use one of {ids}").format(
                                    label=label, pid=pid, ids=', '.join(ids))
                            )
                if isinstance(item, (NumericIssue, OptionIssue)):
                    field_of = "positions" if isinstance(item, NumericIssue) else "scores"
                    for pid in getattr(item, field_of):
                        if pid not in known:
                            problems.append(
                                _("{label}: {field_of} has '{pid}', which is not a party; use one of {ids}").format(
                                    label=label, field_of=field_of, pid=pid, ids=', '.join(ids))
                            )
        problems += _plan_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def item(self, kind: str, item_id: str) -> Any:
        """The item of ``kind`` with id ``item_id``, or None."""
        field = ITEM_KINDS[kind][0] if kind in ITEM_KINDS else None
        return next((x for x in getattr(self, field) if x.id == item_id), None) if field else None


def _plan_problems(session: Session) -> list[str]:
    """What is wrong with the plan's entries: each names one withheld item of the session,
    once; a linked item is an action or a numeric issue of the session that the owner may see.
    The entries are put in the order of their items (kinds in :data:`ITEM_KINDS` order)."""
    problems: list[str] = []
    seen: set[str] = set()
    for n, entry in enumerate(session.plan):
        label = f"plan[{n + 1}] '{entry.item}'"
        kinds = [entry.kind] if entry.kind else [k for k in ITEM_KINDS if session.item(k, entry.item)]
        if len(kinds) > 1:
            named = _(" and ").join((_("an {kind}") if k[0] in "aeiou" else _("a {kind}")).format(kind=k)
                                    for k in kinds)
            problems.append(_("{label}: the id of {named}; say which with kind: KIND").format(label=label, named=named))
            continue
        item = session.item(kinds[0], entry.item) if kinds else None
        if item is None:
            problems.append(_("{label}: no {kind} with this id in the session").format(
                label=label, kind=entry.kind or _("item")))
            continue
        if not entry.kind:
            entry.kind = kinds[0]  # type: ignore[assignment]
        if not is_withheld(entry.kind, item):
            problems.append(_("{label}: not withheld from anyone (audience {audience}); only withheld "
                              "items have a plan entry").format(label=label, audience=item.audience))
        if entry.key in seen:
            problems.append(_("{label}: named twice; give each withheld item one entry").format(label=label))
        if entry.recorded_by is not None and entry.recorded_by not in session.roles:
            problems.append(_("{label}: recorded_by '{recorded_by}' is not a role; use one of {roles}").format(
                label=label, recorded_by=entry.recorded_by, roles=', '.join(session.roles)))
        seen.add(entry.key)
        if entry.linked_to:
            kind, _sep, ref = entry.linked_to.partition(":")
            linked = session.item(kind, ref)
            owner = plan_owner(item)
            if linked is None:
                problems.append(_("{label}: linked_to '{linked_to}' is not an item of the session").format(
                    label=label, linked_to=entry.linked_to))
            elif owner != FACILITATOR and linked.audience not in (JOINT, owner):
                problems.append(_("{label}: linked_to '{linked_to}' is not seen by {owner}, who owns the item").format(
                    label=label, linked_to=entry.linked_to, owner=owner))
    if not problems:
        order = {(kind, x.id): (k, n) for k, (kind, (field, _c, _p)) in enumerate(ITEM_KINDS.items())
                 for n, x in enumerate(getattr(session, field))}
        session.plan.sort(key=lambda e: order[(e.kind, e.item)])
    return problems


def _label(field: str, index: int, item: Any) -> str:
    name = getattr(item, "title", None) or getattr(item, "text", None) or ""
    if isinstance(item, dict):
        name = item.get("title") or item.get("text") or ""
    shown = one_line(str(name), 40) if name else ""
    return f"{field}[{index + 1}]" + (f' "{shown}"' if shown else "")


def _describe(err: dict[str, Any], data: Any) -> list[str]:
    loc = list(err.get("loc", ()))
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if err.get("type") == "value_error" and not loc:
        return [line for line in msg.split("\n") if line]
    where = "session"
    rest = loc
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        items = data.get(loc[0]) if isinstance(data, dict) else None
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        where = _label(loc[0], loc[1], item if isinstance(item, dict) else None)
        rest = loc[2:]
    field = ".".join(str(p) for p in rest) or "(item)"
    value = err.get("input")
    shown = one_line(repr(value), 60) if not isinstance(value, (dict, list)) else type(value).__name__
    if err.get("type") == "missing":
        return [_("{where}: {field} is missing; it is required").format(where=where, field=field)]
    if err.get("type") == "extra_forbidden":
        return [_("{where}: unknown field '{field}'; check the spelling (see `pmkit schema`)").format(
            where=where, field=field)]
    return [f"{where}: {field} = {shown}: {msg}"]


def parse_session(data: Any) -> Session:
    """Validate untrusted data (from YAML, JSON or a form) into a :class:`Session`.

    Raises :class:`~pmkit.errors.InvalidSession` naming the item, field, value and rule.
    """
    if not isinstance(data, dict):
        raise InvalidSession(
            _("a session must be a mapping with at least a 'title', got {type}").format(type=type(data).__name__)
        )
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        problems: list[str] = []
        for err in exc.errors(include_url=False):
            problems.extend(_describe(dict(err), data))
        raise InvalidSession(problems) from None
