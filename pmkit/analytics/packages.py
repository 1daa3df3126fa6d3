"""Candidate settlements ("packages") and the efficient and fair ones among them.

A **package** puts each numeric issue at a value and each goal in (adopted) or out.

* **Grid.** Each numeric issue takes ``points`` evenly spaced values across the span of the
  parties' ideals (values beyond every ideal help nobody), plus every walk-away inside it,
  so the edges of a bargaining range are always candidates. Issues with a gap, with only
  one known position, or with a missing walk-away are left out, with the reason.
* **Goals.** A goal somebody supports and somebody opposes is traded (in or out); one that
  is only supported is always in, one that is only opposed (or rated by nobody) always out:
  the other choice can only lower every party's satisfaction, so nothing efficient is lost.
* **Thinning.** If there are more than ``max_candidates`` combinations, every issue's grid
  is rebuilt with one point fewer, again and again, down to no fewer than 3 evenly spaced
  points (the walk-aways inside the span stay in every grid). If the issues alone still
  exceed the limit, that is an :class:`~pmkit.errors.InputError`. Otherwise the traded
  goals that do not fit are fixed: those with the smallest total importance
  ``sum_p i_pg [s_pg != 0]`` (earlier goals first on a tie), each adopted when
  ``sum_p s_pg * i_pg / norm_p >= 0`` (its support weighted as in ``u_p``) and left out
  otherwise.
* **Satisfaction** of party ``p``, from its own ratings and ranges only::

      v_p(x)  = min(1, (x - walk_away_p) / (ideal_p - walk_away_p))   1 at the ideal,
                0 at the walk-away, negative beyond it (clipped at -1)
      a_p(g)  = in_g if p supports g, 1 - in_g if p opposes g, 0 if neutral
      u_p     = (sum_g i_pg * a_p(g) + I * sum_j v_pj(x_j)) / norm_p
      norm_p  = sum_g i_pg [s_pg != 0] + I * n_p

  with ``I = ISSUE_IMPORTANCE`` (5: a numeric issue weighs like a goal of top importance)
  and ``n_p`` the issues *on the grid* (those with a bargaining range) on which ``p`` has
  a position: an issue left out counts for nobody. A position whose ideal equals its
  walk-away has ``v_p = 1`` at that value and ``-1`` anywhere else. ``u_p`` is 1 when
  everything goes ``p``'s way (``norm_p = 0``: ``u_p = d_p = 0``).
* **Disagreement** (walking away): no goal adopted and every issue at the party's walk-away,
  ``d_p = sum_g i_pg [p opposes g] / norm_p``. A package is **acceptable** when every issue
  value is within every party's walk-away and ``u_p >= d_p`` for every party; the gain is
  ``u_p - d_p``. Everything below is measured among acceptable packages.
* **Pareto set**: no other acceptable package is at least as good for everyone and better
  for someone (packages with equal satisfaction for everyone are shown once).
* **Nash point**: maximises ``prod_p (u_p - d_p)``.
* **Kalai–Smorodinsky point**: maximises ``min_p (u_p - d_p) / (u*_p - d_p)``, where
  ``u*_p`` is the best ``u_p`` of any acceptable package (a party whose best gain is 0
  counts as 1). This maximin of relative gains is what is computed; on a finite set of
  packages it need not be the package nearest the line from the disagreement point to the
  ideal point.
* **Maximum welfare**: maximises ``sum_p (u_p - d_p)``.

**Ties**, for all three points alike, go to the larger total gain, then the larger smallest
gain, then the first candidate. Satisfaction and gains are rounded to 12 decimals, and two
values of a criterion count as equal when they differ by no more than that rounding can
explain (a first-order error bound: ``m * 1e-12`` for a total, ``1e-12`` for the smallest
gain, ``1e-12 * sum_p prod_{q != p} g_q`` for a product, ``2e-12 / best`` for a relative
gain). So exact ties are decided by the rule and never by float noise: gains (0.6, 2/3)
and (0.4, 1) have the same product and the second, with the larger total, is the Nash point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pmkit.analytics.bargaining import bargaining_range, direction
from pmkit.errors import InputError
from pmkit.model import NumericIssue, Position, Session

__all__ = [
    "DEFAULT_POINTS",
    "ISSUE_IMPORTANCE",
    "MAX_CANDIDATES",
    "CandidateSet",
    "Package",
    "PackageResult",
    "candidate_set",
    "issue_grid",
    "ks_index",
    "nash_index",
    "packages",
    "pareto_mask",
    "value_utility",
    "welfare_index",
]

ISSUE_IMPORTANCE = 5
DEFAULT_POINTS = 11
MAX_CANDIDATES = 250_000
_MIN_POINTS = 3
_DECIMALS = 12
_EPS = 10.0**-_DECIMALS  # satisfaction and gains are exact to this (rounded), up to float noise


# -- pure array functions ---------------------------------------------------------------
def pareto_mask(u: np.ndarray) -> np.ndarray:
    """True for the rows of ``u`` (candidates x parties, larger is better) nobody dominates."""
    u = np.asarray(u, dtype=float)
    n = len(u)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if u.shape[1] == 1:
        return np.asarray(u[:, 0] == u[:, 0].max())
    if u.shape[1] == 2:
        return _pareto_2d(u)
    return _pareto_nd(u)


def _pareto_2d(u: np.ndarray) -> np.ndarray:
    x, y = u[:, 0], u[:, 1]
    order = np.lexsort((-y, -x))  # x descending, then y descending
    xs, ys = x[order], y[order]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    group = np.cumsum(np.r_[True, xs[1:] != xs[:-1]]) - 1
    best = np.maximum.accumulate(ys)
    best_before = np.r_[-np.inf, best[starts[1:] - 1]][group]  # best y at a strictly larger x
    top_in_group = ys[starts][group]  # best y at the same x
    dominated = (best_before >= ys) | (top_in_group > ys)
    mask = np.empty(len(u), dtype=bool)
    mask[order] = ~dominated
    return mask


def _pareto_nd(u: np.ndarray) -> np.ndarray:
    # Sorted by total, a row can only be dominated by an earlier one; each survivor in turn
    # removes what it dominates.
    order = np.argsort(-u.sum(axis=1), kind="stable")
    p = u[order]
    alive = np.arange(len(p))
    i = 0
    while i < len(alive):
        here = p[alive[i]]
        rest = p[alive]
        dominated = np.all(rest <= here, axis=1) & np.any(rest < here, axis=1)
        alive = alive[~dominated]
        i += 1
    mask = np.zeros(len(u), dtype=bool)
    mask[order[alive]] = True
    return mask


def _gains(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = np.round(np.asarray(u, dtype=float) - np.asarray(d, dtype=float), _DECIMALS)
    keep = np.asarray(ok, dtype=bool) & np.all(g >= 0, axis=1)
    idx = np.flatnonzero(keep)
    return idx, g[idx]


def _choose(idx: np.ndarray, g: np.ndarray, criterion: np.ndarray, error: np.ndarray | float) -> int:
    """The row of ``idx`` with the largest ``criterion``; ties go to the larger total gain, then
    the larger smallest gain, then the first row. Two values are tied when they differ by
    no more than their error bounds (``error`` for the criterion): the gains are exact to
    :data:`_EPS` only, so 0.6 x 0.666666666667 ties with 0.4 x 1.0."""
    m = g.shape[1]
    keep = np.arange(len(idx))
    for values, err in ((criterion, error), (g.sum(axis=1), m * _EPS), (g.min(axis=1), _EPS)):
        v = values[keep]
        e = np.broadcast_to(np.asarray(err, dtype=float), values.shape)[keep]
        top = int(np.argmax(v))
        keep = keep[v >= v[top] - (e[top] + e)]
        if len(keep) == 1:
            break
    return int(idx[keep[0]])


def nash_index(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> int | None:
    """Row maximising the product of gains over ``d`` among ``ok`` rows with no loss."""
    idx, g = _gains(u, d, ok)
    if not len(idx):
        return None
    m = g.shape[1]
    others = [np.prod(np.delete(g, p, axis=1), axis=1) for p in range(m)]
    return _choose(idx, g, np.prod(g, axis=1), _EPS * np.sum(others, axis=0))  # first-order error of the product


def ks_index(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> int | None:
    """Row maximising the smallest gain relative to each party's best possible gain."""
    idx, g = _gains(u, d, ok)
    if not len(idx):
        return None
    ideal = g.max(axis=0)
    has = ideal > 0
    rel = np.where(has, g / np.where(has, ideal, 1.0), 1.0)
    error = float(np.max(np.where(has, 2 * _EPS / np.where(has, ideal, 1.0), 0.0)))  # of g / ideal
    return _choose(idx, g, rel.min(axis=1), error)


