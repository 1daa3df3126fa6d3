"""How a side's members make the side's position: the rules, pure and small.

A party may have several members (participants), each with a weight ``w > 0`` (default 1).
The party's rating of a goal and its position on a numeric issue are computed from its
members' own inputs by these rules, and written as the party's rating or position in the
same edit as the member's input (:mod:`pmkit.store.participants`), so everything downstream
(overlap, whom to please, bargaining, packages, reports, rounds) runs on the aggregate.
The rules live in the bottom layer because the store applies them inside its transaction;
:mod:`pmkit.analytics.participants` re-exports them with the group AHP and the spread.

* **Importance** — the weighted median: the members' values sorted ascending, the
  smallest value whose cumulative weight reaches half the total weight,
  ``min { v : Σ_{v_k ≤ v} w_k ≥ W / 2 }``. On an exact split between two values (the
  cumulative weight is exactly ``W / 2`` at one of them) that is the lower one: a side
  does not claim more importance than half of its weight gives the goal.
* **Stance** — a weighted majority: each stance collects the weight of the members who
  take it; the stance with the most weight wins; a tie between the top two is neutral.
  Two sums are a tie when they differ by at most 10^-12 of the total weight (float noise:
  ``0.3 + 0.2`` against ``0.5``). The rule is relative, so it does not depend on the
  weights' scale: weights of 1e-12 each (any weight above 0 is accepted) decide exactly
  as weights of 1 each do; likewise the median's "half the total weight".
* **Ideal** — the weighted median of the members' ideals (same rule as importance).
* **Walk-away** — the least flexible member's value. The side's direction is that of its
  ideal against the weighted median of the members' walk-aways (ideal above: it wants
  more, and accepts ``x ≥ walk-away``; below: it wants less). Wanting more, the side's
  walk-away is the *highest* member walk-away; wanting less, the *lowest*; never beyond
  the side's own ideal (then it equals the ideal). Why: an agreement inside the side's
  range is then acceptable to every one of its members, so nobody on the side has to be
  overruled after the meeting. The price is a narrower range, which the facilitator sees.
  Members without a walk-away are left out of it; when none has one, there is none.
  **The side's walk-away is its ideal** (a range of one point) in two cases: when the
  ideal *equals* the weighted median of the members' walk-aways (the side has no
  direction: ideals 10 and 5, walk-aways 5 and 20 give ideal 5, walk-away 5); and when
  the highest (wanting more) or lowest (wanting less) member walk-away lies beyond the
  side's ideal, which a member whose own walk-away is on the other side of their ideal can
  cause (ideals 10 and 20, walk-aways 8 and 30: ideal 10, walk-away 10, not 30).
* **Option scores** (an option issue, :class:`pmkit.model.OptionScores`) — each option's
  score is the weighted median of the members' scores for it (a member who gave it no
  score counts 0, as the utility does; options no member scored stay unscored); the issue's
  **weight** is the weighted median of the members' weights; an option is **unacceptable**
  when *any* member cannot accept it (the least flexible member, as with walk-aways: an
  agreement the side can accept is then one every member can).

A member's weight never leaves the side: it is not in the party's rating or position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.text import number

__all__ = [
    "MAX_WEIGHT",
    "Weighted",
    "aggregate_option_scores",
    "aggregate_position",
    "aggregate_rating",
    "check_weight",
    "weighted_majority",
    "weighted_median",
]

MAX_WEIGHT = 1000.0
STANCES = ("support", "neutral", "oppose")
_TIE = 1e-12  # two sums of weights closer than this share of the total weight are equal


def check_weight(weight: float, what: str = "weight") -> float:
    """A member's weight: a number above 0 and at most :data:`MAX_WEIGHT`."""
    try:
        w = float(weight)
    except (TypeError, ValueError):
        raise InputError(_(
            "{what} must be a number above 0, got {value}").format(what=what, value=repr(weight))) from None
    if not 0 < w <= MAX_WEIGHT:  # also false for nan
        raise InputError(_("{what} must be above 0 and at most {limit}, got {value}").format(
            what=what, limit=number(MAX_WEIGHT), value=repr(weight)))
    return w


