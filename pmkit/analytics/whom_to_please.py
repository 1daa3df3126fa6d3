"""Whom to please: how the top of the combined ranking moves as the weight on one party
moves from 0 to 1 against another, computed exactly (no sampling).

Every goal's combined priority is a straight line in the weight ``w`` on party a::

    score_g(w) = w * a_g + (1 - w) * b_g  =  b_g + w * (a_g - b_g)

where ``a_g`` and ``b_g`` are the importances party a and party b gave the goal (unrated
counts as 0), the same score :func:`pmkit.analytics.overlap.ranking` sorts by (ties keep the
session's order). Two goals i and j swap places exactly where their lines cross::

    w* = (b_j - b_i) / ((a_i - b_i) - (a_j - b_j))      when 0 < w* < 1

Importances are integers, so ``w*`` is a fraction of small integers and is kept exact
(:class:`fractions.Fraction`); scores at such a weight are compared exactly too. Goals with
the same pair of importances share one line and never swap, so the crossings are computed
between the (at most 36) distinct lines, not between every pair of goals.

* A crossing is **critical** when it changes the top ``k`` (its members or their order):
  fewer than ``k`` goals score strictly higher than the two at ``w*``.
* Between two neighbouring critical weights the ordered top ``k`` is constant (a
  **segment**); at a critical weight itself ties keep the session's order.
* A goal is **robust** when it is in the top ``k`` at every weight in [0, 1], checked at
  0, 1, every critical weight and one weight inside every segment (exhaustive, since
  nothing else can change the top ``k``). It is **contested** when it is in the top ``k``
  at some weights but not at others.

**Option issues** (:func:`option_sensitivity`). An option issue is not a goal that is in or
out: the question is which of its options the weight favours. For parties a and b, each
option ``o``'s value to party ``p`` is its share of ``p``'s best score on the issue times
``p``'s weight for the issue (the term the issue adds to ``p``'s satisfaction in
:mod:`pmkit.analytics.packages`, before ``p``'s norm)::

    c_p(o) = W_p * s_p(o) / max_o' s_p(o')        (0 when p scored nothing above 0)
    blend(o, w) = w * c_a(o) + (1 - w) * c_b(o)

* The **preferred option** at weight ``w`` is the option with the highest blend among those
  neither party cannot accept (all options when there is none: the issue then has **no
  common ground**, and says so); ties go to the first option in the issue's order.
* Each party's **favourite** is the preferred option at its end of the scale (a at 1, b at 0):
  the one it values most among those both can accept.
* As ``w`` moves from 0 to 1 the preferred option changes exactly where two blends cross::

      w* = (c_b(j) - c_b(i)) / ((c_a(i) - c_b(i)) - (c_a(j) - c_b(j)))      0 < w* < 1

  computed in exact fractions of the scores and weights; the **segments** of [0, 1] with
  one preferred option, and the **switches** between them, say how much the weight matters
  on the issue (one segment: the weight does not change the choice).
* The issue's **priority** at ``w`` is ``w * W_a + (1 - w) * W_b``, on the scale of a goal's
  combined priority (a weight is on the scale of a goal's importance, 0 to 5).

Only a view that holds both parties' scores can say this: a party's own view holds only its
own (:attr:`OptionWhom.missing` names the other), the room's none.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import OptionIssue, Session

__all__ = [
    "Crossing",
    "OptionSegment",
    "OptionWhom",
    "Segment",
    "Sensitivity",
    "SensitivityGoal",
    "crossings",
    "option_sensitivity",
    "option_whom",
    "preferred_option",
    "sensitivity",
    "sensitivity_arrays",
    "top_k_at",
]


@dataclass(frozen=True)
class Crossing:
    """Two groups of goals (same importances within a group) swap places at ``weight``."""

    weight: float
    exact: str  # the weight as a fraction, e.g. "3/7"
    above_before: tuple[str, ...]  # goal ids ranked higher for weights just below
    above_after: tuple[str, ...]  # goal ids ranked higher for weights just above


@dataclass(frozen=True)
class Segment:
    """For every weight strictly between ``low`` and ``high`` the top k is ``goals``, in order."""

    low: float
    high: float
    low_exact: str
    high_exact: str
    goals: tuple[str, ...]


@dataclass(frozen=True)
class SensitivityGoal:
    goal_id: str
    title: str
    importance_a: int | None
    importance_b: int | None
    # weight intervals (low, high) in which the goal is in the top k (segment interiors)
    in_top_k: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Sensitivity:
    pair: tuple[str, str]
    k: int
    robust: tuple[SensitivityGoal, ...]
    contested: tuple[SensitivityGoal, ...]
    critical: tuple[Crossing, ...]
    segments: tuple[Segment, ...]


def _exact(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _as_exact(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Integer copies of the values when they are all whole numbers (exact arithmetic)."""
    if values.size and np.all(np.isfinite(values)) and np.all(values == np.round(values)):
        return values.astype(np.int64), True
    return values.astype(float), False


