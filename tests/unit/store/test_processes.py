"""Real processes on one workspace (the SQLite file, or one PostgreSQL database): concurrent
editors lose no edit, a stale write is a conflict, and a process killed with SIGKILL mid-edit
leaves a valid workspace holding every edit it acknowledged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import FILENAME, Workspace
from tests.support.paths import ROOT

# several real processes; every test on SQLite and on PostgreSQL
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("backend")]

CHILD = r"""
import sys, time
from pathlib import Path
from pmkit.errors import ConflictError
from pmkit.store import Workspace

folder, sid, mode, *rest = sys.argv[1:]
ws = Workspace(folder, actor=mode)

if mode in ("customer", "management"):
    n = int(rest[0])
    goals = [g.id for g in ws.sessions.load(sid, mode).goals if g.audience == "joint"]
    print("ready", flush=True)
    go = Path(folder) / "go"
    while not go.exists():
        time.sleep(0.0005)
    field = "title" if mode == "customer" else "description"
    for i in range(n):
        ws.items.add(sid, "note", {"text": f"{mode} note {i}"}, role="facilitator")
        ws.items.set_rating(sid, goals[i % len(goals)], mode, i % 6, "support", role=mode)
        ws.items.update(sid, "goal", goals[0], {field: f"{mode} {i}"}, role="facilitator")
        time.sleep(0.002)  # a breath between edits, as people (and kernels) take
    print("done", flush=True)

elif mode == "stale":
    try:
        ws.items.update(sid, "goal", rest[0], {"description": "from the child"},
                       role="facilitator", base_rev=int(rest[1]))
    except ConflictError as exc:
        print("conflict", exc, flush=True)
        sys.exit(3)
    print("written", flush=True)

elif mode == "probe":  # ask what-if questions until the limit of 5 refuses one
    from pmkit.errors import AccessDenied

    def limit(used):
        if used >= 5:
            raise AccessDenied("no questions left")

    print("ready", flush=True)
    go = Path(folder) / "go"
    while not go.exists():
        time.sleep(0.0005)
    asked = 0
    while True:
        try:
            ws.meeting.count_question(sid, "customer", "cutover-slip", check=limit)
        except AccessDenied:
            break
        asked += 1
    print(asked, flush=True)

elif mode == "loop":
    goals = [g.id for g in ws.sessions.load(sid, "customer").goals]
    i = int(rest[0])
    while True:
        ws.items.add(sid, "note", {"id": f"k{i}", "text": f"acknowledged {i}"}, role="facilitator")
        ws.items.set_rating(sid, goals[i % len(goals)], "customer", i % 6, "oppose", role="customer")
        print(i, flush=True)  # acknowledged: both edits are committed
        i += 1
