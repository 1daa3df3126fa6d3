"""Candidate settlements ("packages") and the efficient and fair ones among them, exactly.

A **package** puts each numeric issue at a value, each option issue at one of its options and
each goal in (adopted) or out.

* **Values.** Each numeric issue takes ``points`` evenly spaced values across the span of the
  parties' ideals (values beyond every ideal help nobody), plus every walk-away inside it,
  so the edges of a bargaining range are always candidates. Issues with a gap, with only
  one known position, or with a missing walk-away are left out, with the reason.
* **Options.** An option issue takes each of its options. One on which fewer than two
  parties have scores is left out (a party's view knows only its own), and so is one with
  no option every party can accept (settle it first).
* **Goals.** A goal somebody supports and somebody opposes is traded (in or out); one that
  is only supported is always in, one that is only opposed (or rated by nobody) always out:
  the other choice can only lower every party's satisfaction, so nothing efficient is lost.
* **Satisfaction** of party ``p``, from its own ratings, ranges and scores only::

      v_p(x)  = min(1, (x - walk_away_p) / (ideal_p - walk_away_p))   1 at the ideal,
                0 at the walk-away, negative beyond it (clipped at -1)
      a_p(g)  = in_g if p supports g, 1 - in_g if p opposes g, 0 if neutral
      u_p     = (sum_g i_pg * a_p(g) + I * sum_j v_pj(x_j) + sum_k w_pk * s_pk(o_k) / max_o s_pk(o))
                / norm_p
      norm_p  = sum_g i_pg [s_pg != 0] + I * n_p + sum_k w_pk

  with ``I = ISSUE_IMPORTANCE`` (5: a numeric issue weighs like a goal of top importance),
  ``n_p`` the numeric issues *in the packages* on which ``p`` has a position, and ``k`` the
  option issues in the packages on which ``p`` has scores: ``s_pk`` its score of an option
  (0 when not given), ``w_pk`` its weight for the issue (an issue ``p`` scores all 0
  contributes 0, its weight still counts). With option issues only this is GENIUS's additive
  utility. An issue left out counts for nobody. A position whose ideal equals its walk-away
  has ``v_p = 1`` at that value and ``-1`` anywhere else. ``u_p`` is 1 when everything goes
  ``p``'s way (``norm_p = 0``: ``u_p = d_p = 0``).
* **Disagreement** (walking away): the party's reservation value when it has one; otherwise
  no goal adopted, every issue at the party's walk-away and no option, ``d_p = sum_g i_pg
  [p opposes g] / norm_p``. A package is **acceptable** when every value is within every
  party's walk-away, no option is one somebody cannot accept, and ``u_p >= d_p`` for every
  party; the gain is ``u_p - d_p``. Everything below is measured among acceptable packages.
* **Pareto set**: no other acceptable package is at least as good for everyone and better
  for someone (packages with equal satisfaction for everyone are shown once).
* **Nash point**: maximises ``prod_p (u_p - d_p)``.
* **Kalai–Smorodinsky point**: maximises ``min_p (u_p - d_p) / (u*_p - d_p)``, where
  ``u*_p`` is the best ``u_p`` of any acceptable package (a party whose best gain is 0
  counts as 1). This maximin of relative gains is what is computed; on a finite set of
  packages it need not be the package nearest the line from the disagreement point to the
  ideal point.
* **Maximum welfare**: maximises ``sum_p (u_p - d_p)``.

**Exact at any size.** ``u_p`` is a sum over issues (goals, numeric issues, option issues)
of one term each, so nothing is enumerated: :func:`pmkit.analytics.frontier.pareto_sum`
merges the issues one by one keeping only undominated partial packages, which loses no
efficient package, and the three points and every ``u*_p`` lie on the frontier (the
arguments are in that module). The number of **candidates** is still the product of the
choices (``2^traded * prod grid sizes * prod option counts``); the acceptable ones are
counted exactly (every one when even the worst package reaches every ``d_p``, else by
enumeration up to 4 million; beyond that the count is not given).

**Order and ties.** Packages are numbered in this order: the traded goals' pattern (goal
``n`` in is bit ``n``), then the numeric issues' values, then the option issues' options,
each issue in session order (``index = bits * prod sizes + mixed radix of the issues``).
Ties, for all three points alike, go to the larger total gain, then the larger smallest
gain, then the first package. Satisfaction and gains are rounded to 12 decimals, and two
values of a criterion count as equal when they differ by no more than that rounding can
explain (a first-order error bound: ``m * 1e-12`` for a total, ``1e-12`` for the smallest
gain, ``1e-12 * sum_p prod_{q != p} g_q`` for a product, ``2e-12 / best`` for a relative
gain). So exact ties are decided by the rule and never by float noise: gains (0.6, 2/3)
and (0.4, 1) have the same product and the second, with the larger total, is the Nash point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pmkit.analytics.bargaining import bargaining_range, direction
from pmkit.analytics.frontier import (
    DECIMALS,
    count_at_least,
    ks_index,
    nash_index,
    pareto_mask,
    pareto_sum,
    welfare_index,
)
from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import NumericIssue, Position, Session

__all__ = [
    "DEFAULT_POINTS",
    "ISSUE_IMPORTANCE",
    "Column",
    "Package",
    "PackageResult",
    "Problem",
    "issue_grid",
    "ks_index",
    "nash_index",
    "option_column",
    "packages",
    "picks",
    "pareto_mask",
    "problem",
    "solve",
    "value_utility",
    "welfare_index",
]

ISSUE_IMPORTANCE = 5
DEFAULT_POINTS = 11
COUNT_LIMIT = 4_000_000  # acceptable packages are counted by enumeration up to this many


# -- pure array functions ---------------------------------------------------------------
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




def _issue_part(session: Session, points: int) -> tuple[list[NumericIssue], list[tuple[str, str]]]:
    kept: list[NumericIssue] = []
    left: list[tuple[str, str]] = []
    for issue in session.issues:
        known = list(issue.positions)
        if len(known) < 2:
            who = (_("only {party}'s position is known here").format(party=known[0]) if known
                   else _("no positions"))
            left.append((issue.id, who))
            continue
        r = bargaining_range(issue)
        if r.status == "incomplete":
            left.append((issue.id, r.reason))
        elif r.status == "gap":
            left.append((issue.id, _("no bargaining range ({reason}); settle it first").format(reason=r.reason)))
        else:
            kept.append(issue)
    return kept, left


# -- the problem: one column of choices per issue -------------------------------------------
@dataclass(frozen=True)
class Column:
    """One issue of a package: its choices and what each adds to each party's numerator."""

    id: str
    kind: str  # "goal" (choices out, in), "numeric" (grid values) or "option" (option ids)
    choices: tuple[Any, ...]
    numerator: np.ndarray  # (choices, parties)
    ok: np.ndarray  # (choices,) bool: within every walk-away, acceptable to every party
    weight: np.ndarray  # (parties,): what the issue adds to each party's norm_p


