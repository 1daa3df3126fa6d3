"""The SQLite workspace: role-filtered reads, permissions, journal, history and undo,
safe concurrent writes within one process, and damaged files."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import STARTERS, starter

from pmkit import settings
from pmkit.disclosure import hidden_texts, view_for
from pmkit.errors import AccessDenied, ConflictError, InputError, NotFound, StorageError
from pmkit.model import FACILITATOR, ITEM_KINDS, Session
from pmkit.resources import starter_path
from pmkit.store import FILENAME, Workspace
from pmkit.yamlio import dump_session, load_session


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


# -- storing and loading ------------------------------------------------------------------
@pytest.mark.parametrize("name", STARTERS)
def test_import_then_load_gives_back_the_same_session(workspace: Workspace, name: str) -> None:
    sid = workspace.import_file(starter_path(name))
    assert workspace.load(sid, FACILITATOR) == starter(name)
    assert workspace.export_yaml(sid, FACILITATOR) == dump_session(starter(name))
    for role in starter(name).party_ids:
        assert workspace.load(sid, role) == view_for(starter(name), role)


def test_the_workspace_is_one_wal_file_in_the_folder_from_the_environment(
    _isolated_workspace: Path,
) -> None:
    assert settings.workspace_dir() == _isolated_workspace  # PMKIT_WORKSPACE
    with Workspace() as ws:
        ws.import_file(starter_path("budget-overrun"))
        assert ws.path == _isolated_workspace / FILENAME
        with raw(ws) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (_isolated_workspace / FILENAME).is_file()


def test_sessions_info_and_version(workspace: Workspace) -> None:
    a = workspace.import_file(starter_path("budget-overrun"))
    b = workspace.import_file(starter_path("quality-vs-speed"))
    assert [i.id for i in workspace.sessions()] == [a, b]
    assert workspace.info(a).title == starter("budget-overrun").title
    assert workspace.version(a) == 1
    assert workspace.roles(a) == [FACILITATOR, "customer", "management"]
    with pytest.raises(NotFound, match="no session 'nope'"):
        workspace.load("nope", FACILITATOR)


# -- who sees what ------------------------------------------------------------------------
class RecordingRows:
    """A row factory that keeps every row the store fetches from SQLite."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def __call__(self, cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        self.rows.append(row)
        return sqlite3.Row(cursor, row)

    def text(self) -> str:
        return " ".join(" ".join(str(v) for v in r) for r in self.rows)


@pytest.mark.parametrize("name", STARTERS)
def test_a_party_never_reads_rows_it_may_not_see(workspace: Workspace, name: str) -> None:
    sid = workspace.import_file(starter_path(name))
    # some journal entries about items of every audience
    for g in starter(name).goals:
        workspace.update_item(sid, "goal", g.id, {"description": "reviewed"}, role=FACILITATOR)
    for role in starter(name).party_ids:
        recorder = RecordingRows()
        workspace._db.conn.row_factory = recorder
        try:
            s = workspace.load(sid, role)
            workspace.history(sid, role)
        finally:
            workspace._db.conn.row_factory = sqlite3.Row
        fetched = recorder.text()
        hidden = [t for t in hidden_texts(starter(name), role) if not t.replace(".", "").isdigit()]
        assert hidden
        for text in hidden:
            assert text not in fetched, f"{role} fetched a row holding {text!r}"
        for field, _cls, _p in ITEM_KINDS.values():
            assert all(i.audience in ("joint", role) for i in getattr(s, field))
        # the rows are there: the filter, not their absence, kept them out
        with raw(workspace) as conn:
            n = conn.execute(
                "SELECT count(*) FROM items WHERE session_id=? AND audience NOT IN ('joint', ?)",
                (sid, role),
            ).fetchone()[0]
            assert n > 0


