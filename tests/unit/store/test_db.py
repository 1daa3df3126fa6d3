"""The database file: one WAL file in the workspace folder, damaged or foreign files, and
migrations of workspaces made by earlier versions."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

import pmkit
from pmkit import settings
from pmkit.errors import NotFound, StorageError
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import FILENAME, Workspace
from pmkit.store.db import MIGRATIONS, SCHEMA_VERSION
from pmkit.store.rows import session_rows
from tests.support.starters import starter
from tests.support.store import raw

VERSIONS = [m.version for m in MIGRATIONS]
NEWER = SCHEMA_VERSION + 1  # a schema this pmkit does not know


def test_the_workspace_is_one_wal_file_in_the_folder_from_the_environment(
    _isolated_workspace: Path,
) -> None:
    assert settings.workspace_dir() == _isolated_workspace  # PMKIT_WORKSPACE
    with Workspace() as ws:
        ws.sessions.import_file(starter_path("budget-overrun"))
        assert ws.path == _isolated_workspace / FILENAME
        with raw(ws) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (_isolated_workspace / FILENAME).is_file()


# -- damaged or foreign files -------------------------------------------------------------
def _fill(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.mark.parametrize(
    "content",
    [os.urandom(64 * 1024), b"not a database", b"SQLite format 3\x00" + os.urandom(4096)],
    ids=["random", "text", "bad-header"],
)
def test_a_damaged_workspace_file_is_a_storage_error_naming_it(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "damaged"
    _fill(folder / FILENAME, content)
    with pytest.raises(StorageError) as info:
        Workspace(folder)
    assert str(folder / FILENAME) in str(info.value)
    assert (folder / FILENAME).read_bytes() == content  # left as it was


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    folder = tmp_path / "foreign"
    folder.mkdir()
    with sqlite3.connect(folder / FILENAME) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StorageError, match="is not a pmkit workspace"):
        Workspace(folder)


def test_damage_inside_the_file_is_a_storage_error_for_reads_and_writes(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    Workspace(folder).close()  # the schema's pages come first; the damage hits the data after them
    with sqlite3.connect(folder / FILENAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    schema_end = (folder / FILENAME).stat().st_size
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        for _ in range(8):
            ws.sessions.import_file(starter_path("budget-overrun"))
    with sqlite3.connect(folder / FILENAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = (folder / FILENAME).stat().st_size
    assert size > schema_end
    with open(folder / FILENAME, "r+b") as fh:
        fh.seek(schema_end)
        fh.write(os.urandom(size - schema_end))
    with Workspace(folder) as ws:
        with pytest.raises(StorageError, match="workspace.sqlite"):
            ws.sessions.all()
        with pytest.raises(StorageError, match="workspace.sqlite"):
            ws.items.add(sid, "note", {"text": "x"}, role=FACILITATOR)
        with pytest.raises(StorageError, match="workspace.sqlite"):
            ws.sessions.import_file(starter_path("budget-overrun"))


def test_a_folder_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the workspace folder"):
        Workspace(blocker / "ws")


def test_closing_and_reopening_keeps_everything(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    ws = Workspace(folder)
    sid = ws.sessions.import_file(starter_path("scope-vs-deadline"))
    ws.items.set_rating(sid, next(iter(ws.sessions.load(sid, "customer").goals)).id, "customer", 0, role="customer")
    text = ws.sessions.export_yaml(sid, FACILITATOR)
    ws.close()
    with Workspace(folder) as again:
        assert again.sessions.export_yaml(sid, FACILITATOR) == text
        assert again.sessions.version(sid) == 2


# -- migrations -----------------------------------------------------------------------------
# The schema as the first version wrote it (user_version 1, no schema_version table): one
# journal row per change, so an issue added with two positions made three rows and versions.
V1_SCHEMA = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, title TEXT NOT NULL, meta TEXT NOT NULL, version INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE items (session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, kind TEXT NOT NULL,
    item_id TEXT NOT NULL, pos INTEGER NOT NULL, audience TEXT NOT NULL, rev INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (session_id, kind, item_id));
CREATE INDEX items_by_audience ON items(session_id, audience);
CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, version INTEGER NOT NULL,
    at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, op TEXT NOT NULL, kind TEXT NOT NULL,
    item_id TEXT NOT NULL, audience_before TEXT, audience_after TEXT, before TEXT, after TEXT, undoes INTEGER);
CREATE INDEX journal_by_session ON journal(session_id, seq);
CREATE TABLE link_epochs (session_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL);
CREATE TRIGGER journal_append_only_u BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_append_only_d BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TABLE probe_steps (session_id TEXT NOT NULL, role TEXT NOT NULL, issue_id TEXT NOT NULL, step REAL NOT NULL,
    used INTEGER NOT NULL, PRIMARY KEY (session_id, role, issue_id));
PRAGMA application_id = 1886219124;
PRAGMA user_version = 1;
"""
SID = "undisclosed-risk-0a1b"


