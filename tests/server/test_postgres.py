"""What only the PostgreSQL workspace has, against a real server: its schema and migrations,
a database that is not pmkit's, notifications to open pages, an outage in the middle of a
meeting, and backups taken and restored by pmkit."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pmkit.errors import StorageError, StorageUnavailable
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace, backups
from pmkit.store.db import MIGRATIONS, SCHEMA_VERSION
from tests.support.cli import run_cli
from tests.support.postgres import fresh_schema, postgres, postgres_server
from tests.support.store import RAW_ERRORS, raw


@pytest.fixture
def url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    schema_url = fresh_schema(postgres_url)
    monkeypatch.setenv("PMKIT_DATABASE_URL", schema_url)
    return schema_url


def test_a_new_database_gets_every_migration_once_and_is_marked_as_pmkits(url: str, tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        assert (ws.backend, ws.path) == ("postgresql", None)
        assert "postgres@" in ws.where and "password" not in ws.where
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        with raw(ws) as conn:
            rows = conn.execute("SELECT version, applied_at FROM schema_version ORDER BY version").fetchall()
            assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
            assert conn.execute("SELECT obj_description('schema_version'::regclass, 'pg_class')").fetchone()[0] == \
                "pmkit workspace"
            assert conn.execute("SELECT to_regclass('journal_v1')").fetchone()[0] is None
            types = dict(conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'probe_questions'").fetchall())
            assert types["used"] == "bigint"
    with Workspace(tmp_path / "ws") as again, raw(again) as conn:
        assert conn.execute("SELECT version, applied_at FROM schema_version ORDER BY version").fetchall() == rows
        assert again.sessions.load(sid, FACILITATOR).title.startswith("Undisclosed risk")


def test_servers_starting_together_migrate_once(url: str, tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def open_one(n: int) -> None:
        try:
            Workspace(tmp_path / f"ws{n}").close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_a_database_from_a_newer_pmkit_is_refused_and_left_alone(url: str, tmp_path: Path) -> None:
    Workspace(tmp_path / "ws").close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version VALUES (%s, 'later', 'something new')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StorageError, match="newer pmkit"):
        Workspace(tmp_path / "ws")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION + 1


@pytest.mark.parametrize("foreign", [
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT, what TEXT)",
    "CREATE TABLE sessions (id TEXT PRIMARY KEY, customer TEXT)",
], ids=["other-schema_version", "other-sessions"])
def test_a_database_holding_another_programs_tables_is_not_taken_over(url: str, tmp_path: Path, foreign: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(foreign)
    with pytest.raises(StorageError, match="not a pmkit workspace"):
        Workspace(tmp_path / "ws")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_schema = current_schema()").fetchone()[0] == 1


def test_the_journal_cannot_be_truncated_either(url: str, workspace: Workspace, demo: str) -> None:
    workspace.items.set_rating(demo, "test-env", "customer", 2, role="customer")
    with raw(workspace) as conn:
        for sql in ("TRUNCATE journal_changes", "TRUNCATE journal CASCADE", "DELETE FROM journal"):
            with pytest.raises(RAW_ERRORS, match="append-only"):
                conn.execute(sql)
    assert len(workspace.journal.history(demo)) == 2


def test_a_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    r = run_cli("--database", "mysql://db/x", "list")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not a PostgreSQL URL" in r.stderr
    r = run_cli("--database", f"postgresql://nobody:hunter2@/pmkit?host={tmp_path}", "list")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "cannot be reached" in r.stderr and "hunter2" not in r.stderr and "Traceback" not in r.stderr


def test_the_command_line_uses_the_database_named_by_the_option(postgres_url: str) -> None:
    schema_url = fresh_schema(postgres_url)
    r = run_cli("--database", schema_url, "import", str(starter_path("budget-overrun")))
    assert r.returncode == 0, r.stderr
    sid = r.stdout.split()[-1]
    with Workspace(database=schema_url) as ws:
        assert [i.id for i in ws.sessions.all()] == [sid]
    assert run_cli("list").stdout == ""  # the SQLite workspace beside it is another one


# -- notifications --------------------------------------------------------------------------
def _first_looks(ws: Workspace, sid: str, n: int, edit: object) -> list[float]:
    """Seconds from each edit (made by another connection) to the watcher's next look."""
    async def run() -> list[float]:
        looks = ws.watch(sid, interval=60.0)  # an interval that long: only notifications can be fast
        await looks.__anext__()  # listening
        out = []
        for i in range(n):
            start = time.monotonic()
            await asyncio.get_running_loop().run_in_executor(None, edit, i)  # type: ignore[arg-type]
            await asyncio.wait_for(looks.__anext__(), 10)
            out.append(time.monotonic() - start)
        await looks.aclose()
        return out

    return asyncio.run(run())