def test_positions_follow_the_issue_audience_and_undo_restores_them(workspace: Workspace) -> None:
    sid = workspace.import_file(starter_path("undisclosed-risk"))

    def customer_positions() -> dict[str, dict[str, Any]]:
        return {i.id: i.positions for i in workspace.load(sid, "customer").issues}

    before = customer_positions()
    assert set(before["cutover-slip"]) == {"customer"}
    workspace.update_item(sid, "issue", "cutover-slip", {"audience": "management"}, role=FACILITATOR)
    assert "cutover-slip" not in customer_positions()
    with raw(workspace) as conn:
        aud = conn.execute(
            "SELECT audience FROM items WHERE session_id=? AND item_id='cutover-slip/customer'",
            (sid,),
        ).fetchone()[0]
    assert aud == "facilitator"  # no longer loaded for the customer at all
    workspace.undo(sid)
    assert customer_positions() == before
    # and the other way: a management issue made joint shows the customer its own position only
    workspace.set_position(sid, "overtime-budget", "customer", 10, 20, role=FACILITATOR)
    assert "overtime-budget" not in customer_positions()
    workspace.update_item(sid, "issue", "overtime-budget", {"audience": "joint"}, role=FACILITATOR)
    assert set(customer_positions()["overtime-budget"]) == {"customer"}


# -- permissions --------------------------------------------------------------------------
@pytest.fixture
def risk(workspace: Workspace) -> str:
    return workspace.import_file(starter_path("undisclosed-risk"))


def test_a_party_rates_for_itself_only(workspace: Workspace, risk: str) -> None:
    workspace.set_rating(risk, "training-plan", "customer", 2, "oppose", role="customer")
    assert goal_ratings(workspace, risk, "training-plan")["customer"] == (2, "oppose")
    with pytest.raises(AccessDenied, match="may not rate goals for 'management'"):
        workspace.set_rating(risk, "training-plan", "management", 5, "support", role="customer")
    assert "management" not in goal_ratings(workspace, risk, "training-plan")
    with pytest.raises(AccessDenied):
        workspace.set_position(risk, "cutover-slip", "management", 1, 2, role="customer")


def test_a_party_cannot_touch_what_it_may_not_see(workspace: Workspace, risk: str) -> None:
    # management-only goal: for the customer it does not exist
    with pytest.raises(NotFound, match="no goal 'vendor-slip'"):
        workspace.set_rating(risk, "vendor-slip", "customer", 5, role="customer")
    with pytest.raises(NotFound):
        workspace.set_position(risk, "overtime-budget", "customer", 1, role="customer")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda ws, s: ws.update_item(s, "goal", "test-env", {"audience": "customer"}, role="customer"),
            "only the facilitator may change",
        ),
        (
            lambda ws, s: ws.update_item(s, "goal", "test-env", {"title": "Mine"}, role="customer"),
            "only the facilitator may change",
        ),
        (
            lambda ws, s: ws.add_item(s, "agreement", {"text": "We agree"}, role="customer"),
            "only the facilitator may add agreements",
        ),
        (
            lambda ws, s: ws.add_item(s, "note", {"text": "psst"}, role="management"),
            "only the facilitator may add notes",
        ),
        (
            lambda ws, s: ws.add_item(s, "goal", {"title": "X", "raised_by": "management"}, role="customer"),
            "raised by itself",
        ),
        (
            lambda ws, s: ws.add_item(
                s,
                "goal",
                {"title": "X", "raised_by": "customer", "audience": "facilitator"},
                role="customer",
            ),
            "for everyone or itself",
        ),
        (
            lambda ws, s: ws.add_item(
                s,
                "goal",
                {
                    "title": "X",
                    "raised_by": "customer",
                    "ratings": {"management": {"importance": 1}},
                },
                role="customer",
            ),
            "only for itself",
        ),
        (
            lambda ws, s: ws.delete_item(s, "goal", "test-env", role="customer"),
            "only the facilitator may delete",
        ),
        (lambda ws, s: ws.undo(s, role="management"), "only the facilitator may undo"),
        (lambda ws, s: ws.load(s, "board"), "unknown role 'board'"),
        (lambda ws, s: ws.set_rating(s, "test-env", "customer", 1, role="board"), "may not rate"),
    ],
)
def test_a_party_may_not(workspace: Workspace, risk: str, call: Any, message: str) -> None:
    with pytest.raises(AccessDenied, match=message):
        call(workspace, risk)
    assert workspace.version(risk) == 1  # nothing was written
    assert len(workspace.history(risk)) == 1


def test_a_party_may_add_its_own_goal(workspace: Workspace, risk: str) -> None:
    gid = workspace.add_item(
        risk,
        "goal",
        {
            "title": "Weekly demo",
            "raised_by": "customer",
            "ratings": {"customer": {"importance": 4}},
        },
        role="customer",
    )
    assert gid in {g.id for g in workspace.load(risk, "management").goals}
    private = workspace.add_item(
        risk,
        "goal",
        {"title": "Our own red line", "raised_by": "customer", "audience": "customer"},
        role="customer",
    )
    assert private not in {g.id for g in workspace.load(risk, "management").goals}