def v1_workspace(folder: Path) -> None:
    """A file as the first schema left it: the undisclosed-risk starter imported, an issue
    added with two positions (three entries), a goal's description changed, then undone."""
    folder.mkdir(parents=True)
    session = starter("undisclosed-risk")
    goal = next(g for g in session.goals if g.id == "test-env").model_dump(mode="json")
    fee = {"id": "fee", "title": "Fee", "unit": "kEUR", "audience": "joint"}
    pos = {p: {"issue": "fee", "party": p, "ideal": i, "walk_away": w} for p, i, w in
           (("customer", 10.0, 30.0), ("management", 50.0, 20.0))}
    meta = {"title": session.title, "description": session.description, "date": None,
            "parties": [p.model_dump() for p in session.parties]}
    conn = sqlite3.connect(folder / FILENAME)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO sessions VALUES (?, ?, ?, 6, '2025-01-01T00:00:00.000+00:00', "
                 "'2025-01-01T00:00:06.000+00:00')", (SID, session.title, json.dumps(meta)))
    conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", [
        *session_rows(SID, session),
        (SID, "issue", "fee", 100, "joint", 1, json.dumps(fee)),
        (SID, "position", "fee/customer", 101, "customer", 1, json.dumps(pos["customer"])),
        (SID, "position", "fee/management", 102, "management", 1, json.dumps(pos["management"])),
    ])
    changed = {**goal, "description": "by Friday"}
    journal = [  # version, op, kind, item_id, audience before, after, before, after, undoes
        (1, "import", "session", SID, None, None, None, None, None),
        (2, "add", "issue", "fee", None, "joint", None, fee, None),
        (3, "add", "position", "fee/customer", None, "customer", None, pos["customer"], None),
        (4, "add", "position", "fee/management", None, "management", None, pos["management"], None),
        (5, "update", "goal", "test-env", "joint", "joint", goal, changed, None),
        (6, "undo", "goal", "test-env", "joint", "joint", changed, goal, 5),
    ]
    conn.executemany(
        "INSERT INTO journal (session_id, version, at, actor, role, op, kind, item_id, audience_before, "
        "audience_after, before, after, undoes) VALUES (?, ?, ?, 'dana', 'facilitator', ?, ?, ?, ?, ?, ?, ?, ?)",
        [(SID, v, f"2025-01-01T00:00:0{v}.000+00:00", op, kind, iid, ab, aa,
          None if b is None else json.dumps(b), None if a is None else json.dumps(a), u)
         for v, op, kind, iid, ab, aa, b, a, u in journal],
    )
    conn.executemany("INSERT INTO probe_steps VALUES (?, ?, ?, ?, ?)", [  # steps published per role then
        (SID, "customer", "cutover-slip", 0.5, 3), (SID, "customer", "fee", 5.0, 0), (SID, "management", "fee", 5, 1)])
    conn.commit()
    conn.close()


