"""Helpers shared by the store's tests, for both backends."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from pmkit.model import FACILITATOR, ITEM_KINDS, Session
from pmkit.store import Workspace
from pmkit.store.postgres import PgTx
from pmkit.store.sqlite import SqliteTx

# what the database itself raises when a statement is refused, on either backend
RAW_ERRORS = (sqlite3.DatabaseError, psycopg.Error)


class _RawPostgres:
    """A plain psycopg connection with sqlite3's ``execute(sql, args)`` and ``?`` placeholders."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self.conn.execute(sql.replace("?", "%s"), args or None)

    def __enter__(self) -> _RawPostgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def raw(ws: Workspace) -> Any:
    """A separate, plain connection to the workspace's database, for checks from outside."""
    if ws.database_url:
        return _RawPostgres(ws.database_url)
    assert ws.path is not None
    conn = sqlite3.connect(ws.path)
    conn.row_factory = sqlite3.Row
    return conn


def goal_ratings(ws: Workspace, sid: str, goal_id: str) -> dict[str, Any]:
    g = next(g for g in ws.sessions.load(sid, FACILITATOR).goals if g.id == goal_id)
    return {p: (r.importance, r.stance) for p, r in g.ratings.items()}


def by_id(s: Session) -> dict[tuple[str, str], Any]:
    """A session's items keyed by kind and id, whatever their order."""
    return {(field, item.id): item for field, _cls, _p in ITEM_KINDS.values() for item in getattr(s, field)}


class Recorded:
    """Every row the store fetched from its database while recording."""

    def __init__(self) -> None:
        self.rows: list[Any] = []

    def text(self) -> str:
        return " ".join(" ".join(str(r[k]) for k in r.keys()) for r in self.rows)  # noqa: SIM118 - rows iterate values


@contextmanager
def recording(ws: Workspace) -> Iterator[Recorded]:
    """Record every row the workspace fetches through the database seam (reads and the
    statements of write transactions), on either backend."""
    seen = Recorded()
    db = ws._db
    plain_read = db.read
    saved = {(cls, name): getattr(cls, name) for cls in (SqliteTx, PgTx) for name in ("one", "all")}

    def read(sql: str, args: Sequence[Any] = ()) -> list[Any]:
        rows = plain_read(sql, args)
        seen.rows.extend(rows)
        return rows

    def wrap(fn: Any, single: bool) -> Any:
        def recorded(self: Any, sql: str, args: Sequence[Any] = ()) -> Any:
            out = fn(self, sql, args)
            seen.rows.extend([out] if single and out is not None else [] if single else out)
            return out
        return recorded

    db.read = read  # type: ignore[method-assign]
    for (cls, name), fn in saved.items():
        setattr(cls, name, wrap(fn, name == "one"))
    try:
        yield seen
    finally:
        del db.read
        for (cls, name), fn in saved.items():
            setattr(cls, name, fn)
