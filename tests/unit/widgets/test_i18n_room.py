"""The room screen in the meeting's language: every view, its heading, its chart's text
alternative and the facilitator's line about it are marked for translation (the
pseudo-language leaves nothing unmarked), and German and French read the glossary's terms,
with numbers and days as each language writes them."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator

import pytest

from pmkit.i18n import PSEUDO, use
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import RoomView, Workspace
from pmkit.widgets import RoomBoard
from pmkit.widgets.room_reveal import room_rounds
from pmkit.widgets.room_views import describe, view_labels
from tests.support.i18n import unmarked, user_texts, widget_texts

AGENDA = "Test window review"
_CLOCK = re.compile(r"<span class='pmkit-room-clock[^>]*>.*?</span>")  # the agenda's words for time (not the room's)


def screens(ws: Workspace, sid: str, views: list[RoomView]) -> Iterator[tuple[RoomBoard, str]]:
    """The room drawn for each of ``views`` in turn (in the current language): the board and
    everything it shows in words (its chart's text alternative too)."""
    room = RoomBoard(ws, sid)
    try:
        for state in views:
            ws.meeting.set_room_view(sid, state.view, state.target, state.weight, state.theme, role=FACILITATOR)
            room.sync()
            shown = [_CLOCK.sub(" ", t) for t in widget_texts(room.widget) if not t.startswith("<style>")]
            yield room, "\n".join([*shown, room.chart.tooltip or ""])
    finally:
        room.close()


def demo_views() -> list[RoomView]:
    return [RoomView("overview"), RoomView("goal", "cutover-date"), RoomView("whom", weight=0.25),
            RoomView("agreements"), RoomView("reveal"), RoomView("options", theme="dark")]


@pytest.fixture
def meeting(workspace: Workspace, demo: str) -> str:
    """The demo with a running agenda item, an action due on a day, and a revealed round."""
    workspace.agenda.add(demo, AGENDA, 10, audience="joint")
    workspace.agenda.start(demo)
    workspace.items.add(demo, "action", {"title": "Book the rehearsal", "owner": "Dana",
                                         "due": "2026-12-11", "audience": "joint"}, role=FACILITATOR)
    workspace.rounds.open(demo, goals=["test-env", "cutover-date"])
    workspace.items.set_rating(demo, "test-env", "customer", 2, "oppose", role="customer")
    workspace.rounds.reveal(demo)
    return demo


def test_every_room_view_is_marked_in_the_pseudo_language(workspace: Workspace, meeting: str) -> None:
    typed = [*user_texts(workspace.sessions.load(meeting, ROOM)), AGENDA]
    with use(PSEUDO):
        pages = {room.view: text for room, text in screens(workspace, meeting, demo_views())}
        facilitator = workspace.sessions.load(meeting, FACILITATOR)
        rounds = room_rounds(workspace, meeting)
        lines = [describe(state, facilitator, rounds) for state in
                 [*demo_views(), RoomView("reveal", "no-such-round"), RoomView("goal", "vendor-slip")]]
        labels = [label for label, _name in view_labels()]
    assert set(pages) == {"overview", "goal", "whom", "agreements", "reveal", "options"}
    assert {view: words for view, text in pages.items() if (words := unmarked([text], typed))} == {}
    assert unmarked(lines + labels, typed) == []
    assert "[Nów: " in pages["overview"]  # the agenda's line went through it too
    assert "[Róúñd 1: thé áñswéŕs, ŕévéáléd tóĝéthéŕ]" in pages["reveal"]


def test_the_room_without_a_second_party_or_an_option_issue_is_marked(workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    with use(PSEUDO):
        pages = [text for _room, text in screens(workspace, sid, [RoomView("reveal"), RoomView("options")])]
    assert unmarked(pages, user_texts(workspace.sessions.load(sid, ROOM))) == []


@pytest.mark.parametrize(("lang", "terms", "gone"), [
    ("de", ["Wo wir stehen", "Gemeinsame Basis", "Konflikte", "Blinde Flecken", "Übereinstimmung", "Wichtigkeit",
            "Wen zufriedenstellen: Gewicht 0,25 auf", "Vereinbarungen und Maßnahmen", "fällig am 11. Dez. 2026",
            "Runde 1: die Antworten, gemeinsam aufgedeckt", "dagegen", "Jetzt: "],
     ["Where we stand", "Common ground", "Blind spots", "Raised by", "not rated", "Whom to please", "due 2026",
      "the answers, revealed together", "goals moved", "Now: "]),
    ("fr", ["Où nous en sommes", "Terrain d'entente", "Conflits", "Angles morts", "Alignement", "Importance",
            "Qui satisfaire : poids 0,25 sur", "Accords et actions", "échéance le 11 déc. 2026",
            "Tour 1 : les réponses, révélées ensemble", "contre", "En cours : "],
     ["Where we stand", "Common ground", "Blind spots", "Raised by", "not rated", "Whom to please", "due 2026",
      "the answers, revealed together", "goals moved", "Now: "]),
])
def test_the_room_speaks_german_and_french(workspace: Workspace, meeting: str, lang: str, terms: list[str],
                                           gone: list[str]) -> None:
    with use(lang):
        pages = [text for room, text in screens(workspace, meeting, demo_views())]
        headings = [room.title.value for room, _text in screens(workspace, meeting, [RoomView("reveal")])]
        facilitator = workspace.sessions.load(meeting, FACILITATOR)
        line = describe(RoomView("whom", weight=0.25), facilitator, room_rounds(workspace, meeting))
    shown = html.unescape("\n".join(pages + headings))
    for term in terms:
        assert term in shown, term
    for english in gone:
        assert english not in shown, english
    assert ("Die Raumansicht zeigt" if lang == "de" else "L'écran de salle affiche") in line
    assert "0,25" in line and "0.25" not in line


def test_a_day_on_the_room_is_the_language_s_own(workspace: Workspace, meeting: str) -> None:
    with use("en"):
        (english,) = [text for _room, text in screens(workspace, meeting, [RoomView("agreements")])]
    assert ", due 2026-12-11," in english and dt.date(2026, 12, 11).isoformat() in english