def _scores(a: np.ndarray, b: np.ndarray, w: Fraction, exact: bool) -> np.ndarray:
    """Scores at weight ``w``; with integer inputs the scores times the denominator, exactly."""
    if exact:
        return b * w.denominator + (a - b) * w.numerator
    x = float(w)
    return x * a + (1.0 - x) * b


def top_k_at(a: np.ndarray, b: np.ndarray, w: Fraction | float, k: int) -> np.ndarray:
    """Indices of the top ``k`` goals at weight ``w``, best first; ties keep input order."""
    fw = w if isinstance(w, Fraction) else Fraction(w)
    ia, exact_a = _as_exact(np.asarray(a))
    ib, exact_b = _as_exact(np.asarray(b))
    score = _scores(ia, ib, fw, exact_a and exact_b)
    order = np.lexsort((np.arange(len(score)), -score))
    return order[:k]


def crossings(a: np.ndarray, b: np.ndarray) -> list[tuple[Fraction, int, int]]:
    """Every crossing in (0, 1) between distinct lines: (w*, line before above, line after above).

    Line indices refer to ``np.unique`` of the (a, b) pairs; see :func:`sensitivity_arrays`.
    """
    pairs = np.unique(np.stack([a, b], axis=1), axis=0)
    return _line_crossings(pairs)


def _line_crossings(lines: np.ndarray) -> list[tuple[Fraction, int, int]]:
    la, lb = lines[:, 0], lines[:, 1]
    slope = la - lb
    i, j = np.triu_indices(len(lines), k=1)
    ds = slope[i] - slope[j]
    db = lb[j] - lb[i]
    ok = ds != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(ok, db / np.where(ok, ds, 1), -1.0)
    keep = ok & (w > 0) & (w < 1)
    out: list[tuple[Fraction, int, int]] = []
    for x, y in zip(i[keep], j[keep], strict=True):
        num, den = lb[y] - lb[x], slope[x] - slope[y]
        if float(num).is_integer() and float(den).is_integer():
            wf = Fraction(int(num), int(den))
        else:
            wf = Fraction(float(num)) / Fraction(float(den))
        if not 0 < wf < 1:
            continue
        # just below w*, the line with the higher intercept (score at 0) is above
        before, after = (int(x), int(y)) if lb[x] > lb[y] else (int(y), int(x))
        out.append((wf, before, after))
    return out


def sensitivity_arrays(
    a: np.ndarray, b: np.ndarray, k: int
) -> tuple[list[tuple[Fraction, int, int, Fraction]], list[tuple[Fraction, Fraction, np.ndarray]], np.ndarray]:
    """The exact computation on importance arrays ``a`` and ``b`` (unrated as 0).

    Returns (critical crossings as (w*, line above before, line above after, score), segments
    as (low, high, top-k goal indices), the line index of every goal).
    """
    a = np.asarray(a)
    b = np.asarray(b)
    n = len(a)
    if n == 0:
        return [], [(Fraction(0), Fraction(1), np.zeros(0, dtype=int))], np.zeros(0, dtype=int)
    ia, ea = _as_exact(a)
    ib, eb = _as_exact(b)
    exact = ea and eb
    lines, line_of = np.unique(np.stack([ia, ib], axis=1), axis=0, return_inverse=True)
    line_of = np.asarray(line_of).reshape(-1)
    counts = np.bincount(line_of, minlength=len(lines))
    la, lb = lines[:, 0], lines[:, 1]
    critical: list[tuple[Fraction, int, int, Fraction]] = []
    for wf, before, after in _line_crossings(lines):
        s = _scores(la, lb, wf, exact)
        above = int(counts[s > s[before]].sum())
        if above < k:
            score = Fraction(int(s[before]), wf.denominator) if exact else Fraction(float(s[before]))
            critical.append((wf, before, after, score))
    critical.sort(key=lambda c: (c[0], -c[3]))
    cuts = sorted({Fraction(0), Fraction(1), *(c[0] for c in critical)})
    segments: list[tuple[Fraction, Fraction, np.ndarray]] = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        segments.append((lo, hi, top_k_at(ia, ib, (lo + hi) / 2, k)))
    return critical, segments, line_of


