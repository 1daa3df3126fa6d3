"""The session model: parties, goals, numeric issues, agreements, actions and notes.

Every item carries an ``audience``: ``joint`` (everyone), a party id (that party and the
facilitator) or ``facilitator`` (the facilitator alone). Roles are ``facilitator`` and one
per party. :func:`parse_session` is the single entry for untrusted data; its errors name
the item, the field, the bad value and what is allowed.
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
    "check_magnitude",
    "new_item_id",
    "parse_session",
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
    :mod:`pmkit.steps`); ``None`` until the facilitator sets it or a facilitator's edit
    fixes the default."""

    id: ItemId = ""
    title: Title
    unit: ShortText = ""
    audience: Audience = JOINT
    probe_step: float | None = Field(default=None, gt=0, le=MAX_MAGNITUDE)
    positions: dict[str, Position] = Field(default_factory=dict)


class Agreement(_Base):
    id: ItemId = ""
    text: Title
    kind: Literal["agreement", "decision"] = "agreement"
    audience: Audience = JOINT


class Action(_Base):
    id: ItemId = ""
    title: Title
    owner: ShortText = ""
    due: dt.date | None = None
    status: Literal["open", "done", "dropped"] = "open"
    audience: Audience = JOINT


class Note(_Base):
    id: ItemId = ""
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
    audience: Audience = JOINT


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

    @property
    def title_for_everyone(self) -> str:
        """The title parties and the room see: ``joint_title``, else a neutral one
        ("Joint meeting", with the session's date when it has one)."""
        if self.joint_title:
            return self.joint_title
        return f"Joint meeting, {self.date.day} {self.date:%B %Y}" if self.date else "Joint meeting"

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
        if problems:
            raise ValueError("\n".join(problems))
        return self


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
