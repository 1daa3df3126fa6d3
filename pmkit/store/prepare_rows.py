"""A preparation window as rows: its records, and the checks of one answer.

The part that opens, reads and closes windows is :mod:`pmkit.store.prepare`. The tables
(migration 50 of :mod:`pmkit.store.db`)::

    prepare_windows  session_id, window_id, opened_at, until (the deadline, UTC), closed_at,
                     state (open | closed | cancelled), asked (JSON: goals, issues, options,
                     pairwise), auto_reminded_at (the automatic reminder sent),
                     remind_asked_at (a reminder asked for from the board, for the server to send)
    prepare_people   session_id, window_id, who (a participant's id, or a party without
                     participants), party, opened_at, submitted_at, reminded_at
    prepare_answers  session_id, window_id, who, party, kind (goal | issue | option_issue |
                     pair), item_id, data (JSON), at

At most one window of a session is open (a partial unique index holds it).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from pmkit.errors import InputError, invalid
from pmkit.i18n import _
from pmkit.model import Position, Rating
from pmkit.store.options import checked_scores

__all__ = ["ASKED_KINDS", "KINDS", "PAIR", "Asked", "Mine", "Person", "Progress", "Window", "check_value",
           "parse_until", "pair_key"]

OPEN, CLOSED, CANCELLED = "open", "closed", "cancelled"
PAIR = "pair"  # a pairwise judgement of two asked goals, item id ``a/b`` (a < b)
ASKED_KINDS = ("goal", "issue", "option_issue")
KINDS = (*ASKED_KINDS, PAIR)
NOT_OPENED, OPENED, ANSWERING, SUBMITTED = "not opened", "opened", "answering", "submitted"


@dataclass(frozen=True)
class Window:
    """A preparation window: its deadline and what it asks."""

    window_id: str
    state: str
    opened_at: str
    until: str
    closed_at: str | None
    goals: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[str, ...]
    pairwise: bool

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def past_deadline(self) -> bool:
        return dt.datetime.fromisoformat(self.until) <= dt.datetime.now(dt.UTC)

    @property
    def accepting(self) -> bool:
        """Whether answers are taken now: open, and before the deadline."""
        return self.is_open and not self.past_deadline


@dataclass(frozen=True)
class Asked:
    """One question put to a person: an item (kind, id, its data as the person may read it)."""

    kind: str
    item_id: str
    item: dict[str, Any]


@dataclass(frozen=True)
class Mine:
    """What one person's page shows: the window, what they are asked, what they answered."""

    window: Window
    who: str
    party: str
    asked: tuple[Asked, ...]
    pairs: tuple[tuple[str, str], ...]
    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    opened_at: str | None = None
    submitted_at: str | None = None

    @property
    def total(self) -> int:
        return len(self.asked) + len(self.pairs)


@dataclass(frozen=True)
class Person:
    """One person's progress, as the facilitator sees it (never their answers)."""

    who: str
    party: str
    name: str
    asked: int
    answered: int
    opened_at: str | None
    submitted_at: str | None
    reminded_at: str | None
    last_at: str | None

    @property
    def state(self) -> str:
        if self.submitted_at:
            return SUBMITTED
        if self.answered:
            return ANSWERING
        return OPENED if self.opened_at else NOT_OPENED

    @property
    def words(self) -> str:
        """``not opened``, ``opened``, ``3 of 8 answered`` or ``submitted``."""
        return f"{self.answered} of {self.asked} answered" if self.state == ANSWERING else self.state


@dataclass(frozen=True)
class Progress:
    """The window and everyone's progress (the facilitator's read), and counts per party."""

    window: Window
    people: tuple[Person, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{party: {state: how many}}`` for each party asked."""
        out: dict[str, dict[str, int]] = {}
        for p in self.people:
            c = out.setdefault(p.party, {NOT_OPENED: 0, OPENED: 0, ANSWERING: 0, SUBMITTED: 0})
            c[p.state] += 1
        return out


def parse_until(text: str | dt.datetime) -> str:
    """A deadline as stored: UTC ISO time; a time without a zone is UTC. One line when it is
    not a date and time, or not in the future."""
    try:
        when = text if isinstance(text, dt.datetime) else dt.datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(_("--until {text} is not a date and time; give e.g. 2030-05-01T17:00 (UTC unless it has a "
                           "zone, like +02:00)").format(text=repr(str(text)[:40]))) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    when = when.astimezone(dt.UTC)
    if when <= dt.datetime.now(dt.UTC):
        raise InputError(_("the deadline {when} has passed; give a time to come").format(
                           when=when.isoformat(timespec='minutes')))
    return when.isoformat(timespec="seconds")


def pair_key(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"{first}/{second}"


def check_value(kind: str, item: Mapping[str, Any], who: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """One answer as stored, once valid for the item; a one-line :class:`InputError` if not."""
    what = _("answer on '{item}'").format(item=item.get('title') or item.get('id'))
    try:
        if kind == "goal":
            imp = data.get("importance")
            if isinstance(imp, bool) or not isinstance(imp, int):
                raise InputError(_("{what}: importance must be a whole number from 0 to 5, got {imp}").format(
                                   what=what, imp=repr(imp)))
            return Rating(importance=imp, stance=data.get("stance", "neutral")).model_dump()
        if kind == "issue":
            ideal, walk = data.get("ideal"), data.get("walk_away")
            for v in (ideal, walk):
                if v is not None and (isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)):
                    raise InputError(_("{what}: the ideal and walk-away must be numbers, got {v}").format(
                                       what=what, v=repr(v)))
            return Position(ideal=ideal, walk_away=walk).model_dump()
        if kind == "option_issue":
            scores = data.get("scores")
            if not isinstance(scores, dict):
                raise InputError(_("{what}: give a score from 0 to 100 for each option").format(what=what))
            return checked_scores(item, who, {"scores": scores})
        value = data.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 / 9 - 1e-9 <= value <= 9 + 1e-9:
            raise InputError(_("{what}: a judgement must be from 1/9 to 9 (Saaty's scale), got {value}").format(
                               what=what, value=repr(value)))
        return {"value": float(value)}
    except ValidationError as exc:
        raise invalid(exc, what) from None
