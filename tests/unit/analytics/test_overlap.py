"""Analysis as tables of input -> expected. Reference values are worked out by hand from the
formulas in pmkit/analytics/overlap.py's docstring and docs/analytics.md ("How the numbers are computed")."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from pmkit.analytics.overlap import (
    LOW_PRIORITY,
    SHARED,
    alignment,
    analyze,
    driven,
    matrices,
    ranking,
)
from pmkit.errors import InputError
from pmkit.model import Session, parse_session
from pmkit.rules.visibility import view_for
from tests.support.starters import STARTERS, starter

C, M, V = "customer", "management", "vendor"
SUP, NEU, OPP = "support", "neutral", "oppose"
Ratings = dict[str, tuple[int, str]]


GoalSpec = Ratings | tuple[Ratings, str] | tuple[Ratings, str, str]


def session(*goals: GoalSpec, parties: int = 2) -> Session:
    """Goals g1, g2, ... from their ratings, optionally (ratings, raised_by[, audience])."""
    ids = [C, M, V][:parties]
    out: list[dict[str, Any]] = []
    for n, spec in enumerate(goals, start=1):
        if isinstance(spec, dict):
            ratings, raised, audience = spec, C, "joint"
        else:
            ratings, raised, audience = (*spec, "joint")[:3]
        out.append(
            {
                "id": f"g{n}",
                "title": f"Goal {n}",
                "raised_by": raised,
                "audience": audience,
                "ratings": {p: {"importance": i, "stance": st} for p, (i, st) in ratings.items()},
            }
        )
    return parse_session({"title": "t", "parties": [{"id": p, "name": p.title()} for p in ids], "goals": out})


# -- quadrants ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ratings", "quadrant"),
    [
        ({C: (3, SUP), M: (3, SUP)}, SHARED),
        ({C: (5, SUP), M: (5, OPP)}, SHARED),  # importance decides the quadrant, not stance
        ({C: (5, SUP), M: (2, SUP)}, driven(C)),
        ({C: (3, NEU)}, driven(C)),  # unrated counts as 0
        ({C: (2, SUP), M: (4, OPP)}, driven(M)),
        ({M: (3, SUP)}, driven(M)),
        ({C: (2, SUP), M: (2, SUP)}, LOW_PRIORITY),
        ({C: (0, OPP), M: (1, OPP)}, LOW_PRIORITY),
        ({}, LOW_PRIORITY),
    ],
)
def test_quadrant(ratings: Ratings, quadrant: str) -> None:
    o = analyze(session(ratings))
    assert o.points[0].quadrant == quadrant
    counts = dict(o.quadrant_counts)
    assert counts[quadrant] == 1 and sum(counts.values()) == 1


def test_quadrant_counts_keep_their_order_and_names() -> None:
    o = analyze(
        session(
            {C: (4, SUP), M: (4, SUP)},
            {C: (4, SUP)},
            {M: (4, SUP)},
            {C: (1, SUP)},
            {C: (5, SUP), M: (3, OPP)},
        )
    )
    assert o.quadrant_counts == (
        (SHARED, 2),
        ("customer-driven", 1),
        ("management-driven", 1),
        (LOW_PRIORITY, 1),
    )
    assert [p.goal_id for p in o.quadrant(SHARED)] == ["g1", "g5"]


# -- conflicts and common ground ----------------------------------------------------------
@pytest.mark.parametrize(
    ("goals", "expected"),
    [
        # (goal id, party a, party b, severity), most severe first
        ([{C: (3, SUP), M: (3, OPP)}], [("g1", C, M, 6)]),
        ([{C: (5, OPP), M: (4, SUP)}], [("g1", C, M, 9)]),
        ([{C: (5, SUP), M: (2, OPP)}], []),  # management does not care
        ([{C: (4, OPP), M: (4, NEU)}], []),  # neutral is not opposed
        ([{C: (4, SUP), M: (4, SUP)}], []),
        ([{C: (4, SUP)}], []),  # unrated
        (
            [{C: (3, SUP), M: (3, OPP)}, {C: (5, SUP), M: (5, OPP)}],
            [("g2", C, M, 10), ("g1", C, M, 6)],
        ),
    ],
)
def test_conflicts(goals: list[Ratings], expected: list[tuple[str, str, str, int]]) -> None:
    o = analyze(session(*goals))
    assert [(c.goal_id, c.party_a, c.party_b, c.severity) for c in o.conflicts] == expected


def test_conflicts_between_any_two_of_three_parties() -> None:
    s = session({C: (4, SUP), M: (2, OPP), V: (4, OPP)}, {C: (1, SUP), M: (3, SUP), V: (5, OPP)}, parties=3)
    o = analyze(s)  # the pair shown is (customer, management); conflicts cover every pair
    assert [(c.goal_id, c.party_a, c.party_b, c.severity) for c in o.conflicts] == [
        ("g1", C, V, 8),
        ("g2", M, V, 8),
    ]
    c = o.conflicts[0]
    assert (c.stance_a, c.stance_b, c.importance_a, c.importance_b) == (SUP, OPP, 4, 4)


@pytest.mark.parametrize(
    ("goals", "expected"),
    [
        ([{C: (3, SUP), M: (3, SUP)}], ["g1"]),
        ([{C: (3, OPP), M: (5, OPP)}], ["g1"]),  # agreeing to oppose is common ground too
        ([{C: (3, NEU), M: (3, NEU)}], ["g1"]),
        ([{C: (3, SUP), M: (3, NEU)}], []),
        ([{C: (5, SUP), M: (2, SUP)}], []),
        (
            [{C: (3, SUP), M: (3, SUP)}, {C: (5, SUP), M: (5, SUP)}, {C: (4, SUP), M: (3, SUP)}],
            ["g2", "g3", "g1"],
        ),
    ],
)
def test_common_ground(goals: list[Ratings], expected: list[str]) -> None:
    assert [p.goal_id for p in analyze(session(*goals)).common_ground] == expected


# -- blind spots --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("goal", "parties", "expected"),
    [
        (({C: (4, SUP)}, C), 2, ("management",)),
        (({C: (4, SUP), M: (0, NEU)}, C), 2, None),  # rated 0 is rated
        (({M: (4, SUP)}, C), 2, None),  # only the raiser's own rating is missing: not a blind spot
        (({}, M), 2, ("customer",)),
        (({C: (4, SUP)}, C, "customer"), 2, None),  # management may not see it
        (({M: (4, SUP)}, M, "management"), 2, None),
        (({C: (4, SUP)}, C, "facilitator"), 2, None),
        (({C: (4, SUP), M: (2, SUP)}, C), 3, ("vendor",)),
        (({C: (4, SUP)}, C), 3, ("management", "vendor")),
    ],
)
def test_blind_spots(goal: tuple[Any, ...], parties: int, expected: tuple[str, ...] | None) -> None:
    o = analyze(session(goal, parties=parties))
    if expected is None:
        assert o.blind_spots == ()
    else:
        assert [(b.goal_id, b.unrated_by) for b in o.blind_spots] == [("g1", expected)]


# -- alignment ----------------------------------------------------------------------------
# w_g = (i_a + i_b) / 10; agree_g = 1 - |s_a - s_b| / 2; alignment = 100 * sum(w * agree) / sum(w)
@pytest.mark.parametrize(
    ("goals", "parties", "expected"),
    [
        ([{C: (4, SUP), M: (4, SUP)}], 2, 100.0),  # w .8, agree 1
        ([{C: (4, SUP), M: (4, OPP)}], 2, 0.0),  # w .8, agree 0
        ([{C: (5, SUP), M: (3, NEU)}], 2, 50.0),  # w .8, agree .5
        # w 1, 0.6, 0.4; agree 1, 0, .5 -> (1 + 0 + .2) / 2.0
        (
            [{C: (5, SUP), M: (5, SUP)}, {C: (2, SUP), M: (4, OPP)}, {C: (3, NEU), M: (1, SUP)}],
            2,
            60.0,
        ),
        # only g2 is rated by both: w .2, agree 1
        ([{C: (5, SUP)}, {C: (1, SUP), M: (1, SUP)}], 2, 100.0),
        # w 1.0 agree 1; w 0.2 agree 0 -> 1 / 1.2 = 83.33
        ([{C: (5, OPP), M: (5, OPP)}, {C: (1, SUP), M: (1, OPP)}], 2, 250 / 3),  # exact, not rounded
        # three parties, one goal: (c,m) w .6 agree 0; (c,v) w .8 agree 1; (m,v) w .6 agree 0
        # -> .8 / 2
        ([{C: (4, SUP), M: (2, OPP), V: (4, SUP)}], 3, 40.0),
        # w .1 agree .5; w .9 agree 1 -> (.05 + .9) / 1.0
        ([{C: (1, NEU), M: (0, OPP)}, {C: (4, SUP), M: (5, SUP)}], 2, 95.0),
        ([{C: (5, SUP)}, {M: (5, SUP)}], 2, None),  # no goal rated by both
        ([{C: (0, SUP), M: (0, OPP)}], 2, None),  # rated by both, but with no importance
        ([], 2, None),
    ],
)
def test_alignment(goals: list[Ratings], parties: int, expected: float | None) -> None:
    s = session(*goals, parties=parties)
    assert alignment(s) == expected
    assert analyze(s).alignment == expected


# -- ranking ------------------------------------------------------------------------------
RANK_GOALS = [
    {C: (5, SUP), M: (1, SUP)},
    {C: (2, SUP), M: (4, SUP)},
    {C: (3, SUP), M: (3, SUP)},
    {M: (5, SUP)},
]


@pytest.mark.parametrize(
    ("weight", "order", "scores"),
    [
        (1.0, ["g1", "g3", "g2", "g4"], [5.0, 3.0, 2.0, 0.0]),
        (0.0, ["g4", "g2", "g3", "g1"], [5.0, 4.0, 3.0, 1.0]),
        (0.5, ["g1", "g2", "g3", "g4"], [3.0, 3.0, 3.0, 2.5]),  # ties keep the session's order
        (0.25, ["g4", "g2", "g3", "g1"], [3.75, 3.5, 3.0, 2.0]),
        (0.8, ["g1", "g3", "g2", "g4"], [4.2, 3.0, 2.4, 1.0]),
    ],
)
def test_ranking(weight: float, order: list[str], scores: list[float]) -> None:
    s = session(*RANK_GOALS)
    ranked = ranking(s, weight)
    assert [r.goal_id for r in ranked] == order
    assert [r.score for r in ranked] == pytest.approx(scores)
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    assert analyze(s, weight=weight).ranking == ranked


def test_ranking_for_another_pair_of_parties() -> None:
    s = session({C: (5, SUP), M: (1, SUP), V: (2, SUP)}, {C: (1, SUP), M: (2, SUP), V: (4, SUP)}, parties=3)
    assert [r.goal_id for r in ranking(s, 1.0, pair=(V, M))] == ["g2", "g1"]
    o = analyze(s, pair=(M, V), weight=0.0)
    assert o.pair == (M, V)
    assert [r.goal_id for r in o.ranking] == ["g2", "g1"]
    assert o.points[1].quadrant == driven(V)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weight": 1.5}, "outside"),
        ({"weight": -0.1}, "outside"),
        ({"weight": float("nan")}, "outside"),
        ({"pair": (C, "board")}, "unknown party 'board'"),
        ({"pair": (C, C)}, "two different parties"),
    ],
)
def test_bad_arguments_are_input_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        analyze(session({C: (1, SUP)}), **kwargs)


def test_one_party_cannot_be_compared() -> None:
    s = parse_session({"title": "t", "parties": [{"id": "customer", "name": "C"}]})
    with pytest.raises(InputError, match="at least two parties"):
        analyze(s)


def test_matrices_hold_nan_where_unrated() -> None:
    imp, stn = matrices(session({C: (4, OPP)}, {M: (2, SUP)}))
    assert imp.shape == stn.shape == (2, 2)
    assert imp[0, 0] == 4 and stn[0, 0] == -1
    assert np.isnan(imp[0, 1]) and np.isnan(stn[1, 0])


def test_results_are_frozen() -> None:
    o = analyze(session({C: (4, SUP), M: (4, OPP)}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.alignment = 100.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.points[0].quadrant = "x"  # type: ignore[misc]
    assert isinstance(o.points, tuple) and isinstance(o.conflicts, tuple)


def test_point_stances_agree() -> None:
    o = analyze(
        session(
            {C: (4, SUP), M: (4, SUP)},
            {C: (4, SUP), M: (4, OPP)},
            {C: (4, SUP), M: (4, NEU)},
            {C: (4, SUP)},
        )
    )
    assert [p.stances_agree for p in o.points] == [True, False, None, None]


@pytest.mark.parametrize("name", STARTERS)
def test_a_role_view_never_mentions_what_the_role_may_not_see(name: str) -> None:
    s = starter(name)
    full = analyze(s)
    o = analyze(view_for(s, "customer"))
    visible = {g.id for g in view_for(s, "customer").goals}
    ids = {p.goal_id for p in o.points} | {r.goal_id for r in o.ranking} | {c.goal_id for c in o.conflicts}
    assert ids == visible
    assert {b.goal_id for b in o.blind_spots} <= visible
    assert len(full.points) >= len(o.points)
    assert full.alignment is not None and o.alignment is not None
