"""Pure analysis of a session (a role's view): overlap, conflicts, blind spots, alignment,
and the combined priority ranking for a weight on one party against another.

No I/O, no widgets, no plotting: functions take model objects and return frozen
dataclasses. Definitions (docs/analytics.md repeats them for users):

* **the pair** (a, b): what the board, the reports and the risk read-out call "customer"
  and "management" are the session's *first two parties in file order* (the ``parties``
  list), whatever their ids and names; ``pair=`` chooses another pair. A party whose id is
  ``customer`` but comes third is not "the customer". Conflicts, blind spots and the
  alignment are over every party; the quadrants, common ground and ranking over the pair;

* importance ``i`` is 0-5; a party *cares* about a goal when ``i >= 3`` (:data:`HIGH`);
* stance value ``s`` is +1 (support), 0 (neutral), -1 (oppose);
* **quadrant** of a goal for the pair (a, b), unrated counting as 0: *shared priority*
  (both care), *a-driven* (only a cares), *b-driven* (only b cares), *low priority*;
* **common ground**: both rated it, both care, and their stances are the same;
* **conflict**: for any two parties, both care and one supports what the other opposes;
  severity ``i_a + i_b``;
* **blind spot**: a goal raised by one party that another party, who may see it, has not
  rated;
* **alignment** (0-100) over every pair of parties and every goal both rated::

      w_g = (i_a + i_b) / 10          how much the goal matters to the pair
      agree_g = 1 - |s_a - s_b| / 2   1 same stance, 0.5 one neutral, 0 opposed
      alignment = 100 * sum(w_g * agree_g) / sum(w_g)

  and ``None`` (shown as "n/a") when no goal is rated by two parties with any importance.
  The value is exact (not rounded): thresholds test it as it is, and it is rounded only
  when shown (:func:`pmkit.text.alignment`: a whole number, half away from zero);
* **combined priority** for a weight ``w`` in [0, 1] on party a against party b:
  ``score = w * i_a + (1 - w) * i_b`` (unrated counts as 0); rank 1 is the highest score,
  ties keep the session's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import STANCE_VALUE, Session
from pmkit.rules.visibility import may_see

__all__ = [
    "HIGH",
    "LOW_PRIORITY",
    "SHARED",
    "BlindSpot",
    "Conflict",
    "GoalPoint",
    "Overview",
    "RankedGoal",
    "alignment",
    "analyze",
    "driven",
    "matrices",
    "quadrant_text",
    "ranking",
]

HIGH = 3
SHARED = N_("shared priority")  # a key, shown as _(SHARED)
LOW_PRIORITY = N_("low priority")


def driven(party: str) -> str:
    """The quadrant name for goals that only ``party`` cares about (a key: shown as
    :func:`quadrant_text`)."""
    return f"{party}-driven"


def quadrant_text(quadrant: str, names: dict[str, str] | None = None) -> str:
    """A quadrant's name in the reader's language: ``shared priority``, ``Customer-driven``
    (``names``: party names by id, for a party-driven quadrant)."""
    if quadrant in (SHARED, LOW_PRIORITY):
        return _(quadrant)
    party = quadrant.removesuffix("-driven")
    return _("{party}-driven").format(party=(names or {}).get(party, party))


@dataclass(frozen=True, slots=True)
class GoalPoint:
    """One goal placed by its importance to the pair (a, b)."""

    goal_id: str
    title: str
    raised_by: str
    importance_a: int | None
    importance_b: int | None
    stance_a: str | None
    stance_b: str | None
    quadrant: str

    @property
    def stances_agree(self) -> bool | None:
        """True same stance, False opposed, None when either is unrated or neutral differs."""
        if self.stance_a is None or self.stance_b is None:
            return None
        va, vb = STANCE_VALUE[self.stance_a], STANCE_VALUE[self.stance_b]
        if va == vb:
            return True
        if va * vb == -1:
            return False
        return None


@dataclass(frozen=True, slots=True)
class Conflict:
    goal_id: str
    title: str
    party_a: str
    party_b: str
    importance_a: int
    importance_b: int
    stance_a: str
    stance_b: str

    @property
    def severity(self) -> int:
        return self.importance_a + self.importance_b


@dataclass(frozen=True, slots=True)
class BlindSpot:
    goal_id: str
    title: str
    raised_by: str
    unrated_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RankedGoal:
    rank: int
    goal_id: str
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the board shows about goal overlap, for one pair and one weight."""

    pair: tuple[str, str]
    weight: float
    points: tuple[GoalPoint, ...]
    quadrant_counts: tuple[tuple[str, int], ...]
    common_ground: tuple[GoalPoint, ...]
    conflicts: tuple[Conflict, ...]
    blind_spots: tuple[BlindSpot, ...]
    alignment: float | None
    ranking: tuple[RankedGoal, ...]

    def quadrant(self, name: str) -> tuple[GoalPoint, ...]:
        return tuple(p for p in self.points if p.quadrant == name)