def welfare_index(u: np.ndarray, d: np.ndarray, ok: np.ndarray) -> int | None:
    """Row maximising the sum of gains."""
    idx, g = _gains(u, d, ok)
    if not len(idx):
        return None
    return _choose(idx, g, g.sum(axis=1), g.shape[1] * _EPS)


def value_utility(position: Position, xs: np.ndarray) -> np.ndarray:
    """``v(x)``: 1 at (and beyond) the ideal, 0 at the walk-away, negative beyond it (down to
    -1: such a value is never acceptable, and a tiny span cannot overflow)."""
    xs = np.asarray(xs, dtype=float)
    if direction(position) == 0:
        return np.where(xs == position.ideal, 1.0, -1.0)
    w = float(position.walk_away)  # type: ignore[arg-type]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        v = (xs - w) / (position.ideal - w)
    return np.clip(v, -1.0, 1.0)


def issue_grid(issue: NumericIssue, points: int = DEFAULT_POINTS) -> np.ndarray:
    """Candidate values of an issue: ``points`` across the ideals' span, plus the walk-aways in it."""
    ideals = [p.ideal for p in issue.positions.values()]
    lo, hi = min(ideals), max(ideals)
    if lo == hi:
        return np.array([lo])
    grid = list(np.linspace(lo, hi, points))
    for p in issue.positions.values():
        w = p.walk_away
        if w is None or not lo <= w <= hi:
            continue
        near = int(np.argmin([abs(x - w) for x in grid]))
        if abs(grid[near] - w) <= 1e-9 * max(1.0, abs(w)):
            grid[near] = w  # exactly the walk-away, so the range's edge is exactly acceptable
        else:
            grid.append(w)
    return np.array(sorted(set(grid)))


