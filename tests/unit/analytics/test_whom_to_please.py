"""Whom to please: robust and contested goals and exact critical weights.

The reference is a fine sweep of the weight through :func:`pmkit.analytics.overlap.ranking`, the
ranking the board shows: every change of the top k in the sweep must sit on exactly one
critical weight and every critical weight must change the top k.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmkit.analytics.overlap import ranking
from pmkit.analytics.whom_to_please import sensitivity
from pmkit.errors import InputError
from pmkit.model import Session, parse_session
from tests.support.starters import STARTERS, starter


def session_of(pairs: list[tuple[int | None, int | None]], parties: int = 2) -> Session:
    goals = []
    for n, (a, b) in enumerate(pairs):
        ratings = {}
        if a is not None:
            ratings["customer"] = {"importance": a, "stance": "support"}
        if b is not None and parties > 1:
            ratings["management"] = {"importance": b, "stance": "support"}
        goals.append({"id": f"g{n}", "title": f"Goal {n}", "raised_by": "customer", "ratings": ratings})
    party_list = [{"id": "customer", "name": "C"}, {"id": "management", "name": "M"}][:parties]
    return parse_session({"title": "t", "parties": party_list, "goals": goals})


@pytest.mark.parametrize(
    ("pairs", "k", "robust", "contested", "critical"),
    [
        # 1 + 4w and 4 - 2w cross at w = 1/2
        ([(5, 1), (2, 4)], 1, [], ["g1", "g0"], [("1/2", ("g1",), ("g0",))]),
        # with k = 2 both are always in the top 2: the swap is inside the top, still critical
        ([(5, 1), (2, 4)], 2, ["g1", "g0"], [], [("1/2", ("g1",), ("g0",))]),
        # 1 + 3w and 2 - w cross at w = 1/4; a constant 5 stays first
        ([(4, 1), (1, 2), (5, 5)], 2, ["g2"], ["g1", "g0"], [("1/4", ("g1",), ("g0",))]),
        # the crossing below the top 1 is not critical for k = 1
        ([(5, 5), (4, 1), (1, 2)], 1, ["g0"], [], []),
        # parallel lines never cross; equal lines never swap
        ([(3, 1), (4, 2), (4, 2)], 1, ["g1"], [], []),
        # a crossing exactly at w = 0 or 1 is a tie at the end, not inside (0, 1)
        ([(5, 3), (3, 3)], 1, ["g0"], [], []),
        # unrated counts as 0: 5w against 2 - 2w, crossing at 2/7
        ([(5, None), (None, 2)], 1, [], ["g1", "g0"], [("2/7", ("g1",), ("g0",))]),
        # two goals sharing a line move together; at the tie g0 keeps its place (session order)
        ([(0, 5), (0, 5), (5, 0)], 2, ["g0"], ["g1", "g2"], [("1/2", ("g0", "g1"), ("g2",))]),
    ],
)
def test_table(pairs: list[tuple[int | None, int | None]], k: int, robust: list[str],
               contested: list[str], critical: list[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> None:
    s = sensitivity(session_of(pairs), k=k)
    assert [g.goal_id for g in s.robust] == robust
    assert sorted(g.goal_id for g in s.contested) == sorted(contested)
    assert [(c.exact, c.above_before, c.above_after) for c in s.critical] == critical
    for c in s.critical:
        assert c.weight == float(Fraction(c.exact))


def test_contested_goal_names_its_weights() -> None:
    s = sensitivity(session_of([(5, 1), (2, 4)]), k=1)
    spans = {g.goal_id: g.in_top_k for g in s.contested}
    assert spans == {"g1": ((0.0, 0.5),), "g0": ((0.5, 1.0),)}
    assert [(seg.low_exact, seg.high_exact, seg.goals) for seg in s.segments] == [
        ("0", "1/2", ("g1",)), ("1/2", "1", ("g0",))]


def _top(session: Session, w: float, k: int) -> tuple[str, ...]:
    return tuple(r.goal_id for r in ranking(session, w)[:k])


SWEEP = 1000  # weights (i + 1/2) / 1000: never a crossing (those have denominators <= 10)


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 5)), st.one_of(st.none(), st.integers(0, 5))),
                   min_size=1, max_size=12),
    k=st.integers(1, 5),
)
def test_critical_weights_match_a_fine_sweep(pairs: list[tuple[int | None, int | None]], k: int) -> None:
    session = session_of(pairs)
    s = sensitivity(session, k=k)
    weights = [(i + 0.5) / SWEEP for i in range(SWEEP)]
    tops = [_top(session, w, k) for w in weights]
    changes = [(weights[i], weights[i + 1]) for i in range(SWEEP - 1) if tops[i] != tops[i + 1]]
    critical = sorted({c.weight for c in s.critical})
    # each change of the swept top k has exactly one critical weight inside, and vice versa
    assert len(changes) == len(critical)
    for (lo, hi), w in zip(changes, critical, strict=True):
        assert lo < w < hi
    # inside each segment the top k is the swept one
    for seg in s.segments:
        for w, top in zip(weights, tops, strict=True):
            if seg.low < w < seg.high:
                assert top == seg.goals
    # robust: in every swept top k (and never out at a tie point: then it is contested)
    always = set.intersection(*(set(t) for t in tops))
    ever = set().union(*(set(t) for t in tops))
    robust = {g.goal_id for g in s.robust}
    contested = {g.goal_id for g in s.contested}
    assert robust <= always
    assert ever - always <= contested
    assert robust | contested >= ever
    assert not robust & contested


def test_crossing_weights_are_exact_fractions() -> None:
    # 1 + 3w against 3 - 3w: w* = 1/3, not representable in binary
    s = sensitivity(session_of([(4, 1), (0, 3)]), k=1)
    assert [c.exact for c in s.critical] == ["1/3"]
    assert s.critical[0].weight == 1 / 3


@pytest.mark.parametrize("name", STARTERS)
def test_starters_agree_with_the_board_ranking(name: str) -> None:
    session = starter(name)
    s = sensitivity(session, k=3)
    for seg in s.segments:
        mid = (seg.low + seg.high) / 2
        assert seg.goals == _top(session, mid, 3)
    assert s.robust or s.contested


def test_party_view_uses_only_visible_goals() -> None:
    from pmkit.rules.visibility import hidden_texts, view_for

    session = starter("undisclosed-risk")
    s = sensitivity(view_for(session, "customer"), k=3)
    titles = {g.title for g in (*s.robust, *s.contested)}
    assert not titles & set(hidden_texts(session, "customer"))


def test_bad_input() -> None:
    with pytest.raises(InputError, match="two parties"):
        sensitivity(session_of([(1, 1)], parties=1))
    with pytest.raises(InputError, match="at least 1"):
        sensitivity(session_of([(1, 1)]), k=0)
    with pytest.raises(InputError, match="unknown party"):
        sensitivity(session_of([(1, 1)]), pair=("customer", "sponsor"))


def test_no_goals_and_k_beyond_the_goals() -> None:
    empty = sensitivity(session_of([]), k=3)
    assert empty.robust == () and empty.critical == ()
    everything = sensitivity(session_of([(5, 1), (2, 4)]), k=5)
    assert {g.goal_id for g in everything.robust} == {"g0", "g1"}


# -- option issues: the preferred option as the weight moves ------------------------------------
def _option_issue(a: dict[str, Any], b: dict[str, Any] | None) -> Any:
    from pmkit.model import OptionIssue

    scores = {"a": a, **({"b": b} if b is not None else {})}
    return OptionIssue(id="o-1", title="Recovery route", options=[{"id": o, "label": o.upper()} for o in "xyz"],
                       scores=scores)


@pytest.mark.parametrize(("a", "b", "segments", "fav_a", "fav_b", "no_common"), [
    # c_a = (2, 1, 0), c_b = (0, 0.6, 1): z until 2/7 (z = y = 5/7), y until 3/8 (y = x = 3/4), then x
    ({"scores": {"x": 100, "y": 50, "z": 0}, "weight": 2}, {"scores": {"x": 0, "y": 60, "z": 100}, "weight": 1},
     [("0", "2/7", "z"), ("2/7", "3/8", "y"), ("3/8", "1", "x")], "x", "z", False),
    # b cannot accept y: x and z only, which cross at 1/3 (2w = 1 - w)
    ({"scores": {"x": 100, "y": 50, "z": 0}, "weight": 2},
     {"scores": {"x": 0, "y": 60, "z": 100}, "weight": 1, "unacceptable": ["y"]},
     [("0", "1/3", "z"), ("1/3", "1", "x")], "x", "z", False),
    # scores are shares of each side's best: a's 10/5/0 is a's 100/50/0; equal weights cross at 1/2
    ({"scores": {"x": 10, "y": 5}, "weight": 3}, {"scores": {"z": 40}, "weight": 3},
     [("0", "1/2", "z"), ("1/2", "1", "x")], "x", "z", False),
    # both want y: the weight does not matter (one segment)
    ({"scores": {"x": 20, "y": 90}, "weight": 1}, {"scores": {"y": 70, "z": 10}, "weight": 5},
     [("0", "1", "y")], "y", "y", False),
    # nothing both can accept: every option is a candidate, and the issue says so
    ({"scores": {"x": 100}, "unacceptable": ["y", "z"]}, {"scores": {"y": 100}, "unacceptable": ["x"]},
     [("0", "1/2", "y"), ("1/2", "1", "x")], "x", "y", True),
])
def test_the_preferred_option_of_an_option_issue_against_reference_values(
        a: dict[str, Any], b: dict[str, Any], segments: list[tuple[str, str, str]], fav_a: str, fav_b: str,
        no_common: bool) -> None:
    from pmkit.analytics.whom_to_please import option_whom

    got = option_whom(_option_issue(a, b), ("a", "b"))
    assert [(s.low_exact, s.high_exact, s.option) for s in got.segments] == segments
    assert (got.favourite_a, got.favourite_b, got.no_common, got.missing) == (fav_a, fav_b, no_common, ())
    assert [s[0] for s in got.switches] == [lo for lo, _hi, _o in segments[1:]]
    assert got.preferred_at(0.0) == segments[0][2] and got.preferred_at(1.0) == segments[-1][2]


def test_an_option_issue_without_the_other_sides_scores_says_whose_are_missing() -> None:
    from pmkit.analytics.whom_to_please import option_whom

    got = option_whom(_option_issue({"scores": {"x": 100}, "weight": 4}, None), ("a", "b"))
    assert got.missing == ("b",) and got.segments == () and got.favourite_a is None
    assert got.priority(0.25) == pytest.approx(1.0)  # 0.25 * 4 + 0.75 * 0


def test_option_sensitivity_on_the_itex_cypress_case() -> None:
    from pmkit.analytics.whom_to_please import option_sensitivity

    s = starter("itex-cypress")
    whom = {o.title: o for o in option_sensitivity(s)}
    price = next(o for t, o in whom.items() if "rice" in t)
    labels = {o.id: o.label for o in next(i for i in s.option_issues if i.id == price.issue_id).options}
    assert (labels[price.favourite_a], labels[price.favourite_b]) == ("$4.37", "$3.47")
    for o in whom.values():  # every weight has one preferred option, the segments tile [0, 1]
        assert o.segments[0].low == 0.0 and o.segments[-1].high == 1.0
        assert all(p.high == q.low for p, q in zip(o.segments, o.segments[1:], strict=False))
