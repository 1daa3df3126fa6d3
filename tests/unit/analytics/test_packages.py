"""Packages: the Pareto set and the Nash, Kalai–Smorodinsky and maximum-welfare points,
checked against brute-force enumeration on many random instances (hypothesis).

The brute force here is written independently of :mod:`pmkit.analytics.packages`: every subset of
goals times every grid value of every issue, satisfaction from the formula in the module
docstring, and the optima by plain loops.
"""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmkit.analytics.packages import (
    ISSUE_IMPORTANCE,
    issue_grid,
    ks_index,
    nash_index,
    packages,
    pareto_mask,
    welfare_index,
)
from pmkit.charts.negotiation import frontier_chart
from pmkit.errors import InputError
from pmkit.model import Session, parse_session
from pmkit.rules.visibility import hidden_texts, view_for
from tests.support.cli import run_cli
from tests.support.starters import STARTERS, starter

TOL = 1e-9


# -- the array functions against brute force --------------------------------------------------
def brute_pareto(u: np.ndarray) -> np.ndarray:
    n = len(u)
    return np.array([
        not any(np.all(u[j] >= u[i]) and np.any(u[j] > u[i]) for j in range(n) if j != i) for i in range(n)
    ], dtype=bool)


arrays = st.integers(1, 4).flatmap(
    lambda m: st.lists(st.lists(st.integers(0, 6), min_size=m, max_size=m), min_size=0, max_size=40)
)


@settings(max_examples=200, deadline=None)
@given(rows=arrays)
def test_pareto_mask_matches_brute_force(rows: list[list[int]]) -> None:
    if not rows:
        assert pareto_mask(np.zeros((0, 2))).shape == (0,)
        return
    u = np.array(rows, dtype=float) / 6.0
    assert np.array_equal(pareto_mask(u), brute_pareto(u))


# -- the tie rule, against exact arithmetic ---------------------------------------------------
# Ties go to the larger total gain, then the larger smallest gain, then the first candidate
# (the module docstring). The brute force below compares exact fractions, so float noise
# cannot decide a tie, and asks for the very index pmkit picks.
def exact_picks(gains: dict[int, tuple[Fraction, ...]]) -> tuple[int, int, int]:
    m = len(next(iter(gains.values())))
    best = [max(g[p] for g in gains.values()) for p in range(m)]

    def rel(g: tuple[Fraction, ...]) -> Fraction:
        return min((g[p] / best[p]) if best[p] > 0 else Fraction(1) for p in range(m))

    def pick(criterion: Any) -> int:
        return max(gains, key=lambda i: (criterion(gains[i]), sum(gains[i]), min(gains[i]), -i))

    return pick(math.prod), pick(rel), pick(sum)


@settings(max_examples=200, deadline=None)
@given(rows=arrays, d_seed=st.integers(0, 6), ok_bits=st.lists(st.booleans(), min_size=40, max_size=40))
def test_fair_points_match_brute_force(rows: list[list[int]], d_seed: int, ok_bits: list[bool]) -> None:
    if not rows:
        return
    u = np.array(rows, dtype=float) / 6.0
    m = u.shape[1]
    d = np.full(m, d_seed / 12.0)
    ok = np.array(ok_bits[: len(u)])
    cands = [i for i in range(len(u)) if ok[i] and all(u[i, p] >= d[p] for p in range(m))]
    got = (nash_index(u, d, ok), ks_index(u, d, ok), welfare_index(u, d, ok))
    if not cands:
        assert got == (None, None, None)
        return
    assert all(g in cands for g in got)
    gains = {i: u[i] - d for i in cands}
    best = np.max([gains[i] for i in cands], axis=0)

    def rel(i: int) -> float:
        return min((gains[i][p] / best[p]) if best[p] > 0 else 1.0 for p in range(m))

    assert math.prod(gains[got[0]]) == pytest.approx(max(math.prod(gains[i]) for i in cands), abs=TOL)
    assert rel(got[1]) == pytest.approx(max(rel(i) for i in cands), abs=TOL)
    assert sum(gains[got[2]]) == pytest.approx(max(sum(gains[i]) for i in cands), abs=TOL)
    # and exactly the candidate the tie rule names, in exact arithmetic (u = k/6, d = s/12)
    exact_gains = {i: tuple(Fraction(x, 6) - Fraction(d_seed, 12) for x in rows[i]) for i in cands}
    assert got == exact_picks(exact_gains)


