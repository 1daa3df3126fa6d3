"""The charts' text alternatives: what each chart shows, in words, from the same result the
chart is drawn from, so a party's text holds nothing the party may not see."""

from __future__ import annotations

import re

import pytest

from pmkit.analytics.bargaining import bargaining_range
from pmkit.analytics.overlap import analyze, ranking
from pmkit.analytics.packages import packages
from pmkit.charts.alt import alignment_alt, frontier_alt, overlap_alt, ranges_alt, weight_alt
from pmkit.model import Session
from pmkit.rules.visibility import hidden_texts, view_for
from tests.support.starters import STARTERS, starter

DEMO = "undisclosed-risk"
NAMES = {"customer": "Alder Logistics (customer)", "management": "Programme management"}


def test_the_overlap_chart_in_words_for_the_facilitator() -> None:
    view = view_for(starter(DEMO), "facilitator")
    assert overlap_alt(analyze(view), NAMES) == (
        "Overlap chart of 9 goals, placed by importance to Alder Logistics (customer) (across) and to "
        "Programme management (up). Quadrants: shared priority 4; only Alder Logistics (customer) cares 1; "
        "only Programme management cares 4; low priority 0. Same stance 2, opposed 1, one neutral 2, "
        "not rated by both 4. Top conflicts: Customer buys twenty extra warehouse licences "
        "(Alder Logistics (customer) opposes, importance 3; Programme management supports, importance 4)."
    )


def test_the_overlap_chart_in_words_for_the_customer_counts_only_what_it_sees() -> None:
    view = view_for(starter(DEMO), "customer")
    text = overlap_alt(analyze(view), NAMES)
    assert text.startswith("Overlap chart of 6 goals,")
    assert "Quadrants: shared priority 4; only Alder Logistics (customer) cares 1; " \
           "only Programme management cares 1; low priority 0." in text
    assert "Same stance 2, opposed 1, one neutral 2, not rated by both 1." in text


@pytest.mark.parametrize(("counts", "named"), [(0, "No conflicts."), (2, "Top conflicts:"), (5, "and 2 more.")])
def test_the_overlap_text_names_at_most_three_conflicts(counts: int, named: str) -> None:
    goals = [{"id": f"g{i}", "title": f"Goal {i}", "raised_by": "customer",
              "ratings": {"customer": {"importance": 5, "stance": "support"},
                          "management": {"importance": 4 if i < counts else 1, "stance": "oppose"}}}
             for i in range(6)]
    session = Session.model_validate({"title": "t", "goals": goals})
    text = overlap_alt(analyze(session))
    assert named in text
    assert text.count("supports, importance 5") == min(counts, 3)


def test_no_goals_is_said_plainly() -> None:
    assert overlap_alt(analyze(Session(title="empty"))).endswith("No goals yet.")


@pytest.mark.parametrize(("score", "text"), [
    (65.4, "Alignment gauge: 65 out of 100."),
    (100.0, "Alignment gauge: 100 out of 100."),
    (None, "Alignment gauge: not available (no goal is rated by both sides)."),
])
def test_the_gauge_in_words(score: float | None, text: str) -> None:
    assert alignment_alt(score) == text


def test_whom_to_please_in_words_names_the_top_at_each_end_and_at_the_weight() -> None:
    view = view_for(starter(DEMO), "customer")
    text = weight_alt(ranking(view, 0.25), ranking(view, 1.0), ranking(view, 0.0),
                      (NAMES["customer"], NAMES["management"]), 0.25)
    assert text.startswith("Whom to please chart: how the ranking of goals moves as the weight on "
                           "Alder Logistics (customer) goes from 0 to 1.")
    assert ("All on Alder Logistics (customer): 1. Integration test environment ready for the customer's team; "
            "2. Keep the March cutover date; 3. Honest weekly status with red items named.") in text
    assert "At weight 0.25: 1. Keep the March cutover date;" in text


def test_packages_and_ranges_in_words_for_the_facilitator() -> None:
    session = Session.model_validate({
        "title": "t",
        "issues": [{"id": "rate", "title": "Day rate", "unit": "EUR", "positions": {
            "customer": {"ideal": 2, "walk_away": 12}, "management": {"ideal": 8, "walk_away": 2}}}],
    })
    rng = bargaining_range(session.issues[0])
    assert ranges_alt([rng], NAMES) == (
        "Bargaining ranges chart. Day rate (EUR): range 2 to 8 (Alder Logistics (customer) ideal 2, "
        "walk-away 12, Programme management ideal 8, walk-away 2).")
    text = frontier_alt(packages(session, points=4), NAMES)
    assert text.startswith("Packages chart: gain over walking away for Alder Logistics (customer) (across)")
    assert "Nash: Alder Logistics (customer) 0.40, Programme management 1.00" in text
    assert ranges_alt([], NAMES) == "Bargaining ranges chart: no numeric issues."


@pytest.mark.parametrize("name", STARTERS)
def test_a_partys_text_alternatives_hold_nothing_it_may_not_see(name: str) -> None:
    session = starter(name)
    names = {p.id: p.name for p in session.parties}
    for party in session.party_ids:
        view = view_for(session, party)
        a, b = view.party_ids[:2]
        texts = [
            overlap_alt(analyze(view), names),
            alignment_alt(analyze(view).alignment),
            weight_alt(ranking(view, 0.5), ranking(view, 1.0), ranking(view, 0.0), (names[a], names[b]), 0.5),
            frontier_alt(packages(view), names),
        ]
        for hidden in hidden_texts(session, party):
            for text in texts:
                assert not _shows(text, hidden), (party, hidden, text)


def _shows(text: str, hidden: str) -> bool:
    """Whether ``text`` holds ``hidden``: a title anywhere, a number as a whole number (a
    small whole number such as a count of 2 is not evidence, so numbers are searched when
    they have a decimal point or three digits)."""
    if re.fullmatch(r"-?[\d,]+(\.\d+)?", hidden):
        if "." not in hidden and len(hidden.replace(",", "").lstrip("-")) < 3:
            return False
        return re.search(rf"(?<![\d.,]){re.escape(hidden)}(?![\d])", text) is not None
    return hidden in text
