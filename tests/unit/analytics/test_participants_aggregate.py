"""The aggregation rules against reference values, and the group AHP (AIJ) against a
published example."""

from __future__ import annotations

import numpy as np
import pytest

from pmkit.analytics.participants import (
    Member,
    Weighted,
    aggregate_position,
    aggregate_rating,
    divisions,
    group_ahp,
    group_matrix,
    weighted_majority,
    weighted_median,
)
from pmkit.errors import InputError


@pytest.mark.parametrize(("values", "expected"), [
    ([(3, 1)], 3),
    ([(2, 1), (5, 1)], 2),  # an exact split: the lower value
    ([(2, 1), (5, 1.01)], 5),
    ([(1, 1), (4, 1), (5, 1)], 4),
    ([(0, 3), (5, 1), (5, 1)], 0),  # 3 of 5 at 0
    ([(0, 1), (5, 2)], 5),
    ([(4, 0.1), (1, 0.2), (2, 0.3), (3, 0.4)], 2),  # 0.2 + 0.3 is exactly half of 1.0, float noise aside
    ([(1.5, 1), (2.5, 1), (10, 1), (11, 1)], 2.5),
])
def test_weighted_median(values: list[tuple[float, float]], expected: float) -> None:
    assert weighted_median([Weighted(v, w) for v, w in values]) == expected


def test_weighted_median_of_nothing_is_none() -> None:
    assert weighted_median([]) is None


@pytest.mark.parametrize(("stances", "expected"), [
    ([("support", 1)], "support"),
    ([("support", 1), ("oppose", 1)], "neutral"),  # a tie between the top two
    ([("support", 1), ("oppose", 1), ("neutral", 1)], "neutral"),
    ([("support", 2), ("oppose", 1), ("neutral", 1)], "support"),
    ([("support", 1), ("neutral", 1)], "neutral"),
    ([("oppose", 0.6), ("support", 0.3), ("support", 0.2)], "oppose"),  # 0.6 against 0.5
    ([("oppose", 0.5), ("support", 0.3), ("support", 0.2)], "neutral"),  # 0.5 against 0.3 + 0.2
    ([("oppose", 3), ("support", 1), ("support", 1)], "oppose"),
])
def test_weighted_majority(stances: list[tuple[str, float]], expected: str) -> None:
    assert weighted_majority(stances) == expected


@pytest.mark.parametrize(("ratings", "expected"), [
    ([(4, "support", 1)], (4, "support")),
    ([(5, "support", 1), (1, "oppose", 1)], (1, "neutral")),
    ([(5, "support", 2), (1, "oppose", 1)], (5, "support")),
    ([(3, "neutral", 1), (4, "support", 1), (5, "support", 1)], (4, "support")),
    ([], None),
])
def test_aggregate_rating(ratings: list[tuple[int, str, float]], expected: tuple[int, str] | None) -> None:
    assert aggregate_rating(ratings) == expected


@pytest.mark.parametrize(("positions", "expected"), [
    ([(100, 80, 1)], (100, 80)),  # one member: its own position
    ([(100, 120, 1)], (100, 120)),
    ([(100, 100, 1)], (100, 100)),
    ([(100, None, 1)], (100, None)),
    # wants more (ideals above walk-aways): the highest walk-away
    ([(100, 80, 1), (120, 90, 1), (110, 60, 1)], (110, 90)),
    # wants less: the lowest walk-away
    ([(10, 20, 1), (12, 15, 1), (8, 30, 1)], (10, 15)),
    # never beyond the side's ideal
    ([(100, 80, 1), (90, 95, 1), (110, 60, 1)], (100, 95)),
    ([(100, 99, 1), (70, 105, 3)], (70, 99)),  # the side wants less: the lowest walk-away
    # members without a walk-away are left out of it
    ([(100, None, 1), (120, 90, 1)], (100, 90)),
    ([], None),
])
def test_aggregate_position(positions: list[tuple[float, float | None, float]],
                            expected: tuple[float, float | None] | None) -> None:
    assert aggregate_position(positions) == expected


def test_divisions_spread_and_flag() -> None:
    members = [Member("u-1", "management", "Ada"), Member("u-2", "management", "Ben"),
               Member("u-3", "customer", "Cy")]
    found = divisions(members, [
        ("u-1", "g1", 5, "support"), ("u-2", "g1", 2, "support"),  # spread 3: split
        ("u-1", "g2", 4, "support"), ("u-2", "g2", 4, "oppose"),  # opposed: split
        ("u-1", "g3", 4, "support"), ("u-2", "g3", 2, "neutral"),  # spread 2: united
        ("u-3", "g1", 5, "oppose"),  # one member: no spread
    ], ["g1", "g2", "g3"])
    summary = [(d.goal_id, d.party, d.spread, d.opposed, d.not_united) for d in found]
    assert summary == [("g1", "management", 3, False, True), ("g1", "customer", None, False, False),
                       ("g2", "management", 0, True, True), ("g3", "management", 2, False, False)]
    assert [r.name for r in found[0].ratings] == ["Ada", "Ben"]


