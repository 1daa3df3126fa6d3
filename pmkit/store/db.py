"""The database: connection, schema and migrations. The one module that speaks SQLite.

**The seam.** The rest of the store talks to the database only through :class:`Database`
and :class:`Tx`:

* ``Database.write()`` opens one write transaction and yields a :class:`Tx`; the block
  commits when it ends and rolls back when it raises. Writers queue: on SQLite this is
  ``BEGIN IMMEDIATE`` on the file lock (waiting up to 15 s);
* ``Database.read(sql, args)`` and ``Tx.one / all / run / many`` run one statement with
  ``?`` placeholders; rows are read by column name (``row["title"]``);
* a driver error becomes :class:`~pmkit.errors.StorageError`, naming the file and the way out.

Above the seam the SQL is a portable subset: plain ``SELECT / INSERT / UPDATE / DELETE``,
``INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE``, ``coalesce``, ``max``, ``count``,
``substr``; no ``INSERT OR ...``, no ``PRAGMA``, no ``rowid``, no SQLite-only functions.
What is SQLite's lives here, and a second backend (PostgreSQL) would bring its own version
of each: the connection's settings (WAL, ``synchronous = FULL``, foreign keys, busy
timeout), ``BEGIN IMMEDIATE``, the ``application_id`` that marks a pmkit file, the DDL
(column types, ``AUTOINCREMENT``, the triggers that keep the journal append-only), how the
schema's version is found, and the online backup and integrity check used by
:mod:`pmkit.store.backups` (:func:`snapshot`, :func:`check_file`).

**Migrations.** The ``schema_version`` table has one row per migration applied (version,
when, what). Opening a workspace applies the missing ones, all in one transaction, in
order (:data:`MIGRATIONS`); the file's ``user_version`` repeats the newest version, so an
up-to-date file is recognised from its header alone. A migration is SQL statements and,
where SQL alone cannot say it, a Python step run after them on the same transaction. Files made before the table existed
have none of its rows and get every migration: the first one only creates what is
missing. A file from a newer pmkit is refused, never changed.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pmkit.errors import StorageError

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
    "check_file",
    "now",
    "snapshot",
]

FILENAME = "workspace.sqlite"
SIDE_FILES = ("-wal", "-shm")  # kept beside the file while it is open
DriverError = sqlite3.DatabaseError
_APP_ID = 0x706D6B74  # "pmkt"
_BUSY_MS = 15000


class Row(Protocol):
    """A fetched row, read by column name."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> list[str]: ...


def now() -> str:
    """The time stamp stored with every edit: UTC, to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


# -- the schema, as migrations -------------------------------------------------------------
@dataclass(frozen=True)
class Migration:
    version: int
    what: str
    statements: tuple[str, ...]
    step: Callable[[sqlite3.Connection], None] | None = None  # Python, after the statements


def _append_only(table: str) -> tuple[str, ...]:
    return tuple(
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_{op[0].lower()} BEFORE {op} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END"
        for op in ("UPDATE", "DELETE")
    )


_V1 = (
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
_V2 = (
    "DROP TRIGGER IF EXISTS journal_append_only_u",
    "DROP TRIGGER IF EXISTS journal_append_only_d",
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

# The working title and note leave the header every role reads (meta): the title is in its
# column already, the note gets one. The room screen's state: what the facilitator chose.
_V3 = (
    "ALTER TABLE sessions ADD COLUMN description TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE IF NOT EXISTS room_view (
        session_id TEXT PRIMARY KEY, view TEXT NOT NULL, target TEXT NOT NULL, weight REAL NOT NULL,
        theme TEXT NOT NULL, seq INTEGER NOT NULL)""",
)


def _split_meta(conn: sqlite3.Connection) -> None:
    for sid, meta_text in conn.execute("SELECT id, meta FROM sessions").fetchall():
        meta = json.loads(meta_text)
        description = str(meta.pop("description", "") or "")
        meta.pop("title", None)
        conn.execute("UPDATE sessions SET meta = ?, description = ? WHERE id = ?",
                     (json.dumps(meta, ensure_ascii=False, separators=(",", ":")), description, sid))


_SESSION_ID_GLOB = "s-" + "[0-9a-f]" * 12  # the shape of a session id (pmkit.store.rows.new_session_id)
REKEY_ACTOR = "pmkit"