def test_the_probe_questions_asked_survive_the_migration_and_the_old_steps_do_not(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    v1_workspace(folder)
    with Workspace(folder) as ws:
        (info,) = ws.sessions.all()  # re-keyed since: the old id spelled the title
        assert ws.meeting.probe_state(info.id, "customer").used == {"cutover-slip": 3}  # no budget starts over
        assert ws.meeting.probe_state(info.id, "management").used == {"fee": 1}
        steps = {i.id: i.probe_step for i in ws.sessions.load(info.id, FACILITATOR).issues}
        assert steps["fee"] is None  # the steps published per party are gone: the facilitator's edit sets one
        with raw(ws) as conn:
            assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'probe_steps'").fetchall()


def test_a_workspace_of_the_first_schema_is_migrated_and_its_journal_stays_undoable(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    v1_workspace(folder)
    with Workspace(folder) as ws:
        (info,) = ws.sessions.all()
        sid = info.id  # re-keyed: the old id spelled the title
        assert re.fullmatch(r"s-[0-9a-f]{12}", sid)
        with raw(ws) as conn:
            assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == VERSIONS
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        history = ws.journal.history(sid)
        assert [(e.seq, e.version, e.op, e.kind, e.item_id, e.undoes) for e in history] == [
            (1, 1, "import", "session", sid, None),
            (2, 2, "add", "issue", "fee", None),
            (3, 3, "add", "position", "fee/customer", None),
            (4, 4, "add", "position", "fee/management", None),
            (5, 5, "update", "goal", "test-env", None),
            (6, 6, "undo", "goal", "test-env", 5),
            (7, 7, "rekey", "session", sid, None),
        ]
        assert all(len(e.changes) == 1 for e in history)
        assert [e.actor for e in history] == ["dana"] * 6 + ["pmkit"]
        assert (history[6].before, history[6].after) == ({"id": SID}, {"id": sid})
        assert history[4].summary == "goal 'Integration test environment ready for the customer's team': description"
        # the old id is the facilitator's to see: a party's history never holds it
        assert [e.item_id for e in ws.journal.history(sid, "customer")] == [sid, "fee", "fee/customer", "test-env",
                                                                            "test-env"]
        assert SID not in repr(ws.journal.history(sid, "customer")) + repr(ws.journal.history(sid, "room"))
        # each old entry is an edit of its own: three undos take the issue and its positions away
        assert [ws.journal.undo(sid).item_id for _ in range(3)] == ["fee/management", "fee/customer", "fee"]
        with pytest.raises(NotFound, match="nothing to undo"):
            ws.journal.undo(sid)
        # (the first schema had no disclosure plan)
        assert ws.sessions.load(sid, FACILITATOR) == starter("undisclosed-risk").model_copy(
            update={"date": None, "joint_title": "", "plan": []})
        # new edits continue the journal: the next seq and version, one entry each
        ws.items.add(sid, "issue", {"id": "fee2", "title": "Fee", "positions": {"customer": {"ideal": 1}}},
                    role=FACILITATOR)
        last = ws.journal.history(sid)[-1]
        assert (last.seq, last.version, len(last.changes)) == (11, 11, 2)
        with raw(ws) as conn:
            for sql in ("UPDATE journal SET actor = 'x'", "DELETE FROM journal_changes WHERE seq = 2"):
                with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                    conn.execute(sql)
    with Workspace(folder) as again, raw(again) as conn:  # opened again: nothing more to migrate
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
        assert [i.id for i in again.sessions.all()] == [sid]


def test_a_new_workspace_gets_every_migration_once(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws, raw(ws) as conn:
        rows = conn.execute("SELECT version, applied_at FROM schema_version ORDER BY version").fetchall()
        assert [r[0] for r in rows] == VERSIONS == sorted(set(VERSIONS))  # ascending; gaps are allowed
        assert VERSIONS[0] == 1 and VERSIONS[-1] == SCHEMA_VERSION
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'journal_v1'").fetchall()
    with Workspace(tmp_path / "ws") as ws, raw(ws) as conn:
        assert conn.execute("SELECT version, applied_at FROM schema_version ORDER BY version").fetchall() == rows



def test_a_workspace_from_a_newer_pmkit_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    Workspace(folder).close()
    with sqlite3.connect(folder / FILENAME) as conn:
        conn.execute(f"INSERT INTO schema_version VALUES ({NEWER}, 'later', 'something new')")
        conn.execute(f"PRAGMA user_version = {NEWER}")
    with pytest.raises(StorageError, match="newer pmkit"):
        Workspace(folder)
    with sqlite3.connect(folder / FILENAME) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_version")] == [*VERSIONS, NEWER]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == NEWER


def test_each_backend_module_alone_speaks_its_database() -> None:
    """The seam: SQLite's driver and statements stay in pmkit/store/sqlite.py, PostgreSQL's in
    pmkit/store/postgres.py and its backups in pgdump.py (the schema's SQLite-worded DDL in
    db.py); the rest of the store writes portable SQL."""
    root = Path(pmkit.__file__).parent
    own = {
        root / "store" / "sqlite.py": ("sqlite3", "PRAGMA", "sqlite_master", "BEGIN IMMEDIATE"),
        root / "store" / "postgres.py": ("psycopg", "pg_advisory", "LISTEN", "RETURNING"),
        root / "store" / "pgdump.py": ("psycopg", "pg_class", "REPEATABLE READ"),
    }
    driver = ("sqlite3", "PRAGMA", "sqlite_master", "psycopg", "pg_advisory", "pg_notify", "LISTEN ")
    dialect = ("INSERT OR", "REPLACE INTO", "BEGIN IMMEDIATE", "AUTOINCREMENT", "rowid", "RAISE(", "julianday(",
               "ifnull(", "group_concat(", "json_extract(", "RETURNING", "ILIKE", "pg_class", "pg_get_")
    for path in sorted(root.rglob("*.py")):
        if path in own or path in (root / "store" / "db.py", root / "store" / "seam.py"):
            continue
        text = path.read_text(encoding="utf-8")
        found = [w for w in (*driver, *(dialect if path.parent.name == "store" else ())) if w in text]
        assert not found, f"{path.relative_to(root)} uses {found}"
    for path, words in own.items():
        assert all(w in path.read_text(encoding="utf-8") for w in words), path


def test_the_schema_is_written_once_and_translated_for_postgresql() -> None:
    from pmkit.store.postgres import _placeholders, translate
    from pmkit.store.seam import AppendOnly

    assert translate("CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, x REAL, b BLOB)") == (
        "CREATE TABLE t (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT NOT NULL, "
        "x DOUBLE PRECISION, b BYTEA)")
    assert translate("INSERT INTO t SELECT 'INTEGER'") == "INSERT INTO t SELECT 'INTEGER'"  # only table DDL
    assert _placeholders("SELECT ? WHERE a LIKE 'x?%' AND b = ?") == "SELECT %s WHERE a LIKE 'x?%%' AND b = %s"
    sqlite, postgres = AppendOnly("answers").render("sqlite"), AppendOnly("answers").render("postgresql")
    assert len(sqlite) == 2 and all("RAISE(ABORT" in s for s in sqlite)
    assert any("BEFORE TRUNCATE" in s for s in postgres) and any("UPDATE OR DELETE" in s for s in postgres)
    for m in MIGRATIONS:  # every step has something to run on both backends
        assert (m.for_dialect("sqlite") and m.for_dialect("postgresql")) or m.step is not None
