"""The migration that gives sessions made with ids spelled from their titles random ids:
every table that holds a session id follows (rounds and probe questions too), the journal
records it for the facilitator alone, old links stop working, and a failure half-way
leaves the workspace as it was. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from pmkit import settings
from pmkit.errors import AccessDenied, StorageError
from pmkit.meeting import links as access
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import FILENAME, RoomView, Workspace
from pmkit.store.db import MIGRATIONS, _rekey
from pmkit.store.seam import POSTGRESQL, SQLITE, AppendOnly, DropAppendOnly
from pmkit.views.bargaining_ranges import range_facts
from pmkit.widgets.room_reveal import reveal_for
from tests.support.store import RAW_ERRORS, raw

pytestmark = pytest.mark.usefixtures("backend")

SESSION_ID = re.compile(r"s-[0-9a-f]{12}")
OLD = "undisclosed-risk-erp-int-0a1b"
# every table that holds a session id, as a workspace of the newest schema has them
SESSION_TABLES = ("agenda_items", "calendar_epochs", "calendar_events", "disclosure_plan", "items", "journal",
                  "link_epochs", "participant_answers", "participant_emails", "participant_inputs",
                  "participant_languages", "participants",
                  "prepare_answers", "prepare_people", "prepare_windows", "probe_questions", "room_view",
                  "round_answers", "round_items", "rounds", "session_options", "session_series", "settlement_answers",
                  "settlements")
_COLUMNS = "id, title, description, meta, version, created_at, updated_at"


def _place(folder: Path) -> Any:
    """Where the workspace in ``folder`` keeps its rows (what :func:`raw` needs), without
    opening it: the PostgreSQL database of the test's backend, else the SQLite file."""
    return SimpleNamespace(database_url=settings.database_url(None), path=folder / FILENAME)


def _dialect(where: Any) -> str:
    return POSTGRESQL if where.database_url else SQLITE


def _tables(conn: Any, dialect: str) -> list[str]:
    if dialect == SQLITE:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    else:
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
               "ORDER BY table_name")
    return [str(r[0]) for r in conn.execute(sql).fetchall()]


