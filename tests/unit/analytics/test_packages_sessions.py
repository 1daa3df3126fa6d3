"""``packages(session)``: option issues read by attribute (``session.option_issues``), a
party's reservation as its disagreement, and sizes the old grid gave up on."""

from __future__ import annotations

from types import SimpleNamespace as NS

from pmkit.analytics.packages import packages
from pmkit.model import parse_session
from tests.unit.analytics.test_packages_itex import TABLE, WEIGHTS


def itex_session(reservation: float | None = 0.0, cypress_scores: bool = True) -> NS:
    base = parse_session({"title": "Itex–Cypress", "parties": [{"id": "itex", "name": "Itex"},
                                                               {"id": "cypress", "name": "Cypress"}]})
    option_issues = []
    for k, (issue, rows) in enumerate(TABLE.items()):
        ids = [label.lower().replace(" ", "-") for label, _i, _c in rows]
        scores = {"itex": NS(scores=dict(zip(ids, (i for _o, i, _c in rows), strict=True)),
                             weight=WEIGHTS["itex"][k], unacceptable=[])}
        if cypress_scores:
            scores["cypress"] = NS(scores=dict(zip(ids, (c for _o, _i, c in rows), strict=True)),
                                   weight=WEIGHTS["cypress"][k], unacceptable=[])
        option_issues.append(NS(id=issue, options=[NS(id=i, label=o) for i, (o, _i, _c) in zip(ids, rows, strict=True)],
                                scores=scores))
    parties = [NS(id=p.id, name=p.name, reservation=reservation) for p in base.parties]
    return NS(party_ids=base.party_ids, parties=parties, goals=[], issues=[], option_issues=option_issues)


def test_option_issues_of_a_session() -> None:
    r = packages(itex_session())  # type: ignore[arg-type]
    assert r.candidates == 180 and len(r.pareto) == 18
    assert r.nash is not None and r.nash.utility == (0.7215, 0.6705)
    assert r.nash.options == (("price", "$3.47"), ("delivery", "45-days"), ("payment", "30-days-after-delivery"),
                              ("returns", "5%-spoilage-allowed"))


def test_a_reservation_is_the_disagreement() -> None:
    r = packages(itex_session(reservation=0.7))  # type: ignore[arg-type]
    assert r.disagreement == (0.7, 0.7)
    assert all(min(p.utility) >= 0.7 for p in r.pareto)
    assert r.acceptable is not None and r.acceptable < 180


def test_an_option_issue_only_one_side_scored_is_left_out() -> None:
    r = packages(itex_session(cypress_scores=False))  # type: ignore[arg-type]
    assert r.option_issues == ()
    assert [why for _i, why in r.left_out] == ["only itex's scores are known here"] * 4


def test_twelve_numeric_issues_with_walk_aways_inside_the_span_give_packages() -> None:
    items = [{"id": f"x{k}", "title": f"Issue {k}", "positions": {
        "customer": {"ideal": 0, "walk_away": 70 + k}, "management": {"ideal": 100, "walk_away": 20 + k}}}
        for k in range(12)]
    r = packages(parse_session({"title": "twelve", "issues": items}))
    assert len(r.issues) == 12 and r.candidates > 10**13  # no thinning: every grid value of every issue
    assert r.nash is not None and r.pareto
    for _iid, x in r.nash.values:  # inside every bargaining range
        assert 20 <= x <= 81
