"""The risk read-out's rules against the rules they name: its content words are the echo
check's (`pmkit check`), and its alignment thresholds test the exact alignment."""

from __future__ import annotations

from typing import Any

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
