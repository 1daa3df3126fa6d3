"""The decision analytics, the rules' refusals and the import messages in the reader's
language: rendered in the pseudo-language nothing is left unmarked; in German and French
the glossary's terms appear, no English sentence is left, and numbers and dates are written
as each language writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pmkit.analytics.bargaining import facts_for
from pmkit.analytics.decisions import build_report
from pmkit.analytics.risk import risk_readout
from pmkit.analytics.wording import decision_words, report_lines
from pmkit.errors import AccessDenied, InputError, InvalidSession
from pmkit.formats.sheets import read_tables
from pmkit.formats.yaml_file import load_session, load_yaml, read_session_file
from pmkit.i18n import PSEUDO, use
from pmkit.model import FACILITATOR, Session, everyone_title, parse_session
from pmkit.rules.disclosure_plan import decision_text
from pmkit.rules.permissions import authorize_rating, refuse_room
from pmkit.rules.visibility import audience_label
from tests.support.i18n import unmarked, user_texts
from tests.support.starters import STARTERS, starter

TODAY = dt.date(2026, 12, 8)
# English words of the read-outs that must not be left in a German or French one
ENGLISH = ("whom to please", "bargaining", "walk-away", "withheld", "packages", "alignment", "acceptable to",
           "goals adopted", "not known", "answers to the nearest", "risk", "disclose")


def lines(session: Session, role: str, probe: bool = True) -> list[str]:
    """The command line's read-out of ``session`` for ``role``, with a what-if question on
    the first numeric issue that has a probe step."""
    asked = next(((i.id, i.positions[next(iter(i.positions))].ideal) for i in session.issues
                  if i.probe_step and i.positions), None) if probe else None
    facts = facts_for(session.issues, role, {}, asked if role == FACILITATOR else None)
    report = build_report(session, facts, role, session_id="demo", version=1, today=TODAY)
    out = report_lines(report, {g.id: g.title for g in (*session.goals, *session.issues)})
    words = decision_words(report)
    out += [words.whom, words.packages, *(x.text for x in (*words.ranges, *words.left_out))]
    return out


def typed(session: Session, role: str) -> list[str]:
    """What people typed, plus the ids and roles the read-out names as they are."""
    ids = [x.id for x in (*session.goals, *session.issues, *session.option_issues, *session.parties)]
    return [*user_texts(session), *ids, role]


@pytest.mark.parametrize("name", STARTERS)
def test_every_read_out_is_marked(name: str) -> None:
    session = starter(name)
    with use(PSEUDO):
        for role in (FACILITATOR, session.party_ids[0]):
            assert unmarked(lines(session, role), typed(session, role)) == [], (name, role)


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_read_out_speaks_german_and_french(lang: str) -> None:
    session = starter("undisclosed-risk")
    with use(lang):
        text = "\n".join(lines(session, FACILITATOR))
    for t in typed(session, FACILITATOR):  # what people typed stays as typed
        text = text.replace(t, " ")
    text = text.lower()
    expected = {"de": ("wen zufriedenstellen", "verhandlungsspielr", "pakete", "risiko"),
                "fr": ("qui satisfaire", "zone d'accord", "paquets", "risque")}[lang]
    for word in expected:
        assert word in text, (lang, word)
    for english in ENGLISH:
        assert english not in text, (lang, english)


@pytest.mark.parametrize(("lang", "gap", "walk_away"), [("de", "0,25", "12.345,75"), ("fr", "0,25", "12\u202f345,75")])
def test_numbers_in_the_read_out_follow_the_language(lang: str, gap: str, walk_away: str) -> None:
    session = parse_session({"title": "t", "parties": [{"id": "customer", "name": "Kunde"},
                                                       {"id": "management", "name": "Leitung"}],
                             "issues": [{"id": "p", "title": "Preis", "unit": "EUR", "positions": {
                                 "customer": {"ideal": 12000, "walk_away": 12345.75},
                                 "management": {"ideal": 13000, "walk_away": 12346}}}]})
    with use(lang):
        reasons = [r.text for r in risk_readout(session, today=TODAY).reasons]
        range_text = "\n".join(lines(session, FACILITATOR, probe=False))
    assert any(f"{gap} EUR" in r for r in reasons), reasons
    assert walk_away in range_text


def test_the_risk_options_and_levels_in_german() -> None:
    session = starter("undisclosed-risk")
    with use("de"):
        r = risk_readout(session, today=TODAY)
        names = [o.name for o in r.options]
        words = decision_words(build_report(session, facts_for(session.issues, FACILITATOR, {}), FACILITATOR,
                                            session_id="demo", version=1, today=TODAY))
    assert "zuerst mit dem Management vereinbaren, was offengelegt wird" in names
    assert words.risk is not None and words.risk.level in ("low", "medium", "high")  # a key, for styling
    assert words.risk.level_text in ("niedrig", "mittel", "hoch")
    assert "Punkte" in words.risk.score


def test_the_title_for_everyone_and_plan_decisions_are_dated_in_the_language() -> None:
    day = dt.date(2026, 11, 24)
    assert everyone_title("", day) == "Joint meeting, 24 November 2026"
    with use("de"):
        assert everyone_title("", day) == "Gemeinsame Sitzung, 24. November 2026"
    with use("fr"):
        assert everyone_title("", day) == "Réunion commune, 24 novembre 2026"
    entry: Any = type("E", (), {"decision": "by", "by": dt.date(2026, 12, 11), "condition": "", "reason": ""})
    assert decision_text(entry) == "disclose by 2026-12-11"
    with use("de"):
        assert decision_text(entry) == "offenlegen bis 11. Dez. 2026"


def test_refusals_in_german_and_french() -> None:
    session = starter("budget-overrun")
    with use("de"), pytest.raises(AccessDenied, match="Raumansicht ist schreibgeschützt"):
        refuse_room("room")
    with use("fr"), pytest.raises(AccessDenied, match="ne peut pas évaluer des objectifs pour 'management'"):
        authorize_rating("customer", "management")
    with use("de"):
        assert audience_label(FACILITATOR, session) == "nur Moderation"
        assert audience_label("joint", session) == "alle"


def test_import_errors_in_german(tmp_path: Path) -> None:
    with use("de"):
        with pytest.raises(InputError, match="kein gültiges YAML"):
            load_yaml("title: [unclosed", "sitzung.yaml")
        with pytest.raises(InputError, match="Datei nicht gefunden"):
            read_session_file(tmp_path / "fehlt.yaml")
        (tmp_path / "daten.txt").write_text("x")
        with pytest.raises(InputError, match="eine Tabelle muss .xlsx oder .csv sein"):
            read_tables(tmp_path / "daten.txt")
        with pytest.raises(InvalidSession) as exc:
            load_session("title: t\nparties: [{id: a, name: A}, {id: a, name: B}]\n", "sitzung.yaml")
        assert "IDs müssen eindeutig sein" in str(exc.value)
        (tmp_path / "leer.csv").write_bytes(b"[nope]\nx\n")
        with pytest.raises(InputError, match="unbekannte Tabelle"):
            read_tables(tmp_path / "leer.csv")


def test_import_errors_are_marked(tmp_path: Path) -> None:
    (tmp_path / "daten.txt").write_text("x")
    with use(PSEUDO):
        found = []
        for call in (lambda: load_yaml("title: [unclosed", "s.yaml"), lambda: read_tables(tmp_path / "daten.txt"),
                     lambda: read_session_file(tmp_path / "none.yaml")):
            with pytest.raises(InputError) as exc:
                call()
            found.append(str(exc.value))
    # what is left: file names, and PyYAML's own words on what it found
    leftover = set(unmarked(found, [str(tmp_path), "s.yaml", "daten.txt", "none.yaml"]))
    assert leftover <= {"while", "parsing", "flow", "sequence", "expected", "but", "found", "got", "end", "stream",
                        "line", "column", "txt", "yaml"}, leftover
