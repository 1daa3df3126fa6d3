"""The Itex–Cypress case (Inspire's, as shipped for ANAC 2010) from the issue's table, as
option columns: the exact engine's figures without any enumeration."""

from __future__ import annotations

import numpy as np

from pmkit.analytics.packages import Problem, option_column, solve

PARTIES = ("itex", "cypress")
TABLE = {  # issue: [(option, Itex points, Cypress points)]
    "price": [("$4.37", 30, 1), ("$4.12", 20, 10), ("$3.98", 10, 25), ("$3.71", 5, 33), ("$3.47", 1, 40)],
    "delivery": [("60 days", 1, 1), ("45 days", 20, 10), ("30 days", 10, 19), ("20 days", 5, 25)],
    "payment": [("Upon delivery", 10, 15), ("30 days after delivery", 25, 6), ("60 days after delivery", 1, 1)],
    "returns": [("Full price", 1, 20), ("5% spoilage allowed", 30, 7), ("10% spoilage allowed", 5, 1)],
}
WEIGHTS = {
    "itex": (0.28812635027374, 0.1915290482981283, 0.24212575877553694, 0.2782188426525948),
    "cypress": (0.4700166576535899, 0.1220816713696379, 0.17727008190772825, 0.2306315890690439),
}


def itex() -> Problem:
    columns = tuple(
        option_column(issue, [o for o, _i, _c in rows],
                      {"itex": [i for _o, i, _c in rows], "cypress": [c for _o, _i, c in rows]},
                      {p: WEIGHTS[p][k] for p in PARTIES}, {}, PARTIES)
        for k, (issue, rows) in enumerate(TABLE.items()))
    norm = sum(c.weight for c in columns)
    return Problem(parties=PARTIES, columns=columns, base=np.zeros(2), norm=norm, disagreement=np.zeros(2),
                   traded=(), fixed_in=(), fixed_out=(), left_out=())


def test_itex_cypress_figures() -> None:
    r = solve(itex())
    assert r.candidates == 180 and r.acceptable == 180
    assert len(r.pareto) == 18
    agreed = (("price", "$3.47"), ("delivery", "45 days"), ("payment", "30 days after delivery"),
              ("returns", "5% spoilage allowed"))
    for point in (r.nash, r.kalai_smorodinsky, r.max_welfare):
        assert point is not None
        assert point.options == agreed
        assert point.utility == (0.7215, 0.6705)
    assert r.option_issues == tuple(TABLE)


def test_itex_pareto_set_is_ordered_and_undominated() -> None:
    r = solve(itex())
    xs = [p.utility[0] for p in r.pareto]
    assert xs == sorted(xs)
    ys = [p.utility[1] for p in r.pareto]
    assert ys == sorted(ys, reverse=True)  # two parties: along the frontier one gains, the other loses


def test_an_unacceptable_option_is_never_chosen() -> None:
    pb = itex()
    price = pb.columns[0]
    barred = option_column(price.id, list(price.choices),
                           {"itex": [30, 20, 10, 5, 1], "cypress": [1, 10, 25, 33, 40]},
                           {"itex": WEIGHTS["itex"][0], "cypress": WEIGHTS["cypress"][0]},
                           {"itex": ["$3.47"]}, PARTIES)
    r = solve(Problem(**{**pb.__dict__, "columns": (barred, *pb.columns[1:])}))
    assert r.candidates == 180 and r.acceptable == 144
    assert all(dict(p.options)["price"] != "$3.47" for p in r.pareto)
    assert r.nash is not None and dict(r.nash.options)["price"] != "$3.47"
