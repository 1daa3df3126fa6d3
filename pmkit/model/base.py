"""The model's ground: the fixed audiences, limits, field types and the base class."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from pmkit.errors import InputError
from pmkit.i18n import _

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
Language = Literal["en", "de", "fr"]  # pmkit.i18n.LANGUAGES: the languages pmkit speaks
STANCE_VALUE: dict[str, int] = {"support": 1, "neutral": 0, "oppose": -1}

PartyId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})?$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TITLE)]
Audience = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True)





def check_magnitude(value: float, what: str) -> float:
    """``value`` if it is a number within ±:data:`MAX_MAGNITUDE`, else :class:`InputError`
    naming ``what``."""
    v = float(value)
    if not -MAX_MAGNITUDE <= v <= MAX_MAGNITUDE:  # also false for nan
        raise InputError(_(
            "{what} must be between -1e15 and 1e15, got {value}; use a larger unit (thousands, millions) for "
                           "larger values").format(what=what, value=repr(v)))
    return v