def option_column(issue: str, options: Sequence[str], scores: Mapping[str, Sequence[float]],
                  weights: Mapping[str, float], unacceptable: Mapping[str, Sequence[str] | set[str]],
                  parties: Sequence[str]) -> Column:
    """An option issue as a column: per party ``p`` with scores, option ``o`` adds
    ``w_p * s_p(o) / max s_p`` (0 when every score is 0) and ``w_p`` to ``norm_p``; an option any
    party cannot accept is not acceptable. ``scores[p]`` is in the order of ``options``."""
    m, n = len(parties), len(options)
    numerator = np.zeros((n, m))
    weight = np.zeros(m)
    for p, pid in enumerate(parties):
        if pid not in scores:
            continue
        s = np.asarray(scores[pid], dtype=float).reshape(n)
        w = float(weights.get(pid, 1.0))
        top = float(s.max()) if n else 0.0
        weight[p] = w
        if top > 0:
            numerator[:, p] = w * s / top
    barred = set().union(*(set(unacceptable.get(pid, ())) for pid in parties))
    ok = np.array([o not in barred for o in options], dtype=bool)
    return Column(issue, "option", tuple(options), numerator, ok, weight)


def _option_columns(session: Session, parties: Sequence[str]) -> tuple[list[Column], list[tuple[str, str]]]:
    """The session's option issues."""
    kept: list[Column] = []
    left: list[tuple[str, str]] = []
    for issue in session.option_issues:
        ids = [o.id for o in issue.options]
        given = {pid: sc for pid, sc in issue.scores.items() if pid in parties}
        if len(given) < 2:
            left.append((issue.id, _("only {party}'s scores are known here").format(party=next(iter(given))) if given
                         else _("no scores")))
            continue
        column = option_column(
            issue.id, ids,
            {pid: [float(sc.scores.get(o, 0.0)) for o in ids] for pid, sc in given.items()},
            {pid: float(sc.weight) for pid, sc in given.items()},
            {pid: list(sc.unacceptable) for pid, sc in given.items()}, parties)
        if not column.ok.any():
            left.append((issue.id, _("no option every party can accept; settle it first")))
            continue
        kept.append(column)
    return kept, left


