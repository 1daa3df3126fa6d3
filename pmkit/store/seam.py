"""What both database backends share: the row, the transaction and database interfaces,
migrations and the statements that differ by dialect, and the migration runner.

This module knows no driver. :mod:`pmkit.store.sqlite` and :mod:`pmkit.store.postgres`
each implement :class:`Tx` and :class:`Database`; :mod:`pmkit.store.db` holds the schema
(:data:`~pmkit.store.db.MIGRATIONS`) and opens the backend a workspace is configured for.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from pmkit.errors import StorageError
from pmkit.i18n import _

__all__ = [
    "AppendOnly",
    "Database",
    "DropAppendOnly",
    "Migration",
    "Row",
    "Statement",
    "Tx",
    "VERSION_TABLE",
    "now",
    "run_migrations",
]

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class Row(Protocol):
    """A fetched row, read by column name (or position)."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> list[str]: ...


def now() -> str:
    """The time stamp stored with every edit: UTC, to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


# -- statements that differ by dialect --------------------------------------------------------
@dataclass(frozen=True)
class AppendOnly:
    """Make ``table`` append-only: the database itself refuses every ``UPDATE`` and
    ``DELETE`` of its rows (and, on PostgreSQL, ``TRUNCATE``)."""

    table: str

    def render(self, dialect: str) -> tuple[str, ...]:
        t = self.table
        message = "the journal is append-only" if t.startswith("journal") else f"{t} is append-only"
        if dialect == SQLITE:
            return tuple(
                f"CREATE TRIGGER IF NOT EXISTS {t}_append_only_{op[0].lower()} BEFORE {op} ON {t} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                for op in ("UPDATE", "DELETE")
            )
        function = f"{t}_refuse_change"
        return (
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
            f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {t}_append_only_t BEFORE TRUNCATE ON {t} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        )


@dataclass(frozen=True)
class DropAppendOnly:
    """Undo :class:`AppendOnly` (before a migration rebuilds the table)."""

    table: str

    def render(self, dialect: str) -> tuple[str, ...]:
        t = self.table
        if dialect == SQLITE:
            return (f"DROP TRIGGER IF EXISTS {t}_append_only_u", f"DROP TRIGGER IF EXISTS {t}_append_only_d")
        return (f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}", f"DROP TRIGGER IF EXISTS {t}_append_only_t ON {t}")


Statement = str | AppendOnly | DropAppendOnly


@dataclass(frozen=True)
class Migration:
    """One step of the schema: ``statements`` run on both backends (plain DDL in SQLite's
    words, translated for PostgreSQL by its backend; :class:`AppendOnly` where a table must
    not change); ``postgresql``, when given, replaces them there (for the rare step that
    cannot be said the same way on both); ``step``, when given, runs after the statements on
    the same transaction, for what SQL alone cannot say (it gets the transaction and the
    dialect)."""

    version: int
    what: str
    statements: tuple[Statement, ...]
    postgresql: tuple[Statement, ...] | None = field(default=None)
    step: Callable[[Tx, str], None] | None = field(default=None)

    def for_dialect(self, dialect: str) -> tuple[Statement, ...]:
        return self.postgresql if dialect == POSTGRESQL and self.postgresql is not None else self.statements


VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
    "what TEXT NOT NULL)"
)


# -- the interfaces both backends implement ----------------------------------------------------
class Tx(ABC):
    """Statements inside one write transaction, with ``?`` placeholders."""

    @abstractmethod
    def one(self, sql: str, args: Sequence[Any] = ()) -> Row | None: ...

    @abstractmethod
    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def run(self, sql: str, args: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abstractmethod
    def insert(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Run an ``INSERT`` of one row; returns the key generated for it (the table's
        ``INTEGER PRIMARY KEY AUTOINCREMENT`` column)."""

    def notify(self, session_id: str) -> None:  # noqa: B027 - a no-op where pages poll
        """Tell every open page of ``session_id``, once this transaction commits, that it
        changed (PostgreSQL's ``NOTIFY``; pages poll on SQLite, where this does nothing)."""


class Database(ABC):
    """One connection to the workspace's database, shared by the threads of a process."""

    dialect: str
    where: str  # the file or the server, as shown in messages (never a password)

    @abstractmethod
    def write(self, session_id: str | None = None) -> AbstractContextManager[Tx]:
        """One write transaction: commits when the block ends, rolls back when it raises.
        Writers of one session queue; ``session_id=None`` queues behind every writer."""

    @abstractmethod
    def read(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Writes made in this block, by this thread, share one commit where the backend
        gains by it: each ``write()`` inside is then a savepoint (its block raising undoes
        its own statements only), and all of them are durable, or none, when this block
        ends; a write is acknowledged only after that. Here (the default) each write
        commits on its own."""
        yield

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def watch(self, session_id: str, interval: float) -> AsyncIterator[None]:
        """Yields whenever the pages of ``session_id`` should look for changes: on every
        notification (PostgreSQL), or every ``interval`` seconds (SQLite), and after the
        database came back from an outage."""


def run_migrations(
    tx: Tx,
    migrations: Sequence[Migration],
    dialect: str,
    translate: Callable[[str], str],
    where: str,
    upto: int | None = None,
) -> int:
    """Apply the migrations ``tx``'s database lacks, in order, up to ``upto`` (default: all),
    each recorded in ``schema_version``; returns the version after. Plain statements go
    through the backend's ``translate``; :class:`AppendOnly` and the like render themselves.
    A database from a newer pmkit is refused, never changed."""
    newest = migrations[-1].version
    tx.run(translate(VERSION_TABLE))
    row = tx.one("SELECT coalesce(max(version), 0) AS v FROM schema_version")
    current = int(row["v"]) if row else 0
    if current > newest:
        raise StorageError(
            _("{where} was written by a newer pmkit (schema {current}; this one knows up to {newest}); upgrade pmkit "
              "to open it").format(where=where, current=current, newest=newest)
        )
    for m in migrations:
        if current < m.version <= (upto if upto is not None else newest):
            for stmt in m.for_dialect(dialect):
                for sql in (translate(stmt),) if isinstance(stmt, str) else stmt.render(dialect):
                    tx.run(sql)
            if m.step is not None:
                m.step(tx, dialect)
            tx.run("INSERT INTO schema_version (version, applied_at, what) VALUES (?, ?, ?)",
                   (m.version, now(), m.what))
            current = m.version
    return current