# -- edits, versions, conflicts -----------------------------------------------------------
def test_every_edit_bumps_the_version_and_is_journaled(workspace: Workspace, risk: str) -> None:
    ws = Workspace(workspace.folder, actor="dana")
    ws.set_rating(risk, "training-plan", "management", 2, "neutral", role=FACILITATOR)
    ws.update_item(risk, "action", "env-date", {"status": "done"}, role=FACILITATOR)
    nid = ws.add_item(risk, "note", {"text": "Room 4 booked", "audience": "joint"}, role=FACILITATOR)
    ws.set_position(risk, "cutover-slip", "customer", 1, 3, role=FACILITATOR)
    ws.delete_item(risk, "note", nid, role=FACILITATOR)
    assert ws.version(risk) == 6
    entries = ws.history(risk)
    assert [e.op for e in entries] == ["import", "update", "update", "add", "update", "delete"]
    assert [e.version for e in entries] == [1, 2, 3, 4, 5, 6]
    e = entries[2]
    assert (e.actor, e.role, e.kind, e.item_id) == ("dana", FACILITATOR, "action", "env-date")
    assert e.before is not None and e.after is not None
    assert (e.before["status"], e.after["status"]) == ("open", "done")
    assert e.summary == "action 'Confirm a date for the integration test environment': status"
    assert e.at.endswith("+00:00")
    assert ws.history(risk, limit=2) == entries[-2:]
    ws.close()


def test_a_no_op_edit_changes_nothing(workspace: Workspace, risk: str) -> None:
    rev = workspace.update_item(risk, "goal", "test-env", {"audience": "joint"}, role=FACILITATOR)
    assert rev == 1
    workspace.set_rating(risk, "test-env", "customer", 5, "support", role=FACILITATOR)
    assert workspace.version(risk) == 1


def test_a_stale_write_is_a_conflict_and_a_fresh_one_is_not(workspace: Workspace, risk: str) -> None:
    other = Workspace(workspace.folder)
    rev = other.update_item(risk, "goal", "test-env", {"description": "theirs"}, role=FACILITATOR, base_rev=1)
    assert rev == 2
    with pytest.raises(ConflictError, match="reload it and apply your edit again"):
        workspace.update_item(risk, "goal", "test-env", {"description": "mine"}, role=FACILITATOR, base_rev=1)
    g = next(g for g in workspace.load(risk, FACILITATOR).goals if g.id == "test-env")
    assert g.description == "theirs"
    assert workspace.update_item(risk, "goal", "test-env", {"description": "mine"}, role=FACILITATOR, base_rev=2) == 3
    other.close()