@dataclass(frozen=True)
class Problem:
    parties: tuple[str, ...]
    columns: tuple[Column, ...]  # in index order: traded goals (last first), numeric, option issues
    base: np.ndarray  # (parties,) numerator of the goals that are not traded
    norm: np.ndarray  # (parties,) norm_p
    disagreement: np.ndarray  # (parties,) d_p
    traded: tuple[str, ...]
    fixed_in: tuple[str, ...]
    fixed_out: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]


def problem(session: Session, points: int = DEFAULT_POINTS) -> Problem:
    """The issues of ``session`` (as the caller's role sees it) as columns of choices."""
    if points < 2:
        raise InputError(_("points per issue must be at least 2, got {points}").format(points=points))
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
    traded = [g for g in range(len(goals)) if sup[g].any() and opp[g].any()]
    fixed_in = [g for g in range(len(goals)) if sup[g].any() and not opp[g].any()]
    fixed_out = [g for g in range(len(goals)) if g not in traded and g not in fixed_in]
    columns = [Column(goals[g].id, "goal", (False, True), np.stack([opp[g], sup[g]]), np.ones(2, dtype=bool),
                      sup[g] + opp[g]) for g in reversed(traded)]
    issues, left = _issue_part(session, points)
    for issue in issues:
        grid = issue_grid(issue, points)
        v = np.zeros((len(grid), m))
        weight = np.zeros(m)
        for p, pid in enumerate(parties):
            pos = issue.positions.get(pid)
            if pos is not None:
                v[:, p] = ISSUE_IMPORTANCE * value_utility(pos, grid)
                weight[p] = ISSUE_IMPORTANCE
        columns.append(Column(issue.id, "numeric", tuple(float(x) for x in grid), v, np.all(v >= 0, axis=1), weight))
    options, left_options = _option_columns(session, parties)
    columns += options
    norm = (sup + opp).sum(axis=0) + sum((c.weight for c in columns if c.kind != "goal"), np.zeros(m))
    scale = np.where(norm > 0, norm, 1.0)
    d = opp.sum(axis=0) / scale
    for p, party in enumerate(session.parties):
        if party.reservation is not None:
            d[p] = float(party.reservation)
    return Problem(
        parties=parties, columns=tuple(columns),
        base=sup[fixed_in].sum(axis=0) + opp[fixed_out].sum(axis=0), norm=norm,
        disagreement=np.round(d, DECIMALS),
        traded=tuple(goals[g].id for g in traded), fixed_in=tuple(goals[g].id for g in fixed_in),
        fixed_out=tuple(goals[g].id for g in fixed_out), left_out=tuple(left + left_options),
    )


# -- the result ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Package:
    index: int
    goals_in: tuple[str, ...]
    values: tuple[tuple[str, float], ...]  # (issue id, value)
    utility: tuple[float, ...]  # per party, in PackageResult.parties order
    gain: tuple[float, ...]
    options: tuple[tuple[str, str], ...] = ()  # (option issue id, option id)


