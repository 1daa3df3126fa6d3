"""Improvements on an agreement: the efficient packages every party prefers to the terms,
checked against an enumeration of every package (every goal in or out, every option, every
value of the grid) in exact arithmetic from the formula in pmkit.analytics.packages."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from pmkit.analytics.packages import ISSUE_IMPORTANCE, issue_grid, packages, problem
from pmkit.analytics.settlement import Terms, improvements, joint, package_terms, parse_terms, terms_utility
from pmkit.errors import InputError
from pmkit.model import Session, parse_session
from tests.support.starters import starter

PARTIES = ("customer", "management")


def case(seed: int) -> Session:
    """A small random session: goals with stances, option issues (some options barred), and
    sometimes a numeric issue with a bargaining range."""
    rng = np.random.default_rng(seed)
    goals = []
    for g in range(int(rng.integers(0, 4))):
        ratings = {p: {"importance": int(rng.integers(0, 6)), "stance": str(rng.choice(["support", "oppose",
                                                                                         "neutral"]))}
                   for p in PARTIES}
        goals.append({"id": f"g{g}", "title": f"Goal {g}", "raised_by": "customer", "ratings": ratings})
    option_issues = []
    for k in range(int(rng.integers(1, 4))):
        n = int(rng.integers(2, 5))
        options = [{"id": f"o{k}{j}", "label": f"Option {k}.{j}"} for j in range(n)]
        scores = {}
        for p in PARTIES:
            barred = [o["id"] for o in options[1:] if rng.random() < 0.15]
            scores[p] = {"scores": {o["id"]: int(rng.integers(0, 101)) for o in options},
                         "weight": float(rng.integers(1, 6)), "unacceptable": barred}
        option_issues.append({"id": f"k{k}", "title": f"Issue {k}", "options": options, "scores": scores})
    issues = []
    if rng.random() < 0.5:
        issues.append({"id": "x", "title": "X", "positions": {"customer": {"ideal": 2, "walk_away": 10},
                                                               "management": {"ideal": 12, "walk_away": 4}}})
    return parse_session({"title": f"case {seed}", "goals": goals, "issues": issues,
                          "option_issues": option_issues})


def exact_utility(s: Session, goals_in: set[str], options: dict[str, str], values: dict[str, float],
                  party: str) -> Fraction:
    """``u_p`` of one package, from the formula of pmkit.analytics.packages, in fractions."""
    top = Fraction(0)
    norm = Fraction(0)
    for g in s.goals:
        r = g.ratings.get(party)
        if r is None or r.stance == "neutral":
            continue
        norm += r.importance
        if (r.stance == "support") == (g.id in goals_in):
            top += r.importance
    for i in s.issues:
        pos = i.positions[party]
        w, ideal, x = Fraction(pos.walk_away), Fraction(pos.ideal), Fraction(values[i.id]).limit_denominator(10**6)
        top += ISSUE_IMPORTANCE * min(Fraction(1), (x - w) / (ideal - w))
        norm += ISSUE_IMPORTANCE
    for oi in s.option_issues:
        sc = oi.scores[party]
        best = max(Fraction(v) for v in sc.scores.values())
        norm += Fraction(sc.weight)
        if best > 0:
            top += Fraction(sc.weight) * Fraction(sc.scores[options[oi.id]]) / best
    return top / norm if norm else Fraction(0)


def every_package(s: Session) -> list[tuple[set[str], dict[str, str], dict[str, float]]]:
    """Every acceptable package: goals in any pattern, options nobody bars, values within both walk-aways."""
    barred = {oi.id: {o for sc in oi.scores.values() for o in sc.unacceptable} for oi in s.option_issues}
    option_sets = [[o.id for o in oi.options if o.id not in barred[oi.id]] for oi in s.option_issues]
    grids = [[float(x) for x in issue_grid(i, 5) if 4 <= x <= 10] for i in s.issues]
    out = []
    for bits in itertools.product((False, True), repeat=len(s.goals)):
        goals_in = {g.id for g, b in zip(s.goals, bits, strict=True) if b}
        for opts in itertools.product(*option_sets):
            for vals in itertools.product(*grids):
                out.append((goals_in, {oi.id: o for oi, o in zip(s.option_issues, opts, strict=True)},
                            {i.id: v for i, v in zip(s.issues, vals, strict=True)}))
    return out


def brute_improvements(s: Session, terms: Terms) -> set[tuple[float, ...]]:
    """The utility vectors of the Pareto-optimal packages that improve on ``terms``."""
    base = [exact_utility(s, set(terms.goals_in), dict(terms.options), dict(terms.values), p) for p in PARTIES]
    us = {tuple(exact_utility(s, g, o, v, p) for p in PARTIES) for g, o, v in every_package(s)}
    better = [u for u in us if all(a >= b for a, b in zip(u, base, strict=True)) and u != tuple(base)]
    efficient = [u for u in better if not any(all(b >= a for a, b in zip(u, w, strict=True)) and w != u
                                              for w in better)]
    return {tuple(float(x) for x in u) for u in efficient}


def random_terms(s: Session, seed: int) -> Terms:
    rng = np.random.default_rng(seed + 1000)
    return Terms(tuple((oi.id, str(rng.choice(oi.option_ids))) for oi in s.option_issues),
                 tuple((i.id, float(rng.integers(4, 11))) for i in s.issues),
                 tuple(g.id for g in s.goals if rng.random() < 0.5))


@pytest.mark.parametrize("seed", range(40))
def test_improvements_match_an_enumeration_of_every_package(seed: int) -> None:
    s = case(seed)
    terms = random_terms(s, seed)
    found = improvements(s, terms, points=5)
    got = sorted(p.utility for p in found.packages)
    want = sorted(brute_improvements(s, terms))
    assert len(got) == len(want) and np.allclose(got, want, rtol=0, atol=5.1e-5) if want else got == []
    base = [float(exact_utility(s, set(terms.goals_in), dict(terms.options), dict(terms.values), p)) for p in PARTIES]
    assert found.utility == tuple(round(b, 4) for b in base)
    for p in found.packages:
        assert all(g >= 0 for g in p.gain) and any(g > 0 for g in p.gain)
        assert improvements(s, package_terms(p), points=5).packages == ()  # efficient: nothing improves on it


@pytest.mark.parametrize(("words", "gains"), [
    # the reference case: an inefficient agreement has three efficient improvements
    (["price=$3.98", "delivery=45 days", "payment=Upon delivery", "returns=Full price"],
     {(0.0389, 0.0996), (0.0867, 0.0703), (0.1825, 0.0263)}),
    (["price=3.47", "delivery=45-days", "payment=30 days after delivery", "returns=5% spoilage allowed"], set()),
])
def test_itex_cypress_improvements(words: list[str], gains: set[tuple[float, float]]) -> None:
    s = starter("itex-cypress")
    found = improvements(s, parse_terms(s, words))
    assert {p.gain for p in found.packages} == gains
    firsts = [p.utility[0] for p in found.packages]
    assert firsts == sorted(firsts)


def test_the_nash_point_of_the_joint_items_cannot_be_improved() -> None:
    for name in ("itex-cypress", "budget-overrun", "scope-vs-deadline", "undisclosed-risk"):
        s = joint(starter(name))
        nash = packages(s).nash
        assert nash is not None
        terms = package_terms(nash)
        assert improvements(s, terms).packages == (), name
        pb = problem(s)
        assert tuple(round(float(x), 4) for x in terms_utility(s, pb, terms)) == nash.utility


@pytest.mark.parametrize(("words", "message"), [
    (["price=$3.98"], "missing: delivery, payment, returns"),
    (["price=$9", "delivery=45 days", "payment=Upon delivery", "returns=Full price"], "'$9' is not an option"),
    (["price"], "ITEM=OPTION"),
    (["nothing=1"], "no joint goal, numeric issue or option issue .nothing."),
    (["price=$3.98", "price=$4.12"], "named twice"),
])
def test_terms_that_do_not_settle_the_case_are_refused(words: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("$", r"\$")):
        parse_terms(starter("itex-cypress"), words)


def test_an_agreement_is_on_joint_items_only() -> None:
    s = starter("undisclosed-risk")  # its recovery route is management's alone
    with pytest.raises(InputError, match="no joint goal, numeric issue or option issue 'recovery-route'"):
        parse_terms(s, ["recovery-route=overtime"])
    assert "recovery-route" not in {o.id for o in joint(s).option_issues}


def test_terms_round_trip_as_data() -> None:
    t = Terms((("k0", "a"),), (("x", 4.5),), ("g1",))
    data: dict[str, Any] = t.as_data()
    assert data == {"options": {"k0": "a"}, "values": {"x": 4.5}, "goals_in": ["g1"]}
    assert Terms.from_data(data) == t
