"""Several people per side: the side's aggregate, the group AHP, and where a side is split.

Pure: members' inputs in, frozen dataclasses out. The rules that make a side's rating and
position from its members' (weighted median importance, weighted majority stance, median
ideal, least flexible walk-away) are in :mod:`pmkit.rules.aggregation` (the store applies them in
its own transaction) and re-exported here. This module adds:

* **Group AHP by aggregation of individual judgements (AIJ).** Each member judges pairs
  of goals on Saaty's scale; the side's judgement of a pair is the weighted geometric
  mean of its members' judgements of it, ``a_ij = Π_k a_ij(k) ^ (w_k / Σ w)`` over the
  members who judged that pair (so reciprocity holds: ``a_ji = 1 / a_ij``). The side's
  priorities are the principal eigenvector of that matrix (:func:`pmkit.analytics.ahp.ahp`);
  the consistency ratio ``CR`` is reported for each member's own matrix and for the
  aggregate. A pair nobody judged leaves the group matrix incomplete (an error naming it).
  Checked against the published example of Dong, Zhang, Hong and Xu (2010), *Decision
  Support Systems* 49(3), section 5 (``tests/unit/analytics/test_participants_aggregate.py``).
* **Where a side is not united** (for the facilitator): per goal and side, each member's
  rating, the *spread* ``max importance − min importance`` over the members who rated it,
  and the flag *not united* when at least two members rated it and either the spread is
  :data:`SPLIT_SPREAD` (3) or more, or one member supports what another opposes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pmkit.analytics.ahp import AhpResult, ahp
from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.rules.aggregation import (
    MAX_WEIGHT,
    Weighted,
    aggregate_position,
    aggregate_rating,
    check_weight,
    weighted_majority,
    weighted_median,
)

__all__ = [
    "MAX_WEIGHT",
    "SPLIT_SPREAD",
    "Division",
    "GroupAhp",
    "Member",
    "MemberRating",
    "Weighted",
    "aggregate_position",
    "aggregate_rating",
    "check_weight",
    "divisions",
    "group_ahp",
    "group_matrix",
    "weighted_majority",
    "weighted_median",
]

SPLIT_SPREAD = 3


@dataclass(frozen=True)
class Member:
    """A member of a side as the analytics need it: id, side, name and weight."""

    participant_id: str
    party: str
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class MemberRating:
    participant_id: str
    name: str
    importance: int
    stance: str


@dataclass(frozen=True)
class Division:
    """One side on one goal: each member's rating, the spread and whether it is split."""

    goal_id: str
    party: str
    ratings: tuple[MemberRating, ...]
    spread: int | None  # None: fewer than two members rated the goal
    opposed: bool  # one member supports what another opposes
    not_united: bool


def divisions(
    members: Sequence[Member],
    ratings: Iterable[tuple[str, str, int, str]],
    goal_order: Sequence[str] = (),
) -> tuple[Division, ...]:
    """Per goal and side, from ``ratings`` ``(participant id, goal id, importance, stance)``:
    each member's rating, the spread and the *not united* flag. Goals in ``goal_order``
    first, in that order; sides in the order their members are listed."""
    by_id = {m.participant_id: m for m in members}
    found: dict[tuple[str, str], list[MemberRating]] = defaultdict(list)
    for pid, goal_id, importance, stance in ratings:
        m = by_id.get(pid)
        if m is not None:
            found[(goal_id, m.party)].append(MemberRating(pid, m.name, int(importance), stance))
    rank = {g: n for n, g in enumerate(goal_order)}
    sides = list(dict.fromkeys(m.party for m in members))
    out = []
    for (goal_id, party), rs in sorted(found.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0][0],
                                                                      sides.index(kv[0][1]))):
        rs.sort(key=lambda r: list(by_id).index(r.participant_id))
        values = [r.importance for r in rs]
        spread = max(values) - min(values) if len(rs) >= 2 else None
        stances = {r.stance for r in rs}
        opposed = {"support", "oppose"} <= stances
        split = len(rs) >= 2 and (opposed or (spread is not None and spread >= SPLIT_SPREAD))
        out.append(Division(goal_id, party, tuple(rs), spread, opposed, split))
    return tuple(out)


# -- group AHP ------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupAhp:
    """The side's AHP from its members' judgements (AIJ), with each member's own CR."""

    party: str
    items: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]
    result: AhpResult  # of the aggregate matrix: priorities, lambda max, CI, CR
    members: tuple[tuple[str, float | None], ...]  # (participant id, own CR; None: incomplete own matrix)


def _canonical(items: Sequence[str], judgements: Mapping[tuple[str, str], float]) -> dict[tuple[int, int], float]:
    at = {name: n for n, name in enumerate(items)}
    out: dict[tuple[int, int], float] = {}
    for (a, b), v in judgements.items():
        if a not in at or b not in at or a == b:
            raise InputError(_("judgement of '{a}' against '{b}': compare two of {items}").format(
                a=a, b=b, items=', '.join(items)))
        if not (np.isfinite(v) and 1 / 9 - 1e-9 <= v <= 9 + 1e-9):
            raise InputError(_("judgement of '{a}' against '{b}' is {value}; use 1/9 to 9 (Saaty's scale)").format(
                a=a, b=b, value=repr(v)))
        i, j = at[a], at[b]
        out[(i, j) if i < j else (j, i)] = float(v) if i < j else 1.0 / float(v)
    return out


def group_matrix(
    items: Sequence[str],
    judgements: Sequence[tuple[Mapping[tuple[str, str], float], float]],
) -> np.ndarray:
    """The AIJ matrix over ``items`` from members' ``(judgements, weight)``: each pair the
    weighted geometric mean of the judgements given on it (weights of those who judged it)."""
    n = len(items)
    logs = np.zeros((n, n))
    weights = np.zeros((n, n))
    for given, weight in judgements:
        w = check_weight(weight)
        for (i, j), v in _canonical(items, given).items():
            logs[i, j] += w * np.log(v)
            weights[i, j] += w
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            if weights[i, j] <= 0:
                raise InputError(_("nobody judged '{goal}' against '{other}'; the group matrix is incomplete").format(
                    goal=items[i], other=items[j]))
            a[i, j] = float(np.exp(logs[i, j] / weights[i, j]))
            a[j, i] = 1.0 / a[i, j]
    return a


def group_ahp(
    party: str,
    items: Sequence[str],
    judgements: Sequence[tuple[str, Mapping[tuple[str, str], float], float]],
) -> GroupAhp:
    """The side's priorities and CR from ``(participant id, judgements, weight)`` per member,
    and each member's own CR (``None`` when the member did not judge every pair)."""
    if len(items) < 2:
        raise InputError(_("a group weighing needs at least two goals"))
    matrix = group_matrix(items, [(j, w) for _pid, j, w in judgements])
    own: list[tuple[str, float | None]] = []
    for pid, given, _w in judgements:
        pairs = _canonical(items, given)
        if len(pairs) == len(items) * (len(items) - 1) // 2:
            own.append((pid, ahp(group_matrix(items, [(given, 1.0)]), items).consistency_ratio))
        else:
            own.append((pid, None))
    return GroupAhp(party, tuple(items), tuple(tuple(float(x) for x in row) for row in matrix),
                    ahp(matrix, items), tuple(own))