@dataclass(frozen=True)
class PackageResult:
    parties: tuple[str, ...]
    candidates: int
    acceptable: int | None  # None: too many to count
    disagreement: tuple[float, ...]
    best_gain: tuple[float, ...]  # each party's best gain in any acceptable package
    pareto: tuple[Package, ...]  # by the first party's satisfaction, ascending
    nash: Package | None
    kalai_smorodinsky: Package | None
    max_welfare: Package | None
    traded: tuple[str, ...]
    fixed_in: tuple[str, ...]
    fixed_out: tuple[str, ...]
    issues: tuple[str, ...]  # numeric issues in the packages
    left_out: tuple[tuple[str, str], ...]
    note: str
    option_issues: tuple[str, ...] = ()  # option issues in the packages


def solve(pb: Problem) -> PackageResult:
    """The Pareto set and the three points of a :class:`Problem`, without enumerating it."""
    m = len(pb.parties)
    scale = np.where(pb.norm > 0, pb.norm, 1.0)
    terms = [c.numerator / scale for c in pb.columns]
    oks = [c.ok for c in pb.columns]
    offset = pb.base / scale
    front = pareto_sum(terms, offset, oks)
    u, d = front.utility, pb.disagreement
    ok = np.all(u >= d, axis=1) if m else np.ones(len(u), dtype=bool)
    candidates = 1
    for c in pb.columns:
        candidates *= len(c.choices)
    acceptable = count_at_least(terms, offset, d, oks, COUNT_LIMIT) if ok.any() else 0

    def package(row: int | None) -> Package | None:
        if row is None:
            return None
        traded_in, values, options = picks(pb, front.choices[row])
        return Package(
            index=front.index(row), goals_in=(*pb.fixed_in, *(g for g in pb.traded if g in traded_in)),
            values=values,
            utility=tuple(round(float(x), 4) for x in u[row]),
            gain=tuple(round(float(x), 4) for x in u[row] - d), options=options,
        )

    rows = np.flatnonzero(ok)
    by_first = rows[np.argsort(u[rows, 0], kind="stable")] if m else rows  # rows are in index order
    best = (u[rows] - d).max(axis=0) if len(rows) else np.zeros(m)
    if not len(rows):
        note = _("no package is acceptable to every party")
    elif acceptable is None:
        note = _("{candidates} packages, too many to count those acceptable to every party").format(
            candidates=candidates)
    else:
        note = _("{acceptable} of {candidates} packages are acceptable to every party").format(
            acceptable=acceptable, candidates=candidates)
    return PackageResult(
        parties=pb.parties, candidates=candidates, acceptable=acceptable,
        disagreement=tuple(round(float(x), 4) for x in d),
        best_gain=tuple(round(float(x), 4) for x in best),
        pareto=tuple(p for p in (package(int(i)) for i in by_first) if p is not None),
        nash=package(nash_index(u, d, ok)),
        kalai_smorodinsky=package(ks_index(u, d, ok)),
        max_welfare=package(welfare_index(u, d, ok)),
        traded=pb.traded, fixed_in=pb.fixed_in, fixed_out=pb.fixed_out,
        issues=tuple(c.id for c in pb.columns if c.kind == "numeric"), left_out=pb.left_out, note=note,
        option_issues=tuple(c.id for c in pb.columns if c.kind == "option"),
    )


def picks(pb: Problem, choices: Sequence[int]) -> tuple[frozenset[str], tuple[tuple[str, float], ...],
                                                      tuple[tuple[str, str], ...]]:
    """One package's choices, column by column, as the traded goals it adopts, each numeric
    issue's value and each option issue's option."""
    traded_in: set[str] = set()
    values: list[tuple[str, float]] = []
    options: list[tuple[str, str]] = []
    for c, at in zip(pb.columns, choices, strict=True):
        pick = c.choices[int(at)]
        if c.kind == "goal" and pick:
            traded_in.add(c.id)
        elif c.kind == "numeric":
            values.append((c.id, round(float(pick), 10)))
        elif c.kind == "option":
            options.append((c.id, str(pick)))
    return frozenset(traded_in), tuple(values), tuple(options)


def packages(session: Session, points: int = DEFAULT_POINTS) -> PackageResult:
    """The Pareto set and the Nash, Kalai–Smorodinsky and maximum-welfare packages."""
    return solve(problem(session, points))