def test_edits_are_deltas_so_interleaved_writers_keep_both(workspace: Workspace, risk: str) -> None:
    other = Workspace(workspace.folder)
    workspace.set_rating(risk, "training-plan", "customer", 1, "oppose", role="customer")
    other.set_rating(risk, "training-plan", "management", 4, "support", role="management")
    workspace.update_item(risk, "goal", "training-plan", {"description": "both rated"}, role=FACILITATOR)
    assert goal_ratings(other, risk, "training-plan") == {
        "customer": (1, "oppose"),
        "management": (4, "support"),
    }
    other.close()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda ws, s: ws.set_rating(s, "test-env", "customer", 6, role=FACILITATOR),
            InputError,
            "0-5",
        ),
        (
            lambda ws, s: ws.set_rating(s, "test-env", "customer", 3, "adore", role=FACILITATOR),
            InputError,
            "'adore'",
        ),
        (
            lambda ws, s: ws.set_rating(s, "test-env", "vendor", 3, role=FACILITATOR),
            InputError,
            "not a party",
        ),
        (
            lambda ws, s: ws.set_position(s, "cutover-slip", "customer", float("nan"), role=FACILITATOR),
            InputError,
            "finite",
        ),
        (
            lambda ws, s: ws.update_item(s, "goal", "test-env", {"audience": "board"}, role=FACILITATOR),
            InputError,
            "audience 'board'",
        ),
        (
            lambda ws, s: ws.update_item(s, "goal", "test-env", {"id": "other"}, role=FACILITATOR),
            InputError,
            "cannot be changed",
        ),
        (
            lambda ws, s: ws.update_item(s, "goal", "test-env", {"colour": "red"}, role=FACILITATOR),
            InputError,
            "colour",
        ),
        (
            lambda ws, s: ws.update_item(s, "widget", "x", {}, role=FACILITATOR),
            InputError,
            "unknown item kind",
        ),
        (
            lambda ws, s: ws.update_item(s, "goal", "nope", {}, role=FACILITATOR),
            NotFound,
            "no goal 'nope'",
        ),
        (
            lambda ws, s: ws.add_item(
                s,
                "goal",
                {"title": "t", "raised_by": "customer", "id": "test-env"},
                role=FACILITATOR,
            ),
            InputError,
            "exists already",
        ),
        (
            lambda ws, s: ws.add_item(
                s,
                "issue",
                {"title": "Fee", "positions": {"vendor": {"ideal": 1}}},
                role=FACILITATOR,
            ),
            InputError,
            "positions has 'vendor'",
        ),
        (
            lambda ws, s: ws.add_item(
                s,
                "issue",
                {"title": "Fee", "positions": {"customer": {"ideal": "lots"}}},
                role=FACILITATOR,
            ),
            InputError,
            "positions.customer.ideal",
        ),
        (
            lambda ws, s: ws.add_item(
                s,
                "goal",
                {"title": "t", "raised_by": "customer", "positions": {}},
                role=FACILITATOR,
            ),
            InputError,
            "positions",
        ),
        (
            lambda ws, s: ws.add_item(s, "note", "just text", role=FACILITATOR),
            InputError,
            "mapping",
        ),
    ],
)
def test_bad_edits_are_refused_and_write_nothing(
    workspace: Workspace, risk: str, call: Any, error: type[Exception], message: str
) -> None:
    before = workspace.export_yaml(risk, FACILITATOR)
    with pytest.raises(error, match=message):
        call(workspace, risk)
    assert workspace.version(risk) == 1
    assert workspace.export_yaml(risk, FACILITATOR) == before


def test_an_issue_added_with_positions_keeps_each_partys_values_private(workspace: Workspace, risk: str) -> None:
    iid = workspace.add_item(
        risk,
        "issue",
        {
            "title": "Change budget",
            "unit": "kEUR",
            "positions": {"customer": {"ideal": 40, "walk_away": 55}, "management": {"ideal": 80}},
        },
        role=FACILITATOR,
    )
    mine = next(i for i in workspace.load(risk, "customer").issues if i.id == iid)
    assert set(mine.positions) == {"customer"} and mine.positions["customer"].walk_away == 55
    full = next(i for i in workspace.load(risk, FACILITATOR).issues if i.id == iid)
    assert full.positions["management"].ideal == 80


# -- history and undo ---------------------------------------------------------------------
def test_undo_of_edits_restores_the_exact_document(workspace: Workspace, risk: str) -> None:
    original = workspace.export_yaml(risk, FACILITATOR)
    workspace.set_rating(risk, "training-plan", "management", 1, "oppose", role=FACILITATOR)
    workspace.update_item(risk, "issue", "cutover-slip", {"unit": "days"}, role=FACILITATOR)
    workspace.set_position(risk, "cutover-slip", "customer", 3, 9, role=FACILITATOR)
    for _ in range(3):
        workspace.undo(risk)
    assert workspace.export_yaml(risk, FACILITATOR) == original