# -- whole sessions against brute force -------------------------------------------------------
@st.composite
def sessions(draw: st.DrawFn) -> Session:
    goals = []
    for n in range(draw(st.integers(0, 5))):
        ratings: dict[str, Any] = {}
        for party in ("customer", "management"):
            if draw(st.integers(0, 4)):
                ratings[party] = {"importance": draw(st.integers(0, 5)),
                                  "stance": draw(st.sampled_from(["support", "neutral", "oppose"]))}
        goals.append({"id": f"g{n}", "title": f"Goal {n}", "raised_by": "customer", "ratings": ratings})
    issues = []
    for n in range(draw(st.integers(0, 2))):
        positions: dict[str, Any] = {}
        for party in ("customer", "management"):
            if draw(st.integers(0, 5)):
                walk = draw(st.one_of(st.integers(0, 10), st.none())) if draw(st.integers(0, 9)) == 0 \
                    else draw(st.integers(0, 10))
                positions[party] = {"ideal": draw(st.integers(0, 10)), "walk_away": walk}
        issues.append({"id": f"i{n}", "title": f"Issue {n}", "positions": positions})
    return parse_session({"title": "random", "goals": goals, "issues": issues})


def has_range(issue: Any) -> bool:
    ps = list(issue.positions.values())
    if len(ps) < 2 or any(p.walk_away is None for p in ps):
        return False
    lo = max(p.walk_away if p.ideal >= p.walk_away else -math.inf for p in ps)
    hi = min(p.walk_away if p.ideal <= p.walk_away else math.inf for p in ps)
    return lo <= hi


def enumeration(session: Session, points: int) -> list[tuple[int, frozenset[str], dict[str, float]]]:
    """Every package in the documented order: the traded goals' pattern (goal n in is bit n),
    then the issues' grid values, the first issue most significant."""
    def stance(goal: Any) -> set[str]:
        return {r.stance for r in goal.ratings.values() if r.importance}

    traded = [g.id for g in session.goals if {"support", "oppose"} <= stance(g)]
    fixed = {g.id for g in session.goals if "support" in stance(g) and "oppose" not in stance(g)}
    issues = [i for i in session.issues if has_range(i)]
    grids = [list(issue_grid(i, points)) for i in issues]
    out = []
    for bits in range(2 ** len(traded)):
        chosen = fixed | {gid for n, gid in enumerate(traded) if bits >> n & 1}
        for values in itertools.product(*grids):
            out.append((len(out), frozenset(chosen), {i.id: x for i, x in zip(issues, values, strict=True)}))
    return out


def brute_force(session: Session, points: int) -> dict[str, Any]:
    parties = session.party_ids

    def accepts(pos: Any, x: float) -> float:
        if pos.ideal == pos.walk_away:
            return 1.0 if x == pos.ideal else -1.0
        return min((x - pos.walk_away) / (pos.ideal - pos.walk_away), 1.0)

    issues = {i.id: i for i in session.issues if has_range(i)}

    def imp(goal: Any, party: str, stance: str) -> int:
        r = goal.ratings.get(party)
        return r.importance if r is not None and r.stance == stance else 0

    norm = [sum(imp(g, p, "support") + imp(g, p, "oppose") for g in session.goals)
            + ISSUE_IMPORTANCE * sum(p in i.positions for i in issues.values()) for p in parties]
    d = [sum(imp(g, p, "oppose") for g in session.goals) / n if n else 0.0 for p, n in zip(parties, norm, strict=True)]
    acceptable: dict[int, np.ndarray] = {}
    for index, chosen, values in enumeration(session, points):
        inside = all(accepts(pos, x) >= 0 for iid, x in values.items() for pos in issues[iid].positions.values())
        u = []
        for p, n in zip(parties, norm, strict=True):
            total = sum(imp(g, p, "support") if g.id in chosen else imp(g, p, "oppose") for g in session.goals)
            total += sum(ISSUE_IMPORTANCE * accepts(issues[iid].positions[p], x)
                         for iid, x in values.items() if p in issues[iid].positions)
            u.append(total / n if n else 0.0)
        if inside and all(u[k] >= d[k] - TOL for k in range(len(parties))):
            acceptable[index] = np.array(u)
    return {"d": np.array(d), "acceptable": acceptable}


