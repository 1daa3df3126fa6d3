"""The items of a session: goals and their ratings, numeric issues and their positions,
option issues and their scores, agreements, actions, notes; the parties."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from pmkit.i18n import _
from pmkit.model.base import (
    JOINT,
    MAX_MAGNITUDE,
    MAX_TEXT,
    Audience,
    ItemId,
    PartyId,
    ShortText,
    Stance,
    Text,
    Title,
    _Base,
)


class Rating(_Base):
    """How much a goal matters to one party (0-5) and whether it supports or opposes it."""

    importance: int = Field(ge=0, le=5)
    stance: Stance = "neutral"


class Party(_Base):
    """A side. ``reservation``: its disagreement utility (0..1) when given (a GENIUS profile's
    reservation value); private to the party and the facilitator like its positions."""

    id: PartyId
    name: Title
    reservation: float | None = Field(default=None, ge=0, le=1)


class Goal(_Base):
    id: ItemId = ""
    title: Title
    description: Text = ""
    raised_by: PartyId
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None  # the day it was disclosed (pmkit.rules.disclosure_plan)
    ratings: dict[str, Rating] = Field(default_factory=dict)


class Position(_Base):
    """One party's ideal value on a numeric issue and the value beyond which it walks away,
    each within ±:data:`MAX_MAGNITUDE`."""

    ideal: float
    walk_away: float | None = None

    @field_validator("ideal", "walk_away")
    @classmethod
    def _bounded(cls, value: float | None) -> float | None:
        if value is not None and not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
            raise ValueError(_("must be between -1e15 and 1e15 (pmkit's limit for numeric values); use a larger unit "
                               "(thousands, millions)"))
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


OptionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class Option(_Base):
    """One option of an option issue: an id (a slug) and a label."""

    id: OptionId
    label: Title


class OptionScores(_Base):
    """One party's private input on an option issue: a score 0..100 per option id (higher is
    better; an option without one counts 0), the issue's ``weight`` for the party (>= 0, on the
    scale of a goal's importance 0..5) and the options it cannot accept."""

    scores: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(default_factory=dict)
    weight: float = Field(default=1.0, ge=0, le=MAX_MAGNITUDE)
    unacceptable: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> OptionScores:
        if len(set(self.unacceptable)) != len(self.unacceptable):
            raise ValueError(_("unacceptable names an option twice: {unacceptable}").format(
                unacceptable=self.unacceptable))
        return self


class OptionIssue(_Base):
    """An issue decided by choosing one of 2..50 options (a recovery plan, payment terms),
    with each party's private :class:`OptionScores`."""

    id: ItemId = ""
    title: Title
    description: Text = ""
    audience: Audience = JOINT
    disclosed_on: dt.date | None = None
    options: list[Option] = Field(min_length=2, max_length=50)
    scores: dict[str, OptionScores] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _options_known(self) -> OptionIssue:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(_("option ids must be unique, got {ids}").format(ids=ids))
        for party, s in self.scores.items():
            unknown = sorted({*s.scores, *s.unacceptable} - set(ids))
            if unknown:
                raise ValueError(_(
                    "scores of '{party}' name {unknown}, which is not an option; use one of {ids}").format(
                        party=party, unknown=', '.join(unknown), ids=', '.join(ids)))
        return self

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def label(self, option_id: str) -> str:
        return next((o.label for o in self.options if o.id == option_id), option_id)


def _default_parties() -> list[Party]:
    return [Party(id="customer", name="Customer"), Party(id="management", name="Management")]


# kind name -> (field on Session, model class, id prefix)
ITEM_KINDS: dict[str, tuple[str, type[_Base], str]] = {
    "goal": ("goals", Goal, "g"),
    "issue": ("issues", NumericIssue, "i"),
    "option_issue": ("option_issues", OptionIssue, "o"),
    "agreement": ("agreements", Agreement, "a"),
    "action": ("actions", Action, "x"),
    "note": ("notes", Note, "n"),
}


def new_item_id(kind: str) -> str:
    """A fresh, unguessable item id (sequential ids would reveal how many items are hidden)."""
    return f"{ITEM_KINDS[kind][2]}-{secrets.token_hex(4)}"