def _rekey(conn: sqlite3.Connection) -> None:
    """Give every session whose id is not random (earlier ids were made from the title) a
    new one, in every table that holds a session id, and journal it (op ``rekey``, seen by
    the facilitator alone: the old id may spell the title)."""
    old_ids = [r[0] for r in conn.execute("SELECT id FROM sessions WHERE NOT id GLOB ? ORDER BY created_at, id",
                                          (_SESSION_ID_GLOB,))]
    if not old_ids:
        return
    tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
              if any(col[1] == "session_id" for col in conn.execute(f'PRAGMA table_info("{name}")'))]
    conn.execute("PRAGMA defer_foreign_keys = ON")  # the items follow their session within the transaction
    for sql in _DROP_APPEND_ONLY:
        conn.execute(sql)
    for old in old_ids:
        new = f"s-{secrets.token_hex(6)}"
        while conn.execute("SELECT 1 FROM sessions WHERE id = ?", (new,)).fetchone():
            new = f"s-{secrets.token_hex(6)}"
        at = now()
        conn.execute("UPDATE sessions SET id = ?, version = version + 1, updated_at = ? WHERE id = ?", (new, at, old))
        for table in tables:
            conn.execute(f'UPDATE "{table}" SET session_id = ? WHERE session_id = ?', (new, old))
        conn.execute("UPDATE journal_changes SET item_id = ? WHERE kind = 'session' AND item_id = ? "
                     "AND seq IN (SELECT seq FROM journal WHERE session_id = ?)", (new, old, new))
        version = conn.execute("SELECT version FROM sessions WHERE id = ?", (new,)).fetchone()[0]
        seq = conn.execute(
            "INSERT INTO journal (session_id, version, at, actor, role, op, undoes) "
            "VALUES (?, ?, ?, ?, 'facilitator', 'rekey', NULL)", (new, version, at, REKEY_ACTOR)).lastrowid
        conn.execute(
            "INSERT INTO journal_changes (seq, n, kind, item_id, audience_before, audience_after, before, after) "
            "VALUES (?, 0, 'session', ?, 'facilitator', 'facilitator', ?, ?)",
            (seq, new, json.dumps({"id": old}), json.dumps({"id": new})))
    for sql in (*_append_only("journal"), *_append_only("journal_changes")):
        conn.execute(sql)


_DROP_APPEND_ONLY = tuple(f"DROP TRIGGER IF EXISTS {t}_append_only_{op}"
                          for t in ("journal", "journal_changes") for op in ("u", "d"))

MIGRATIONS = (
    Migration(1, "sessions, items, a journal row per change, link generations, probe steps", _V1),
    Migration(2, "a journal entry per edit, its changes in journal_changes", _V2),
    Migration(3, "the working title and note apart from the header every role reads; the room screen's state",
              _V3, _split_meta),
    Migration(4, "session ids without words: every session re-keyed to a random id, journaled", (), _rekey),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
    "what TEXT NOT NULL)"
)


# -- the seam ------------------------------------------------------------------------------
class Tx:
    """Statements inside one write transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self._conn.execute(sql, args).fetchone()
        return row

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(self._conn.execute(sql, args).fetchall())

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, args)

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def insert(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Run an ``INSERT`` of one row; returns the key generated for it (on SQLite its rowid)."""
        key = self._conn.execute(sql, args).lastrowid
        if key is None:  # pragma: no cover - every INSERT of a row has one
            raise StorageError(f"no key was generated by {sql.split('(')[0].strip()}")
        return int(key)


class Database:
    """One connection to the workspace file, shared by the threads of a process (serialised)."""

    def __init__(self, path: Path, way_out: Callable[[], str]) -> None:
        self.path = path
        self._way_out = way_out  # what to do when the file is damaged (names the newest backup)
        self._lock = threading.RLock()
        self.conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id not in (0, _APP_ID) or (
                app_id == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            ):
                raise StorageError(f"{self.path} is not a pmkit workspace; point PMKIT_WORKSPACE at another folder")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            header = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != _APP_ID or header != SCHEMA_VERSION:
                self._migrate(conn)
            return conn
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open the workspace {self.path}: {exc}; {self._way_out()}") from None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_VERSION_TABLE)
            current = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path} was written by a newer pmkit (schema {current}; this one knows up to "
                    f"{SCHEMA_VERSION}); upgrade pmkit to open it"
                )
            for m in MIGRATIONS:
                if m.version > current:
                    for sql in m.statements:
                        conn.execute(sql)
                    if m.step is not None:
                        m.step(conn)
                    conn.execute(
                        "INSERT INTO schema_version (version, applied_at, what) VALUES (?, ?, ?)",
                        (m.version, now(), m.what),
                    )
            conn.execute(f"PRAGMA application_id = {_APP_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """One write transaction: commits when the block ends, rolls back when it raises."""
        with self._lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StorageError(f"the workspace {self.path} is busy or locked: {exc}") from None
            try:
                yield Tx(conn)
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):  # the error below says what went wrong
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise StorageError(
                        f"cannot write to the workspace {self.path}: {exc}"
                        + ("" if isinstance(exc, sqlite3.OperationalError) else f"; {self._way_out()}")
                    ) from None
                raise

    def read(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            try:
                return list(self.conn.execute(sql, args).fetchall())
            except sqlite3.DatabaseError as exc:
                raise StorageError(f"cannot read the workspace {self.path}: {exc}; {self._way_out()}") from None


# -- whole-file operations, for backups ------------------------------------------------------
def snapshot(src: Path, dst: Path) -> str:
    """Copy the workspace file ``src`` to ``dst`` consistently while others write (SQLite's
    online backup); returns the copy's integrity check, ``"ok"`` when it is sound.
    Raises :data:`DriverError` when ``src`` cannot be read."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=_BUSY_MS / 1000)
    try:
        target = sqlite3.connect(dst)
        try:
            source.backup(target)
            return str(target.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            target.close()
    finally:
        source.close()


def check_file(path: Path) -> str:
    """The integrity check of a workspace file, read only: ``"ok"`` when it is sound.
    Raises :data:`DriverError` when it is not a database at all."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()
