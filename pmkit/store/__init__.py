"""The workspace: one SQLite file holding every session, item by item, and a journal.

:class:`Workspace` is the only place that runs SQL or knows file paths of the workspace.
Reads take a role and return only what that role may see: the rows a role may not see are
filtered out by the query itself, so a process serving a party never loads them.
Every edit is one transaction that bumps the session's version, the item's revision and
appends a journal entry (who, when, what it was, what it became). Edits are deltas applied
to the current row inside the transaction, so two processes editing one session lose
nothing; an edit that names a stale ``base_rev`` gets :class:`ConflictError`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmkit import settings
from pmkit.analytics.bargaining import RangeFact, check_budget, facts_for, probe_step
from pmkit.disclosure import may_see, position_audience
from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound, StorageError
from pmkit.model import (
    FACILITATOR,
    ITEM_KINDS,
    JOINT,
    Goal,
    NumericIssue,
    Position,
    Rating,
    Session,
    check_magnitude,
    new_item_id,
)
from pmkit.yamlio import dump_session, read_session_file

__all__ = ["FILENAME", "JournalEntry", "SessionInfo", "Workspace"]

FILENAME = "workspace.sqlite"
_APP_ID = 0x706D6B74  # "pmkt"
_SCHEMA_VERSION = 1
_POSITION = "position"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    meta TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    pos INTEGER NOT NULL,
    audience TEXT NOT NULL,
    rev INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, item_id)
);
CREATE INDEX IF NOT EXISTS items_by_audience ON items(session_id, audience);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    op TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    audience_before TEXT,
    audience_after TEXT,
    before TEXT,
    after TEXT,
    undoes INTEGER
);
CREATE INDEX IF NOT EXISTS journal_by_session ON journal(session_id, seq);
CREATE TABLE IF NOT EXISTS link_epochs (
    session_id TEXT PRIMARY KEY,
    epoch INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS journal_append_only_u BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS journal_append_only_d BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TABLE IF NOT EXISTS probe_steps (
    session_id TEXT NOT NULL,
    role TEXT NOT NULL,
    issue_id TEXT NOT NULL,
    step REAL NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (session_id, role, issue_id)
);
"""


@dataclass(frozen=True)
class SessionInfo:
    id: str
    title: str
    version: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    session_id: str
    version: int
    at: str
    actor: str
    role: str
    op: str
    kind: str
    item_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undoes: int | None

    @property
    def summary(self) -> str:
        """A short human description: what changed on which item."""
        data = self.after or self.before or {}
        name = data.get("title") or data.get("text") or self.item_id
        if self.op == "update" and self.before and self.after:
            changed = sorted(k for k in self.after if self.after.get(k) != self.before.get(k))
            return f"{self.kind} '{name}': {', '.join(changed) or 'no change'}"
        return f"{self.kind} '{name}'"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def _slug(title: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:24].strip("-")
    return f"{s or 'session'}-{secrets.token_hex(2)}"


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _item_data(kind: str, item: Any) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json")
    if kind == "issue":
        data.pop("positions", None)
    return data


