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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pmkit import settings
from pmkit.errors import InputError
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


def audience_minutes(ws: Workspace, session_id: str, role: str, *, generated: dt.datetime | None = None) -> Minutes:
    """``role``'s report of the session, ready to mail."""
    session = ws.sessions.load(session_id, role)
    stem = safe_name(f"{session_id}-{role}")
    ctx = report_context(ws, session, session_id, role, generated=generated, file_stem=stem)
    subject = f"{ctx.title}: {ctx.session_title}" + (f" ({ctx.session_date})" if ctx.session_date else "")
    return Minutes(role, ctx.kind, " ".join(subject.split()), render_html(ctx, ws.folder),
                   render_pdf(ctx, ws.folder), f"{stem}.pdf")


def minutes_message(minutes: Minutes, to: str, sender: str) -> EmailMessage:
    """The message to one address: a short text part, the HTML report as the alternative
    body, and the PDF attached."""
    msg = EmailMessage()
    msg["Subject"] = minutes.subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(f"{minutes.subject}\n\nThe report is in this message as HTML, and attached as a PDF "
                    f"({minutes.filename}).\n")
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
                 attempts: int = ATTEMPTS, pause: float = 1.0) -> list[MailRecord]:
    """Mail every audience its own report (see the module); returns what became of each
    message, every one of them journaled. Nobody to mail is a one-line error."""
    to = recipients(ws, session_id, facilitator_email)
    if not to:
        raise InputError(f"nobody to mail: no participant of session '{session_id}' has an email address "
                         "(`pmkit participants SESSION --set-email ID ADDRESS`) and no facilitator address is set "
                         "(--facilitator-email or PMKIT_FACILITATOR_EMAIL)")
    done: list[MailRecord] = []
    for role in dict.fromkeys(r for r, _, _ in to):
        minutes = audience_minutes(ws, session_id, role)
        for _, participant, address in (t for t in to if t[0] == role):
            d = send(server, minutes_message(minutes, address, server.sender), attempts=attempts, pause=pause)
            record = MailRecord(_now(), role, participant, address, minutes.kind, d.ok, d.attempts, d.error)
            ws.mail.record(session_id, [record])
            done.append(record)
    return done


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
