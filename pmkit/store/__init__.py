"""The workspace: every session, item by item, and a journal, in one database (a SQLite file
in the workspace folder, or PostgreSQL for a team).

This package is the only place that runs SQL or knows the workspace's paths (the file,
its backups). :class:`Workspace` is the one storage class the rest of pmkit uses. It is
composed of parts, each a small class over the one database handle (:class:`~pmkit.store.core.Core`),
each calling another part through its public methods only:

=====================  =============================================  ==========================================
part                   what                                           module
=====================  =============================================  ==========================================
``ws.sessions``        the list, a role's view, versions, roles;      :mod:`~pmkit.store.sessions`
                       making and importing sessions, titles
``ws.items``           goals, issues, agreements, actions, notes;     :mod:`~pmkit.store.items`
                       every rating and position (a party's or a
                       member's: one method each)
``ws.participants``    a party's members, their inputs, the           :mod:`~pmkit.store.participants`
                       party's aggregate
``ws.rounds``          private rounds, answers, reveal                :mod:`~pmkit.store.rounds`
``ws.disclosure_plan`` decisions on withheld items, their clock,      :mod:`~pmkit.store.disclosure_plan`
                       disclosing
``ws.meeting``         link generations, probes, the room screen      :mod:`~pmkit.store.meeting`
``ws.settlement``      an agreement's terms, proposed improvements,   :mod:`~pmkit.store.settlement`
                       each party's private answer
``ws.journal``         history and undo                               :mod:`~pmkit.store.journal`
``ws.mail``            participants' email addresses (the             :mod:`~pmkit.store.mail`
                       facilitator's alone), the log of mail sent
``ws.calendar``        calendar feeds' generation, each feed's        :mod:`~pmkit.store.calendar`
                       events as last served (UIDs, SEQUENCE)
``ws.prepare``         preparation windows: a deadline, what is       :mod:`~pmkit.store.prepare`
                       asked, each person's private answers and
                       progress, the close into inputs
``ws.series``          each meeting's place in its series; the        :mod:`~pmkit.store.series`
                       follow-up (the next meeting)
``ws.agenda``          agenda items, running them (start, next,       :mod:`~pmkit.store.agenda`
                       extend) by the store's clock
=====================  =============================================  ==========================================

Below the parts: :mod:`~pmkit.store.db` (which backend, the schema and its migrations, the
seam both backends implement: :mod:`~pmkit.store.sqlite`, :mod:`~pmkit.store.postgres`),
:mod:`~pmkit.store.rows` (the model as rows), :mod:`~pmkit.store.edit` (the edit unit),
:mod:`~pmkit.store.answers` and :mod:`~pmkit.store.participant_rows` (rows of rounds and
members, and the parts of edits that write them), :mod:`~pmkit.store.backups`.

Reads take a role and return only what that role may see: the rows a role may not see are
left out by the query itself, so a process serving a party never loads them. Every edit is
one transaction and one journal entry: it bumps the session's version once and appends one
entry with all its changes (who, when, what each item was, what it became), and undo
reverts it whole. Who may write what is decided in :mod:`pmkit.rules.permissions`; a write
names its :class:`~pmkit.rules.permissions.Actor` (or a role), checked in the transaction.
The store imports no analytics: :mod:`pmkit.views.bargaining_ranges` combines its reads with
the probe rule.
"""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from pathlib import Path

from pmkit import settings
from pmkit.errors import StorageError
from pmkit.i18n import _
from pmkit.store.agenda import AGENDA, Agenda, AgendaItem
from pmkit.store.answers import Answer, Round
from pmkit.store.backups import way_out
from pmkit.store.calendar import Calendar
from pmkit.store.core import Core
from pmkit.store.db import FILENAME, is_postgres_url, open_database
from pmkit.store.disclosure_plan import DisclosurePlan
from pmkit.store.edit import Change, JournalEntry
from pmkit.store.items import Items, Rated
from pmkit.store.journal import Journal
from pmkit.store.mail import EMAIL, LANGUAGE, Mail, MailRecord
from pmkit.store.meeting import ROOM_VIEWS, Meeting, ProbeState, RoomView
from pmkit.store.participants import UNDONE_HERE as MEMBER_CHANGES
from pmkit.store.participants import MemberInput, Participant, Participants
from pmkit.store.prepare import PREPARE, Prepare
from pmkit.store.rounds import UNDONE_HERE as ROUND_CHANGES
from pmkit.store.rounds import Rounds
from pmkit.store.series import Series
from pmkit.store.sessions import SESSION, SessionInfo, Sessions
from pmkit.store.settlement import UNDONE_HERE as SETTLEMENT_CHANGES
from pmkit.store.settlement import Settlement

