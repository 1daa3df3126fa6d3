"""The database: which backend holds the workspace, and its schema as migrations.

**Two backends, one seam.** A workspace lives in SQLite (the default: one file,
``workspace.sqlite`` in the workspace folder, :mod:`pmkit.store.sqlite`) or in PostgreSQL
(``PMKIT_DATABASE_URL=postgresql://...`` or ``--database URL``, :mod:`pmkit.store.postgres`).
The rest of the store talks to either only through :class:`Database` and :class:`Tx`
(:mod:`pmkit.store.seam`):

* ``Database.write(session_id)`` opens one write transaction and yields a :class:`Tx`; the
  block commits when it ends and rolls back when it raises. Writers of one session queue
  (SQLite: ``BEGIN IMMEDIATE``, one writer at a time; PostgreSQL: an advisory lock per
  session); ``write()`` without a session queues behind every writer;
* ``Database.read(sql, args)`` and ``Tx.one / all / run / many / insert`` run one statement
  with ``?`` placeholders; rows are read by column name (``row["title"]``);
  ``Tx.insert`` returns the key the database generated; ``Tx.notify(session_id)`` tells
  the session's open pages, when the transaction commits, to look (PostgreSQL ``NOTIFY``;
  pages poll on SQLite);
* ``Database.watch(session_id, interval)`` is what an open page waits on between looks;
* a driver error becomes :class:`~pmkit.errors.StorageError`, naming the file or server
  and the way out.

Above the seam the SQL is a portable subset: plain ``SELECT / INSERT / UPDATE / DELETE``,
``INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE``, ``coalesce``, ``max``, ``count``,
``substr``, ``||``; no ``INSERT OR ...``, no ``PRAGMA``, no ``rowid``, no functions of one
database only; integers for flags (no booleans); every selected column either grouped or
aggregated. The same suite of tests runs on both backends and holds this.

**Adding a table (both backends, one step).** Append a :class:`Migration` to
:data:`MIGRATIONS` with a version above the newest (the runner applies the missing ones in
order, so a gap left for a step made elsewhere is fine), its DDL written once, in SQLite's words::

    _V3 = (
        \"\"\"CREATE TABLE answers (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            seq INTEGER PRIMARY KEY AUTOINCREMENT, role TEXT NOT NULL, value REAL, at TEXT NOT NULL)\"\"\",
        "CREATE INDEX answers_by_session ON answers(session_id, seq)",
        *append_only("answers"),          # only if its rows must never change
    )
    Migration(3, "answers to rounds", _V3),

On PostgreSQL the backend translates the DDL (:func:`pmkit.store.postgres.translate`):
``INTEGER`` becomes ``BIGINT`` (SQLite's integers are 64-bit), ``REAL`` ``DOUBLE
PRECISION``, ``INTEGER PRIMARY KEY AUTOINCREMENT`` an identity column (so ``Tx.insert``
returns it on both), ``BLOB`` ``BYTEA``; ``append_only`` becomes triggers on each. Use
``TEXT``, ``INTEGER``, ``REAL``; keep time stamps as ``TEXT`` from :func:`now`. A step
that cannot be said the same way on both gives ``Migration(..., postgresql=(...))``,
used there instead. Then write the reads and edits above the seam, with ``?``
placeholders, and run the store's tests: they run on both backends.

**Migrations.** The ``schema_version`` table has one row per migration applied (version,
when, what). Opening a workspace applies the missing ones, all in one transaction, in
order; a migration is statements and, where SQL alone cannot say it, a Python step run
after them on the same transaction (``step=``, given the transaction and the dialect).
A database from a newer pmkit is refused, never changed. A SQLite file's
``user_version`` repeats the newest version, so an up-to-date file is recognised from its
header alone; files made before the table existed get every migration (the first one only
creates what is missing). On PostgreSQL, servers starting together migrate once (an
advisory lock), and the table's comment marks the database as pmkit's.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from pathlib import Path

from pmkit.store.seam import SQLITE, AppendOnly, Database, DropAppendOnly, Migration, Row, Statement, Tx, now
from pmkit.store.sqlite import FILENAME, SIDE_FILES, DriverError, SqliteDatabase, check_file, snapshot

__all__ = [
    "FILENAME",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SIDE_FILES",
    "Database",
    "DriverError",
    "Migration",
    "Row",
    "Tx",
    "append_only",
    "check_file",
    "is_postgres_url",
    "now",
    "open_database",
    "snapshot",
]


# -- the schema, as migrations -------------------------------------------------------------
def append_only(table: str) -> tuple[Statement, ...]:
    """The statements that make ``table`` append-only on both backends."""
    return (AppendOnly(table),)


_append_only = append_only

_V1: tuple[Statement, ...] = (
    """CREATE TABLE IF NOT EXISTS sessions (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, meta TEXT NOT NULL, version INTEGER NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS items (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, kind TEXT NOT NULL,
        item_id TEXT NOT NULL, pos INTEGER NOT NULL, audience TEXT NOT NULL, rev INTEGER NOT NULL,
        data TEXT NOT NULL, PRIMARY KEY (session_id, kind, item_id))""",
    "CREATE INDEX IF NOT EXISTS items_by_audience ON items(session_id, audience)",
    """CREATE TABLE IF NOT EXISTS journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, version INTEGER NOT NULL,
        at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, op TEXT NOT NULL, kind TEXT NOT NULL,
        item_id TEXT NOT NULL, audience_before TEXT, audience_after TEXT, before TEXT, after TEXT,
        undoes INTEGER)""",
    "CREATE INDEX IF NOT EXISTS journal_by_session ON journal(session_id, seq)",
    "CREATE TABLE IF NOT EXISTS link_epochs (session_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL)",
    *_append_only("journal"),
    """CREATE TABLE IF NOT EXISTS probe_steps (
        session_id TEXT NOT NULL, role TEXT NOT NULL, issue_id TEXT NOT NULL, step REAL NOT NULL,
        used INTEGER NOT NULL, PRIMARY KEY (session_id, role, issue_id))""",
)

# One journal row per edit; its changes in an append-only child table. An entry of the
# one-row-per-change journal becomes an edit with one change, under the same seq.
_V2: tuple[Statement, ...] = (
    DropAppendOnly("journal"),
    "DROP INDEX IF EXISTS journal_by_session",
    "ALTER TABLE journal RENAME TO journal_v1",
    """CREATE TABLE journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, version INTEGER NOT NULL,
        at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, op TEXT NOT NULL, undoes INTEGER)""",
    """CREATE TABLE journal_changes (
        seq INTEGER NOT NULL REFERENCES journal(seq), n INTEGER NOT NULL, kind TEXT NOT NULL,
        item_id TEXT NOT NULL, audience_before TEXT, audience_after TEXT, before TEXT, after TEXT,
        PRIMARY KEY (seq, n))""",
    """INSERT INTO journal (seq, session_id, version, at, actor, role, op, undoes)
        SELECT seq, session_id, version, at, actor, role, op, undoes FROM journal_v1 ORDER BY seq""",
    """INSERT INTO journal_changes (seq, n, kind, item_id, audience_before, audience_after, before, after)
        SELECT seq, 0, kind, item_id, audience_before, audience_after, before, after FROM journal_v1""",
    "DROP TABLE journal_v1",
    "CREATE INDEX journal_by_session ON journal(session_id, seq)",
    *_append_only("journal"),
    *_append_only("journal_changes"),
)

# On PostgreSQL the copied keys must move the journal's key sequence past them.
_V2_POSTGRESQL = (
    *_V2[:7],
    "SELECT setval(pg_get_serial_sequence('journal', 'seq'), (SELECT coalesce(max(seq), 0) + 1 FROM journal), false)",
    *_V2[7:],
)

# A party's probe step is no longer published per role (the step is the issue's own, set by
# the facilitator): only the questions counted are kept, so no budget starts over.
_V3 = (
    """CREATE TABLE probe_questions (
        session_id TEXT NOT NULL, role TEXT NOT NULL, issue_id TEXT NOT NULL, used INTEGER NOT NULL,
        PRIMARY KEY (session_id, role, issue_id))""",
    """INSERT INTO probe_questions (session_id, role, issue_id, used)
        SELECT session_id, role, issue_id, used FROM probe_steps WHERE used > 0""",
    "DROP TABLE probe_steps",
)

# Private rounds. Portable DDL (plain TEXT columns, no AUTOINCREMENT, a partial unique
# index that PostgreSQL reads the same way): a round with its items as JSON (its record)
# and one row per item (so that a party's read can join them to the items it may see),
# and one answer per party and item. At most one open round per session.
_V4 = (
    """CREATE TABLE rounds (
        session_id TEXT NOT NULL, round_id TEXT NOT NULL, opened_at TEXT NOT NULL, closed_at TEXT,
        state TEXT NOT NULL CHECK (state IN ('open', 'revealed', 'cancelled')),
        goals TEXT NOT NULL, issues TEXT NOT NULL, PRIMARY KEY (session_id, round_id))""",
    "CREATE UNIQUE INDEX rounds_one_open ON rounds(session_id) WHERE state = 'open'",
    """CREATE TABLE round_items (
        session_id TEXT NOT NULL, round_id TEXT NOT NULL, kind TEXT NOT NULL, item_id TEXT NOT NULL,
        PRIMARY KEY (session_id, round_id, kind, item_id))""",
    """CREATE TABLE round_answers (
        session_id TEXT NOT NULL, round_id TEXT NOT NULL, party TEXT NOT NULL, kind TEXT NOT NULL,
        item_id TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (session_id, round_id, party, kind, item_id))""",
)

# The working title and note leave the header every role reads (meta): the title is in its
# column already, the note gets one. The room screen's state: what the facilitator chose.
_V5: tuple[Statement, ...] = (
    "ALTER TABLE sessions ADD COLUMN description TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE IF NOT EXISTS room_view (
        session_id TEXT PRIMARY KEY, view TEXT NOT NULL, target TEXT NOT NULL, weight REAL NOT NULL,
        theme TEXT NOT NULL, seq INTEGER NOT NULL)""",
)