class Workspace:
    """One workspace folder with its SQLite file. Thread-safe; one connection per instance."""

    def __init__(self, folder: str | Path | None = None, *, actor: str | None = None) -> None:
        self.folder = settings.workspace_dir(folder)
        self.path = self.folder / FILENAME
        self.actor = actor or _default_actor()
        self._lock = threading.RLock()
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(f"cannot create the workspace folder {self.folder}: {exc.strerror}") from None
        self._conn = self._connect()

    # -- connection -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=15.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 15000")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id not in (0, _APP_ID) or (app_id == 0 and tables):
                raise StorageError(
                    f"{self.path} is not a pmkit workspace; point PMKIT_WORKSPACE at another folder"
                )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            # Every open creates what is missing, so tables added later reach old workspaces.
            conn.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA application_id = {_APP_ID}; "
                f"PRAGMA user_version = {_SCHEMA_VERSION}; COMMIT;"
            )
            return conn
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open the workspace {self.path}: {exc}; {_way_out(self.folder)}") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StorageError(f"the workspace {self.path} is busy or locked: {exc}") from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):  # the error below says what went wrong
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):
                    raise StorageError(
                        f"cannot write to the workspace {self.path}: {exc}"
                        + ("" if isinstance(exc, sqlite3.OperationalError) else f"; {_way_out(self.folder)}")
                    ) from None
                raise

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StorageError(f"cannot read the workspace {self.path}: {exc}; {_way_out(self.folder)}") from None

    # -- reading ----------------------------------------------------------------------
    def sessions(self) -> list[SessionInfo]:
        rows = self._read(
            "SELECT id, title, version, created_at, updated_at FROM sessions ORDER BY created_at, id"
        )
        return [SessionInfo(**dict(r)) for r in rows]

    def info(self, session_id: str) -> SessionInfo:
        rows = self._read(
            "SELECT id, title, version, created_at, updated_at FROM sessions WHERE id = ?", (session_id,)
        )
        if not rows:
            raise NotFound(f"no session '{session_id}' in {self.path}; `pmkit list` shows the sessions")
        return SessionInfo(**dict(rows[0]))

    def version(self, session_id: str) -> int:
        """The session's version; it grows by one with every edit (cheap, for polling)."""
        return self.info(session_id).version

    def roles(self, session_id: str) -> list[str]:
        meta = self._meta(session_id)
        return [FACILITATOR, *(p["id"] for p in meta["parties"])]

    def _meta(self, session_id: str) -> dict[str, Any]:
        rows = self._read("SELECT meta FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise NotFound(f"no session '{session_id}' in {self.path}; `pmkit list` shows the sessions")
        meta: dict[str, Any] = json.loads(rows[0]["meta"])
        return meta

    def _check_role(self, session_id: str, role: str) -> dict[str, Any]:
        meta = self._meta(session_id)
        roles = [FACILITATOR, *(p["id"] for p in meta["parties"])]
        if role not in roles:
            raise AccessDenied(f"unknown role '{role}'; this session's roles are {', '.join(roles)}")
        return meta

    def load(self, session_id: str, role: str) -> Session:
        """The session as ``role`` may see it. Rows it may not see are never read."""
        meta = self._check_role(session_id, role)
        if role == FACILITATOR:
            rows = self._read(
                "SELECT kind, data FROM items WHERE session_id = ? ORDER BY pos", (session_id,)
            )
        else:
            rows = self._read(
                "SELECT kind, data FROM items WHERE session_id = ? AND audience IN (?, ?) ORDER BY pos",
                (session_id, JOINT, role),
            )
        doc: dict[str, Any] = dict(meta)
        for field, _cls, _p in ITEM_KINDS.values():
            doc[field] = []
        issues: dict[str, dict[str, Any]] = {}
        positions: list[dict[str, Any]] = []
        for r in rows:
            kind, data = r["kind"], json.loads(r["data"])
            if kind == _POSITION:
                positions.append(data)
                continue
            doc[ITEM_KINDS[kind][0]].append(data)
            if kind == "issue":
                data["positions"] = {}
                issues[data["id"]] = data
        for p in positions:
            issue = issues.get(p["issue"])
            if issue is not None:
                issue["positions"][p["party"]] = {"ideal": p["ideal"], "walk_away": p.get("walk_away")}
        try:
            return Session.model_validate(doc)
        except ValidationError as exc:
            raise StorageError(f"session '{session_id}' in {self.path} does not validate: {exc}") from None

    def export_yaml(self, session_id: str, role: str) -> str:
        return dump_session(self.load(session_id, role))

    def history(self, session_id: str, role: str = FACILITATOR, limit: int | None = None) -> list[JournalEntry]:
        """Journal entries of a session that ``role`` may see, oldest first."""
        self._check_role(session_id, role)
        if role == FACILITATOR:
            rows = self._read("SELECT * FROM journal WHERE session_id = ? ORDER BY seq", (session_id,))
        else:  # filtered by the query: a party's process never reads the other entries
            rows = self._read(
                "SELECT * FROM journal WHERE session_id = ?"
                " AND coalesce(audience_before, ?) IN (?, ?)"
                " AND coalesce(audience_after, ?) IN (?, ?) ORDER BY seq",
                (session_id, JOINT, JOINT, role, JOINT, JOINT, role),
            )
        out = [_entry(r) for r in rows]
        return out[-limit:] if limit else out

    # -- writing ----------------------------------------------------------------------
    def create(self, session: Session, *, source: str = "new") -> str:
        """Store a new session; returns its id."""
        sid = _slug(session.title)
        now = _now()
        meta = {
            "title": session.title,
            "description": session.description,
            "date": session.date.isoformat() if session.date else None,
            "parties": [p.model_dump() for p in session.parties],
        }
        rows: list[tuple[Any, ...]] = []
        pos = 0
        for kind, (field, _cls, _p) in ITEM_KINDS.items():
            for item in getattr(session, field):
                pos += 1
                rows.append((sid, kind, item.id, pos, item.audience, 1, _dumps(_item_data(kind, item))))
                if isinstance(item, NumericIssue):
                    for party, p in item.positions.items():
                        pos += 1
                        rows.append(_position_row(sid, item, party, p, pos))
        with self._write() as c:
            c.execute(
                "INSERT INTO sessions (id, title, meta, version, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                (sid, session.title, _dumps(meta), 1, now, now),
            )
            c.executemany(
                "INSERT INTO items (session_id, kind, item_id, pos, audience, rev, data) VALUES (?,?,?,?,?,?,?)",
                rows,
            )
            self._journal(c, sid, 1, FACILITATOR, source, "session", sid, None, None, None, None)
        return sid

    def import_file(self, path: str | Path) -> str:
        return self.create(read_session_file(path), source="import")

    def add_item(self, session_id: str, kind: str, item: dict[str, Any] | Any, *, role: str) -> str:
        """Add a goal, issue, agreement, action or note; returns its id."""
        cls = _kind_class(kind)
        if not isinstance(item, dict) and not hasattr(item, "model_dump"):
            raise InputError(f"a {kind} must be a mapping of its fields, got {type(item).__name__}")
        data = dict(item if isinstance(item, dict) else item.model_dump())
        if not data.get("id"):
            data["id"] = new_item_id(kind)
        obj = _validate(cls, data, kind)  # positions too: all is checked before anything is written
        positions: dict[str, Position] = obj.positions if isinstance(obj, NumericIssue) else {}
        with self._write() as c:
            meta = self._check_role(session_id, role)
            self._check_party_refs(meta, obj)
            self._authorize_add(role, kind, obj)
            if c.execute(
                "SELECT 1 FROM items WHERE session_id=? AND kind=? AND item_id=?", (session_id, kind, obj.id)
            ).fetchone():
                raise InputError(f"a {kind} with id '{obj.id}' exists already in '{session_id}'")
            pos = self._next_pos(c, session_id)
            after = _item_data(kind, obj)
            c.execute(
                "INSERT INTO items (session_id, kind, item_id, pos, audience, rev, data) VALUES (?,?,?,?,?,?,?)",
                (session_id, kind, obj.id, pos, obj.audience, 1, _dumps(after)),
            )
            version = self._bump(c, session_id)
            self._journal(c, session_id, version, role, "add", kind, obj.id, None, obj.audience, None, after)
        for party, p in positions.items():
            self.set_position(session_id, obj.id, party, p.ideal, p.walk_away, role=role)
        return str(obj.id)

    def update_item(
        self,
        session_id: str,
        kind: str,
        item_id: str,
        changes: dict[str, Any],
        *,
        role: str,
        base_rev: int | None = None,
    ) -> int:
        """Change fields of an item; returns its new revision."""
        cls = _kind_class(kind)
        if "id" in changes and changes["id"] != item_id:
            raise InputError("an item's id cannot be changed")
        if kind == "issue" and "positions" in changes:
            raise InputError("set positions with set_position, one party at a time")
        with self._write() as c:
            meta = self._check_role(session_id, role)
            row = self._row(c, session_id, kind, item_id, role)
            if base_rev is not None and row["rev"] != base_rev:
                raise ConflictError(
                    f"{kind} '{item_id}' was changed by someone else (revision {row['rev']}, "
                    f"you edited {base_rev}); reload it and apply your edit again"
                )
            before = json.loads(row["data"])
            merged = {**before, **changes}
            obj = _validate(cls, merged if kind != "issue" else {**merged, "positions": {}}, kind)
            self._check_party_refs(meta, obj)
            self._authorize_update(role, kind, before, obj)
            after = _item_data(kind, obj)
            if after == before:
                return int(row["rev"])
            return self._replace(c, session_id, kind, item_id, row, before, after, role)

    def set_rating(
        self,
        session_id: str,
        goal_id: str,
        party: str,
        importance: int | None,
        stance: str = "neutral",
        *,
        role: str,
    ) -> int:
        """Set (or with ``importance=None`` clear) one party's rating of a goal."""
        if role not in (FACILITATOR, party):
            raise AccessDenied(f"the {role} role may not rate goals for '{party}'")
        with self._write() as c:
            meta = self._check_role(session_id, role)
            if party not in [p["id"] for p in meta["parties"]]:
                raise InputError(f"'{party}' is not a party of session '{session_id}'")
            row = self._row(c, session_id, "goal", goal_id, role)
            before = json.loads(row["data"])
            ratings = dict(before.get("ratings", {}))
            if importance is None:
                ratings.pop(party, None)
            else:
                try:
                    ratings[party] = Rating(importance=importance, stance=stance).model_dump()
                except ValidationError as exc:
                    raise InputError(
                        f"rating of goal '{goal_id}' by {party}: importance must be 0-5 and stance "
                        f"support, neutral or oppose (got {importance!r}, {stance!r}): "
                        f"{exc.errors()[0]['msg']}"
                    ) from None
            after = {**before, "ratings": ratings}
            if after == before:
                return int(row["rev"])
            return self._replace(c, session_id, "goal", goal_id, row, before, after, role)

    def set_position(
        self,
        session_id: str,
        issue_id: str,
        party: str,
        ideal: float | None,
        walk_away: float | None = None,
        *,
        role: str,
    ) -> None:
        """Set (or with ``ideal=None`` clear) one party's ideal and walk-away on an issue."""
        if role not in (FACILITATOR, party):
            raise AccessDenied(f"the {role} role may not set the position of '{party}'")
        with self._write() as c:
            meta = self._check_role(session_id, role)
            if party not in [p["id"] for p in meta["parties"]]:
                raise InputError(f"'{party}' is not a party of session '{session_id}'")
            issue_row = self._row(c, session_id, "issue", issue_id, role)
            issue = json.loads(issue_row["data"])
            key = f"{issue_id}/{party}"
            old = c.execute(
                "SELECT * FROM items WHERE session_id=? AND kind=? AND item_id=?",
                (session_id, _POSITION, key),
            ).fetchone()
            before = json.loads(old["data"]) if old else None
            aud = position_audience(issue["audience"], party)
            if ideal is None:
                if old is None:
                    return
                c.execute(
                    "DELETE FROM items WHERE session_id=? AND kind=? AND item_id=?", (session_id, _POSITION, key)
                )
                after = None
            else:
                try:
                    p = Position(ideal=ideal, walk_away=walk_away)
                except ValidationError as exc:
                    raise InputError(
                        f"position of {party} on '{issue['title']}': {exc.errors()[0]['msg']} "
                        f"(got ideal={ideal!r}, walk_away={walk_away!r})"
                    ) from None
                after = {"issue": issue_id, "party": party, "ideal": p.ideal, "walk_away": p.walk_away}
                if after == before:
                    return
                if old is None:
                    c.execute(
                        "INSERT INTO items (session_id, kind, item_id, pos, audience, rev, data) "
                        "VALUES (?,?,?,?,?,?,?)",
                        (session_id, _POSITION, key, self._next_pos(c, session_id), aud, 1, _dumps(after)),
                    )
                else:
                    c.execute(
                        "UPDATE items SET data=?, audience=?, rev=rev+1 WHERE session_id=? AND kind=? AND item_id=?",
                        (_dumps(after), aud, session_id, _POSITION, key),
                    )
            version = self._bump(c, session_id)
            op = "add" if before is None else ("delete" if after is None else "update")
            self._journal(c, session_id, version, role, op, _POSITION, key, aud if before else None,
                          aud if after else None, before, after)

    def delete_item(self, session_id: str, kind: str, item_id: str, *, role: str) -> None:
        """Delete an item (the facilitator only; the journal keeps it for undo)."""
        _kind_class(kind)
        if role != FACILITATOR:
            raise AccessDenied(f"only the facilitator may delete items (role: {role})")
        with self._write() as c:
            self._check_role(session_id, role)
            row = self._row(c, session_id, kind, item_id, role)
            before = json.loads(row["data"])
            c.execute("DELETE FROM items WHERE session_id=? AND kind=? AND item_id=?", (session_id, kind, item_id))
            version = self._bump(c, session_id)
            self._journal(c, session_id, version, role, "delete", kind, item_id, row["audience"], None, before, None)
            if kind == "issue":
                for p in c.execute(
                    "SELECT * FROM items WHERE session_id=? AND kind=? AND item_id LIKE ?",
                    (session_id, _POSITION, f"{item_id}/%"),
                ).fetchall():
                    c.execute(
                        "DELETE FROM items WHERE session_id=? AND kind=? AND item_id=?",
                        (session_id, _POSITION, p["item_id"]),
                    )
                    self._journal(c, session_id, version, role, "delete", _POSITION, p["item_id"],
                                  p["audience"], None, json.loads(p["data"]), None)

    def undo(self, session_id: str, *, role: str = FACILITATOR) -> JournalEntry:
        """Revert the newest edit not yet undone; returns the entry it reverted."""
        if role != FACILITATOR:
            raise AccessDenied("only the facilitator may undo")
        with self._write() as c:
            self._check_role(session_id, role)
            r = c.execute(
                "SELECT * FROM journal WHERE session_id=? AND undoes IS NULL AND op IN ('add','update','delete') "
                "AND seq NOT IN (SELECT undoes FROM journal WHERE session_id=? AND undoes IS NOT NULL) "
                "ORDER BY seq DESC LIMIT 1",
                (session_id, session_id),
            ).fetchone()
            if r is None:
                raise NotFound(f"nothing to undo in session '{session_id}'")
            entry = _entry(r)
            cur = c.execute(
                "SELECT * FROM items WHERE session_id=? AND kind=? AND item_id=?",
                (session_id, entry.kind, entry.item_id),
            ).fetchone()
            current = json.loads(cur["data"]) if cur else None
            if current != entry.after:
                raise ConflictError(
                    f"{entry.kind} '{entry.item_id}' changed after edit #{entry.seq}; undo the later edit first"
                )
            if entry.before is None:
                c.execute(
                    "DELETE FROM items WHERE session_id=? AND kind=? AND item_id=?",
                    (session_id, entry.kind, entry.item_id),
                )
            elif cur is None:
                c.execute(
                    "INSERT INTO items (session_id, kind, item_id, pos, audience, rev, data) VALUES (?,?,?,?,?,?,?)",
                    (session_id, entry.kind, entry.item_id, self._next_pos(c, session_id),
                     r["audience_before"], 1, _dumps(entry.before)),
                )
            else:
                c.execute(
                    "UPDATE items SET data=?, audience=?, rev=rev+1 WHERE session_id=? AND kind=? AND item_id=?",
                    (_dumps(entry.before), r["audience_before"], session_id, entry.kind, entry.item_id),
                )
                if entry.kind == "issue" and r["audience_before"] != cur["audience"]:
                    self._sync_positions(c, session_id, entry.item_id, r["audience_before"])
            version = self._bump(c, session_id)
            self._journal(c, session_id, version, role, "undo", entry.kind, entry.item_id,
                          r["audience_after"], r["audience_before"], entry.after, entry.before, undoes=entry.seq)
            return entry

    # -- meeting links ----------------------------------------------------------------
    def link_epoch(self, session_id: str) -> int:
        """The session's link generation; links signed for an older one are revoked."""
        self.info(session_id)
        rows = self._read("SELECT epoch FROM link_epochs WHERE session_id = ?", (session_id,))
        return int(rows[0]["epoch"]) if rows else 0

    def revoke_links(self, session_id: str) -> int:
        """Revoke every link issued so far for the session; returns the new generation."""
        self.info(session_id)
        with self._write() as c:
            c.execute(
                "INSERT INTO link_epochs (session_id, epoch) VALUES (?, 1) "
                "ON CONFLICT(session_id) DO UPDATE SET epoch = epoch + 1",
                (session_id,),
            )
            epoch = int(c.execute("SELECT epoch FROM link_epochs WHERE session_id=?", (session_id,)).fetchone()[0])
            self._journal(c, session_id, self._bump(c, session_id), FACILITATOR, "revoke-links", "session",
                          session_id, None, None, None, None)
        return epoch

    # -- helpers ----------------------------------------------------------------------
    def _row(self, c: sqlite3.Connection, session_id: str, kind: str, item_id: str, role: str) -> sqlite3.Row:
        row = c.execute(
            "SELECT * FROM items WHERE session_id=? AND kind=? AND item_id=?", (session_id, kind, item_id)
        ).fetchone()
        if row is None or not may_see(role, row["audience"]):
            raise NotFound(f"no {kind} '{item_id}' in session '{session_id}'")
        return row

    def _replace(
        self,
        c: sqlite3.Connection,
        session_id: str,
        kind: str,
        item_id: str,
        row: sqlite3.Row,
        before: dict[str, Any],
        after: dict[str, Any],
        role: str,
    ) -> int:
        aud = after.get("audience", row["audience"])
        c.execute(
            "UPDATE items SET data=?, audience=?, rev=rev+1 WHERE session_id=? AND kind=? AND item_id=?",
            (_dumps(after), aud, session_id, kind, item_id),
        )
        version = self._bump(c, session_id)
        self._journal(c, session_id, version, role, "update", kind, item_id, row["audience"], aud, before, after)
        if kind == "issue" and aud != row["audience"]:
            self._sync_positions(c, session_id, item_id, aud)
        return int(row["rev"]) + 1

    @staticmethod
    def _sync_positions(
        c: sqlite3.Connection, session_id: str, issue_id: str, issue_audience: str
    ) -> None:
        """Give the positions on an issue the audiences its (new) audience implies."""
        for p in c.execute(
            "SELECT * FROM items WHERE session_id=? AND kind=? AND item_id LIKE ?",
            (session_id, _POSITION, f"{issue_id}/%"),
        ).fetchall():
            data = json.loads(p["data"])
            new_aud = position_audience(issue_audience, data["party"])
            if new_aud != p["audience"]:
                c.execute(
                    "UPDATE items SET audience=?, rev=rev+1 WHERE session_id=? AND kind=? AND item_id=?",
                    (new_aud, session_id, _POSITION, p["item_id"]),
                )

    def _next_pos(self, c: sqlite3.Connection, session_id: str) -> int:
        row = c.execute("SELECT coalesce(max(pos), 0) + 1 FROM items WHERE session_id=?", (session_id,)).fetchone()
        return int(row[0])

    def _bump(self, c: sqlite3.Connection, session_id: str) -> int:
        c.execute("UPDATE sessions SET version = version + 1, updated_at = ? WHERE id = ?", (_now(), session_id))
        return int(c.execute("SELECT version FROM sessions WHERE id=?", (session_id,)).fetchone()[0])

    def _journal(
        self,
        c: sqlite3.Connection,
        session_id: str,
        version: int,
        role: str,
        op: str,
        kind: str,
        item_id: str,
        aud_before: str | None,
        aud_after: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        undoes: int | None = None,
    ) -> None:
        c.execute(
            "INSERT INTO journal (session_id, version, at, actor, role, op, kind, item_id, audience_before, "
            "audience_after, before, after, undoes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, version, _now(), self.actor, role, op, kind, item_id, aud_before, aud_after,
             None if before is None else _dumps(before), None if after is None else _dumps(after), undoes),
        )

    @staticmethod
    def _check_party_refs(meta: dict[str, Any], obj: Any) -> None:
        parties = [p["id"] for p in meta["parties"]]
        allowed = [JOINT, FACILITATOR, *parties]
        if obj.audience not in allowed:
            raise InputError(f"audience '{obj.audience}' is not allowed; use one of {', '.join(allowed)}")
        if isinstance(obj, Goal):
            if obj.raised_by not in parties:
                raise InputError(f"raised_by '{obj.raised_by}' is not a party; use one of {', '.join(parties)}")
            for pid in obj.ratings:
                if pid not in parties:
                    raise InputError(f"ratings has '{pid}', which is not a party; use one of {', '.join(parties)}")
        if isinstance(obj, NumericIssue):
            for pid in obj.positions:
                if pid not in parties:
                    raise InputError(
                        f"positions has '{pid}', which is not a party; "
                        f"use one of {', '.join(parties)}"
                    )

    @staticmethod
    def _authorize_add(role: str, kind: str, obj: Any) -> None:
        if role == FACILITATOR:
            return
        if kind != "goal":
            raise AccessDenied(f"only the facilitator may add {kind}s (role: {role})")
        if obj.raised_by != role or obj.audience not in (JOINT, role):
            raise AccessDenied(f"the {role} role may add goals raised by itself, for everyone or itself")
        if any(pid != role for pid in obj.ratings):
            raise AccessDenied(f"the {role} role may rate goals only for itself")

    @staticmethod
    def _authorize_update(role: str, kind: str, before: dict[str, Any], obj: Any) -> None:
        if role == FACILITATOR:
            return
        raise AccessDenied(
            f"only the facilitator may change a {kind}; the {role} role may set its own ratings and positions"
        )

    # -- bargaining ranges: what a role may know (see pmkit.bargaining) --------------------
    def range_facts(
        self, session_id: str, role: str, *, probe: tuple[str, float] | None = None
    ) -> dict[str, RangeFact]:
        """What ``role`` may know about the bargaining range of each numeric issue it sees.

        Every party's position is read here, with full access, and only what the probe rule
        of :mod:`pmkit.bargaining` allows leaves: the facilitator gets the ranges; a party
        gets whether a range exists, answered to a step published from its own position
        (fixed the first time it asks). ``probe=(issue_id, value)`` asks whether the other
        side would accept ``value``; each party has a budget of such questions per issue.
        """
        visible = self.load(session_id, role).issues
        if probe is not None:
            try:
                probe = (str(probe[0]), float(probe[1]))
            except (TypeError, ValueError, IndexError):
                raise InputError(f"a what-if question is (issue id, number), got {probe!r}") from None
            check_magnitude(probe[1], "the value to ask about")
        full: dict[str, dict[str, Position]] = {i.id: {} for i in visible}
        for r in self._read("SELECT data FROM items WHERE session_id = ? AND kind = ?", (session_id, _POSITION)):
            d = json.loads(r["data"])
            if d["issue"] in full:
                full[d["issue"]][d["party"]] = Position(ideal=d["ideal"], walk_away=d.get("walk_away"))
        issues = [i.model_copy(update={"positions": full[i.id]}) for i in visible]
        steps: dict[str, float] = {}
        used: dict[str, int] = {}
        if role != FACILITATOR:
            sql = "SELECT issue_id, step, used FROM probe_steps WHERE session_id = ? AND role = ?"
            rows = self._read(sql, (session_id, role))
            missing = [i for i in issues if role in i.positions and i.id not in {r["issue_id"] for r in rows}]
            if missing or probe is not None:
                with self._write() as c:
                    for i in missing:
                        c.execute(
                            "INSERT OR IGNORE INTO probe_steps (session_id, role, issue_id, step, used) "
                            "VALUES (?, ?, ?, ?, 0)",
                            (session_id, role, i.id, probe_step(i.positions[role])),
                        )
                    rows = c.execute(sql, (session_id, role)).fetchall()
                    steps = {r["issue_id"]: float(r["step"]) for r in rows}
                    used = {r["issue_id"]: int(r["used"]) for r in rows}
                    asked = next((i for i in issues if probe is not None and i.id == probe[0]), None)
                    if asked is not None and asked.id in steps:
                        check_budget(role, asked.title, used.get(asked.id, 0))
                        c.execute(
                            "UPDATE probe_steps SET used = used + 1 WHERE session_id = ? AND role = ? "
                            "AND issue_id = ?",
                            (session_id, role, asked.id),
                        )
                        used[asked.id] = used.get(asked.id, 0) + 1
            else:
                steps = {r["issue_id"]: float(r["step"]) for r in rows}
                used = {r["issue_id"]: int(r["used"]) for r in rows}
        return facts_for(issues, role, steps, used, probe)


