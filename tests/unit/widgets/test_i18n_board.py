"""The meeting board in every language: every tab of the facilitator's and of a party's
board, the overview's "since last meeting", what the status line says, and the prepare
notebook's widgets. In the pseudo-language nothing is left unmarked; in German and French
the glossary's terms are there, no English sentence of the board is left, and numbers and
dates are written as each language writes them. A panel is still found by its English
title whatever the language its tab is shown in."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator

import ipywidgets as widgets
import pytest
from babel.messages.pofile import read_po

from pmkit.i18n import CATALOGS, PSEUDO, use
from pmkit.model import FACILITATOR, JOINT, everyone_title
from pmkit.resources import starter_names
from pmkit.rules.visibility import audience_label
from pmkit.store import RoomView, Workspace
from pmkit.text import share, shorten
from pmkit.views.agenda import minutes_text, state_text
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import iter_widgets
from pmkit.widgets.look import ChartImage
from pmkit.widgets.panels.base import PanelBase
from pmkit.widgets.prepare import PrepareBoard
from pmkit.widgets.room_reveal import room_rounds
from pmkit.widgets.room_views import describe, showing, view_labels
from tests.support.i18n import unmarked, user_texts, widget_texts

# the panels whose every word this test reads (the other tabs' panels have tests of their own;
# their tab titles are read here)
FACILITATORS = ("Overview", "Room screen", "Agenda", "Whom to please", "Rounds", "Preparation", "Export")
PARTYS = ("Overview", "Whom to please", "Export")
TABS = {
    "de": {"Goals": "Ziele", "Room screen": "Raumansicht", "Agenda": "Tagesordnung",
           "Whom to please": "Wen zufriedenstellen",
           "Weigh goals": "Ziele gewichten", "Numeric issues": "Verhandlungspunkte", "Options": "Optionen",
           "Negotiation": "Verhandlung", "Capture": "Erfassen", "Rounds": "Runden", "Preparation": "Vorbereitung",
           "Disclosure plan": "Offenlegungsplan", "Participants": "Teilnehmende",
           "Disclosure check": "Offenlegungsprüfung", "Export": "Export"},
    "fr": {"Goals": "Objectifs", "Room screen": "Écran de salle", "Agenda": "Ordre du jour",
           "Whom to please": "Qui satisfaire", "Weigh goals": "Pondérer les objectifs",
           "Numeric issues": "Points de négociation", "Options": "Options", "Negotiation": "Négociation",
           "Capture": "Saisie", "Rounds": "Tours", "Preparation": "Préparation",
           "Disclosure plan": "Plan de divulgation", "Participants": "Participants",
           "Disclosure check": "Contrôle de divulgation", "Export": "Export"},
}
# the glossary's terms each language's facilitator board shows (docs/languages.md)
TERMS = {
    "de": ("Gemeinsame Basis", "Konflikte", "Blinde Flecken", "Übereinstimmung", "Raumansicht", "Wen zufriedenstellen",
           "verdeckten Runde", "Vorbereitungsphase", "Moderation", "Runde"),
    "fr": ("Terrain d'entente", "Conflits", "Angles morts", "Alignement", "écran de salle", "Qui satisfaire",
           "tour privé", "période de préparation", "Facilitateur", "tour"),
}
UNTIL = "2030-05-01T17:00"
DEADLINE = {"en": "2030-05-01 17:00", "de": "1. Mai 2030, 17:00", "fr": "1 mai 2030, 17:00"}
AREA = ("pmkit/widgets/board.py", "pmkit/widgets/context.py", "pmkit/widgets/edge.py", "pmkit/widgets/common.py",
        "pmkit/widgets/since_last.py", "pmkit/widgets/compare.py", "pmkit/widgets/analysis.py",
        "pmkit/widgets/prepare.py", *(f"pmkit/widgets/panels/{name}.py" for name in (
            "overview", "preparation", "export", "rounds", "agenda", "room", "whom_to_please", "base")))


def under_way(ws: Workspace, sid: str) -> None:
    """A meeting with something in every tab of this area: an agenda being run, a
    preparation window with a member asked, and a round open."""
    ws.agenda.add(sid, "Status round", 10)
    ws.agenda.add(sid, "Caucus on the slip", 5, about="goal:vendor-slip")
    ws.agenda.start(sid)
    ws.participants.add(sid, "management", "Anastasia Quill")
    ws.prepare.open(sid, UNTIL, goals=["test-env"])
    ws.rounds.open(sid, ["test-env"], ["cutover-slip"])


def typed(ws: Workspace, sid: str) -> list[str]:
    """What people typed, and the words of other parts of pmkit this area shows inside its
    own (audiences, the room's views, the agenda's clocks, charts' text alternatives): each
    is checked where it is made. Computed in the current language, so it matches the page."""
    session = ws.sessions.load(sid, FACILITATOR)
    out = [*user_texts(session), *session.party_ids, sid, *starter_names(), everyone_title("", session.date)]
    out += [shorten(t, n) for t in user_texts(session) for n in (60, 70)]  # titles cut to fit a list
    out += [audience_label(a, session) for a in (JOINT, FACILITATOR, *session.party_ids)]
    out += [label for label, _name in view_labels()]
    state, rounds = ws.meeting.room_view(sid), room_rounds(ws, sid)
    out += [describe(state, session, rounds), showing(state, session, rounds)]
    out += [showing(RoomView(state.view, g.id, state.weight, state.theme), session, rounds) for g in session.goals]
    for item in ws.agenda.items(sid, FACILITATOR):
        out += [item.title, minutes_text(item.timebox), state_text(item)]
    out += [p.name for p in ws.participants.all(sid, FACILITATOR)]
    return out


def charts(root: widgets.Widget) -> list[str]:
    """The text alternatives of the charts under ``root`` (the charts' own tests read them)."""
    return [w.tooltip for w in iter_widgets(root) if isinstance(w, ChartImage) and w.tooltip]


def read(board: MeetingBoard, titles: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Every text of the board's header, tab titles and the panels ``titles``; and their
    charts' text alternatives."""
    texts = [board.title.value, *board.tabs.titles, board.status.message]
    if hasattr(board, "undo_button"):
        texts.append(board.undo_button.description)
    alts: list[str] = []
    for title in titles:
        panel = board.panel(title)
        texts += widget_texts(panel.widget)
        alts += charts(panel.widget)
    return texts, alts


def english(lang: str) -> Iterator[str]:
    """The English words of this area's messages that the language ``lang`` writes otherwise:
    each run of two words or more between placeholders."""
    with (CATALOGS / lang / "LC_MESSAGES" / "pmkit.po").open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if not m.id or not any(path in AREA for path, _line in m.locations):
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        said = " ".join(m.string if isinstance(m.string, tuple) else (m.string,))
        for msgid in ids:
            for run in re.split(r"\{\w+\}", msgid):
                run = run.strip(" .,;:()'“”-")
                if len(run.split()) >= 2 and run not in said:
                    yield run


def plain(texts: list[str], leave_out: list[str], foreign: list[str]) -> str:
    """``texts`` as one plain text, without those of ``leave_out`` (charts' text alternatives)
    and without the ``foreign`` words inside them (what people typed, other parts' words)."""
    out = html.unescape(re.sub(r"<[^>]*>", " ", "\n".join(t for t in texts if t not in leave_out)))
    for t in sorted(set(foreign), key=len, reverse=True):
        out = out.replace(t, " ")
    return out


# -- the pseudo-language: nothing unmarked ------------------------------------------------
def test_every_tab_of_the_facilitators_board_is_marked(workspace: Workspace, demo: str) -> None:
    under_way(workspace, demo)
    with use(PSEUDO):
        board = MeetingBoard(workspace, demo, FACILITATOR)
        texts, alts = read(board, FACILITATORS)
        assert unmarked(texts, [*typed(workspace, demo), *alts]) == []
        assert all(t.startswith("[") and t.endswith("]") for t in board.tabs.titles)
        assert board.panel("Goals") is board.panel("Goals")  # found by its English title, in any language
        board.close()


def test_every_tab_of_a_partys_board_is_marked(workspace: Workspace, demo: str) -> None:
    under_way(workspace, demo)
    with use(PSEUDO):
        board = MeetingBoard(workspace, demo, "customer")
        texts, alts = read(board, PARTYS)
        assert unmarked(texts, [*typed(workspace, demo), *alts]) == []
        assert "[Víéwíñĝ ás" in board.title.value
        board.close()


def test_what_the_status_line_says_is_marked(workspace: Workspace, demo: str) -> None:
    """The status line after each thing the facilitator does on these panels."""
    under_way(workspace, demo)
    with use(PSEUDO):
        board = MeetingBoard(workspace, demo, FACILITATOR)
        said: list[str] = []

        def then(click: widgets.Button) -> None:
            click.click()
            said.append(board.status.message)

        agenda, rounds, prep = board.panel("Agenda"), board.panel("Rounds"), board.panel("Preparation")
        assert isinstance(agenda, PanelBase) and isinstance(rounds, PanelBase) and isinstance(prep, PanelBase)
        then(agenda.next)  # type: ignore[attr-defined]
        then(agenda.extend)  # type: ignore[attr-defined]
        agenda.date.value = "next week"  # type: ignore[attr-defined]
        then(agenda.follow)  # type: ignore[attr-defined]
        then(rounds.cancel_button)  # type: ignore[attr-defined]
        then(rounds.open_button)  # nothing chosen  # type: ignore[attr-defined]
        then(prep.buttons["close"])  # type: ignore[attr-defined]
        then(board.undo_button)
        board.panel("Export").export("yaml")  # type: ignore[attr-defined]
        said.append(board.status.message)
        assert len(said) == 8 and all(said)
        assert unmarked(said, [*typed(workspace, demo), "yaml"]) == []
        assert rounds.state.value.count("[") >= 2  # type: ignore[attr-defined]  # "No round is open. Round 1 was cancelled"
        board.close()


def test_since_last_meeting_is_marked_and_translated(workspace: Workspace, demo: str) -> None:
    new = workspace.series.follow_up(demo, date=dt.date(2026, 12, 8))
    workspace.items.rate(new, "test-env", "customer", 2, "support", role="customer")
    with use(PSEUDO):
        board = MeetingBoard(workspace, new, "customer")
        since = board.panel("Overview").since.value  # type: ignore[attr-defined]
        assert since and unmarked([since], [*typed(workspace, new), *typed(workspace, demo)]) == []
        board.close()
    with use("de"):
        board = MeetingBoard(workspace, new, "customer")
        since = html.unescape(board.panel("Overview").since.value)  # type: ignore[attr-defined]
        assert "Seit dem letzten Treffen (Treffen 1)" in since and "Überfällige Maßnahmen" in since
        assert "5 dafür -> 2 dafür" in since  # a stance in the glossary's words
        assert "Tage überfällig" in since and "Nov. 2026" in since  # the due day as German writes it
        board.close()


def test_the_prepare_notebooks_widgets_are_marked(workspace: Workspace, demo: str) -> None:
    with use(PSEUDO):
        prep = PrepareBoard(workspace, demo)
        own = [prep.pick, prep.starter, prep.new_title, prep.create, prep.titles]
        texts = [t for w in own for t in widget_texts(w)] + [prep.status.message]
        assert prep.board is not None
        texts += [prep.board.title.value, *prep.board.tabs.titles]
        extra = [f"{s.title} ({s.id})" for s in workspace.sessions.all()]
        assert unmarked(texts, [*typed(workspace, demo), *extra]) == []
        prep.create.click()
        assert unmarked([prep.status.message], [s.id for s in workspace.sessions.all()]) == []
        prep.close()


# -- German and French --------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_facilitators_board_in_german_and_french(workspace: Workspace, demo: str, lang: str) -> None:
    under_way(workspace, demo)
    with use(lang):
        board = MeetingBoard(workspace, demo, FACILITATOR)
        keys = [t for t, _f in board._specs[1:]]
        assert list(board.tabs.titles) == [TABS[lang][k] for k in keys]
        texts, alts = read(board, FACILITATORS)
        text = plain(texts, alts, typed(workspace, demo))
        shown = plain(texts, alts, [])  # other parts' words too: a term may be theirs as well
        for term in TERMS[lang]:
            assert term in shown, term
        left = [run for run in set(english(lang)) if run in text]
        assert left == []
        whom = board.panel("Whom to please").ranking.value  # type: ignore[attr-defined]
        assert share(0.5) == "0,50" and "0,50" in whom  # the weight as the language writes it
        state = html.unescape(board.panel("Preparation").state.value)  # type: ignore[attr-defined]
        assert DEADLINE[lang] in state
        assert ("Moderation" if lang == "de" else "Facilitateur") in board.title.value
        assert ("über 9 Ziele" if lang == "de" else "sur 9 objectifs") in text  # the plural of each language
        board.close()


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_a_partys_board_in_german_and_french(workspace: Workspace, demo: str, lang: str) -> None:
    with use(lang):
        board = MeetingBoard(workspace, demo, "customer")
        keys = [t for t, _f in board._specs[1:]]
        assert list(board.tabs.titles) == [TABS[lang][k] for k in keys]
        texts, alts = read(board, PARTYS)
        text = plain(texts, alts, typed(workspace, demo))
        assert [run for run in set(english(lang)) if run in text] == []
        assert ("Ansicht als" if lang == "de" else "Vue en tant que") in text
        assert ("HTML, PDF und Markdown liefern das Protokoll" if lang == "de"
                else "HTML, PDF et Markdown donnent le compte rendu") in text
        board.close()


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_the_prepare_notebook_in_german_and_french(workspace: Workspace, demo: str, lang: str) -> None:
    with use(lang):
        prep = PrepareBoard(workspace, demo)
        texts = [t for w in (prep.pick, prep.starter, prep.new_title, prep.create, prep.titles)
                 for t in widget_texts(w)]
        text = plain(texts, [], typed(workspace, demo))
        assert [run for run in set(english(lang)) if run in text] == []
        assert ("Arbeitstitel" if lang == "de" else "Titre de travail") in text
        assert prep.board is not None and list(prep.board.tabs.titles) == [
            TABS[lang][k] for k in ("Goals", "Numeric issues", "Whom to please")]
        prep.close()


def test_english_is_unchanged(workspace: Workspace, demo: str) -> None:
    """English reads as it did: the tabs' titles are the panels' keys."""
    under_way(workspace, demo)
    board = MeetingBoard(workspace, demo, FACILITATOR)
    assert list(board.tabs.titles) == [t for t, _f in board._specs[1:]]
    state = board.panel("Preparation").state.value  # type: ignore[attr-defined]
    assert f"deadline {DEADLINE['en']} UTC" in state
    assert "Viewing as <b>Facilitator</b>" in board.title.value
    board.close()
