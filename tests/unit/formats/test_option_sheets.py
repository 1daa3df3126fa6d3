"""Option issues in spreadsheets: xlsx and csv give back the same session (options, every
party's scores, weight and unacceptable options, reservation values); a bad row is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmkit.errors import InputError
from pmkit.formats.sheets import read_tables, session_data, session_tables, write_csv, write_xlsx
from pmkit.formats.yaml_file import read_session_file
from pmkit.model import Session, parse_session
from pmkit.resources import starter_path

SESSION = parse_session({
    "title": "Terms", "parties": [{"id": "customer", "name": "Customer", "reservation": 0.25},
                                  {"id": "management", "name": "Management"}],
    "option_issues": [{"id": "terms", "title": "Payment terms", "description": "Invoices of phase two",
                       "audience": "management", "disclosed_on": "2026-11-30", "options": [
                           {"id": "now", "label": "=On delivery"}, {"id": "net-30", "label": "30 days"},
                           {"id": "net-60", "label": "60 days"}],
                       "scores": {"management": {"scores": {"now": 100, "net-30": 62.5}, "weight": 4,
                                                 "unacceptable": ["net-60"]},  # refused, never scored
                                  "customer": {"weight": 2.5}}}],  # a weight and nothing else
    "plan": [{"item": "terms", "decision": "never", "reason": "internal"}]})


def round_trip(session: Session, path: Path) -> Session:
    tables = session_tables(session)
    if path.suffix == ".xlsx":
        write_xlsx(tables, path)
    else:
        path.write_text(write_csv(tables), encoding="utf-8")
    doc, _members = session_data(read_tables(path), str(path))
    return parse_session(doc)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("session", ["made", "itex-cypress", "budget-overrun", "undisclosed-risk"])
def test_the_round_trip_is_lossless(tmp_path: Path, fmt: str, session: str) -> None:
    s = SESSION if session == "made" else read_session_file(starter_path(session))
    assert s.option_issues
    assert round_trip(s, tmp_path / f"s.{fmt}") == s


def test_a_score_for_an_unknown_issue_or_two_weights_are_named(tmp_path: Path) -> None:
    tables = session_tables(SESSION)
    tables["option_scores"].append({"issue": "gone", "party": "customer", "weight": 1})
    path = tmp_path / "bad.csv"
    path.write_text(write_csv(tables), encoding="utf-8")
    with pytest.raises(InputError, match=r"option_scores, row \d+, column issue: no option issue 'gone'"):
        session_data(read_tables(path), str(path))
    tables = session_tables(SESSION)
    tables["option_scores"][0]["weight"] = 9
    path.write_text(write_csv(tables), encoding="utf-8")
    with pytest.raises(InputError, match="column weight: .* give one weight"):
        session_data(read_tables(path), str(path))
