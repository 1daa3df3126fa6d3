"""Mail, as a part of the workspace: the participants' email addresses and languages, and
the log of what was mailed to whom.

* **An address is the facilitator's alone.** It lives in its own table
  (``participant_emails``), which no read of participants selects: a party's process, an
  export, a frame or a log line never holds one, because nothing that serves them reads
  this table. Only :meth:`Mail.emails` reads it, for the facilitator. Setting an address is
  one edit, journaled with the facilitator as the audience of its change (kind ``email``),
  and undone like any other.
* **A participant's language** (:meth:`Mail.set_language`: the language their own link's
  page and their reminders are written in, unless the link names another) lives beside the
  address in ``participant_languages``, set and journaled the same way (kind ``language``).
* **Every mail sent or failed is journaled** (op ``mail``, one change of kind ``mail`` per
  message, the facilitator its audience): who was mailed, what, when, how many attempts,
  and the error if it failed. A failure is never lost: it stays in the journal, and
  :meth:`Mail.log` lists it. Undo passes over these entries (a mail sent is not unsent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pmkit.errors import AccessDenied, InputError
from pmkit.i18n import _, check_language
from pmkit.model import FACILITATOR
from pmkit.rules.permissions import Actor, as_actor, authorize_facilitator
from pmkit.store.core import Core, Part
from pmkit.store.edit import Change, Edit, JournalEntry
from pmkit.store.journal import Journal
from pmkit.store.participant_rows import active_member
from pmkit.text import shorten

__all__ = ["EMAIL", "LANGUAGE", "MAIL", "MAX_EMAIL", "MailRecord", "Mail", "check_email"]

EMAIL = "email"  # the kind of change of a participant's address
LANGUAGE = "language"  # the kind of change of a participant's language
MAIL = "mail"  # the kind of change (and the op) of a message sent or failed
MAX_EMAIL = 254
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")


def check_email(address: str) -> str:
    """``address`` stripped, once it is one plain address (``name@host``): no display
    name, no second address, no line break."""
    value = str(address).strip()
    if len(value) > MAX_EMAIL or not _ADDRESS.fullmatch(value):
        raise InputError(_("{value} is not an email address; give one address like name@example.org").format(
                           value=repr(shorten(value, 60))))
    return value


@dataclass(frozen=True)
class MailRecord:
    """One message as the journal keeps it: to whom (an audience, a participant or the
    facilitator, an address), what, when, and whether it was delivered."""

    at: str
    audience: str
    participant: str  # the participant's id; empty for the facilitator's own address
    to: str
    what: str  # e.g. "minutes"
    ok: bool
    attempts: int
    error: str = ""


class Mail(Part):
    """Addresses and the mail log: part of :class:`pmkit.store.Workspace`."""

    def __init__(self, core: Core, journal: Journal) -> None:
        super().__init__(core)
        self._journal = journal

    # -- addresses -----------------------------------------------------------------------
    def set_email(self, session_id: str, participant_id: str, email: str | None, *,
                  role: str | Actor = FACILITATOR) -> str | None:
        """Give a participant an email address (``None`` or empty: none); the facilitator's."""
        authorize_facilitator(as_actor(role).role, "set participants' email addresses")
        address = check_email(email) if email else None
        return self._set(session_id, participant_id, EMAIL, address, role)

    def emails(self, session_id: str, role: str | Actor = FACILITATOR) -> dict[str, str]:
        """``{participant id: address}`` of the current participants who have one, in the
        order they were added: the facilitator's read alone."""
        if as_actor(role).role != FACILITATOR:
            raise AccessDenied(_("only the facilitator may read participants' email addresses"))
        return self._read(session_id, EMAIL)

    def set_language(self, session_id: str, participant_id: str, language: str | None, *,
                     role: str | Actor = FACILITATOR) -> str | None:
        """The language a participant reads (``None`` or empty: the session's); the facilitator's."""
        authorize_facilitator(as_actor(role).role, "set participants' languages")
        try:
            lang = check_language(language) if language else None
        except ValueError as exc:
            raise InputError(str(exc)) from None
        return self._set(session_id, participant_id, LANGUAGE, lang, role)

    def languages(self, session_id: str, role: str | Actor = FACILITATOR) -> dict[str, str]:
        """``{participant id: language}`` of the current participants who have one: the
        facilitator's read (links and reminders are made from it)."""
        if as_actor(role).role != FACILITATOR:
            raise AccessDenied(_("only the facilitator may read participants' languages"))
        return self._read(session_id, LANGUAGE)

    # -- one contact detail per participant: its table and column by kind -------------
    def _set(self, session_id: str, participant_id: str, kind: str, value: str | None,
             role: str | Actor) -> str | None:
        table, column = _DETAILS[kind]
        with self.core.edit(session_id, role, "update") as edit:
            self.core.check_role(session_id, role)
            p = active_member(edit, participant_id)
            row = edit.tx.one(f"SELECT {column} FROM {table} WHERE session_id = ? AND participant_id = ?",
                              (session_id, participant_id))
            before = str(row[column]) if row else None
            if before == value:
                return value
            _put(edit, kind, participant_id, value)
            edit.changes.append(Change(kind, participant_id, FACILITATOR, FACILITATOR,
                                       None if before is None else {"party": p.party, column: before},
                                       None if value is None else {"party": p.party, column: value}))
        return value

    def _read(self, session_id: str, kind: str) -> dict[str, str]:
        table, column = _DETAILS[kind]
        self.core.require_session(session_id)
        rows = self._db.read(f"SELECT d.participant_id, d.{column} FROM {table} d JOIN participants p ON "
                             "p.session_id = d.session_id AND p.participant_id = d.participant_id "
                             "WHERE d.session_id = ? AND p.removed_at IS NULL ORDER BY p.pos", (session_id,))
        return {str(r["participant_id"]): str(r[column]) for r in rows}

    # -- the log -------------------------------------------------------------------------
    def record(self, session_id: str, sent: list[MailRecord], *, role: str | Actor = FACILITATOR) -> None:
        """Journal messages sent (or failed), one edit: the facilitator's alone."""
        authorize_facilitator(as_actor(role).role, "send mail")
        if not sent:
            return
        with self.core.edit(session_id, role, MAIL) as edit:
            self.core.check_role(session_id, role)
            for m in sent:
                status = "sent" if m.ok else f"failed: {m.error}"
                data: dict[str, Any] = {
                    "text": f"{m.what} to {m.to}: {status}", "what": m.what, "audience": m.audience,
                    "participant": m.participant, "to": m.to, "ok": m.ok, "attempts": m.attempts, "error": m.error}
                edit.changes.append(Change(MAIL, m.participant or FACILITATOR, FACILITATOR, FACILITATOR, None, data))

    def log(self, session_id: str, role: str | Actor = FACILITATOR) -> list[MailRecord]:
        """Every message journaled for the session, oldest first: the facilitator's read."""
        if as_actor(role).role != FACILITATOR:
            raise AccessDenied(_("only the facilitator may read the mail log"))
        out: list[MailRecord] = []
        for entry in self._journal.history(session_id, FACILITATOR):
            if entry.op != MAIL:
                continue
            for ch in entry.changes:
                d = ch.after or {}
                if ch.kind == MAIL and d:
                    out.append(MailRecord(entry.at, str(d["audience"]), str(d["participant"]), str(d["to"]),
                                          str(d["what"]), bool(d["ok"]), int(d["attempts"]), str(d["error"])))
        return out

    @staticmethod
    def undo_change(edit: Edit, entry: JournalEntry, ch: Change) -> None:
        """Put a participant's address (or language) back as it was before ``entry``, and journal that."""
        column = _DETAILS[ch.kind][1]
        _put(edit, ch.kind, ch.item_id, None if ch.before is None else str(ch.before[column]))
        edit.changes.append(Change(ch.kind, ch.item_id, ch.audience_after, ch.audience_before, ch.after, ch.before))


_DETAILS = {EMAIL: ("participant_emails", "email"), LANGUAGE: ("participant_languages", "language")}


def _put(edit: Edit, kind: str, participant_id: str, value: str | None) -> None:
    table, column = _DETAILS[kind]
    edit.tx.run(f"DELETE FROM {table} WHERE session_id = ? AND participant_id = ?", (edit.session_id, participant_id))
    if value is not None:
        edit.tx.run(f"INSERT INTO {table} (session_id, participant_id, {column}) VALUES (?, ?, ?)",
                    (edit.session_id, participant_id, value))
