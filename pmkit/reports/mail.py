"""The minutes as mail: each audience's own report (the joint minutes, the management brief,
the facilitator's record) as an email with the HTML report as its body and the PDF attached.

A message is built from one role's view alone (``Workspace.sessions.load(session_id,
role)``), like an export: it cannot hold what the role may not see, because it was never
loaded. Each message has one recipient: no participant's address is shown to anyone else,
not even to a colleague.

:func:`send_minutes` mails each audience its own report: a party's minutes (management's
brief) to each of its participants with an address, one message each, and the facilitator's
record to the facilitator's address, through :mod:`pmkit.reports.smtp`. Each message is
journaled as soon as it is sent or has failed (:meth:`pmkit.store.mail.Mail.record`).

Each message is in its reader's language: the one given (``lang``), else a party's report
in the meeting's language (the language its people read the meeting in) and the
facilitator's record in the current language (the command line's, :mod:`pmkit.i18n`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pmkit import settings
from pmkit.errors import InputError
from pmkit.i18n import _, current, use
from pmkit.model import FACILITATOR
from pmkit.reports.exports import report_context
from pmkit.reports.render import render_html, render_pdf
from pmkit.reports.smtp import ATTEMPTS, SmtpServer, send
from pmkit.store import Workspace
from pmkit.store.mail import MailRecord, check_email
from pmkit.text import safe_name

__all__ = ["Minutes", "audience_minutes", "minutes_message", "recipients", "send_minutes"]


@dataclass(frozen=True)
class Minutes:
    """One audience's report, rendered once for all its recipients."""

    role: str
    kind: str  # minutes | brief | record
    subject: str
    html: str
    pdf: bytes
    filename: str  # the PDF's name: the session's id and the role, no words of the title
    lang: str = "en"  # the language it is written in (the message's own text follows it)


def audience_minutes(ws: Workspace, session_id: str, role: str, *, generated: dt.datetime | None = None,
                     lang: str | None = None) -> Minutes:
    """``role``'s report of the session, ready to mail, in ``lang`` (default: the current language)."""
    with use(lang) as language:
        session = ws.sessions.load(session_id, role)
        stem = safe_name(f"{session_id}-{role}")
        ctx = report_context(ws, session, session_id, role, generated=generated, file_stem=stem)
        subject = _("{report}: {session}").format(report=ctx.title, session=ctx.session_title)
        if ctx.session_date:
            subject += f" ({ctx.session_date})"
        return Minutes(role, ctx.kind, " ".join(subject.split()), render_html(ctx, ws.folder),
                       render_pdf(ctx, ws.folder), f"{stem}.pdf", language)


def minutes_message(minutes: Minutes, to: str, sender: str) -> EmailMessage:
    """The message to one address: a short text part, the HTML report as the alternative
    body, and the PDF attached."""
    msg = EmailMessage()
    msg["Subject"] = minutes.subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    with use(minutes.lang):
        said = _("The report is in this message as HTML, and attached as a PDF ({file}).").format(
            file=minutes.filename)
    msg.set_content(f"{minutes.subject}\n\n{said}\n")
    msg.add_alternative(minutes.html, subtype="html")
    msg.add_attachment(minutes.pdf, maintype="application", subtype="pdf", filename=minutes.filename)
    return msg


def recipients(ws: Workspace, session_id: str, facilitator_email: str | None = None) -> list[tuple[str, str, str]]:
    """``(role, participant id, address)`` of everyone the minutes go to, each party's in the
    order its participants were added, the facilitator's (``facilitator_email``, else the
    ``facilitator_email`` setting; participant id empty) last."""
    emails = ws.mail.emails(session_id)
    parties = [p.id for p in ws.sessions.load(session_id, FACILITATOR).parties]
    people = ws.participants.all(session_id)
    out = [(party, p.participant_id, emails[p.participant_id]) for party in parties for p in people
           if p.party == party and p.participant_id in emails]
    own = (facilitator_email if facilitator_email is not None else settings.get("facilitator_email")).strip()
    if own:
        out.append((FACILITATOR, "", check_email(own)))
    return out


def send_minutes(ws: Workspace, session_id: str, server: SmtpServer, *, facilitator_email: str | None = None,
                 attempts: int = ATTEMPTS, pause: float = 1.0, lang: str | None = None) -> list[MailRecord]:
    """Mail every audience its own report (see the module), in ``lang`` when given, else each
    in its reader's language; returns what became of each message, every one of them
    journaled. Nobody to mail is a one-line error."""
    to = recipients(ws, session_id, facilitator_email)
    if not to:
        raise InputError(_("nobody to mail: no participant of session '{session}' has an email address "
                           "({command}) and no facilitator address is set ({option} or {variable})").format(
            session=session_id, command="`pmkit participants SESSION --set-email ID ADDRESS`",
            option="--facilitator-email", variable="PMKIT_FACILITATOR_EMAIL"))
    meeting = ws.sessions.language(session_id)
    done: list[MailRecord] = []
    for role in dict.fromkeys(r for r, _p, _a in to):
        reader = lang or (current() if role == FACILITATOR else meeting)
        minutes = audience_minutes(ws, session_id, role, lang=reader)
        for _r, participant, address in (t for t in to if t[0] == role):
            d = send(server, minutes_message(minutes, address, server.sender), attempts=attempts, pause=pause)
            record = MailRecord(_now(), role, participant, address, minutes.kind, d.ok, d.attempts, d.error)
            ws.mail.record(session_id, [record])
            done.append(record)
    return done


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
