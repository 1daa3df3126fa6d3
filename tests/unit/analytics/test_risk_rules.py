"""The risk read-out's rules against the rules they name: its content words are the echo
check's (`pmkit check`), and its alignment thresholds test the exact alignment."""

from __future__ import annotations

from typing import Any

import pytest

from pmkit.analytics.overlap import analyze
from pmkit.analytics.risk import risk_readout
from pmkit.model import Session, parse_session
from pmkit.rules.echo_check import find_echoes

# Each customer goal shares one word with one item withheld from the customer, written as
# only the echo check's rule reads it as the same word: an acronym, and -ing / -ed stems.
PAIRS = [("EDI", "EDI"), ("Onboarding", "Onboard"), ("Patched", "Patch"), ("Invoicing", "Invoiced")]


def _session() -> Session:
    goals: list[dict[str, Any]] = []
    for n, (shown, hidden) in enumerate(PAIRS):
        goals.append({"id": f"c{n}", "title": shown, "raised_by": "customer", "audience": "joint",
                      "ratings": {"customer": {"importance": 4, "stance": "support"}}})
        goals.append({"id": f"m{n}", "title": hidden, "raised_by": "management", "audience": "management",
                      "ratings": {"management": {"importance": 4, "stance": "support"}}})
    return parse_session({"title": "words", "goals": goals})


def test_risk_counts_the_withheld_items_pmkit_check_finds_echoed() -> None:
    s = _session()
    echoed = {e.item_id for e in find_echoes(s) if e.audience == "customer"}
    assert echoed == {f"m{n}" for n in range(len(PAIRS))}  # four echoes for the customer
    r = risk_readout(s)
    bearing = {w.item_id for w in r.withheld if w.bears_on}
    assert bearing == echoed
    assert ("withheld", 4) in [(x.factor, x.points) for x in r.reasons]  # 2 each, at most 4


def _aligned(same: int, opposed: int, small_same: int, small_opposed: int) -> Session:
    """Goals both sides rate 5 (weight 1 each) and 1 / 0 (weight 0.1 each), with the same or
    opposite stances."""
    goals: list[dict[str, Any]] = []
    for n, (imp_m, agree) in enumerate([(5, True)] * same + [(5, False)] * opposed
                                       + [(0, True)] * small_same + [(0, False)] * small_opposed):
        imp_c = 5 if imp_m == 5 else 1
        goals.append({"id": f"g{n}", "title": f"Goal {n}", "raised_by": "customer", "ratings": {
            "customer": {"importance": imp_c, "stance": "support"},
            "management": {"importance": imp_m, "stance": "support" if agree else "oppose"}}})
    return parse_session({"title": "aligned", "goals": goals})


def test_alignment_just_below_70_scores_a_point() -> None:
    s = _aligned(139, 60, 9, 1)  # 100 * (139 + 0.9) / (199 + 1) = 69.95
    assert analyze(s).alignment == pytest.approx(69.95, abs=1e-9)
    assert analyze(s).alignment < 70
    r = risk_readout(s)
    assert ("misalignment", 1) in [(x.factor, x.points) for x in r.reasons]
    said = next(x.text for x in r.reasons if x.factor == "misalignment")
    assert "below 70" in said  # shown rounded to 70, the reason says why it still counts


def test_alignment_of_exactly_70_scores_nothing() -> None:
    s = _aligned(140, 60, 0, 0)
    assert analyze(s).alignment == 70
    assert "misalignment" not in [x.factor for x in risk_readout(s).reasons]


def _rated(*pairs: tuple[int, int, bool]) -> Session:
    """One goal per ``(customer importance, management importance, same stance)``."""
    return parse_session({"title": "rated", "goals": [
        {"id": f"g{n}", "title": f"Goal {n}", "raised_by": "customer", "ratings": {
            "customer": {"importance": c, "stance": "support"},
            "management": {"importance": m, "stance": "support" if same else "oppose"}}}
        for n, (c, m, same) in enumerate(pairs)]})


def test_alignment_is_kept_exact_and_rounded_only_when_shown() -> None:
    # w 0.8 agree 1, w 0.1 agree 1, w 0.7 agree 0: 100 * 0.9 / 1.6 = 56.25
    assert analyze(_rated((4, 4, True), (1, 0, True), (4, 3, False))).alignment == 56.25  # not 56.2 or 56.3
    # w 0.8 agree 1, w 0.8 agree 0: 100 * 0.8 / 1.6 ... and 43.75 = 100 * 0.7 / 1.6
    assert analyze(_rated((4, 3, True), (4, 4, False), (1, 0, False))).alignment == 43.75
