"""The minutes as mail: each audience's own report (the joint minutes, the management brief,
the facilitator's record) as an email with the HTML report as its body and the PDF attached.

A message is built from one role's view alone (``Workspace.sessions.load(session_id,
role)``), like an export: it cannot hold what the role may not see, because it was never
loaded. Each message has one recipient: no participant's address is shown to anyone else,
not even to a colleague. Sending is :mod:`pmkit.meeting.mail`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from pmkit.reports.exports import report_context
from pmkit.reports.render import render_html, render_pdf
from pmkit.store import Workspace
from pmkit.text import safe_name

__all__ = ["Minutes", "audience_minutes", "minutes_message"]


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