_STANCE_NAMES = {v: k for k, v in STANCE_VALUE.items()}


def matrices(session: Session) -> tuple[np.ndarray, np.ndarray]:
    """Importance and stance matrices, shape (goals, parties); NaN where unrated."""
    parties = session.party_ids
    index = {pid: p for p, pid in enumerate(parties)}
    n, m = len(session.goals), len(parties)
    # one flat list of floats each, then one array: no n*m numpy item writes, and no per-goal
    # containers for the garbage collector to count
    imp_flat = [float("nan")] * (n * m)
    stn_flat = imp_flat.copy()
    for g, goal in enumerate(session.goals):
        for pid, r in goal.ratings.items():
            p = index.get(pid)
            if p is not None:
                imp_flat[g * m + p] = r.importance
                stn_flat[g * m + p] = STANCE_VALUE[r.stance]
    imp = np.array(imp_flat, dtype=float).reshape(n, m)
    stn = np.array(stn_flat, dtype=float).reshape(n, m)
    return imp, stn


def _optional_ints(column: np.ndarray) -> list[int | None]:
    return [None if x != x else int(x) for x in column.tolist()]  # x != x: NaN, unrated


def _optional_stances(column: np.ndarray) -> list[str | None]:
    return [None if x != x else _STANCE_NAMES[int(x)] for x in column.tolist()]


def _pair_index(session: Session, pair: tuple[str, str] | None) -> tuple[int, int]:
    parties = session.party_ids
    if pair is None:
        if len(parties) < 2:
            raise InputError(_("the analysis needs at least two parties; add one under 'parties'"))
        return 0, 1
    for pid in pair:
        if pid not in parties:
            raise InputError(_("unknown party '{party}'; this session's parties are {parties}").format(
                party=pid, parties=', '.join(parties)))
    if pair[0] == pair[1]:
        raise InputError(_("compare two different parties"))
    return parties.index(pair[0]), parties.index(pair[1])


def _check_weight(weight: float) -> float:
    w = float(weight)
    if not 0.0 <= w <= 1.0:
        raise InputError(_("weight {weight} is outside [0, 1]; 0 means all on the second party").format(
            weight=repr(weight)))
    return w


def _alignment(imp: np.ndarray, stn: np.ndarray) -> float | None:
    # in whole numbers (10 w_g and 2 agree_g), so the one division is the only rounding: an
    # alignment of exactly 69.95 or 56.25 is that float, never rounded before a threshold
    num = 0.0
    den = 0.0
    for a, b in combinations(range(imp.shape[1]), 2):
        both = ~np.isnan(imp[:, a]) & ~np.isnan(imp[:, b])
        w10 = imp[both, a] + imp[both, b]
        agree2 = 2.0 - np.abs(stn[both, a] - stn[both, b])
        num += float(np.dot(w10, agree2))
        den += float(w10.sum())
    return None if den == 0 else 100.0 * num / (2.0 * den)


def alignment(session: Session) -> float | None:
    """Alignment score 0-100 over all pairs of parties (see the module docstring)."""
    return _alignment(*matrices(session))


def _ranking(session: Session, imp: np.ndarray, a: int, b: int, w: float) -> tuple[RankedGoal, ...]:
    filled = np.nan_to_num(imp, nan=0.0)
    score = w * filled[:, a] + (1.0 - w) * filled[:, b]
    order = np.argsort(-score, kind="stable")
    goals = session.goals
    scores = score.tolist()  # plain floats: far cheaper to read one by one than numpy scalars
    return tuple(
        RankedGoal(rank=r + 1, goal_id=goals[g].id, title=goals[g].title, score=round(scores[g], 3))
        for r, g in enumerate(order.tolist())
    )


