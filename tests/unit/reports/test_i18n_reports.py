"""Reports in every language: each audience's minutes, brief or record, in HTML and Markdown,
rendered in the pseudo-language shows no text nobody marked, and in German and French speaks
the glossary's words, with numbers and dates as each language writes them; the page says its
language; mail and calendar events follow the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage

import icalendar
import pytest

from pmkit.errors import InputError
from pmkit.i18n import PSEUDO, use
from pmkit.model import FACILITATOR
from pmkit.reports.calendar import feed
from pmkit.reports.context import ReportContext
from pmkit.reports.exports import export
from pmkit.reports.mail import audience_minutes, minutes_message
from pmkit.reports.render import build_context, render_html, render_markdown
from pmkit.store import AgendaItem, Workspace
from pmkit.views.agenda import clock_text, spent_text, state_text
from pmkit.views.participants import side_divisions
from tests.support.i18n import unmarked, user_texts
from tests.support.report_text import html_text, md_text

ROLES = ["facilitator", "customer", "management", "room"]
GENERATED = dt.datetime(2026, 12, 11, 14, 5)
START = "2026-12-11T09:00:00+00:00"
NOW = dt.datetime(2026, 12, 11, 9, 25, tzinfo=dt.UTC)
BIG = 12345.75  # the customer's ideal on a joint issue: every report shows it


def agenda() -> list[AgendaItem]:
    """An agenda in every state: done over its time, running into overtime, not reached, and
    one item for management alone."""
    return [
        AgendaItem("a1", "Welcome round", 10, "joint", extended=5, started_at=START,
                   ended_at="2026-12-11T09:17:00+00:00", pos=1),
        AgendaItem("a2", "Cutover options", 5, "joint", started_at="2026-12-11T09:17:00+00:00", pos=2),
        AgendaItem("a3", "Vendor escalation", 15, "management", pos=3),
    ]


def context(ws: Workspace, sid: str, role: str) -> ReportContext:
    view = ws.sessions.load(sid, role)
    items = [a for a in agenda() if role in (FACILITATOR, "management") or a.audience == "joint"]
    return build_context(view, role, session_id=sid, generated=GENERATED, chart=False,
                         withheld_since=ws.disclosure_plan.withheld_since(sid, role),
                         divisions=side_divisions(ws, sid) if role == FACILITATOR else (),
                         agenda=[i for i in items if role != "room" or i.audience == "joint"],
                         today=dt.date(2026, 12, 1))


def outside_texts(ctx: ReportContext) -> list[str]:
    """What the analytics word for the record (their own messages, not the reports')."""
    out: list[str] = []
    if ctx.risk is not None:
        out += [ctx.risk.level, ctx.risk.score, *ctx.risk.reasons]
    if ctx.analytics is not None:
        d = ctx.analytics
        out += [d.whom, d.packages, *d.notes]
        for line in (*d.robust, *d.contested, *d.critical, *d.ranges, *d.left_out):
            out += [line.text, line.detail, line.status, line.kind]
        for p in d.points:
            out += [p.label, p.same_as, p.settles, *(x for cell in p.cells for x in cell)]
    if ctx.plan is not None:
        out += [x for row in ctx.plan.rows for x in (re.sub(r"; \[[^\]]*\]$", "", row.decision), row.recorded)]
    return [t for t in out if t]


def texts(ctx: ReportContext) -> dict[str, str]:
    """The report as a reader sees it, in each format."""
    return {"html": html_text(render_html(ctx)), "md": md_text(render_markdown(ctx))}


@pytest.fixture
def sid(demo: str, workspace: Workspace) -> str:
    workspace.items.set_position(demo, "licence-discount", "customer", BIG, 15, role=FACILITATOR)
    return demo


@pytest.mark.parametrize("role", ROLES)
def test_every_report_in_the_pseudo_language_leaves_nothing_unmarked(workspace: Workspace, sid: str,
                                                                     role: str) -> None:
    with use(PSEUDO):
        ctx = context(workspace, sid, role)
        page = render_html(ctx)
        shown = texts(ctx)
    typed = user_texts(workspace.sessions.load(sid, FACILITATOR)) + [a.title for a in agenda()]
    typed += [" ".join(t.split()) for t in typed] + outside_texts(ctx)  # reports fold text onto one line
    for fmt, text in shown.items():
        assert unmarked([text], typed) == [], f"{role}'s {fmt} report"
    assert '<html lang="qps">' in page
    assert '"[páĝé " counter(page) " óf " counter(pages) "]"' in page  # the PDF's page numbers too
    for fmt, text in shown.items():  # the sections were there to be checked
        assert "[Áttéñdéés]" in text and "[Áĝéñdá]" in text, fmt


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_reports_in_german_speak_the_glossary(workspace: Workspace, sid: str, fmt: str) -> None:
    with use("de"):
        shown = {role: texts(context(workspace, sid, role))[fmt] for role in ROLES}
        page = render_html(context(workspace, sid, "customer"))
    assert '<html lang="de">' in page
    record, brief, minutes = shown["facilitator"], shown["management"], shown["customer"]
    assert "VERTRAULICH — die Moderationsakte" in record
    assert "Moderationsakte" in record and "Management-Briefing" in brief and "Protokoll" in minutes
    assert "Nur für Programme management" in brief
    for words in ("Teilnehmende", "Wo wir stehen", "Übereinstimmung:", "Gemeinsame Basis", "Konflikte",
                  "Vereinbarungen", "Entscheidungen", "Maßnahmen", "Ziele", "Verhandlungspunkte", "Notizen",
                  "Tagesordnung"):
        assert words in minutes, words
    for words in ("Offenlegungsplan", "Den Seiten vorenthalten", "Wen zufriedenstellen", "Risikoeinschätzung",
                  "Verhandlungsspielräume", "Schmerzgrenze 12,5", "zurückgehalten vor"):
        assert words in record, words
    assert "Offenlegungsplan" in brief and "Verbleibende Tage" in brief
    # numbers and days as German writes them; what people typed stays as entered
    assert "Idealwert 12.345,75" in minutes and "Idealwert 5,5" in record
    assert "Sitzung am 24. Nov. 2026" in minutes and "erstellt am 11. Dez. 2026, 14:05" in minutes
    assert "Confirm a date for the integration test environment" in minutes
    assert "geplant 10 Min., verlängert um 5 Min., verbraucht 17 Min., 7 Min. überzogen" in minutes
    assert "nicht in der Raumansicht gezeigt" in record
    for english in ("Attendees", "Where we stand", "Common ground", "Action items", "Session date", "generated",
                    "Withheld from parties", "Disclosure plan", "Days left", "walk-away", "ideal 12"):
        assert all(english not in text for text in shown.values()), english


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_reports_in_french_speak_the_glossary(workspace: Workspace, sid: str, fmt: str) -> None:
    with use("fr"):
        shown = {role: texts(context(workspace, sid, role))[fmt] for role in ROLES}
        page = render_html(context(workspace, sid, "management"))
    assert '<html lang="fr">' in page
    record, brief, minutes = shown["facilitator"], shown["management"], shown["customer"]
    assert "CONFIDENTIEL — le dossier du facilitateur" in record
    assert "Note à la direction" in brief and "Compte rendu" in minutes
    for words in ("Terrain d'entente", "Conflits", "Accords", "Décisions", "Objectifs", "Points de négociation",
                  "Où nous en sommes", "Alignement :"):
        assert words in minutes, words
    for words in ("Plan de divulgation", "Non divulgué aux parties", "Qui satisfaire", "seuil de rupture 12,5"):
        assert words in record, words
    assert re.search(r"valeur idéale 12\s345,75", minutes)  # a narrow no-break space between groups
    assert "Séance du 24 nov. 2026" in minutes and "généré le 11 déc. 2026, 14:05" in minutes
    for english in ("Attendees", "Common ground", "Session date", "Withheld from parties", "walk-away"):
        assert all(english not in text for text in shown.values()), english


def test_a_report_export_follows_the_language_and_english_stays_as_it_was(workspace: Workspace, sid: str) -> None:
    with use("de"):
        german = export(workspace, sid, "customer", "html").path.read_text()
    assert '<html lang="de">' in german and "<h2>Gemeinsame Basis</h2>" in german
    english = export(workspace, sid, "customer", "html").path.read_text()
    assert '<html lang="en">' in english and "<h2>Common ground</h2>" in english
    assert '"page " counter(page) " of " counter(pages)' in english and "ideal 12345.75" in english
    with use("fr"), pytest.raises(InputError, match="format d'export inconnu 'doc'"):
        export(workspace, sid, "customer", "doc")


def test_the_agenda_in_words_in_every_language() -> None:
    done, running, waiting = agenda()
    with use(PSEUDO):
        said = [spent_text(done), spent_text(running, NOW), spent_text(waiting), clock_text(running, NOW),
                state_text(done), state_text(running, NOW), state_text(waiting)]
    assert unmarked(said) == []
    with use("de"):
        assert clock_text(running, NOW) == "Überzogen: 3 Min. darüber"
        assert spent_text(running, NOW) == "geplant 5 Min., verbraucht 8 Min., 3 Min. überzogen bisher"
        assert state_text(waiting) == "wartet"
    with use("fr"):
        assert spent_text(waiting) == "prévu : 15 min, non traité"
    assert spent_text(done) == "planned 10 min, extended by 5 min, spent 17 min, 7 min over"


def body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_the_minutes_mail_in_the_readers_language(workspace: Workspace, sid: str) -> None:
    minutes = audience_minutes(workspace, sid, "customer", generated=GENERATED, lang="fr")
    assert minutes.subject == "Compte rendu : ERP integration: test environment and cutover (24 nov. 2026)"
    assert '<html lang="fr">' in minutes.html and "Terrain d'entente" in html_text(minutes.html)
    text = body(minutes_message(minutes, "ann@example.org", "pm@example.org"))
    assert "Le rapport figure dans ce message en HTML et est joint en PDF (" in text
    english = audience_minutes(workspace, sid, "customer", generated=GENERATED)
    assert english.subject == "Minutes: ERP integration: test environment and cutover (2026-11-24)"
    assert "The report is in this message as HTML" in body(minutes_message(english, "a@example.org", "b@example.org"))


def summaries(ics: bytes) -> list[str]:
    return sorted(str(e["summary"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def test_calendar_events_in_the_meetings_language_or_the_one_asked_for(workspace: Workspace, sid: str) -> None:
    english = summaries(feed(workspace, sid, "management"))
    assert "Due: Confirm a date for the integration test environment" in english
    assert any(s.startswith("Disclose by: ") for s in english)
    german = summaries(feed(workspace, sid, "management", lang="de"))
    assert "Fällig: Confirm a date for the integration test environment" in german
    assert any(s.startswith("Offenlegen bis: ") for s in german)
    workspace.sessions.set_titles(sid, language="fr", role=FACILITATOR)
    french = summaries(feed(workspace, sid, "customer"))
    assert "Échéance : Confirm a date for the integration test environment" in french
    assert any(s.startswith("Réunion : ") for s in french)
