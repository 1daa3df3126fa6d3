"""Bargaining ranges, and the pure probe rule that keeps the other side's walk-away private:
answers depend on the cell of the walk-away only, and are never wrong. The rule played
through the workspace by an adversary is in ``tests/unit/widgets/test_probe_rule.py``.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmkit.analytics.bargaining import (
    bargaining_range,
    coarse_cell,
    coarse_existence,
    coarse_probe,
    nice_step,
)
from pmkit.charts.negotiation import ranges_chart
from pmkit.model import NumericIssue, Position
from pmkit.rules.probe_steps import default_step

P = Position


def issue(**positions: tuple[float, float | None]) -> NumericIssue:
    return NumericIssue(id="i", title="Budget", unit="kEUR",
                        positions={k: P(ideal=v[0], walk_away=v[1]) for k, v in positions.items()})


@pytest.mark.parametrize(
    ("positions", "status", "low", "high", "size"),
    [
        # customer wants less (ideal 30, accepts <= 45), management more (accepts >= 41.5)
        ({"c": (30, 45), "m": (57.5, 41.5)}, "overlap", 41.5, 45, 3.5),
        # the same with the roles swapped round
        ({"c": (420, 360), "m": (281.5, 337.5)}, "gap", 337.5, 360, 22.5),
        # touching limits: a range of one value
        ({"c": (0, 10), "m": (20, 10)}, "overlap", 10, 10, 0),
        # both want less: everything up to the lower limit, cut to the ideals' span
        ({"c": (30, 45), "m": (20, 50)}, "overlap", 20, 30, 10),
        # the high-wanter's ideal inside the other's range: beyond it helps nobody
        ({"c": (30, 45), "m": (43, 41.5)}, "overlap", 41.5, 43, 1.5),
        # a fixed position (walk-away = ideal) inside the other's range, and outside it
        ({"c": (30, 45), "m": (40, 40)}, "overlap", 40, 40, 0),
        ({"c": (30, 45), "m": (50, 50)}, "gap", 45, 50, 5),
        # three parties: all must accept
        ({"a": (0, 10), "b": (20, 5), "c": (8, 9)}, "overlap", 5, 9, 4),
        ({"c": (30, 45)}, "incomplete", None, None, None),
        ({"c": (30, 45), "m": (57.5, None)}, "incomplete", None, None, None),
        # decimals without binary noise
        ({"c": (99.0, 99.6), "m": (99.85, 99.45)}, "overlap", 99.45, 99.6, 0.15),
    ],
)
def test_range_table(positions: dict[str, tuple[float, float | None]], status: str,
                     low: float | None, high: float | None, size: float | None) -> None:
    r = bargaining_range(issue(**positions))
    assert (r.status, r.low, r.high, r.size) == (status, low, high, size)


def test_directions_are_inferred_per_party() -> None:
    r = bargaining_range(issue(c=(30, 45), m=(57.5, 41.5), f=(40, 40)))
    assert {p.party: p.direction for p in r.positions} == {"c": "less", "m": "more", "f": "fixed"}


@pytest.mark.parametrize(("x", "step"), [(3, 5), (1.5, 2), (0.12, 0.2), (0.4, 0.5), (15, 20), (1, 1),
                                          (2, 2), (0.0003, 0.0005), (7, 10), (1e6, 1e6)])
def test_nice_step(x: float, step: float) -> None:
    assert nice_step(x) == pytest.approx(step)


@pytest.mark.parametrize(("ideals", "step"), [
    ((30, 57.5), 10),  # spread 27.5 / 5 = 5.5 -> 10; floor 57.5 / 100 -> 1
    ((0, 5.5), 2),  # 1.1 -> 2
    ((99.0, 99.85), 1),  # 0.17 -> 0.2, but the floor is 99.85 / 100 -> 1
    ((40, 40), 0.5),  # no spread: the floor
    ((0, 0), 0.01),  # nothing: 1 / 100
    ((-300, 200), 100),  # 500 / 5
    ((1, 2, 11), 2),  # three parties: the spread of all ideals, 10 / 5
    ((45 - 1e-7, 41.5), 1),  # 3.5 / 5 -> 1: an ideal moved towards the other's does not go below the floor
    ((41.5 - 1e-7, 41.5), 0.5),  # the floor
    ((12,), None),  # one ideal: no default
])
def test_the_default_step_from_both_ideals(ideals: tuple[float, ...], step: float | None) -> None:
    assert default_step(ideals) == step


@pytest.mark.parametrize(("value", "step", "cell"), [(41.5, 5, (40, 45)), (45, 5, (45, 50)),
                                                      (99.45, 0.2, (99.4, 99.6)), (-3.5, 2, (-4, -2))])
def test_coarse_cell(value: float, step: float, cell: tuple[float, float]) -> None:
    assert coarse_cell(value, step) == cell


finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(ideal=finite, walk_a=finite, walk_b=finite, own_ideal=finite, own_walk=finite,
       probes=st.lists(finite, max_size=30), step=st.sampled_from([0.1, 0.5, 2.0, 5.0, 20.0]))
def test_answers_depend_only_on_the_cell(ideal: float, walk_a: float, walk_b: float, own_ideal: float,
                                         own_walk: float, probes: list[float], step: float) -> None:
    """Any two walk-aways in one cell (and on the same side of the ideal) give identical
    answers to every question and every own position: indistinguishable."""
    cell = coarse_cell(walk_a, step)
    lo, hi = cell
    walk_b = lo + (walk_b % 1.0) * (hi - lo) * 0.999  # another walk-away in the same cell
    assert coarse_cell(walk_b, step) == cell
    a, b = P(ideal=ideal, walk_away=walk_a), P(ideal=ideal, walk_away=walk_b)
    if (ideal > walk_a) != (ideal > walk_b) or (ideal == walk_a) != (ideal == walk_b):
        return  # the direction differs; direction is public
    own = P(ideal=own_ideal, walk_away=own_walk)
    assert coarse_existence(own, [a], step) == coarse_existence(own, [b], step)
    for x in probes:
        assert coarse_probe(x, a, step) == coarse_probe(x, b, step)


@settings(max_examples=200, deadline=None)
@given(ideal=finite, walk=finite, x=finite, own_ideal=finite, own_walk=finite,
       step=st.sampled_from([0.1, 0.5, 2.0, 5.0]))
def test_coarse_answers_are_never_wrong(ideal: float, walk: float, x: float, own_ideal: float,
                                        own_walk: float, step: float) -> None:
    """"yes" and "exists" are true, "no" and "none" are true; only "close" is vague."""
    other, own = P(ideal=ideal, walk_away=walk), P(ideal=own_ideal, walk_away=own_walk)
    truth = bargaining_range(NumericIssue(title="x", positions={"o": other, "me": own}))
    exists = coarse_existence(own, [other], step)
    if exists == "exists":
        assert truth.status == "overlap"
    if exists == "none":
        assert truth.status == "gap"
    lo, hi = (walk, math.inf) if ideal > walk else (-math.inf, walk) if ideal < walk else (walk, walk)
    answer = coarse_probe(x, other, step)
    if answer == "yes":
        assert lo <= x <= hi
    if answer == "no":
        assert not lo <= x <= hi


def test_binary_search_cannot_beat_the_step() -> None:
    """Unlimited bisection on the answers brackets the walk-away no tighter than one cell."""
    step = 5.0
    for walk in (40.0, 41.5, 44.999):
        other = P(ideal=57.5, walk_away=walk)
        lo, hi = 0.0, 100.0  # the prober's bracket: "no" below, "yes" at or above
        for _ in range(60):
            mid = (lo + hi) / 2
            if coarse_probe(mid, other, step) == "no":
                lo = mid
            else:
                hi = mid
        assert lo == pytest.approx(40.0) and lo <= walk < 45.0  # it learns the cell's edge only
        assert coarse_probe(44.9, other, step) == "close"  # inside the cell nothing is certain


def test_ranges_chart_draws_every_issue_literally() -> None:
    rs = [bargaining_range(issue(c=(30, 45), m=(57.5, 41.5))),
          bargaining_range(NumericIssue(title="$x$ gap", positions={"c": P(ideal=0, walk_away=2),
                                                                      "m": P(ideal=5, walk_away=3.5)})),
          bargaining_range(issue(c=(30, 45)))]
    fig = ranges_chart(rs, {"c": "Customer", "m": "Management"})
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title(loc="left") for ax in fig.axes]
    assert "range 41.5 to 45" in texts and "gap of 1.5" in texts
    assert "$x$ gap" in texts  # drawn as text, never as maths
    assert "needs the positions of two parties" in texts
    assert len(fig.axes) == 3