def ranking(session: Session, weight: float, pair: tuple[str, str] | None = None) -> tuple[RankedGoal, ...]:
    """Goals ranked by combined priority ``w * i_a + (1 - w) * i_b``."""
    a, b = _pair_index(session, pair)
    imp, _ = matrices(session)
    return _ranking(session, imp, a, b, _check_weight(weight))


def analyze(session: Session, *, pair: tuple[str, str] | None = None, weight: float = 0.5) -> Overview:
    """The board's analysis of ``session`` for the pair (a, b) and weight ``w`` on a."""
    a, b = _pair_index(session, pair)
    w = _check_weight(weight)
    parties = session.party_ids
    pa, pb = parties[a], parties[b]
    imp, stn = matrices(session)
    goals = session.goals

    ia = np.nan_to_num(imp[:, a], nan=0.0)
    ib = np.nan_to_num(imp[:, b], nan=0.0)
    high_a, high_b = ia >= HIGH, ib >= HIGH
    quad = np.where(
        high_a & high_b, SHARED, np.where(high_a, driven(pa), np.where(high_b, driven(pb), LOW_PRIORITY))
    )

    # plain Python values (NaN -> None) for the per-goal records: numpy scalars are slow one by one
    imp_a, imp_b = _optional_ints(imp[:, a]), _optional_ints(imp[:, b])
    stn_a, stn_b = _optional_stances(stn[:, a]), _optional_stances(stn[:, b])
    quads = quad.tolist()
    points = tuple(
        GoalPoint(
            goal_id=goal.id,
            title=goal.title,
            raised_by=goal.raised_by,
            importance_a=imp_a[g],
            importance_b=imp_b[g],
            stance_a=stn_a[g],
            stance_b=stn_b[g],
            quadrant=quads[g],
        )
        for g, goal in enumerate(goals)
    )
    names = (SHARED, driven(pa), driven(pb), LOW_PRIORITY)
    counts = tuple((name, int(np.count_nonzero(quad == name))) for name in names)

    both = ~np.isnan(imp[:, a]) & ~np.isnan(imp[:, b])
    common_mask = both & high_a & high_b & (stn[:, a] == stn[:, b])
    common_idx = np.flatnonzero(common_mask)
    common_idx = common_idx[np.argsort(-(ia + ib)[common_idx], kind="stable")]
    common = tuple(points[g] for g in common_idx)

    conflicts: list[Conflict] = []
    for x, y in combinations(range(len(parties)), 2):
        mask = (imp[:, x] >= HIGH) & (imp[:, y] >= HIGH) & (stn[:, x] * stn[:, y] == -1)
        for g in np.flatnonzero(mask).tolist():
            conflicts.append(
                Conflict(
                    goal_id=goals[g].id,
                    title=goals[g].title,
                    party_a=parties[x],
                    party_b=parties[y],
                    importance_a=int(imp[g, x]),
                    importance_b=int(imp[g, y]),
                    stance_a=_STANCE_NAMES[int(stn[g, x])],
                    stance_b=_STANCE_NAMES[int(stn[g, y])],
                )
            )
    conflicts.sort(key=lambda c: -c.severity)

    unrated = np.isnan(imp)
    unrated_rows = unrated.tolist()
    blind: list[BlindSpot] = []
    for g in np.flatnonzero(unrated.any(axis=1)).tolist():
        goal = goals[g]
        row = unrated_rows[g]
        missing = tuple(
            pid
            for p, pid in enumerate(parties)
            if row[p] and pid != goal.raised_by and may_see(pid, goal.audience)
        )
        if missing:
            blind.append(BlindSpot(goal.id, goal.title, goal.raised_by, missing))

    return Overview(
        pair=(pa, pb),
        weight=w,
        points=points,
        quadrant_counts=counts,
        common_ground=common,
        conflicts=tuple(conflicts),
        blind_spots=tuple(blind),
        alignment=_alignment(imp, stn),
        ranking=_ranking(session, imp, a, b, w),
    )