# -- candidates from a session ------------------------------------------------------------
@dataclass(frozen=True)
class CandidateSet:
    parties: tuple[str, ...]
    utility: np.ndarray  # (candidates, parties)
    disagreement: np.ndarray  # (parties,)
    acceptable: np.ndarray  # (candidates,) bool
    traded: tuple[str, ...]  # goal ids traded in or out
    fixed_in: tuple[str, ...]
    fixed_out: tuple[str, ...]
    issues: tuple[str, ...]  # issue ids on the grid
    grids: tuple[np.ndarray, ...]
    left_out: tuple[tuple[str, str], ...]  # (issue id, why)

    def decode(self, index: int) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...]]:
        """The goals in and issue values of candidate ``index``."""
        sizes = [len(g) for g in self.grids]
        combos = int(np.prod(sizes)) if sizes else 1
        bits, rest = divmod(int(index), combos)
        goals_in = [*self.fixed_in, *(gid for n, gid in enumerate(self.traded) if bits >> n & 1)]
        values: list[tuple[str, float]] = []
        if sizes:
            for iid, grid, at in zip(self.issues, self.grids, np.unravel_index(rest, sizes), strict=True):
                values.append((iid, round(float(grid[int(at)]), 10)))
        return tuple(goals_in), tuple(values)


