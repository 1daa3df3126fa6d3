"""Helpers shared by the store's tests."""

from __future__ import annotations

import sqlite3
from typing import Any

from pmkit.model import FACILITATOR, ITEM_KINDS, Session
from pmkit.store import Workspace


def raw(ws: Workspace) -> sqlite3.Connection:
    """A separate, plain connection to the workspace file, for checks from outside."""
    conn = sqlite3.connect(ws.path)
    conn.row_factory = sqlite3.Row
    return conn


def goal_ratings(ws: Workspace, sid: str, goal_id: str) -> dict[str, Any]:
    g = next(g for g in ws.load(sid, FACILITATOR).goals if g.id == goal_id)
    return {p: (r.importance, r.stance) for p, r in g.ratings.items()}


def by_id(s: Session) -> dict[tuple[str, str], Any]:
    """A session's items keyed by kind and id, whatever their order."""
    return {(field, item.id): item for field, _cls, _p in ITEM_KINDS.values() for item in getattr(s, field)}


class RecordingRows:
    """A row factory that keeps every row the store fetches from SQLite."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def __call__(self, cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        self.rows.append(row)
        return sqlite3.Row(cursor, row)

    def text(self) -> str:
        return " ".join(" ".join(str(v) for v in r) for r in self.rows)
