"""The meeting's own words in each reader's language: the language a link carries, the
notices of the meeting page, refused links, and the reminder email."""

from __future__ import annotations

import datetime as dt

import pytest

from pmkit.errors import AccessDenied, InputError
from pmkit.i18n import PSEUDO, use
from pmkit.meeting.links import make_token, verify_token
from pmkit.meeting.reminders import reminder_message
from pmkit.meeting.words import page_words
from pmkit.model import FACILITATOR
from pmkit.store import Workspace
from tests.support.i18n import unmarked

UNTIL = "2026-12-11T14:05:00+00:00"


def test_a_link_carries_the_language_the_facilitator_chose_and_none_by_default(workspace: Workspace,
                                                                              demo: str) -> None:
    assert verify_token(workspace, make_token(workspace, demo, "customer", lang="de")).lang == "de"
    assert verify_token(workspace, make_token(workspace, demo, "management", lang="fr-CH")).lang == "fr"
    assert verify_token(workspace, make_token(workspace, demo, "customer")).lang is None
    with pytest.raises(InputError, match="unknown language 'tlh'"):
        make_token(workspace, demo, "customer", lang="tlh")


def test_the_session_has_a_language_for_the_room_and_every_link_that_names_none(workspace: Workspace,
                                                                               demo: str) -> None:
    assert workspace.sessions.language(demo) == "en"
    workspace.sessions.set_titles(demo, language="de", role=FACILITATOR)
    assert workspace.sessions.language(demo) == "de"
    assert workspace.sessions.load(demo, "room").language == "de"
    workspace.journal.undo(demo, role=FACILITATOR)
    assert workspace.sessions.language(demo) == "en"
    with pytest.raises(InputError):
        workspace.sessions.set_titles(demo, language="xx", role=FACILITATOR)


@pytest.mark.parametrize(("lang", "words"), [
    ("de", ["Link nicht akzeptiert", "abgelaufen"]), ("fr", ["Lien refusé", "a expiré"])])
def test_a_refused_link_says_why_in_the_readers_language(workspace: Workspace, demo: str, lang: str,
                                                        words: list[str]) -> None:
    from pmkit.meeting.server import denied_page

    expired = make_token(workspace, demo, "customer", ttl_hours=-1)
    with use(lang), pytest.raises(AccessDenied) as caught:
        verify_token(workspace, expired)
    with use(lang):
        page = denied_page(str(caught.value))
    assert f"lang='{lang}'" in page and all(w in page for w in words)


def test_the_meeting_pages_notices_come_in_each_language_and_every_one_is_marked() -> None:
    english = page_words("en")
    german, french = page_words("de"), page_words("fr")
    assert german["reload"] == "Seite neu laden" and french["reload"] == "Recharger la page"
    assert set(german) == set(english) and all(german[k] != english[k] for k in english if k != "lang")
    assert unmarked(v for k, v in page_words(PSEUDO).items() if k != "lang") == []


@pytest.mark.parametrize(("lang", "subject", "due"), [
    ("en", "Please prepare: Cutover", "2026-12-11 14:05 UTC"),
    ("de", "Bitte vorbereiten: Cutover", "11. Dez. 2026, 14:05 UTC"),
    ("fr", "À préparer : Cutover", "11 déc. 2026, 14:05 UTC"),
])
def test_a_reminder_is_written_in_the_recipients_language(lang: str, subject: str, due: str) -> None:
    msg = reminder_message("Cutover", UNTIL, "http://x/prepare?pmk=abc", "a@example.org", "pm@example.org", lang)
    assert msg["Subject"] == subject
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert due in text and due in html and f'<html lang="{lang}">' in html
    assert "http://x/prepare?pmk=abc" in text


def test_every_word_of_the_reminder_is_marked() -> None:
    msg = reminder_message("Cutover", UNTIL, "http://x/p", "a@example.org", "pm@example.org", PSEUDO)
    body = msg.get_body(("plain",)).get_content() + msg.get_body(("html",)).get_content()
    assert unmarked([body, str(msg["Subject"])], ["Cutover", "http://x/p", "UTC"]) == []
    assert dt.date(2026, 12, 11).isoformat() in body  # the pseudo-language writes dates as English does


def test_a_participant_reads_their_own_language_in_their_link_and_reminders(workspace: Workspace,
                                                                            demo: str) -> None:
    anna = workspace.participants.add(demo, "customer", "Anna").participant_id
    luc = workspace.participants.add(demo, "management", "Luc").participant_id
    assert workspace.mail.set_language(demo, anna, "de-DE") == "de"
    workspace.mail.set_language(demo, luc, "fr")
    assert workspace.mail.languages(demo) == {anna: "de", luc: "fr"}
    with pytest.raises(AccessDenied):
        workspace.mail.languages(demo, "customer")
    with pytest.raises(InputError, match="unknown language"):
        workspace.mail.set_language(demo, anna, "tlh")
    workspace.journal.undo(demo, role=FACILITATOR)  # Luc's language, as any other edit
    assert workspace.mail.languages(demo) == {anna: "de"}
