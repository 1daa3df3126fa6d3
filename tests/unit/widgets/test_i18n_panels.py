"""The goals, numeric issues, option issues, capture, participants, disclosure plan, disclosure
check, negotiation and weighing panels in every language: nothing of theirs left unmarked
(the pseudo-language), German and French on the page, and numbers read and written as the
reader's language does."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import ipywidgets as widgets
import pytest

from pmkit.analytics.disclosure_plan import plan_lines
from pmkit.analytics.wording import capitalised, decision_words
from pmkit.i18n import PSEUDO, use
from pmkit.model import JOINT, Session
from pmkit.rules.visibility import audience_label
from pmkit.store import Workspace
from pmkit.text import shorten
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from tests.support.i18n import unmarked, user_texts, widget_texts

PANELS = ("Goals", "Weigh goals", "Numeric issues", "Options", "Negotiation", "Capture", "Disclosure plan",
          "Participants", "Disclosure check")
PARTY = "management"  # its page has every party panel: options, and a disclosure plan of its own


def _strings(obj: object) -> Iterator[str]:
    """Every string inside ``obj`` (dataclasses, tuples, lists, dicts)."""
    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _strings(getattr(obj, f.name))
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from _strings(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from _strings(x)


def _elsewhere(board: MeetingBoard, session: Session) -> list[str]:
    """Text these panels show that other modules write (and mark): who may see an item, the
    decision analysis in words, a withheld item's decision, the room's participants' names;
    and what people typed, also as the panels shorten it."""
    typed = user_texts(session)
    out = typed + [shorten(t, n) for t in typed for n in (50, 60, 70, 90)]
    out += [audience_label(a, session) for a in (JOINT, "facilitator", *session.party_ids)]
    out += [x for p in board.store.participants.all(board.session_id) for x in (p.name, p.participant_id)]
    report = getattr(board.panel("Negotiation"), "report", None)
    if report is not None:
        titles = {x.id: x.title for x in (*session.goals, *session.issues, *session.option_issues)}
        dw = decision_words(report, titles, {p.id: p.name for p in session.parties})
        words = list(_strings(dw)) + [p.settles for p in dw.points]
        out += words + [capitalised(w) for w in words]
    for line in plan_lines(session, dt.date.today()):
        out += [line.decision_text, line.recorded]
    return [t for t in out if t]


def _page(workspace: Workspace, demo: str, role: str, lang: str) -> tuple[MeetingBoard, dict[str, list[str]]]:
    """``role``'s page in ``lang`` with every panel of this area it has drawn: each panel's texts
    (the charts' text alternatives the chart modules write are left out, the disclosure plan's
    timeline is this area's)."""
    with use(lang):
        board = MeetingBoard(Workspace(workspace.folder), demo, role)
        titles = [t for t in PANELS if t in dict(board._specs)]
        texts: dict[str, list[str]] = {}
        for title in titles:
            root = board.panel(title).widget  # type: ignore[attr-defined]
            charts = {w.tooltip for w in iter_widgets(root) if isinstance(w, widgets.Image)
                      and "pmkit-plan-chart" not in w._dom_classes}
            texts[title] = [t for t in widget_texts(root) if t not in charts]
    return board, texts


@pytest.fixture
def members(workspace: Workspace, demo: str) -> str:
    """The demo with a participant on the customer's side, who rated a goal."""
    p = workspace.participants.add(demo, "customer", "Dana Weber", 1.0, role="facilitator")
    workspace.items.set_rating(demo, "test-env", "customer", 4, "support", role="customer",
                               participant=p.participant_id)
    return demo


@pytest.mark.parametrize("role", ["facilitator", PARTY])
def test_nothing_of_the_panels_is_left_unmarked(workspace: Workspace, members: str, role: str) -> None:
    board, texts = _page(workspace, members, role, PSEUDO)
    expected = set(PANELS) if role == "facilitator" else set(PANELS) - {"Participants", "Disclosure check"}
    assert set(texts) == expected
    with use(PSEUDO):
        outside = _elsewhere(board, workspace.sessions.load(members, role))
    for title, shown in texts.items():
        assert unmarked(shown, outside) == [], title
    board.close()


ENGLISH = ["Add goal", "Filter goals by title", "Whom to please", "Bargaining ranges", "Agreements and decisions",
           "Action items", "Withheld item", "Save dates", "Apply importances", "Numeric issues", "walk-away",
           "not rated", "raised by", "Common ground", "Disclosure check", "Where each side stands", "Top goals",
           "Delete goal", "Risk read-out", "In the top at every weight", "importance 0-5 and stance"]
TERMS = {
    "de": ["Ziel hinzufügen", "Wen zufriedenstellen", "Schmerzgrenze", "Idealwert", "Gemeinsame Basis",
           "Vereinbarungen und Entscheidungen", "Zurückgehaltener Eintrag", "Offenlegungsprüfung",
           "Verhandlungspunkt", "Wichtigkeit", "dafür", "dagegen", "Wo jede Seite steht"],
    "fr": ["Ajouter un objectif", "Qui satisfaire", "seuil de rupture", "valeur idéale", "Terrain d'entente",
           "Accords et décisions", "Élément non divulgué", "Contrôle de divulgation",
           "point de négociation", "importance", "pour", "contre", "Où en est chaque partie"],
}


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_facilitator_reads_the_panels_in_german_and_french(workspace: Workspace, members: str,
                                                               lang: str) -> None:
    board, texts = _page(workspace, members, "facilitator", lang)
    page = "\n".join(t for shown in texts.values() for t in shown)
    for term in TERMS[lang]:
        assert term in page, term
    for english in ENGLISH:
        assert english not in page, english
    board.close()


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_a_party_reads_its_panels_in_its_language(workspace: Workspace, demo: str, lang: str) -> None:
    board, texts = _page(workspace, demo, PARTY, lang)
    page = "\n".join(t for shown in texts.values() for t in shown)
    assert ("Ihre Punktzahlen" if lang == "de" else "Vos notes") in page
    assert ("Meine Punktzahlen speichern" if lang == "de" else "Enregistrer mes notes") in page
    for english in ("Your scores", "Save my scores", "Score each option", "walk-away", "Withheld item",
                    "Apply importances"):
        assert english not in page, english
    board.close()


@pytest.mark.parametrize(("lang", "shown"), [("de", "12.345,75"), ("fr", "12\u202f345,75"), ("en", "12345.75")])
def test_a_position_is_written_as_the_reader_writes_it(workspace: Workspace, demo: str, lang: str,
                                                       shown: str) -> None:
    workspace.items.set_position(demo, "licence-discount", PARTY, 12345.75, 12000, role=PARTY)
    with use(lang):
        board = MeetingBoard(Workspace(workspace.folder), demo, PARTY)
        panel = board.panel("Numeric issues")
        panel.select.value = "licence-discount"  # type: ignore[attr-defined]
        row = panel.rows[PARTY]  # type: ignore[attr-defined]
        assert row.ideal.value == shown
        assert f"{shown} / " in panel.table.value  # type: ignore[attr-defined]
        # 12000 is written 12.000 in German, which may be read as twelve: the box says 12000
        assert row.walk_away.value in ("12000", "12\u202f000")
        row.walk_away.value = "13000"  # the ideal's box is read back as it is shown
        assert not board.status.is_error, board.status.message
    stored = workspace.sessions.load(demo, PARTY).item("issue", "licence-discount").positions[PARTY]  # type: ignore[union-attr]
    assert (stored.ideal, stored.walk_away) == (12345.75, 13000)
    board.close()


def test_a_german_page_reads_a_german_number_and_refuses_an_ambiguous_one(workspace: Workspace,
                                                                          demo: str) -> None:
    with use("de"):
        board = MeetingBoard(Workspace(workspace.folder), demo, PARTY)
        panel = board.panel("Numeric issues")
        panel.select.value = "licence-discount"  # type: ignore[attr-defined]
        row = panel.rows[PARTY]  # type: ignore[attr-defined]
        row.ideal.value = "12.345,75"
        assert not board.status.is_error, board.status.message
        assert workspace.sessions.load(demo, PARTY).item("issue", "licence-discount").positions[PARTY]  # type: ignore[union-attr].ideal == 12345.75
        row.ideal.value = "12.345"
        message = board.status.message
        assert board.status.is_error
        assert "\n" not in message and "Traceback" not in message
        assert message.startswith("Idealwert: ") and "12.345" in message
    assert workspace.sessions.load(demo, PARTY).item("issue", "licence-discount").positions[PARTY]  # type: ignore[union-attr].ideal == 12345.75
    board.close()