__all__ = [
    "FILENAME", "ROOM_VIEWS", "AgendaItem", "Answer", "Change", "JournalEntry", "MailRecord",
    "MemberInput", "Participant", "ProbeState",
    "Rated", "Round", "RoomView",
    "SessionInfo", "Workspace",
]


class Workspace:
    """One workspace: its folder (secret, exports, backups) and its database, the SQLite
    file in the folder or the PostgreSQL database ``database`` names (default: the
    ``database_url`` setting), and its parts (see the module's table). Thread-safe; one
    connection per instance."""

    sessions: Sessions
    items: Items
    participants: Participants
    rounds: Rounds
    disclosure_plan: DisclosurePlan
    meeting: Meeting
    settlement: Settlement
    journal: Journal
    mail: Mail
    calendar: Calendar
    prepare: Prepare
    series: Series
    agenda: Agenda

    def __init__(self, folder: str | Path | None = None, *, actor: str | None = None,
                 database: str | None = None) -> None:
        self.folder = settings.workspace_dir(folder)
        self.database_url = settings.database_url(database)
        self.actor = actor or _default_actor()
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(_("cannot create the workspace folder {folder}: {strerror}").format(
                                 folder=self.folder, strerror=exc.strerror)) from None
        self._db = open_database(self.folder, self.database_url, lambda: way_out(self.folder))
        # where the sessions are, as messages name it: the file, or the server (no password)
        self.path: Path | None = None if is_postgres_url(self.database_url) else self.folder / FILENAME
        self.where = self._db.where
        core = Core(self._db, self.actor, self.folder)
        self.sessions = Sessions(core)
        self.participants = Participants(core)
        self.items = Items(core, self.participants)
        self.rounds = Rounds(core)
        self.disclosure_plan = DisclosurePlan(core)
        self.meeting = Meeting(core)
        self.settlement = Settlement(core)
        self.journal = Journal(core)
        self.mail = Mail(core, self.journal)
        self.calendar = Calendar(core)
        self.prepare = Prepare(core)
        self.journal.on_undo(PREPARE, self.prepare.undo_change)
        self.series = Series(core, self.sessions, self.participants, self.mail, self.disclosure_plan)
        self.agenda = Agenda(core)
        self.journal.on_undo(AGENDA, self.agenda.undo_change)
        self.journal.on_undo(EMAIL, self.mail.undo_change)
        self.journal.on_undo(LANGUAGE, self.mail.undo_change)
        self.journal.on_undo(SESSION, self.sessions.undo_change)
        for kind in MEMBER_CHANGES:
            self.journal.on_undo(kind, self.participants.undo_change)
        for kind in ROUND_CHANGES:
            self.journal.on_undo(kind, self.rounds.undo_change)
        for kind in SETTLEMENT_CHANGES:
            self.journal.on_undo(kind, self.settlement.undo_change)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.dialect

    def batch(self) -> AbstractContextManager[None]:
        """Writes this thread makes in the block share one commit where the database gains
        by it (SQLite: one transaction, each write a savepoint; see
        :meth:`pmkit.store.db.Database.batch`)."""
        return self._db.batch()

    def watch(self, session_id: str, interval: float) -> AsyncIterator[None]:
        """What an open page waits on between looks at the session: a notification that it
        changed (PostgreSQL), or ``interval`` seconds (SQLite)."""
        return self._db.watch(session_id, interval)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"