def _issue_part(session: Session, points: int) -> tuple[list[NumericIssue], list[tuple[str, str]]]:
    kept: list[NumericIssue] = []
    left: list[tuple[str, str]] = []
    for issue in session.issues:
        known = list(issue.positions)
        if len(known) < 2:
            who = f"only {known[0]}'s position is known here" if known else "no positions"
            left.append((issue.id, who))
            continue
        r = bargaining_range(issue)
        if r.status == "incomplete":
            left.append((issue.id, r.reason))
        elif r.status == "gap":
            left.append((issue.id, f"no bargaining range ({r.reason}); settle it first"))
        else:
            kept.append(issue)
    return kept, left


def candidate_set(
    session: Session, points: int = DEFAULT_POINTS, max_candidates: int = MAX_CANDIDATES
) -> CandidateSet:
    """Every candidate package of ``session`` (as the caller's role sees it), vectorised."""
    if points < 2:
        raise InputError(f"points per issue must be at least 2, got {points}")
    parties = tuple(session.party_ids)
    m = len(parties)
    goals = session.goals
    sup = np.zeros((len(goals), m))
    opp = np.zeros((len(goals), m))
    for g, goal in enumerate(goals):
        for p, pid in enumerate(parties):
            r = goal.ratings.get(pid)
            if r is not None and r.stance == "support":
                sup[g, p] = r.importance
            elif r is not None and r.stance == "oppose":
                opp[g, p] = r.importance
    issues, left = _issue_part(session, points)
    norm = (sup + opp).sum(axis=0) + ISSUE_IMPORTANCE * np.array(
        [sum(pid in i.positions for i in issues) for pid in parties], dtype=float
    )
    scale = np.where(norm > 0, norm, 1.0)
    traded = [g for g in range(len(goals)) if sup[g].any() and opp[g].any()]
    fixed_in = [g for g in range(len(goals)) if sup[g].any() and not opp[g].any()]
    fixed_out = [g for g in range(len(goals)) if g not in traded and g not in fixed_in]

    n_points = points
    grids = [issue_grid(i, n_points) for i in issues]
    while n_points > _MIN_POINTS and 2 ** len(traded) * int(np.prod([len(x) for x in grids])) > max_candidates:
        n_points -= 1
        grids = [issue_grid(i, n_points) for i in issues]
    issue_combos = int(np.prod([len(x) for x in grids])) if grids else 1
    if issue_combos > max_candidates:
        raise InputError(
            f"{len(issues)} numeric issues give more than {max_candidates} packages even at "
            f"{_MIN_POINTS} values each; leave some out"
        )
    room = int(np.floor(np.log2(max_candidates / issue_combos)))
    if len(traded) > room:
        by_weight = sorted(traded, key=lambda g: (-(sup[g] + opp[g]).sum(), g))
        for g in by_weight[room:]:
            (fixed_in if ((sup[g] - opp[g]) / scale).sum() >= 0 else fixed_out).append(g)
        traded = sorted(by_weight[:room])
        fixed_in.sort()
        fixed_out.sort()

    # goal part: (2^t, m)
    t = len(traded)
    bits = ((np.arange(2**t)[:, None] >> np.arange(t)) & 1).astype(float)
    base = opp.sum(axis=0) + (sup[fixed_in] - opp[fixed_in]).sum(axis=0)
    goal_u = base + bits @ (sup[traded] - opp[traded])
    # issue part: (combos, m) and acceptability
    issue_u = np.zeros((1, m))
    issue_ok = np.ones(1, dtype=bool)
    for issue, grid in zip(issues, grids, strict=True):
        v = np.zeros((len(grid), m))
        for p, pid in enumerate(parties):
            pos = issue.positions.get(pid)
            if pos is not None:
                v[:, p] = ISSUE_IMPORTANCE * value_utility(pos, grid)
        ok = np.all(v >= 0, axis=1)
        issue_u = (issue_u[:, None, :] + v[None, :, :]).reshape(-1, m)
        issue_ok = (issue_ok[:, None] & ok[None, :]).reshape(-1)
    u = np.round(((goal_u[:, None, :] + issue_u[None, :, :]) / scale).reshape(-1, m), _DECIMALS)
    d = np.round(opp.sum(axis=0) / scale, _DECIMALS)
    acceptable = np.tile(issue_ok, 2**t) & np.all(u >= d, axis=1)
    return CandidateSet(
        parties=parties, utility=u, disagreement=d, acceptable=acceptable,
        traded=tuple(goals[g].id for g in traded),
        fixed_in=tuple(goals[g].id for g in fixed_in),
        fixed_out=tuple(goals[g].id for g in fixed_out),
        issues=tuple(i.id for i in issues), grids=tuple(grids), left_out=tuple(left),
    )


