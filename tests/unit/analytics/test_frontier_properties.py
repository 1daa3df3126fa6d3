"""The exact engine against enumeration of every package (hypothesis): the same Pareto set
(the same packages, by index), the same Nash, Kalai–Smorodinsky and maximum-welfare packages
(ties included) and the same count of acceptable packages, for 2 and 3 parties, with goals,
numeric-like issues (some values beyond a walk-away) and option issues mixed.

The brute force numbers packages as ``itertools.product`` does (the first column most
significant), takes utilities from the documented formula and picks the points with the
array rules of :mod:`pmkit.analytics.frontier` over all packages at once.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmkit.analytics.frontier import ks_index, nash_index, welfare_index
from pmkit.analytics.packages import Column, Problem, option_column, solve

pytestmark = pytest.mark.slow


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    m = draw(st.sampled_from([2, 3]))
    parties = tuple(f"p{k}" for k in range(m))
    small = st.integers(0, 4)
    columns: list[Column] = []
    for k in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["goal", "numeric", "option"]))
        if kind == "goal":
            out_, in_ = (np.array(draw(st.lists(small, min_size=m, max_size=m)), dtype=float) for _ in range(2))
            columns.append(Column(f"g{k}", "goal", (False, True), np.stack([out_, in_]), np.ones(2, dtype=bool),
                                  out_ + in_))
        elif kind == "numeric":
            n = draw(st.integers(1, 4))
            v = np.array(draw(st.lists(st.lists(st.integers(-2, 4), min_size=m, max_size=m), min_size=n,
                                       max_size=n)), dtype=float) * 5 / 4
            columns.append(Column(f"x{k}", "numeric", tuple(float(i) for i in range(n)), v,
                                  np.all(v >= 0, axis=1), np.full(m, 5.0)))
        else:
            n = draw(st.integers(2, 4))
            ids = [f"o{i}" for i in range(n)]
            scored = draw(st.lists(st.sampled_from(parties), min_size=1, max_size=m, unique=True))
            scores = {p: draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)) for p in scored}
            weights = {p: draw(st.sampled_from([0.5, 1.0, 2.0])) for p in scored}
            barred = {p: draw(st.lists(st.sampled_from(ids), max_size=1)) for p in scored}
            columns.append(option_column(f"c{k}", ids, scores, weights, barred, parties))
    base = np.array(draw(st.lists(small, min_size=m, max_size=m)), dtype=float)
    norm = base + sum(c.weight for c in columns) + draw(st.sampled_from([0.0, 3.0]))
    d = np.array(draw(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5]), min_size=m, max_size=m)))
    return Problem(parties=parties, columns=tuple(columns), base=base, norm=norm, disagreement=d,
                   traded=(), fixed_in=(), fixed_out=(), left_out=())


def enumerate_all(pb: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Utility of every package in index order, and whether it is acceptable."""
    scale = np.where(pb.norm > 0, pb.norm, 1.0)
    u, ok = [], []
    for combo in itertools.product(*(range(len(c.choices)) for c in pb.columns)):
        total = pb.base + sum(c.numerator[i] for c, i in zip(pb.columns, combo, strict=True))
        u.append(np.round(total / scale, 12))
        ok.append(all(bool(c.ok[i]) for c, i in zip(pb.columns, combo, strict=True)))
    uu = np.array(u)
    return uu, np.array(ok) & np.all(uu >= pb.disagreement, axis=1)


def brute_pareto(u: np.ndarray, ok: np.ndarray) -> list[int]:
    """Acceptable, undominated, the first of equal vectors."""
    rows = np.flatnonzero(ok)
    out = []
    for i in rows:
        if any(np.all(u[j] >= u[i]) and np.any(u[j] > u[i]) for j in rows):
            continue
        if any(np.array_equal(u[j], u[i]) for j in rows if j < i):
            continue
        out.append(int(i))
    return out


@settings(max_examples=300, deadline=None)
@given(pb=problems())
def test_the_engine_equals_enumeration(pb: Problem) -> None:
    u, ok = enumerate_all(pb)
    r = solve(pb)
    assert r.candidates == len(u)
    assert r.acceptable == int(ok.sum())
    assert sorted(p.index for p in r.pareto) == brute_pareto(u, ok)
    d = pb.disagreement
    for got, rule in ((r.nash, nash_index), (r.kalai_smorodinsky, ks_index), (r.max_welfare, welfare_index)):
        want = rule(u, d, ok)
        assert (None if got is None else got.index) == want
        if got is not None:
            assert got.utility == tuple(round(float(x), 4) for x in u[got.index])
    if ok.any():
        assert r.best_gain == tuple(round(float(x), 4) for x in (u[ok] - d).max(axis=0))