def _split_meta(tx: Tx, dialect: str) -> None:
    for row in tx.all("SELECT id, meta FROM sessions"):
        meta = json.loads(row["meta"])
        description = str(meta.pop("description", "") or "")
        meta.pop("title", None)
        tx.run("UPDATE sessions SET meta = ?, description = ? WHERE id = ?",
               (json.dumps(meta, ensure_ascii=False, separators=(",", ":")), description, row["id"]))


SESSION_ID = re.compile(r"s-[0-9a-f]{12}")  # the shape of a session id (pmkit.store.rows.new_session_id)
REKEY_ACTOR = "pmkit"


def _session_tables(tx: Tx, dialect: str) -> list[str]:
    """Every table with a ``session_id`` column, whichever migration made it."""
    if dialect == SQLITE:
        sql = ("SELECT m.name AS name FROM sqlite_master AS m, pragma_table_info(m.name) AS c "
               "WHERE m.type = 'table' AND c.name = 'session_id' ORDER BY m.name")
    else:
        sql = ("SELECT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() "
               "AND column_name = 'session_id' ORDER BY table_name")
    return [str(r["name"]) for r in tx.all(sql)]


def _rekey(tx: Tx, dialect: str) -> None:
    """Give every session whose id is not random (earlier ids were made from the title) a
    new one, in every table that holds a session id, and journal it (op ``rekey``, seen by
    the facilitator alone: the old id may spell the title). The session's row is copied
    under the new id, its rows moved, the old row dropped: no foreign key ever points nowhere."""
    old_ids = [str(r["id"]) for r in tx.all("SELECT id FROM sessions ORDER BY created_at, id")
               if not SESSION_ID.fullmatch(str(r["id"]))]
    if not old_ids:
        return
    tables = _session_tables(tx, dialect)
    kept = ("journal", "journal_changes")  # append-only: opened for this step alone
    for sql in (sql for t in kept for sql in DropAppendOnly(t).render(dialect)):
        tx.run(sql)
    for old in old_ids:
        new = f"s-{secrets.token_hex(6)}"
        while tx.one("SELECT 1 AS x FROM sessions WHERE id = ?", (new,)):
            new = f"s-{secrets.token_hex(6)}"
        at = now()
        tx.run("INSERT INTO sessions (id, title, description, meta, version, created_at, updated_at) "
               "SELECT ?, title, description, meta, version + 1, created_at, ? FROM sessions WHERE id = ?",
               (new, at, old))
        for table in tables:
            tx.run(f'UPDATE "{table}" SET session_id = ? WHERE session_id = ?', (new, old))
        tx.run("DELETE FROM sessions WHERE id = ?", (old,))
        tx.run("UPDATE journal_changes SET item_id = ? WHERE kind = 'session' AND item_id = ? "
               "AND seq IN (SELECT seq FROM journal WHERE session_id = ?)", (new, old, new))
        head = tx.one("SELECT version FROM sessions WHERE id = ?", (new,))
        seq = tx.insert(
            "INSERT INTO journal (session_id, version, at, actor, role, op, undoes) "
            "VALUES (?, ?, ?, ?, 'facilitator', 'rekey', NULL)", (new, head["version"] if head else 1, at, REKEY_ACTOR))
        tx.run(
            "INSERT INTO journal_changes (seq, n, kind, item_id, audience_before, audience_after, before, after) "
            "VALUES (?, 0, 'session', ?, 'facilitator', 'facilitator', ?, ?)",
            (seq, new, json.dumps({"id": old}), json.dumps({"id": new})))
    for sql in (sql for t in kept for sql in AppendOnly(t).render(dialect)):
        tx.run(sql)


