"""The session model: parties, goals, numeric issues, agreements, actions, notes and the
disclosure plan.

Every item carries an ``audience``: ``joint`` (everyone), a party id (that party and the
facilitator) or ``facilitator`` (the facilitator alone). Roles that may edit are
``facilitator`` and one per party (:attr:`Session.roles`); the shared screen, ``room``, is
one more role that reads the joint items only and writes nothing. A session has two
titles: ``title``, the facilitator's working title, and the title for everyone
(:attr:`Session.title_for_everyone`), which the parties and the room see.
:func:`parse_session` is the single entry for untrusted data; its errors name the item,
the field, the bad value and what is allowed.

**The disclosure plan** (``Session.plan``, one :class:`PlanEntry` per withheld item that has
something recorded; an item without one is *undecided*). An item is *withheld* when its
audience is not joint; a note for the facilitator alone is the facilitator's own working
note and is not withheld from anyone in particular, and positions are always private, so
neither has a plan entry. The item's *owner* decides (:func:`plan_owner`): the party of its
audience; for an item for the facilitator alone, the party that raised it (a goal) or the
facilitator. Decisions: ``undecided``, ``now``, ``by`` a date (optionally after a
condition), ``never`` (with a reason). The rules of who may decide and disclose are in
:mod:`pmkit.rules.disclosure_plan`; an item disclosed carries the day in ``disclosed_on``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from pmkit.errors import InputError, InvalidSession, one_line

__all__ = [
    "AUDIENCES_FIXED",
    "FACILITATOR",
    "JOINT",
    "MAX_ITEMS",
    "ROOM",
    "MAX_MAGNITUDE",
    "Action",
    "Agreement",
    "Goal",
    "Note",
    "NumericIssue",
    "Party",
    "Position",
    "Rating",
    "Session",
    "Stance",
    "STANCE_VALUE",
    "ITEM_KINDS",
    "DECISIONS",
    "PlanEntry",
    "check_magnitude",
    "everyone_title",
    "is_withheld",
    "new_item_id",
    "parse_session",
    "plan_key",
    "plan_owner",
]

JOINT = "joint"
FACILITATOR = "facilitator"
ROOM = "room"  # the shared screen: a role with no party, which sees joint content only
AUDIENCES_FIXED = (JOINT, FACILITATOR)
RESERVED_IDS = (JOINT, FACILITATOR, ROOM)
MAX_TITLE = 300
MAX_TEXT = 5000
MAX_ITEMS = 5000
# The largest magnitude of a position value: far beyond any budget or date, and small
# enough that sums, differences and spans of values stay exact to a cent and finite.
MAX_MAGNITUDE = 1e15

Stance = Literal["support", "neutral", "oppose"]
STANCE_VALUE: dict[str, int] = {"support": 1, "neutral": 0, "oppose": -1}

PartyId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})?$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TITLE)]
Audience = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True)


class Rating(_Base):
    """How much a goal matters to one party (0-5) and whether it supports or opposes it."""

    importance: int = Field(ge=0, le=5)
    stance: Stance = "neutral"


class Party(_Base):
    id: PartyId
    name: Title


class Goal(_Base):
    id: ItemId = ""
    title: Title
    description: Text = ""
    raised_by: PartyId
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None  # the day it was disclosed (pmkit.rules.disclosure_plan)
    ratings: dict[str, Rating] = Field(default_factory=dict)


def check_magnitude(value: float, what: str) -> float:
    """``value`` if it is a number within ±:data:`MAX_MAGNITUDE`, else :class:`InputError`
    naming ``what``."""
    v = float(value)
    if not -MAX_MAGNITUDE <= v <= MAX_MAGNITUDE:  # also false for nan
        raise InputError(f"{what} must be between -1e15 and 1e15, got {v!r}; use a larger unit "
                         "(thousands, millions) for larger values")
    return v


class Position(_Base):
    """One party's ideal value on a numeric issue and the value beyond which it walks away,
    each within ±:data:`MAX_MAGNITUDE`."""

    ideal: float
    walk_away: float | None = None

    @field_validator("ideal", "walk_away")
    @classmethod
    def _bounded(cls, value: float | None) -> float | None:
        if value is not None and not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
            raise ValueError("must be between -1e15 and 1e15 (pmkit's limit for numeric values); "
                             "use a larger unit (thousands, millions)")
        return value


class NumericIssue(_Base):
    """A numeric issue (budget, date, scope) with each party's position. ``probe_step`` is
    the grain of the answers a party gets about the other side's walk-away (see
    :mod:`pmkit.rules.probe_steps`); ``None`` until the facilitator sets it or a facilitator's edit
    fixes the default."""

    id: ItemId = ""
    title: Title
    unit: ShortText = ""
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None
    probe_step: float | None = Field(default=None, gt=0, le=MAX_MAGNITUDE)
    positions: dict[str, Position] = Field(default_factory=dict)


class Agreement(_Base):
    id: ItemId = ""
    text: Title
    kind: Literal["agreement", "decision"] = "agreement"
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None


class Action(_Base):
    id: ItemId = ""
    title: Title
    owner: ShortText = ""
    due: dt.date | None = None
    status: Literal["open", "done", "dropped"] = "open"
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None


class Note(_Base):
    id: ItemId = ""
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None


def _default_parties() -> list[Party]:
    return [Party(id="customer", name="Customer"), Party(id="management", name="Management")]


# kind name -> (field on Session, model class, id prefix)
ITEM_KINDS: dict[str, tuple[str, type[_Base], str]] = {
    "goal": ("goals", Goal, "g"),
    "issue": ("issues", NumericIssue, "i"),
    "agreement": ("agreements", Agreement, "a"),
    "action": ("actions", Action, "x"),
    "note": ("notes", Note, "n"),
}


def new_item_id(kind: str) -> str:
    """A fresh, unguessable item id (sequential ids would reveal how many items are hidden)."""
    return f"{ITEM_KINDS[kind][2]}-{secrets.token_hex(4)}"


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
    kind: Literal["", "goal", "issue", "agreement", "action", "note"] = ""  # found from the id when ""
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
            raise ValueError("a 'by' decision needs the date to disclose by (by: YYYY-MM-DD)")
        if self.decision != "by" and (self.by is not None or self.condition):
            raise ValueError(f"a date to disclose by and a condition belong to a 'by' decision, "
                             f"not '{self.decision}'")
        if self.decision == "never" and not self.reason:
            raise ValueError("a 'never' decision needs a reason")
        return self

    @property
    def key(self) -> str:
        return plan_key(self.kind, self.item)
def everyone_title(joint_title: str, date: dt.date | None) -> str:
    """The title for everyone: ``joint_title``, else the neutral "Joint meeting" (with the
    date, "Joint meeting, 24 November 2026", when there is one)."""
    if joint_title:
        return joint_title
    return f"Joint meeting, {date.day} {date:%B %Y}" if date else "Joint meeting"


class Session(_Base):
    title: Title  # the facilitator's working title
    joint_title: ShortText = ""  # the title for everyone (parties, the room); see title_for_everyone
    description: Text = ""  # the facilitator's working note
    date: dt.date | None = None
    parties: list[Party] = Field(default_factory=_default_parties, min_length=1, max_length=12)
    goals: list[Goal] = Field(default_factory=list, max_length=MAX_ITEMS)
    issues: list[NumericIssue] = Field(default_factory=list, max_length=MAX_ITEMS)
    agreements: list[Agreement] = Field(default_factory=list, max_length=MAX_ITEMS)
    actions: list[Action] = Field(default_factory=list, max_length=MAX_ITEMS)
    notes: list[Note] = Field(default_factory=list, max_length=MAX_ITEMS)
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
            problems.append(f"parties: ids must be unique, got {ids}")
        for pid in ids:
            if pid in RESERVED_IDS:
                problems.append(f"parties: '{pid}' is reserved; choose another party id")
        allowed_aud = [*AUDIENCES_FIXED, *ids]
        known = set(ids)
        for kind, (field, _cls, _prefix) in ITEM_KINDS.items():
            seen: set[str] = set()
            for n, item in enumerate(getattr(self, field)):
                label = _label(field, n, item)
                if not item.id:
                    item.id = new_item_id(kind)
                if item.id in seen:
                    problems.append(f"{label}: id '{item.id}' is used twice; ids must be unique")
                seen.add(item.id)
                if item.audience not in allowed_aud:
                    problems.append(
                        f"{label}: audience '{item.audience}' is not allowed; "
                        f"use one of {', '.join(allowed_aud)}"
                    )
                if isinstance(item, Goal):
                    if item.raised_by not in known:
                        problems.append(
                            f"{label}: raised_by '{item.raised_by}' is not a party; "
                            f"use one of {', '.join(ids)}"
                        )
                    for pid in item.ratings:
                        if pid not in known:
                            problems.append(
                                f"{label}: ratings has '{pid}', which is not a party; "
                                f"use one of {', '.join(ids)}"
                            )
                if isinstance(item, NumericIssue):
                    for pid in item.positions:
                        if pid not in known:
                            problems.append(
                                f"{label}: positions has '{pid}', which is not a party; "
                                f"use one of {', '.join(ids)}"
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
            named = " and ".join(f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in kinds)
            problems.append(f"{label}: the id of {named}; say which with kind: KIND")
            continue
        item = session.item(kinds[0], entry.item) if kinds else None
        if item is None:
            problems.append(f"{label}: no {entry.kind or 'item'} with this id in the session")
            continue
        if not entry.kind:
            entry.kind = kinds[0]  # type: ignore[assignment]
        if not is_withheld(entry.kind, item):
            problems.append(f"{label}: not withheld from anyone (audience {item.audience}); only withheld "
                            "items have a plan entry")
        if entry.key in seen:
            problems.append(f"{label}: named twice; give each withheld item one entry")
        if entry.recorded_by is not None and entry.recorded_by not in session.roles:
            problems.append(f"{label}: recorded_by '{entry.recorded_by}' is not a role; use one of "
                            f"{', '.join(session.roles)}")
        seen.add(entry.key)
        if entry.linked_to:
            kind, _, ref = entry.linked_to.partition(":")
            linked = session.item(kind, ref)
            owner = plan_owner(item)
            if linked is None:
                problems.append(f"{label}: linked_to '{entry.linked_to}' is not an item of the session")
            elif owner != FACILITATOR and linked.audience not in (JOINT, owner):
                problems.append(f"{label}: linked_to '{entry.linked_to}' is not seen by {owner}, who owns the item")
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
        return [f"{where}: {field} is missing; it is required"]
    if err.get("type") == "extra_forbidden":
        return [f"{where}: unknown field '{field}'; check the spelling (see `pmkit schema`)"]
    return [f"{where}: {field} = {shown}: {msg}"]


def parse_session(data: Any) -> Session:
    """Validate untrusted data (from YAML, JSON or a form) into a :class:`Session`.

    Raises :class:`~pmkit.errors.InvalidSession` naming the item, field, value and rule.
    """
    if not isinstance(data, dict):
        raise InvalidSession(
            f"a session must be a mapping with at least a 'title', got {type(data).__name__}"
        )
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        problems: list[str] = []
        for err in exc.errors(include_url=False):
            problems.extend(_describe(dict(err), data))
        raise InvalidSession(problems) from None