@dataclass(frozen=True)
class Weighted:
    """One member's value and weight."""

    value: float
    weight: float = 1.0


def weighted_median(values: Sequence[Weighted]) -> float | None:
    """The smallest value whose cumulative weight reaches half the total (``None`` for no
    values). Half is compared exactly, in fractions of the total, so ``1 + 1`` of ``2``
    reaches ``1`` whatever float noise the weights carry."""
    items = sorted((v for v in values if v.weight > 0), key=lambda v: v.value)
    if not items:
        return None
    total = sum(v.weight for v in items)
    running = 0.0
    for v in items:
        running += v.weight
        if running * 2 >= total * (1 - _TIE):
            return v.value
    return items[-1].value  # pragma: no cover - the loop always returns


def weighted_majority(stances: Sequence[tuple[str, float]]) -> str | None:
    """The stance with the most weight; a tie between the top two is ``"neutral"``."""
    if not stances:
        return None
    weight = dict.fromkeys(STANCES, 0.0)
    for stance, w in stances:
        if stance not in weight:
            raise InputError(_("stance must be support, neutral or oppose, got {value}").format(value=repr(stance)))
        weight[stance] += w
    ranked = sorted(STANCES, key=lambda s: -weight[s])
    top, second = ranked[0], ranked[1]
    if abs(weight[top] - weight[second]) <= _TIE * sum(weight.values()):  # relative: scale-free
        return "neutral"
    return top


def aggregate_rating(ratings: Sequence[tuple[int, str, float]]) -> tuple[int, str] | None:
    """The side's ``(importance, stance)`` from its members' ``(importance, stance, weight)``;
    ``None`` when no member rated the goal."""
    if not ratings:
        return None
    median = weighted_median([Weighted(float(i), w) for i, _s, w in ratings])
    stance = weighted_majority([(s, w) for _i, s, w in ratings])
    assert median is not None and stance is not None
    return int(median), stance


def aggregate_position(positions: Sequence[tuple[float, float | None, float]]) -> tuple[float, float | None] | None:
    """The side's ``(ideal, walk-away)`` from its members' ``(ideal, walk-away, weight)``;
    ``None`` when no member holds a position."""
    if not positions:
        return None
    ideal = weighted_median([Weighted(i, w) for i, _wa, w in positions])
    assert ideal is not None
    walk = [(wa, w) for _i, wa, w in positions if wa is not None]
    if not walk:
        return ideal, None
    middle = weighted_median([Weighted(wa, w) for wa, w in walk])
    assert middle is not None
    if ideal > middle:  # wants more: the highest walk-away, not above the ideal
        return ideal, min(max(wa for wa, _w in walk), ideal)
    if ideal < middle:  # wants less: the lowest walk-away, not below the ideal
        return ideal, max(min(wa for wa, _w in walk), ideal)
    return ideal, ideal


def aggregate_option_scores(members: Sequence[tuple[Mapping[str, Any], float]]) -> dict[str, Any] | None:
    """The side's option scores (``{"scores", "weight", "unacceptable"}``) from its members'
    ``(scores data, member weight)``; ``None`` when no member gave any."""
    if not members:
        return None
    options = list(dict.fromkeys(o for data, _w in members for o in data.get("scores", {})))
    scores = {}
    for o in options:
        median = weighted_median([Weighted(float(data.get("scores", {}).get(o, 0.0)), w) for data, w in members])
        scores[o] = median
    weight = weighted_median([Weighted(float(data.get("weight", 1.0)), w) for data, w in members])
    unacceptable = list(dict.fromkeys(o for data, _w in members for o in data.get("unacceptable", [])))
    return {"scores": scores, "weight": weight, "unacceptable": unacceptable}