def _pair(session: Session, pair: tuple[str, str] | None) -> tuple[str, str]:
    parties = session.party_ids
    if pair is None:
        if len(parties) < 2:
            raise InputError(_("whom-to-please needs two parties; add one under 'parties'"))
        return parties[0], parties[1]
    for pid in pair:
        if pid not in parties:
            raise InputError(_("unknown party '{party}'; this session's parties are {parties}").format(
                party=pid, parties=', '.join(parties)))
    if pair[0] == pair[1]:
        raise InputError(_("compare two different parties"))
    return pair


def sensitivity(session: Session, k: int = 3, pair: tuple[str, str] | None = None) -> Sensitivity:
    """Robust and contested goals of the top ``k`` and the exact critical weights."""
    if not isinstance(k, int) or k < 1:
        raise InputError(_("k must be a whole number of at least 1, got {k}").format(k=repr(k)))
    pa, pb = _pair(session, pair)
    goals = session.goals
    ra = [g.ratings.get(pa) for g in goals]
    rb = [g.ratings.get(pb) for g in goals]
    a = np.array([r.importance if r else 0 for r in ra], dtype=np.int64)
    b = np.array([r.importance if r else 0 for r in rb], dtype=np.int64)
    critical, segments, line_of = sensitivity_arrays(a, b, k)

    members = [line_of == line for line in range(int(line_of.max()) + 1)] if len(goals) else []

    def ids(line: int) -> tuple[str, ...]:
        return tuple(goals[g].id for g in np.flatnonzero(members[line]))

    crossings_out = tuple(
        Crossing(
            weight=float(wf), exact=_exact(wf), above_before=ids(before), above_after=ids(after),
        )
        for wf, before, after, _score in critical
    )
    points = [Fraction(0), Fraction(1), *(c[0] for c in critical)]
    in_top = np.zeros(len(goals), dtype=bool)
    everywhere = np.ones(len(goals), dtype=bool)
    for w in points:
        here = np.zeros(len(goals), dtype=bool)
        here[top_k_at(a, b, w, k)] = True
        in_top |= here
        everywhere &= here
    intervals: dict[int, list[tuple[float, float]]] = {}
    for lo, hi, top in segments:
        here = np.zeros(len(goals), dtype=bool)
        here[top] = True
        in_top |= here
        everywhere &= here
        for g in top:
            spans = intervals.setdefault(int(g), [])
            if spans and spans[-1][1] == float(lo):
                spans[-1] = (spans[-1][0], float(hi))
            else:
                spans.append((float(lo), float(hi)))

    def item(g: int) -> SensitivityGoal:
        rating_a, rating_b = ra[g], rb[g]
        return SensitivityGoal(
            goal_id=goals[g].id, title=goals[g].title,
            importance_a=rating_a.importance if rating_a else None,
            importance_b=rating_b.importance if rating_b else None,
            in_top_k=tuple(intervals.get(g, ())),
        )

    first_seen: dict[int, int] = {}
    for _lo, _hi, top in segments:
        for g in top:
            first_seen.setdefault(int(g), len(first_seen))
    robust = [int(g) for g in np.flatnonzero(everywhere)]
    contested = [int(g) for g in np.flatnonzero(in_top & ~everywhere)]
    robust.sort(key=lambda g: first_seen.get(g, g))
    contested.sort(key=lambda g: (intervals.get(g, [(1.0, 1.0)])[0][0], g))
    return Sensitivity(
        pair=(pa, pb), k=k,
        robust=tuple(item(g) for g in robust),
        contested=tuple(item(g) for g in contested),
        critical=crossings_out,
        segments=tuple(
            Segment(float(lo), float(hi), _exact(lo), _exact(hi), tuple(goals[g].id for g in top))
            for lo, hi, top in segments
        ),
    )