def test_undo_walks_back_one_edit_at_a_time(workspace: Workspace, risk: str) -> None:
    original = workspace.export_yaml(risk, FACILITATOR)
    workspace.set_rating(risk, "training-plan", "management", 1, "oppose", role=FACILITATOR)
    after_one = workspace.export_yaml(risk, FACILITATOR)
    workspace.update_item(risk, "goal", "test-env", {"title": "Test environment by Friday"}, role=FACILITATOR)
    after_two = workspace.export_yaml(risk, FACILITATOR)
    workspace.delete_item(risk, "action", "env-date", role=FACILITATOR)
    workspace.add_item(risk, "note", {"text": "late addition"}, role=FACILITATOR)

    assert workspace.undo(risk).op == "add"
    assert workspace.undo(risk).op == "delete"
    # the deleted action is back (at the end of its list: the journal does not keep positions)
    assert by_id(workspace.load(risk, FACILITATOR)) == by_id(load_session(after_two))
    assert workspace.undo(risk).kind == "goal"
    assert by_id(workspace.load(risk, FACILITATOR)) == by_id(load_session(after_one))
    workspace.undo(risk)
    assert by_id(workspace.load(risk, FACILITATOR)) == by_id(load_session(original))
    with pytest.raises(NotFound, match="nothing to undo"):
        workspace.undo(risk)
    ops = [e.op for e in workspace.history(risk)]
    assert ops == ["import", "update", "update", "delete", "add", "undo", "undo", "undo", "undo"]
    seqs = {e.op: e.seq for e in workspace.history(risk) if e.op != "undo"}
    undone = [e.undoes for e in workspace.history(risk) if e.op == "undo"]
    assert undone[:2] == [seqs["add"], seqs["delete"]]  # newest first


def test_undo_by_a_party_is_refused(workspace: Workspace, risk: str) -> None:
    workspace.set_rating(risk, "training-plan", "customer", 1, role="customer")
    for role in ("customer", "management"):
        with pytest.raises(AccessDenied):
            workspace.undo(risk, role=role)
    assert goal_ratings(workspace, risk, "training-plan")["customer"] == (1, "neutral")


def test_history_of_a_party_leaves_out_what_it_may_not_see(workspace: Workspace, risk: str) -> None:
    workspace.update_item(risk, "goal", "vendor-slip", {"description": "now eight weeks"}, role=FACILITATOR)
    workspace.update_item(risk, "note", "fac-caution", {"text": "Still quiet."}, role=FACILITATOR)
    workspace.update_item(risk, "goal", "test-env", {"description": "Friday"}, role=FACILITATOR)
    workspace.set_position(risk, "cutover-slip", "management", 6, 4, role=FACILITATOR)
    assert [e.item_id for e in workspace.history(risk, "customer")] == [risk, "test-env"]
    assert [e.item_id for e in workspace.history(risk, "management")] == [
        risk,
        "vendor-slip",
        "test-env",
        "cutover-slip/management",
    ]
    assert len(workspace.history(risk, FACILITATOR)) == 5


def test_an_item_moved_out_of_sight_leaves_no_trace_in_the_partys_history(workspace: Workspace, risk: str) -> None:
    workspace.update_item(risk, "goal", "test-env", {"audience": "management"}, role=FACILITATOR)
    assert [e.item_id for e in workspace.history(risk, "customer")] == [risk]


def test_the_journal_is_append_only(workspace: Workspace, risk: str) -> None:
    workspace.set_rating(risk, "training-plan", "customer", 1, role="customer")
    with raw(workspace) as conn:
        for sql in ("UPDATE journal SET actor = 'someone else'", "DELETE FROM journal"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql)
        assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 2
    assert {e.actor for e in workspace.history(risk)} == {workspace.actor}


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
    with Workspace(folder) as ws:
        sid = ws.import_file(starter_path("undisclosed-risk"))
        for _ in range(8):
            ws.import_file(starter_path("budget-overrun"))
    with sqlite3.connect(folder / FILENAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = (folder / FILENAME).stat().st_size
    with open(folder / FILENAME, "r+b") as fh:
        fh.seek(4096)
        fh.write(os.urandom(size - 4096))
    with Workspace(folder) as ws:
        with pytest.raises(StorageError, match="workspace.sqlite"):
            ws.sessions()
        with pytest.raises(StorageError, match="workspace.sqlite"):
            ws.add_item(sid, "note", {"text": "x"}, role=FACILITATOR)
        with pytest.raises(StorageError, match="workspace.sqlite"):
            ws.import_file(starter_path("budget-overrun"))


def test_a_folder_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the workspace folder"):
        Workspace(blocker / "ws")


def test_closing_and_reopening_keeps_everything(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    ws = Workspace(folder)
    sid = ws.import_file(starter_path("scope-vs-deadline"))
    ws.set_rating(sid, next(iter(ws.load(sid, "customer").goals)).id, "customer", 0, role="customer")
    text = ws.export_yaml(sid, FACILITATOR)
    ws.close()
    with Workspace(folder) as again:
        assert again.export_yaml(sid, FACILITATOR) == text
        assert again.version(sid) == 2