# The disclosure plan: one row per withheld item with something recorded. A row has the
# shape of an item row (kind 'plan', item_id '<item kind>/<item id>', the audience the
# decision was made for) so that edits, the journal and undo treat both alike.
_V7 = (
    """CREATE TABLE IF NOT EXISTS disclosure_plan (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, kind TEXT NOT NULL,
        item_id TEXT NOT NULL, audience TEXT NOT NULL, rev INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (session_id, kind, item_id))""",
    "CREATE INDEX IF NOT EXISTS disclosure_plan_by_audience ON disclosure_plan(session_id, audience)",
)

# Several people per side. A party's members, each with a weight and a link generation of
# their own (revoking one person's link touches nobody else's); each member's own inputs (a
# rating of a goal, a position on an issue, a pairwise judgement), with the party beside
# them so that a read filters by party in the query; a member's private answers in a round;
# and per-session options (whether members see their colleagues' ratings).
_V8 = (
    """CREATE TABLE IF NOT EXISTS participants (
        session_id TEXT NOT NULL, participant_id TEXT NOT NULL, party TEXT NOT NULL, name TEXT NOT NULL,
        weight REAL NOT NULL, pos INTEGER NOT NULL, created_at TEXT NOT NULL, removed_at TEXT,
        link_epoch INTEGER NOT NULL, PRIMARY KEY (session_id, participant_id))""",
    "CREATE INDEX IF NOT EXISTS participants_by_party ON participants(session_id, party)",
    """CREATE TABLE IF NOT EXISTS participant_inputs (
        session_id TEXT NOT NULL, participant_id TEXT NOT NULL, party TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rating', 'position', 'judgement')), item_id TEXT NOT NULL,
        data TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (session_id, participant_id, kind, item_id))""",
    "CREATE INDEX IF NOT EXISTS participant_inputs_by_item ON participant_inputs(session_id, kind, item_id)",
    """CREATE TABLE IF NOT EXISTS participant_answers (
        session_id TEXT NOT NULL, round_id TEXT NOT NULL, participant_id TEXT NOT NULL, party TEXT NOT NULL,
        kind TEXT NOT NULL, item_id TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (session_id, round_id, participant_id, kind, item_id))""",
    """CREATE TABLE IF NOT EXISTS session_options (
        session_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (session_id, name))""",
)

