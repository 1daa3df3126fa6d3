"""The workspace: every session, item by item, and a journal, in one database (a SQLite file
in the workspace folder, or PostgreSQL for a team).

This package is the only place that runs SQL or knows the workspace's paths (the file,
its backups). :class:`Workspace` is the one storage class the rest of pmkit uses; it is
made of one part per concept:

* :mod:`~pmkit.store.db`: which backend, the schema and its migrations, and the seam both
  backends implement (:mod:`~pmkit.store.sqlite`, :mod:`~pmkit.store.postgres`);
* :mod:`~pmkit.store.rows`: the model as rows and back, positions stored as items;
* :mod:`~pmkit.store.reads`: sessions, their versions and roles, a role's view, export;
* :mod:`~pmkit.store.journal`: the journal, history and undo, and the edit unit
  (:class:`~pmkit.store.journal.Edit`) every edit is made with;
* :mod:`~pmkit.store.edits`: the edits;
* :mod:`~pmkit.store.meeting`: meeting state beside the session (link generations, probes,
  what the room screen shows);
* :mod:`~pmkit.store.disclosure_plan`: the disclosure plan's decisions and clock, and disclosing;
* :mod:`~pmkit.store.people`: a party's members (participants), their own inputs and the
  party's rating and position as their aggregate;
* :mod:`~pmkit.store.answers` and :mod:`~pmkit.store.rounds`: private rounds, a party's
  answers in them (read by that party and the facilitator only) and their reveal;
* :mod:`~pmkit.store.backups`: rolling backups of the file, and restoring one.

Reads take a role and return only what that role may see: the rows a role may not see are
left out by the query itself, so a process serving a party never loads them. Every edit is
one transaction and one journal entry: it bumps the session's version once and appends one
entry with all its changes (who, when, what each item was, what it became), and undo
reverts it whole. Who may write what is decided in :mod:`pmkit.rules.permissions`. The store
imports no analytics: :mod:`pmkit.views.bargaining_ranges` combines its reads with the probe rule.
"""

from __future__ import annotations

import getpass
from collections.abc import AsyncIterator
from pathlib import Path

from pmkit import settings
from pmkit.errors import StorageError
from pmkit.store.answers import Answer, Round
from pmkit.store.backups import way_out
from pmkit.store.db import FILENAME, is_postgres_url, open_database
from pmkit.store.disclosure_plan import DisclosurePlan
from pmkit.store.edits import Rated
from pmkit.store.journal import Change, JournalEntry
from pmkit.store.meeting import ROOM_VIEWS, MeetingState, ProbeState, RoomView
from pmkit.store.members import MemberInput, Participant
from pmkit.store.reads import SessionInfo
from pmkit.store.rounds import Rounds

__all__ = [
    "FILENAME", "ROOM_VIEWS", "Answer", "Change", "JournalEntry", "MemberInput", "Participant", "ProbeState",
    "Rated", "Round", "RoomView",
    "SessionInfo", "Workspace",
]


class Workspace(Rounds, MeetingState, DisclosurePlan):
    """One workspace: its folder (secret, exports, backups) and its database, the SQLite
    file in the folder or the PostgreSQL database ``database`` names (default: the
    ``database_url`` setting). Thread-safe; one connection per instance."""

    def __init__(self, folder: str | Path | None = None, *, actor: str | None = None,
                 database: str | None = None) -> None:
        self.folder = settings.workspace_dir(folder)
        self.database_url = settings.database_url(database)
        self.actor = actor or _default_actor()
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(f"cannot create the workspace folder {self.folder}: {exc.strerror}") from None
        self._db = open_database(self.folder, self.database_url, lambda: way_out(self.folder))
        # where the sessions are, as messages name it: the file, or the server (no password)
        self.path: Path | None = None if is_postgres_url(self.database_url) else self.folder / FILENAME
        self.where = self._db.where

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.dialect

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