# -- the result ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Package:
    index: int
    goals_in: tuple[str, ...]
    values: tuple[tuple[str, float], ...]  # (issue id, value)
    utility: tuple[float, ...]  # per party, in PackageResult.parties order
    gain: tuple[float, ...]


@dataclass(frozen=True)
class PackageResult:
    parties: tuple[str, ...]
    candidates: int
    acceptable: int
    disagreement: tuple[float, ...]
    best_gain: tuple[float, ...]  # each party's best gain in any acceptable package
    pareto: tuple[Package, ...]  # by the first party's satisfaction, ascending
    nash: Package | None
    kalai_smorodinsky: Package | None
    max_welfare: Package | None
    traded: tuple[str, ...]
    fixed_in: tuple[str, ...]
    fixed_out: tuple[str, ...]
    issues: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]
    note: str


def packages(session: Session, points: int = DEFAULT_POINTS, max_candidates: int = MAX_CANDIDATES) -> PackageResult:
    """The Pareto set and the Nash, Kalai–Smorodinsky and maximum-welfare packages."""
    cs = candidate_set(session, points, max_candidates)
    u, d, ok = cs.utility, cs.disagreement, cs.acceptable

    def package(i: int | None) -> Package | None:
        if i is None:
            return None
        goals_in, values = cs.decode(i)
        return Package(
            index=int(i), goals_in=goals_in, values=values,
            utility=tuple(round(float(x), 4) for x in u[i]),
            gain=tuple(round(float(x), 4) for x in u[i] - d),
        )

    idx = np.flatnonzero(ok)
    front_idx = idx[pareto_mask(u[idx])] if len(idx) else idx
    _, first = np.unique(u[front_idx], axis=0, return_index=True)
    front_idx = front_idx[np.sort(first)]
    front_idx = front_idx[np.lexsort((front_idx, u[front_idx, 0]))]
    best = (u[idx] - d).max(axis=0) if len(idx) else np.zeros(len(cs.parties))
    if not len(idx):
        note = "no package is acceptable to every party"
    else:
        note = f"{len(idx)} of {len(u)} packages are acceptable to every party"
    return PackageResult(
        parties=cs.parties, candidates=len(u), acceptable=len(idx),
        disagreement=tuple(round(float(x), 4) for x in d),
        best_gain=tuple(round(float(x), 4) for x in best),
        pareto=tuple(p for p in (package(int(i)) for i in front_idx) if p is not None),
        nash=package(nash_index(u, d, ok)),
        kalai_smorodinsky=package(ks_index(u, d, ok)),
        max_welfare=package(welfare_index(u, d, ok)),
        traded=cs.traded, fixed_in=cs.fixed_in, fixed_out=cs.fixed_out,
        issues=cs.issues, left_out=cs.left_out, note=note,
    )