# A member's input may be their scores on an option issue: the table is made again with the
# wider check on its kind (a check cannot be changed in place in SQLite), its rows copied.
_V9 = (
    """CREATE TABLE participant_inputs_v9 (
        session_id TEXT NOT NULL, participant_id TEXT NOT NULL, party TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rating', 'position', 'judgement', 'option_scores')),
        item_id TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (session_id, participant_id, kind, item_id))""",
    """INSERT INTO participant_inputs_v9 (session_id, participant_id, party, kind, item_id, data, at)
        SELECT session_id, participant_id, party, kind, item_id, data, at FROM participant_inputs""",
    "DROP TABLE participant_inputs",
    "ALTER TABLE participant_inputs_v9 RENAME TO participant_inputs",
    "CREATE INDEX IF NOT EXISTS participant_inputs_by_item ON participant_inputs(session_id, kind, item_id)",
)

# Mail: a participant's email address, in a table of its own that no read of participants
# selects (the facilitator's alone, :mod:`pmkit.store.mail`). Numbered from 30: the numbers
# below are left for steps made elsewhere.
_V30 = (
    """CREATE TABLE IF NOT EXISTS participant_emails (
        session_id TEXT NOT NULL, participant_id TEXT NOT NULL, email TEXT NOT NULL,
        PRIMARY KEY (session_id, participant_id))""",
)