# -- option issues ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OptionSegment:
    """For every weight between ``low`` and ``high`` the preferred option is ``option``."""

    low: float
    high: float
    low_exact: str
    high_exact: str
    option: str


@dataclass(frozen=True)
class OptionWhom:
    """One option issue's answer to whom to please, for the pair of parties (see the module)."""

    issue_id: str
    title: str
    pair: tuple[str, str]
    missing: tuple[str, ...]  # parties of the pair whose scores this view does not hold
    no_common: bool  # no option both can accept: every option is a candidate
    favourite_a: str | None
    favourite_b: str | None
    weights: tuple[float, float]  # W_a, W_b (0 when not known)
    segments: tuple[OptionSegment, ...]

    @property
    def switches(self) -> tuple[tuple[str, str, str], ...]:
        """(exact weight, option before, option after) wherever the preferred option changes."""
        return tuple((s.low_exact, p.option, s.option) for p, s in zip(self.segments, self.segments[1:], strict=False))

    def preferred_at(self, weight: float) -> str | None:
        """The preferred option at ``weight`` (at a switch, the one of the segment above it)."""
        return next((s.option for s in reversed(self.segments) if s.low <= weight), None)

    def priority(self, weight: float) -> float:
        return weight * self.weights[0] + (1 - weight) * self.weights[1]


def _values(issue: OptionIssue, party: str) -> dict[str, Fraction]:
    given = issue.scores.get(party)
    if given is None:
        return {o: Fraction(0) for o in issue.option_ids}
    best = max((Fraction(v) for v in given.scores.values()), default=Fraction(0))
    w = Fraction(given.weight)
    return {o: (w * Fraction(given.scores.get(o, 0.0)) / best if best > 0 else Fraction(0)) for o in issue.option_ids}


def preferred_option(ca: dict[str, Fraction], cb: dict[str, Fraction], candidates: list[str], w: Fraction) -> str:
    """The candidate with the highest blend at ``w`` (ties: the first)."""
    return max(candidates, key=lambda o: (w * ca[o] + (1 - w) * cb[o], -candidates.index(o)))


def option_whom(issue: OptionIssue, pair: tuple[str, str]) -> OptionWhom:
    """The preferred option of ``issue`` as the weight on ``pair[0]`` moves from 0 to 1."""
    a, b = pair
    missing = tuple(p for p in pair if p not in issue.scores)
    weights = (float(issue.scores[a].weight) if a in issue.scores else 0.0,
               float(issue.scores[b].weight) if b in issue.scores else 0.0)
    refused = {o for p in pair if p in issue.scores for o in issue.scores[p].unacceptable}
    candidates = [o for o in issue.option_ids if o not in refused]
    no_common = not candidates and not missing
    candidates = candidates or list(issue.option_ids)
    if missing:
        return OptionWhom(issue.id, issue.title, pair, missing, False, None, None, weights, ())
    ca, cb = _values(issue, a), _values(issue, b)
    cuts = {Fraction(0), Fraction(1)}
    for n, i in enumerate(candidates):
        for j in candidates[n + 1:]:
            slope = (ca[i] - cb[i]) - (ca[j] - cb[j])
            if slope != 0:
                x = (cb[j] - cb[i]) / slope
                if 0 < x < 1:
                    cuts.add(x)
    points = sorted(cuts)
    segments: list[OptionSegment] = []
    for lo, hi in zip(points[:-1], points[1:], strict=True):
        best = preferred_option(ca, cb, candidates, (lo + hi) / 2)
        if segments and segments[-1].option == best:
            last = segments.pop()
            lo = Fraction(last.low_exact)
        segments.append(OptionSegment(float(lo), float(hi), _exact(lo), _exact(hi), best))
    return OptionWhom(issue.id, issue.title, pair, (), no_common, preferred_option(ca, cb, candidates, Fraction(1)),
                      preferred_option(ca, cb, candidates, Fraction(0)), weights, tuple(segments))


def option_sensitivity(session: Session, pair: tuple[str, str] | None = None) -> tuple[OptionWhom, ...]:
    """:func:`option_whom` for every option issue of ``session`` (as the view holds it)."""
    pa, pb = _pair(session, pair)
    return tuple(option_whom(i, (pa, pb)) for i in session.option_issues)