"""


def child(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "shared"


def test_two_processes_editing_one_session_at_once_lose_no_edit(folder: Path) -> None:
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("scope-vs-deadline"))
        joint = [g.id for g in ws.sessions.load(sid, "customer").goals if g.audience == "joint"]
    n = 40
    procs = [child(str(folder), sid, party, str(n)) for party in ("customer", "management")]
    for p in procs:  # both are up and waiting
        assert p.stdout is not None and p.stdout.readline() == "ready\n"
    (folder / "go").touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "done"

    with Workspace(folder) as ws:
        s = ws.sessions.load(sid, FACILITATOR)
        notes = {x.text for x in s.notes}
        for party in ("customer", "management"):
            assert {f"{party} note {i}" for i in range(n)} <= notes
        # each party's last rating of each goal it touched, both parties on the same goals
        for party in ("customer", "management"):
            last = {joint[i % len(joint)]: i % 6 for i in range(n)}
            for gid, importance in last.items():
                g = next(g for g in s.goals if g.id == gid)
                assert g.ratings[party].importance == importance, (party, gid)
        # different fields of one goal, changed by both: both kept
        first = next(g for g in s.goals if g.id == joint[0])
        assert (first.title, first.description) == (f"customer {n - 1}", f"management {n - 1}")
        # one version per edit, no gaps, no duplicates
        history = ws.journal.history(sid)
        assert [e.version for e in history] == list(range(1, len(history) + 1))
        assert ws.sessions.version(sid) == len(history)
        assert sum(e.op == "add" for e in history) == 2 * n
        assert sum(e.op == "update" and e.kind == "goal" and e.item_id == joint[0] for e in history) >= 2 * n
        actors = [e.actor for e in history[1:]]
        assert set(actors) == {"customer", "management"}
        switches = sum(a != b for a, b in zip(actors, actors[1:], strict=False))
        assert switches > 5, f"the two processes did not run at the same time: {actors}"


def test_a_stale_write_from_another_process_is_a_conflict(folder: Path) -> None:
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("quality-vs-speed"))
        # this process changes the goal first; the child still holds revision 1
        assert ws.items.update(sid, "goal", "skip-beta", {"description": "mine"}, role=FACILITATOR) == 2
        p = child(str(folder), sid, "stale", "skip-beta", "1")
        out, err = p.communicate(timeout=60)
        assert p.returncode == 3, err
        assert out.startswith("conflict goal 'skip-beta' was changed by someone else")
        goal = next(g for g in ws.sessions.load(sid, FACILITATOR).goals if g.id == "skip-beta")
        assert goal.description == "mine"
        # with the current revision the same write goes through
        p = child(str(folder), sid, "stale", "skip-beta", "2")
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and out.strip() == "written", err
        goal = next(g for g in ws.sessions.load(sid, FACILITATOR).goals if g.id == "skip-beta")
        assert goal.description == "from the child"
        # and now this process is the stale one
        with pytest.raises(Exception, match="was changed by someone else") as info:
            ws.items.update(sid, "goal", "skip-beta", {"description": "again"}, role=FACILITATOR, base_rev=2)
        assert type(info.value).__name__ == "ConflictError"


def test_processes_asking_at_once_never_get_more_questions_than_the_limit(folder: Path) -> None:
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    procs = [child(str(folder), sid, "probe") for _ in range(4)]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline() == "ready\n"
    (folder / "go").touch()
    answered = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        answered.append(int(out))
    assert sum(answered) == 5  # shared across the processes: the fifth question was the last
    with Workspace(folder) as ws:
        assert ws.meeting.probe_state(sid, "customer").used == {"cutover-slip": 5}


def _integrity(folder: Path) -> str:
    """SQLite's integrity check of the file (PostgreSQL keeps its own files sound: "ok")."""
    if os.environ.get("PMKIT_DATABASE_URL"):
        return "ok"
    conn = sqlite3.connect(folder / FILENAME)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("rounds", [4])
def test_sigkill_mid_edits_keeps_every_acknowledged_edit(folder: Path, rounds: int) -> None:
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    acknowledged: list[int] = []
    in_flight: set[str] = set()  # committed but never acknowledged, one round at most each
    start = 0
    for r in range(rounds):
        p = child(str(folder), sid, "loop", str(start))
        assert p.stdout is not None
        wanted = 15 + 10 * r  # kill at a different point each round
        while len([a for a in acknowledged if a >= start]) < wanted:
            line = p.stdout.readline()
            assert line, p.stderr.read() if p.stderr else "child ended"
            acknowledged.append(int(line))
        os.kill(p.pid, signal.SIGKILL)
        rest, _err = p.communicate(timeout=30)  # lines written before the kill were acknowledged too
        acknowledged.extend(int(x) for x in rest.split())
        assert p.returncode == -signal.SIGKILL

        assert _integrity(folder) == "ok"
        with Workspace(folder) as ws:
            s = ws.sessions.load(sid, FACILITATOR)
            stored = {n.id for n in s.notes}
            missing = [i for i in acknowledged if f"k{i}" not in stored]
            assert missing == [], f"round {r}: acknowledged but lost: {missing}"
            history = ws.journal.history(sid)
            assert [e.version for e in history] == list(range(1, len(history) + 1))
            assert ws.sessions.version(sid) == len(history)
            # at most the one edit in flight may have been committed without being acknowledged
            extra = stored - {f"k{i}" for i in acknowledged} - {"fac-caution"} - in_flight
            assert len(extra) <= 1
            in_flight |= extra
            start = max(acknowledged) + 1 + len(extra)
    assert len(acknowledged) >= sum(15 + 10 * r for r in range(rounds))
