"""The preparation's progress as the facilitator reads it, row by row: each person's state
and times, and the last reminder mailed to them (sent, or failed and why). Shared by
``pmkit prepare status`` and the board's Preparation tab. Never an answer: the store's
progress holds none (:meth:`pmkit.store.prepare.Prepare.progress`)."""

from __future__ import annotations

from dataclasses import dataclass

from pmkit.i18n import _
from pmkit.store import MailRecord, Workspace
from pmkit.store.prepare_rows import Progress

__all__ = ["REMINDER", "StatusRow", "status"]

REMINDER = "reminder"  # the ``what`` of a reminder in the mail log


@dataclass(frozen=True)
class StatusRow:
    """One person: who, their party, their state in words, and when."""

    who: str
    party: str
    name: str
    state: str
    words: str
    answered: int
    asked: int
    opened_at: str | None
    submitted_at: str | None
    reminded: str  # "", "sent AT", or "failed: WHY" (in the current language)


def status(ws: Workspace, session_id: str) -> tuple[Progress | None, list[StatusRow]]:
    """The newest window's progress and a row per person (the facilitator's read)."""
    progress = ws.prepare.progress(session_id)
    if progress is None:
        return None, []
    last: dict[str, MailRecord] = {}
    for r in ws.mail.log(session_id):
        if r.what == REMINDER and r.at >= progress.window.opened_at[:19]:
            last[r.participant] = r
    rows = []
    for p in progress.people:
        m = last.get(p.who)
        reminded = ("" if m is None else _("sent {moment}").format(moment=m.at) if m.ok
                    else _("failed: {reason}").format(reason=m.error))
        rows.append(StatusRow(p.who, p.party, p.name, p.state, p.words, p.answered, p.asked, p.opened_at,
                              p.submitted_at, reminded))
    return progress, rows