def same_points(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(any(np.allclose(x, y, atol=1e-7) for y in b) for x in a) and \
        all(any(np.allclose(x, y, atol=1e-7) for y in a) for x in b)


@settings(max_examples=80, deadline=None)
@given(session=sessions())
def test_packages_match_brute_force(session: Session) -> None:
    points = 4
    ref = brute_force(session, points)
    result = packages(session, points)
    d = ref["d"]
    assert np.allclose(result.disagreement, d, atol=1e-4)
    by_index = ref["acceptable"]
    acc = list(by_index.values())
    assert result.acceptable == len(acc)
    if not acc:
        assert result.nash is None and result.kalai_smorodinsky is None and result.max_welfare is None
        assert result.pareto == ()
        return
    # Pareto set (as satisfaction vectors) equals brute force's
    front = [u for u in acc if not any(np.all(v >= u - TOL) and np.any(v > u + TOL) for v in acc)]
    got = [by_index[p.index] for p in result.pareto]
    assert same_points(got, front)
    gains = [u - d for u in acc]
    best = np.max(gains, axis=0)

    def rel(g: np.ndarray) -> float:
        return min((g[p] / best[p]) if best[p] > TOL else 1.0 for p in range(len(g)))

    assert result.nash is not None and result.kalai_smorodinsky is not None and result.max_welfare is not None
    nash = by_index[result.nash.index] - d
    ks = by_index[result.kalai_smorodinsky.index] - d
    welfare = by_index[result.max_welfare.index] - d
    assert math.prod(nash) == pytest.approx(max(math.prod(g) for g in gains), abs=1e-7)
    assert rel(ks) == pytest.approx(max(rel(g) for g in gains), abs=1e-7)
    assert sum(welfare) == pytest.approx(max(sum(g) for g in gains), abs=1e-7)
    # each fair point is efficient
    for p in (result.nash, result.kalai_smorodinsky, result.max_welfare):
        u = by_index[p.index]
        assert not any(np.all(v >= u - TOL) and np.any(v > u + 1e-7) for v in acc)


def test_a_package_names_its_goals_and_values() -> None:
    session = starter("scope-vs-deadline")
    r = packages(session)
    assert r.nash is not None
    values = dict(r.nash.values)
    assert set(values) == {"release-date"}
    assert 41.5 <= values["release-date"] <= 45  # inside the bargaining range
    assert set(r.traded) == {"loyalty-module", "phased-rollout"}
    assert "go-live-before-peak" in r.nash.goals_in  # supported by both, never traded away
    assert [i for i, _why in r.left_out] == ["scope"]  # no bargaining range: left out
    xs = [p.utility[0] for p in r.pareto]
    assert xs == sorted(xs)


@pytest.mark.parametrize("name", STARTERS)
def test_a_partys_packages_use_only_what_it_sees(name: str) -> None:
    session = starter(name)
    view = view_for(session, "customer")
    r = packages(view)
    assert r.issues == ()  # the other side's ranges are confidential: numeric issues stay out
    hidden = set(hidden_texts(session, "customer"))
    ids = {g.id for g in session.goals if g.title in hidden}
    for p in r.pareto:
        assert not set(p.goals_in) & ids


def test_many_goals_are_all_traded_exactly() -> None:
    """24 traded goals: 2^24 packages, none fixed to fit them in. Welfare is a sum over goals,
    so its maximum adopts exactly the goals whose supporter cares more than their opponent."""
    pairs = [(1, 4), (2, 5), (4, 1), (5, 2)]  # (supporter's importance, opponent's)
    goals = []
    for n in range(24):
        a, b = pairs[n % 4]
        fan, foe = ("customer", "management") if n % 2 == 0 else ("management", "customer")
        goals.append({"id": f"g{n}", "title": f"Goal {n}", "raised_by": "customer",
                      "ratings": {fan: {"importance": a, "stance": "support"},
                                  foe: {"importance": b, "stance": "oppose"}}})
    session = parse_session({"title": "many", "goals": goals})
    r = packages(session)
    assert r.candidates == 2**24
    assert len(r.traded) == 24 and r.fixed_in == () and r.fixed_out == ()
    assert r.max_welfare is not None and r.nash is not None
    assert set(r.max_welfare.goals_in) == {f"g{n}" for n in range(24) if pairs[n % 4][0] > pairs[n % 4][1]}
    with pytest.raises(InputError, match="at least 2"):
        packages(session, points=1)


def test_frontier_chart_marks_the_three_points() -> None:
    session = starter("scope-vs-deadline")
    r = packages(session)
    fig = frontier_chart(r, {p.id: p.name for p in session.parties})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"Nash", "Kalai–Smorodinsky", "max welfare", "walk away"} <= set(labels)
    assert ax.get_xlabel() == "Harbor Foods (customer): gain over walking away"
    assert f"efficient packages ({len(r.pareto)})" in labels
    one = packages(parse_session({"title": "alone", "parties": [{"id": "customer", "name": "C"}]}))
    assert "packages need two parties" in [t.get_text() for t in frontier_chart(one).axes[0].texts]