# Calendar feeds: a generation per session (revoking the feeds' URLs moves it on), and each
# feed's events as last served, so that an event keeps its UID, its SEQUENCE rises when it
# changes and an event gone from a feed is served CANCELLED (:mod:`pmkit.store.calendar`).
_V31 = (
    "CREATE TABLE IF NOT EXISTS calendar_epochs (session_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS calendar_events (
        session_id TEXT NOT NULL, feed TEXT NOT NULL, uid TEXT NOT NULL, fingerprint TEXT NOT NULL,
        sequence INTEGER NOT NULL, cancelled INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (session_id, feed, uid))""",
)

# Improving an agreement once it is made: the agreed terms and their proposals (one row per
# session, as JSON: what every role of the session may read), and each party's private answer
# to a proposal, with the party beside it so that a read filters by party in the query.
_V20 = (
    """CREATE TABLE IF NOT EXISTS settlements (
        session_id TEXT PRIMARY KEY, data TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS settlement_answers (
        session_id TEXT NOT NULL, proposal TEXT NOT NULL, party TEXT NOT NULL, accept INTEGER NOT NULL,
        at TEXT NOT NULL, PRIMARY KEY (session_id, proposal, party))""",
)

# Preparation windows: a deadline and what is asked, everyone asked and their progress, and
# each person's answers, private until the window closes (:mod:`pmkit.store.prepare`).
_V50 = (
    """CREATE TABLE IF NOT EXISTS prepare_windows (
        session_id TEXT NOT NULL, window_id TEXT NOT NULL, opened_at TEXT NOT NULL, until TEXT NOT NULL,
        closed_at TEXT, state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'cancelled')), asked TEXT NOT NULL,
        auto_reminded_at TEXT, remind_asked_at TEXT, PRIMARY KEY (session_id, window_id))""",
    "CREATE UNIQUE INDEX IF NOT EXISTS prepare_one_open ON prepare_windows(session_id) WHERE state = 'open'",
    """CREATE TABLE IF NOT EXISTS prepare_people (
        session_id TEXT NOT NULL, window_id TEXT NOT NULL, who TEXT NOT NULL, party TEXT NOT NULL,
        opened_at TEXT, submitted_at TEXT, reminded_at TEXT, PRIMARY KEY (session_id, window_id, who))""",
    """CREATE TABLE IF NOT EXISTS prepare_answers (
        session_id TEXT NOT NULL, window_id TEXT NOT NULL, who TEXT NOT NULL, party TEXT NOT NULL,
        kind TEXT NOT NULL, item_id TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (session_id, window_id, who, kind, item_id))""",
)

# A series of meetings: each session's place in it (the series is named by its first
# session's id; numbers count from 1), so that a follow-up knows the meeting before it
# (:mod:`pmkit.store.series`).
_V40 = (
    """CREATE TABLE IF NOT EXISTS session_series (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE, series_id TEXT NOT NULL,
        number INTEGER NOT NULL, UNIQUE (series_id, number))""",
)

# The agenda: one row per item, with an audience like every item and the item it is about
# (kind and id, "" for none) apart, so that a read filters on both in the query; its
# timebox, extensions and the times it started and ended are in ``data``
# (:mod:`pmkit.store.agenda`).
_V41 = (
    """CREATE TABLE IF NOT EXISTS agenda_items (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, item_id TEXT NOT NULL,
        pos INTEGER NOT NULL, audience TEXT NOT NULL, about_kind TEXT NOT NULL, about_id TEXT NOT NULL,
        data TEXT NOT NULL, PRIMARY KEY (session_id, item_id))""",
)

# The language a participant reads pmkit in (their link's, their reminders'): the facilitator's
# choice, kept beside the address in a table of its own (:mod:`pmkit.store.mail`).
_V60 = (
    """CREATE TABLE IF NOT EXISTS participant_languages (
        session_id TEXT NOT NULL, participant_id TEXT NOT NULL, language TEXT NOT NULL,
        PRIMARY KEY (session_id, participant_id))""",
)

MIGRATIONS = (
    Migration(1, "sessions, items, a journal row per change, link generations, probe steps", _V1),
    Migration(2, "a journal entry per edit, its changes in journal_changes", _V2, postgresql=_V2_POSTGRESQL),
    Migration(3, "probe state keeps the questions asked only; the step is the issue's", _V3),
    Migration(4, "private rounds: rounds, round_items, round_answers", _V4),
    Migration(5, "the working title and note apart from the header every role reads; the room screen's state",
              _V5, step=_split_meta),
    Migration(6, "session ids without words: every session re-keyed to a random id, journaled", (), step=_rekey),
    Migration(7, "the disclosure plan: a row per withheld item with a decision", _V7),
    Migration(8, "several people per side: participants, participant_inputs, participant_answers, "
                 "session_options", _V8),
    Migration(9, "a member's input may be their scores on an option issue", _V9),
    Migration(20, "improving an agreement: settlements, settlement_answers", _V20),
    Migration(30, "participants' email addresses, the facilitator's alone: participant_emails", _V30),
    Migration(31, "calendar feeds: calendar_epochs, calendar_events", _V31),
    Migration(40, "a series of meetings: session_series", _V40),
    Migration(41, "the agenda: agenda_items", _V41),
    Migration(50, "preparation windows: prepare_windows, prepare_people, prepare_answers", _V50),
    Migration(60, "the language each participant reads: participant_languages", _V60),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def is_postgres_url(url: str | None) -> bool:
    """Whether ``url`` names a PostgreSQL database (else the workspace is SQLite's file)."""
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_database(folder: Path, url: str | None, way_out: Callable[[], str]) -> Database:
    """The workspace's database: PostgreSQL when ``url`` names one, else the SQLite file in
    ``folder`` (``way_out`` says what to do when that file is damaged)."""
    if is_postgres_url(url):
        from pmkit.store.postgres import PostgresDatabase  # psycopg only when it is used

        return PostgresDatabase(str(url), MIGRATIONS)
    return SqliteDatabase(folder / FILENAME, way_out, MIGRATIONS)