def _with_session_id(conn: Any, dialect: str) -> list[str]:
    if dialect == SQLITE:
        return [t for t in _tables(conn, dialect)
                if any(c[1] == "session_id" for c in conn.execute(f"PRAGMA table_info({t})").fetchall())]
    return [str(r[0]) for r in conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_name = 'session_id' ORDER BY table_name").fetchall()]


def _everything(where: Any) -> str:
    """Every row of every table, in a stable order: the whole workspace as text."""
    with raw(where) as conn:
        dialect = _dialect(where)
        return "\n".join(f"{t}: {row}" for t in _tables(conn, dialect)
                         for row in sorted(repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {t}").fetchall()))


def _back_to_word_ids(where: Any, sid: str, extra: tuple[str, ...] = ()) -> None:
    """Make the workspace look as it did before ids were random: ``sid`` renamed to a slug of
    its title in every table, and the re-key migration not applied yet."""
    dialect = _dialect(where)
    with raw(where) as conn:
        assert sorted(_with_session_id(conn, dialect)) == sorted(SESSION_TABLES)  # a new table? list it above
        for t in ("journal", "journal_changes"):
            for sql in DropAppendOnly(t).render(dialect):
                conn.execute(sql)
        conn.execute(f"INSERT INTO sessions ({_COLUMNS}) SELECT ?, title, description, meta, version, created_at, "
                     "updated_at FROM sessions WHERE id = ?", (OLD, sid))
        for table in SESSION_TABLES:
            conn.execute(f"UPDATE {table} SET session_id = ? WHERE session_id = ?", (OLD, sid))
        conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        conn.execute("UPDATE journal_changes SET item_id = ? WHERE kind = 'session' AND item_id = ?", (OLD, sid))
        for t in ("journal", "journal_changes"):
            for sql in AppendOnly(t).render(dialect):
                conn.execute(sql)
        for sql in extra:
            conn.execute(sql)
        rekey = next(m.version for m in MIGRATIONS if m.step is _rekey)  # it and every later one run again
        conn.execute("DELETE FROM schema_version WHERE version >= ?", (rekey,))
        if dialect == SQLITE:
            conn.execute(f"PRAGMA user_version = {rekey - 1}")
            conn.commit()


def test_sessions_with_word_ids_are_re_keyed_in_every_table_and_journaled(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        kept = ws.sessions.import_file(starter_path("budget-overrun"))  # random already: left alone
        ws.meeting.revoke_links(sid)
        ws.meeting.set_room_view(sid, "goal", "cutover-date", 0.7, "dark", role=FACILITATOR)
        # a revealed round, then an open one with a private answer in it, and a probe question
        ws.rounds.open(sid, goals=["test-env", "weekly-status"])
        ws.items.set_rating(sid, "test-env", "customer", 2, "oppose", role="customer")
        ws.rounds.reveal(sid)
        ws.rounds.open(sid, goals=["cutover-date"], issues=["cutover-slip"])
        ws.items.set_rating(sid, "cutover-date", "management", 1, "neutral", role="management")
        facts = range_facts(ws, sid, "customer", probe=("cutover-slip", 3.0))
        facts = range_facts(ws, sid, "customer")
        before = {role: ws.sessions.load(sid, role) for role in ws.sessions.link_roles(sid)}
        rounds = {role: ws.rounds.all(sid, role) for role in (FACILITATOR, "customer", "management")}
        reveal = reveal_for(ws, sid, ROOM)
        probes = ws.meeting.probe_state(sid, "customer")
        version, kept_version = ws.sessions.version(sid), ws.sessions.version(kept)
        old_link = access.make_token(ws, sid, "customer")
        assert probes.used == {"cutover-slip": 1}
        assert [r.state for r in rounds[FACILITATOR]] == ["revealed", "open"]
        assert reveal is not None and [g.goal_id for g in reveal.goals] == ["test-env", "weekly-status"]
    where = _place(folder)
    _back_to_word_ids(where, sid)
    assert OLD in _everything(where) and sid not in _everything(where)
    # a link as one was made for the old id (signed with the workspace's secret)
    old_token = access._serializer(SimpleNamespace(folder=folder)).dumps(
        {"s": OLD, "r": "customer", "x": int(time.time()) + 3600, "e": 1})
    with Workspace(folder) as ws:
        ids = [i.id for i in ws.sessions.all()]
        assert kept in ids and OLD not in ids and len(ids) == 2
        new = next(i for i in ids if i != kept)
        assert SESSION_ID.fullmatch(new) and new != sid
        assert {role: ws.sessions.load(new, role) for role in ws.sessions.link_roles(new)} == before
        assert ws.sessions.version(new) == version + 1 and ws.sessions.version(kept) == kept_version
        assert ws.meeting.probe_state(new, "customer") == probes and range_facts(ws, new, "customer") == facts
        assert {role: ws.rounds.all(new, role) for role in rounds} == rounds  # both rounds, the open one's answer
        assert reveal_for(ws, new, ROOM) == reveal
        assert ws.meeting.link_epoch(new) == 1
        assert ws.meeting.room_view(new) == RoomView("goal", "cutover-date", 0.7, "dark", 1)
        last = ws.journal.history(new)[-1]
        assert (last.op, last.actor, last.role, last.kind, last.item_id) == ("rekey", "pmkit", FACILITATOR,
                                                                            "session", new)
        assert (last.before, last.after) == ({"id": OLD}, {"id": new})
        assert ws.journal.history(new)[0].item_id == new  # the import's own entry names the new id
        for role in ("customer", "management", ROOM):  # the old id spells the title: the facilitator's alone
            assert OLD not in repr(ws.journal.history(new, role))
        # the open round goes on under the new id: revealed, the private answer is published
        ws.rounds.reveal(new)
        goal = next(g for g in ws.sessions.load(new, ROOM).goals if g.id == "cutover-date")
        assert (goal.ratings["management"].importance, goal.ratings["management"].stance) == (1, "neutral")
        # a link made for the old id opens nothing; a link for the new one works
        for token in (old_token, old_link):
            with pytest.raises(AccessDenied):
                access.verify_token(ws, token)
        assert access.verify_token(ws, access.make_token(ws, new, ROOM)).session_id == new
        with raw(ws) as conn:
            assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == [
                m.version for m in MIGRATIONS]
            if _dialect(where) == SQLITE:
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            for sql in ("UPDATE journal SET actor = 'x'", "DELETE FROM journal_changes"):
                with pytest.raises(RAW_ERRORS, match="append-only"):
                    conn.execute(sql)
    dump = _everything(where)
    assert dump.count(OLD) == 1 and f'{{"id": "{OLD}"}}' in dump  # only in the journal's record of the re-key


def test_the_re_key_is_one_transaction(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    where = _place(folder)
    # a table of some later feature whose rule refuses the new id: the re-key fails half-way
    _back_to_word_ids(where, sid, ("CREATE TABLE extra (session_id TEXT CHECK (session_id NOT LIKE 's-%'))",
                                   f"INSERT INTO extra VALUES ('{OLD}')"))
    before = _everything(where)
    with pytest.raises(StorageError, match="cannot open the workspace"):
        Workspace(folder)
    assert _everything(where) == before  # nothing of it stayed