# -- group AHP: the published example -------------------------------------------------------
# Dong, Zhang, Hong and Xu (2010), "Consensus models for AHP group decision making under row
# geometric mean prioritization method", Decision Support Systems 49(3), 281-289,
# doi:10.1016/j.dss.2010.03.003, section 5: five decision makers, four alternatives, weights
# 0.1, 0.3, 0.1, 0.2, 0.3; A(1)..A(4) first given in Xu (2000). Each matrix is given by its
# upper triangle (the lower one is its reciprocal: A(5)'s printed (3,2) entry, 1/2, is taken
# as the reciprocal 2 of its (2,3) entry, which the published collective matrix confirms).
ITEMS = ("x1", "x2", "x3", "x4")
UPPER = {
    "d1": (4, 6, 7, 3, 4, 2),
    "d2": (5, 7, 9, 4, 6, 2),
    "d3": (3, 5, 8, 4, 5, 2),
    "d4": (4, 5, 6, 3, 3, 2),
    "d5": (1 / 2, 1, 2, 1 / 2, 3, 4),
}
WEIGHTS = {"d1": 0.1, "d2": 0.3, "d3": 0.1, "d4": 0.2, "d5": 0.3}
PAIRS = [(i, j) for i in range(4) for j in range(i + 1, 4)]
# the published collective matrix A(c) (to 4 decimals) and its row geometric mean priorities
PUBLISHED_AC = np.array([[1, 2.227, 3.4756, 5.0937], [0.4490, 1, 1.9663, 4.0005],
                         [0.2877, 0.5086, 1, 2.4623], [0.1963, 0.2500, 0.4061, 1]])
PUBLISHED_WC = (0.4984, 0.2727, 0.1541, 0.0747)
PUBLISHED_WK = {"d1": (0.6145, 0.2246, 0.0985, 0.0624), "d5": (0.2247, 0.2958, 0.378, 0.1015)}


def _judgements(who: str) -> dict[tuple[str, str], float]:
    return {(ITEMS[i], ITEMS[j]): v for (i, j), v in zip(PAIRS, UPPER[who], strict=True)}


def _rgmm(a: np.ndarray) -> np.ndarray:
    g = np.exp(np.log(a).mean(axis=1))
    return g / g.sum()


def test_aij_matches_the_published_collective_matrix() -> None:
    a = group_matrix(ITEMS, [(_judgements(k), WEIGHTS[k]) for k in UPPER])
    assert np.allclose(a, PUBLISHED_AC, atol=5e-5)
    assert np.allclose(_rgmm(a), PUBLISHED_WC, atol=5e-5)
    for k, w in PUBLISHED_WK.items():  # the inputs are the paper's
        assert np.allclose(_rgmm(group_matrix(ITEMS, [(_judgements(k), 1)])), w, atol=5e-5)


def test_group_ahp_reports_cr_per_member_and_for_the_aggregate() -> None:
    g = group_ahp("management", ITEMS, [(k, _judgements(k), WEIGHTS[k]) for k in UPPER])
    assert g.items == ITEMS
    # eigenvector priorities of the published matrix, and its CR (Saaty's RI 0.90 for n = 4)
    assert np.allclose(g.result.priorities, (0.4998, 0.2717, 0.1534, 0.0751), atol=5e-5)
    assert g.result.consistency_ratio == pytest.approx(0.01563, abs=5e-5)
    own = dict(g.members)
    assert own["d1"] == pytest.approx(0.03786, abs=5e-5)
    assert own["d5"] == pytest.approx(0.06324, abs=5e-5)
    assert all(cr is not None and cr < 0.1 for cr in own.values())


def test_weights_are_relative_and_one_member_is_that_member() -> None:
    one = group_ahp("p", ITEMS, [("d1", _judgements("d1"), 7.0)])
    assert np.allclose(one.matrix, group_matrix(ITEMS, [(_judgements("d1"), 1)]))
    scaled = group_matrix(ITEMS, [(_judgements(k), 10 * WEIGHTS[k]) for k in UPPER])
    assert np.allclose(scaled, PUBLISHED_AC, atol=5e-5)


def test_a_pair_nobody_judged_is_refused_and_a_partial_member_has_no_own_cr() -> None:
    partial = {("x1", "x2"): 3.0}
    with pytest.raises(InputError, match="nobody judged 'x1' against 'x3'"):
        group_matrix(ITEMS, [(partial, 1)])
    g = group_ahp("p", ITEMS, [("d1", _judgements("d1"), 1), ("half", partial, 1)])
    assert dict(g.members)["half"] is None
    with pytest.raises(InputError, match="Saaty"):
        group_matrix(ITEMS, [({("x1", "x2"): 12.0}, 1)])