def test_an_edit_in_another_process_wakes_the_watchers_of_its_session_at_once(
    url: str, workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    other = Workspace(tmp_path / "elsewhere")  # another server's connection

    def edit(i: int) -> None:
        other.items.set_rating(demo, "test-env", "customer", i % 5, role="customer")

    delays = _first_looks(workspace, demo, 5, edit)
    assert max(delays) < 1.0, delays
    other.close()


# -- an outage in the middle of a meeting ---------------------------------------------------
@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL server of this test's own, to stop and start again."""
    with postgres_server() as server_url:
        folder = Path(server_url.split("host=")[1])
        monkeypatch.setenv("PMKIT_DATABASE_URL", server_url)
        yield server_url, folder


def test_stopping_the_server_is_a_clear_error_and_after_a_restart_nothing_acknowledged_is_lost(
    own_server: tuple[str, Path], tmp_path: Path
) -> None:
    _url, folder = own_server
    ws = Workspace(tmp_path / "ws")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    acknowledged = [ws.items.add(sid, "note", {"text": f"note {i}"}, role=FACILITATOR) for i in range(5)]

    async def watch_through_outage() -> int:
        looks = ws.watch(sid, interval=60.0)
        await looks.__anext__()
        postgres("stop", folder)
        await asyncio.wait_for(looks.__anext__(), 10)  # the watcher notices the outage at once
        with pytest.raises(StorageUnavailable, match="cannot be reached") as info:
            ws.sessions.version(sid)
        assert "Traceback" not in str(info.value) and "\n" not in str(info.value)
        with pytest.raises(StorageUnavailable):
            ws.items.add(sid, "note", {"text": "not saved"}, role=FACILITATOR)
        postgres("start", folder)
        for _ in range(30):  # it keeps looking, about once a second, until the server is back
            await asyncio.wait_for(looks.__anext__(), 10)
            try:
                return ws.sessions.version(sid)
            except StorageUnavailable:
                continue
        raise AssertionError("the workspace never came back")

    version = asyncio.run(watch_through_outage())
    assert version == 1 + len(acknowledged)
    notes = {n.id for n in ws.sessions.load(sid, FACILITATOR).notes}
    assert set(acknowledged) <= notes and len(notes) == len(acknowledged) + 1  # + the starter's own note
    ws.items.add(sid, "note", {"text": "after the restart"}, role=FACILITATOR)  # the same object writes again
    assert ws.sessions.version(sid) == version + 1
    ws.close()


# -- backups --------------------------------------------------------------------------------
def test_a_backup_restores_every_session_its_journal_and_meeting_state_into_an_empty_database(
    url: str, postgres_url: str, workspace: Workspace, demo: str
) -> None:
    workspace.meeting.revoke_links(demo)  # before the rating: undo stops at a revocation
    workspace.items.set_rating(demo, "test-env", "customer", 2, "support", role="customer")
    workspace.meeting.count_question(demo, "customer", "cutover-slip")
    other = workspace.sessions.import_file(starter_path("budget-overrun"))
    r = run_cli("backup")
    assert r.returncode == 0, r.stderr
    path = Path(r.stdout.split()[-1])
    assert path.name.startswith("database-") and path.name.endswith(".jsonl.gz")
    assert backups.list_backups(workspace.folder) == [path] and oct(path.stat().st_mode)[-3:] == "600"

    r = run_cli("restore")  # the database holds sessions: never overwritten
    assert r.returncode == 2 and "never overwrites" in r.stderr

    target = fresh_schema(postgres_url)
    r = run_cli("--database", target, "restore")
    assert r.returncode == 0, r.stderr
    with Workspace(database=target) as copy:
        assert [i.id for i in copy.sessions.all()] == [demo, other]
        for sid in (demo, other):
            for role in copy.sessions.roles(sid):
                assert copy.sessions.load(sid, role) == workspace.sessions.load(sid, role)
            assert copy.journal.history(sid) == workspace.journal.history(sid)
        assert copy.meeting.link_epoch(demo) == 1
        assert copy.meeting.probe_state(demo, "customer") == workspace.meeting.probe_state(demo, "customer")
        copy.journal.undo(demo)  # the journal goes on: keys continue after the loaded ones
        newest = max(e.seq for s in (demo, other) for e in workspace.journal.history(s))
        assert copy.journal.history(demo)[-1].seq > newest


def test_a_backup_that_is_not_one_is_refused(url: str, workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "database-x.jsonl.gz"
    bad.write_bytes(b"not a backup at all")
    with pytest.raises(StorageError, match="not readable|not a pmkit"):
        backups.restore(workspace.folder, bad)
