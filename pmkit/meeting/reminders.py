"""Reminders of a preparation window, by email, to the people who have not submitted.

A reminder goes to each current participant of the open window who has not submitted and
has an address (:meth:`pmkit.store.mail.Mail.emails`), one message each: the session's title
for everyone, the deadline and the person's own link (``<base>/prepare?pmk=TOKEN``), nothing
else, as plain text and HTML (``templates/prepare/reminder.*``). It is sent through
:mod:`pmkit.reports.smtp` (retries, a failure reported, never raised) and every message is
journaled by :meth:`pmkit.store.mail.Mail.record` (facilitator only, ``what`` ``reminder``).

:func:`remind` sends on request (``pmkit prepare remind``). While ``pmkit serve`` runs,
:func:`watch_reminders` sends, once per window, the automatic reminder ``prepare_remind_hours``
before the deadline, and the reminders asked for on the board's Preparation tab (which has
no mail sender of its own: it asks the server, :meth:`pmkit.store.prepare.Prepare.ask_reminder`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import jinja2

from pmkit import settings
from pmkit.errors import InputError, PmkitError
from pmkit.i18n import TEMPLATE_GLOBALS, _, use
from pmkit.meeting.links import PARAM, make_token
from pmkit.model import FACILITATOR
from pmkit.reports.smtp import ATTEMPTS, SmtpServer, send, smtp_server
from pmkit.resources import templates_dir
from pmkit.store import Workspace
from pmkit.store.mail import MailRecord
from pmkit.text import moment
from pmkit.views.preparation import REMINDER

__all__ = ["REMINDER", "base_url", "page_url", "remind", "reminder_message", "watch_reminders"]

log = logging.getLogger("pmkit.serve")
_TEXT = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "prepare")), autoescape=False,
                           undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_TEXT.globals.update(TEMPLATE_GLOBALS)
_HTML = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "prepare")), autoescape=True,
                           undefined=jinja2.StrictUndefined)
_HTML.globals.update(TEMPLATE_GLOBALS)


def base_url() -> str:
    """Where people reach ``pmkit serve``: the ``base_url`` setting, else http://HOST:PORT."""
    return settings.get("base_url").strip().rstrip("/") or f"http://{settings.get('host')}:{settings.get('port')}"


def page_url(base: str, token: str) -> str:
    from urllib.parse import urlencode

    return f"{base.rstrip('/')}/prepare?{urlencode({PARAM: token})}"


def reminder_message(title: str, until: str, link: str, to: str, sender: str, lang: str | None = None) -> EmailMessage:
    """One reminder: the title for everyone, the deadline and the link, as text and HTML, in
    ``lang`` (the recipient's; default: the current language)."""
    with use(lang) as spoken:
        return _reminder(title, until, link, to, sender, spoken)


def _reminder(title: str, until: str, link: str, to: str, sender: str, lang: str) -> EmailMessage:
    when = moment(dt.datetime.fromisoformat(until).astimezone(dt.UTC))
    msg = EmailMessage()
    msg["Subject"] = _("Please prepare: {title}").format(title=title)
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(_TEXT.get_template("reminder.txt").render(title=title, until=when, link=link))
    msg.add_alternative(_HTML.get_template("reminder.html").render(title=title, until=when, link=link, lang=lang),
                        subtype="html")
    return msg


def remind(ws: Workspace, session_id: str, server: SmtpServer, *, base: str | None = None,
           attempts: int = ATTEMPTS, pause: float = 1.0) -> tuple[list[MailRecord], list[str]]:
    """Remind everyone who has not submitted the open window; returns what became of each
    message (each journaled) and the names of those not submitted who have no address."""
    progress = ws.prepare.progress(session_id)
    if progress is None or not progress.window.is_open:
        raise InputError(_("no preparation window is open in session '{session}'; open one with "
                           "`pmkit prepare open`").format(session=session_id))
    emails = ws.mail.emails(session_id)
    title = ws.prepare.title(session_id)
    lang = ws.sessions.language(session_id)
    chosen = ws.mail.languages(session_id)  # the recipient's own language, else the meeting's
    where = base or base_url()
    done: list[MailRecord] = []
    no_address: list[str] = []
    for person in progress.people:
        if person.submitted_at:
            continue
        address = emails.get(person.who)
        if address is None:
            no_address.append(person.name)
            continue
        theirs = chosen.get(person.who, lang)
        link = page_url(where, make_token(ws, session_id, person.party, participant=person.who, lang=theirs))
        d = send(server, reminder_message(title, progress.window.until, link, address, server.sender, theirs),
                 attempts=attempts, pause=pause)
        record = MailRecord(_now(), person.party, person.who, address, REMINDER, d.ok, d.attempts, d.error)
        ws.mail.record(session_id, [record], role=FACILITATOR)
        ws.prepare.reminded(session_id, [person.who])
        done.append(record)
    return done, no_address


def _due(until: str, hours: float) -> bool:
    return dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(until) - dt.timedelta(hours=hours)


def _tick(ws: Workspace, hours: float) -> None:
    """Send what is due: the reminders asked for, and the automatic ones."""
    for session_id, window in ws.prepare.open_windows():
        if window.past_deadline:
            continue
        asked = ws.prepare.claim_reminder(session_id, window.window_id, auto=False)
        auto = hours > 0 and _due(window.until, hours) and ws.prepare.claim_reminder(
            session_id, window.window_id, auto=True)
        if not (asked or auto):
            continue
        try:
            sent, missing = remind(ws, session_id, smtp_server())
        except PmkitError as exc:
            log.error("reminders of session %s not sent: %s", session_id, exc)
            continue
        failed = sum(not r.ok for r in sent)
        log.info("reminded %d people in session %s (%d failed, %d without an address)", len(sent), session_id,
                 failed, len(missing))


async def watch_reminders(ws: Workspace, every: float = 2.0) -> None:
    """While the server runs: every ``every`` seconds, send the reminders due (in a thread:
    mail is slow, pages are not kept waiting)."""
    hours = settings.number("prepare_remind_hours", 0, 24 * 365)
    loop = asyncio.get_running_loop()
    while True:
        try:
            await loop.run_in_executor(None, _tick, ws, hours)
        except PmkitError as exc:  # the database away for a while: one line, checked again shortly
            log.warning("the reminder check waits: %s", exc)
        except Exception:  # noqa: BLE001 - the server keeps serving; the log says why
            log.exception("the reminder check failed")
        await asyncio.sleep(every)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