def _kind_class(kind: str) -> type[Any]:
    if kind not in ITEM_KINDS:
        raise InputError(f"unknown item kind '{kind}'; use one of {', '.join(ITEM_KINDS)}")
    return ITEM_KINDS[kind][1]


def _validate(cls: type[Any], data: dict[str, Any], kind: str) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        field = ".".join(str(x) for x in e["loc"]) or kind
        raise InputError(f"{kind} field '{field}': {e['msg']}") from None


def _position_row(sid: str, issue: NumericIssue, party: str, p: Position, pos: int) -> tuple[Any, ...]:
    data = {"issue": issue.id, "party": party, "ideal": p.ideal, "walk_away": p.walk_away}
    return (sid, _POSITION, f"{issue.id}/{party}", pos, position_audience(issue.audience, party), 1, _dumps(data))


def _entry(r: sqlite3.Row) -> JournalEntry:
    return JournalEntry(
        seq=r["seq"],
        session_id=r["session_id"],
        version=r["version"],
        at=r["at"],
        actor=r["actor"],
        role=r["role"],
        op=r["op"],
        kind=r["kind"],
        item_id=r["item_id"],
        before=None if r["before"] is None else json.loads(r["before"]),
        after=None if r["after"] is None else json.loads(r["after"]),
        undoes=r["undoes"],
    )


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


def _way_out(folder: Path) -> str:
    from pmkit.store.backups import newest_backup

    newest = newest_backup(folder)
    if newest is None:
        return "no backup exists yet; move the file aside to start a new workspace"
    return f"`pmkit restore` puts the newest backup ({newest.name}) in place and keeps this file beside it"
