"""Pairwise weighting (AHP): priorities, consistency ratio and importances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmkit.analytics.ahp import RANDOM_INDEX, ahp, importances, matrix_from_judgements
from pmkit.errors import InputError

DRINKS = ("coffee", "wine", "tea", "beer", "soda", "milk", "water")
# (row, column): how many times more the row's drink is consumed than the column's
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}


def test_saaty_drinks_example() -> None:
    """Saaty, T. L. (2008) 'Decision making with the analytic hierarchy process',
    Int. J. Services Sciences 1(1), pp. 83-98, table "Which drink is consumed more in the
    US?": the derived priorities are .177 .019 .042 .116 .190 .129 .327 (coffee, wine, tea,
    beer, soda, milk, water) and C.R. = .022."""
    r = ahp(matrix_from_judgements(DRINKS, DRINK_JUDGEMENTS), DRINKS)
    published = {"coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116, "soda": 0.190,
                 "milk": 0.129, "water": 0.327}
    assert {k: round(v, 3) for k, v in zip(r.items, r.priorities, strict=True)} == published
    assert round(r.consistency_ratio, 3) == 0.022
    assert r.warning is None
    assert r.lambda_max == pytest.approx(7.0 + 6 * r.consistency_index)


def test_random_index_is_saatys() -> None:
    assert RANDOM_INDEX[:10] == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


@settings(max_examples=100, deadline=None)
@given(weights=st.lists(st.floats(min_value=0.1, max_value=10), min_size=1, max_size=12))
def test_a_consistent_matrix_gives_back_its_weights(weights: list[float]) -> None:
    w = np.array(weights)
    r = ahp(w[:, None] / w[None, :])
    assert np.allclose(r.priorities, w / w.sum(), atol=1e-9)
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert r.lambda_max == pytest.approx(len(w))


def test_contradictory_judgements_warn() -> None:
    # a beats b, b beats c, c beats a, each strongly: a cycle
    r = ahp(matrix_from_judgements("abc", {("a", "b"): 7, ("b", "c"): 7, ("c", "a"): 7}), list("abc"))
    assert r.consistency_ratio > 0.1
    assert r.warning is not None and "above 0.1" in r.warning
    assert np.allclose(r.priorities, 1 / 3)  # the cycle is symmetric


def test_two_items_are_always_consistent() -> None:
    r = ahp([[1, 4], [0.25, 1]], ["x", "y"])
    assert r.priorities == pytest.approx((0.8, 0.2))
    assert r.consistency_ratio == 0.0


@pytest.mark.parametrize(
    ("priorities", "expected"),
    [
        ([4, 2, 1], {"a": 5, "b": 3, "c": 1}),  # 5 * 2/4 = 2.5 rounds half up
        ([1, 1, 1], {"a": 5, "b": 5, "c": 5}),
        ([20, 1, 1], {"a": 5, "b": 0, "c": 0}),
    ],
)
def test_importances(priorities: list[float], expected: dict[str, int]) -> None:
    w = np.array(priorities, dtype=float)
    r = ahp(w[:, None] / w[None, :], list("abc"))
    assert importances(r) == expected


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [2, 1]], "reciprocals"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[2, 1], [1, 2]], "diagonal"),
        ([[1, 2, 3], [0.5, 1, 2]], "square"),
        (np.ones((16, 16)), "at most 15"),
        ([[1, float("nan")], [1, 1]], "positive"),
    ],
)
def test_bad_matrices(matrix: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        ahp(matrix)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("judgements", "message"),
    [
        ({("a", "b"): 3}, "not compared"),
        ({("a", "b"): 3, ("b", "c"): 2, ("a", "c"): 12}, "1/9 to 9"),
        ({("a", "b"): 3, ("b", "a"): 2, ("a", "c"): 1, ("b", "c"): 1}, "compared twice"),
        ({("a", "z"): 3}, "not one of the items"),
        ({("a", "a"): 3}, "not with itself"),
        ({("a", "b"): "lots", ("b", "c"): 2, ("a", "c"): 1}, "must be a number"),
    ],
)
def test_bad_judgements(judgements: dict[tuple[str, str], object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        matrix_from_judgements("abc", judgements)  # type: ignore[arg-type]