def exact(x: float) -> Fraction:
    """A grid value as the rational it stands for (grids are integers split in a few steps)."""
    return Fraction(x).limit_denominator(1000)


def exact_gains(session: Session, points: int) -> dict[int, tuple[Fraction, ...]]:
    """Every acceptable package of :func:`enumeration` and its gains, in exact arithmetic from
    the formulas of the module docstring."""
    parties = session.party_ids
    issues = {i.id: i for i in session.issues if has_range(i)}

    def imp(goal: Any, party: str, stance: str) -> int:
        r = goal.ratings.get(party)
        return r.importance if r is not None and r.stance == stance else 0

    def v(pos: Any, x: Fraction) -> Fraction:
        if pos.ideal == pos.walk_away:
            return Fraction(1) if x == exact(pos.ideal) else Fraction(-1)
        w = exact(pos.walk_away)
        return min(Fraction(1), (x - w) / (exact(pos.ideal) - w))

    norm = [sum(imp(g, p, "support") + imp(g, p, "oppose") for g in session.goals)
            + ISSUE_IMPORTANCE * sum(p in i.positions for i in issues.values()) or 1 for p in parties]
    d = [Fraction(sum(imp(g, p, "oppose") for g in session.goals), n) for p, n in zip(parties, norm, strict=True)]
    out: dict[int, tuple[Fraction, ...]] = {}
    for index, goals_in, values in enumeration(session, points):
        xs = {iid: exact(x) for iid, x in values.items()}
        if any(v(pos, xs[iid]) < 0 for iid in xs for pos in issues[iid].positions.values()):
            continue
        u = []
        for p, n in zip(parties, norm, strict=True):
            total = Fraction(sum(imp(g, p, "support") if g.id in goals_in else imp(g, p, "oppose")
                                 for g in session.goals))
            total += sum(ISSUE_IMPORTANCE * v(issues[iid].positions[p], x) for iid, x in xs.items()
                         if p in issues[iid].positions)
            u.append(total / n)
        if all(a >= b for a, b in zip(u, d, strict=True)):
            out[index] = tuple(a - b for a, b in zip(u, d, strict=True))
    return out


@settings(max_examples=120, deadline=None)
@given(session=sessions(), points=st.sampled_from([2, 3, 4, 5, 6]))
def test_packages_follow_the_tie_rule(session: Session, points: int) -> None:
    gains = exact_gains(session, points)
    r = packages(session, points)
    got = tuple(None if p is None else p.index for p in (r.nash, r.kalai_smorodinsky, r.max_welfare))
    assert got == (exact_picks(gains) if gains else (None, None, None))


def test_nash_ties_go_to_the_larger_total_gain() -> None:
    """X=6 gives gains (0.6, 2/3) and X=8 gives (0.4, 1.0): the same product, 0.4. The rule
    picks the larger total, 1.4 at X=8; rounding noise picked X=6."""
    session = parse_session({"title": "tie", "issues": [{"id": "x", "title": "X", "positions": {
        "customer": {"ideal": 2, "walk_away": 12}, "management": {"ideal": 8, "walk_away": 2}}}]})
    r = packages(session, points=4)
    assert r.nash is not None and r.kalai_smorodinsky is not None and r.max_welfare is not None
    assert dict(r.nash.values) == {"x": 8.0} and r.nash.gain == (0.4, 1.0)
    assert dict(r.kalai_smorodinsky.values) == {"x": 6.0}  # min(0.6, 2/3) beats min(0.4, 1)
    assert dict(r.max_welfare.values) == {"x": 8.0}


def test_nash_tie_through_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "tie.yaml"
    source.write_text("title: tie\nissues:\n  - {id: x, title: X, positions: {customer: {ideal: 2, walk_away: 12},"
                      " management: {ideal: 8, walk_away: 2}}}\n", encoding="utf-8")
    sid = run_cli("import", str(source)).stdout.split()[-1]
    out = run_cli("analyze", sid, "--points", "4", "--json")
    assert out.returncode == 0, out.stderr
    nash = json.loads(out.stdout)["packages"]["nash"]
    assert nash["values"] == {"x": 8.0} and nash["gain"] == [0.4, 1.0]
