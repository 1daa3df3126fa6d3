"""Core timings: the full analysis of 1,000 goals x 2 and x 6 parties, and one autosaved edit.

    python benchmarks/bench_core.py [--runs N] [--edits N] [--strict]

Each figure has a baseline measured in the same run, and the ratio to it:

* analysis: building the numpy matrices alone (the floor of any vectorised analysis);
* an edit: one bare SQLite transaction (an UPDATE and an INSERT, committed with the same
  WAL and ``synchronous=FULL`` settings) on a file in the same folder: the price of a durable
  commit on this disk, which every autosaved edit pays.

The workspace is a real folder under ``benchmarks/results/`` (not a RAM disk), so the edit
figures include the fsync a user's edit pays. Targets: analysis of 1,000 x 6 under 20 ms;
one edit under 5 ms at p95. ``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.analysis import analyze, matrices  # noqa: E402
from pmkit.model import FACILITATOR, Session, parse_session  # noqa: E402
from pmkit.store import Workspace  # noqa: E402

ANALYSIS_TARGET_MS = 20.0
EDIT_TARGET_P95_MS = 5.0
STANCES = ("support", "neutral", "oppose")


def synthetic(goals: int, parties: int, seed: int = 7) -> Session:
    """A session of ``goals`` goals, each rated by most of the ``parties`` parties."""
    rng = random.Random(seed)
    ids = ["customer", "management", *(f"party{n}" for n in range(parties - 2))]
    items = []
    for g in range(goals):
        ratings = {
            p: {"importance": rng.randint(0, 5), "stance": rng.choice(STANCES)} for p in ids if rng.random() < 0.85
        }
        items.append(
            {
                "id": f"g{g}",
                "title": f"Goal number {g}",
                "raised_by": rng.choice(ids),
                "audience": rng.choice(["joint", "joint", "joint", *ids[:2], "facilitator"]),
                "ratings": ratings,
            }
        )
    return parse_session({"title": "benchmark", "parties": [{"id": p, "name": p.title()} for p in ids], "goals": items})


def timed(fns: list[Callable[[], Any]], runs: int, warmup: int = 3) -> list[list[float]]:
    """Milliseconds per call of each function, the functions taking turns run by run so that a
    busy machine slows the figure and its baseline alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, times in zip(fns, out, strict=True):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000.0)
    return out


def p50(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1]


Row = tuple[str, float, float, str, str]


def bench_analysis(runs: int) -> tuple[list[Row], bool]:
    rows: list[Row] = []
    met = True
    for parties in (2, 6):
        s = synthetic(1000, parties)
        base, full = timed([partial(matrices, s), partial(analyze, s)], runs)
        ratio = p50(full) / p50(base)
        rows.append((f"baseline: numpy matrices, 1,000 goals x {parties}", p50(base), p95(base), "", ""))
        target = ""
        if parties == 6:
            ok = p95(full) < ANALYSIS_TARGET_MS
            met = met and ok
            target = f"< {ANALYSIS_TARGET_MS:g} ms  {'ok' if ok else 'MISSED'}"
        rows.append((f"analysis, 1,000 goals x {parties} parties", p50(full), p95(full), f"{ratio:.1f}x", target))
    return rows, met


def bare_commit(folder: Path) -> tuple[Callable[[], None], sqlite3.Connection]:
    """The floor: one durable SQLite transaction with the workspace's settings."""
    conn = sqlite3.connect(folder / "bare.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.execute("CREATE TABLE j (seq INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)")
    conn.execute("INSERT INTO t VALUES (1, 'x')")
    n = [0]

    def one() -> None:
        n[0] += 1
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE t SET v = ? WHERE id = 1", (str(n[0]),))
        conn.execute("INSERT INTO j (v) VALUES (?)", (str(n[0]),))
        conn.execute("COMMIT")

    return one, conn


def bench_edits(runs: int) -> tuple[list[Row], bool, str]:
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="edit-", dir=results))
    try:
        ws = Workspace(folder / "workspace")
        session = synthetic(200, 2)
        sid = ws.create(session)
        goal_ids = [g.id for g in session.goals if g.audience == "joint"]
        current = {g.id: g.ratings["customer"].importance if "customer" in g.ratings else 0 for g in session.goals}
        n = [0]

        def rate() -> None:  # always a real change: a no-op edit writes nothing and would flatter us
            n[0] += 1
            gid = goal_ids[n[0] % len(goal_ids)]
            current[gid] = (current[gid] + 1) % 6
            ws.set_rating(sid, gid, "customer", current[gid], STANCES[n[0] % 3], role="customer")

        def update() -> None:
            n[0] += 1
            ws.update_item(
                sid, "goal", goal_ids[n[0] % len(goal_ids)], {"description": f"edit {n[0]}"}, role=FACILITATOR
            )

        bare, conn = bare_commit(folder)
        version = ws.version(sid)
        base, rating, updating = timed([bare, rate, update], runs)
        assert ws.version(sid) == version + 2 * (runs + 3), "every timed edit was written"
        conn.close()
        ws.close()
        rows: list[Row] = [("baseline: bare durable SQLite commit", p50(base), p95(base), "", "")]
        met = True
        for name, xs in (
            ("edit: Workspace.set_rating (autosaved)", rating),
            ("edit: Workspace.update_item (autosaved)", updating),
        ):
            ok = p95(xs) < EDIT_TARGET_P95_MS
            met = met and ok
            rows.append(
                (
                    name,
                    p50(xs),
                    p95(xs),
                    f"{p50(xs) / p50(base):.1f}x",
                    f"p95 < {EDIT_TARGET_P95_MS:g} ms  {'ok' if ok else 'MISSED'}",
                )
            )
        return rows, met, _filesystem(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _filesystem(path: Path) -> str:
    """The filesystem type holding ``path`` (from /proc/mounts), to show it is not a RAM disk."""
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _dev, mount, fstype, *_ = line.split()
            if str(path.resolve()).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    except OSError:
        pass
    return kind


def print_table(title: str, rows: list[Row]) -> None:
    width = max(len(r[0]) for r in rows)
    print(title)
    print(f"  {'case'.ljust(width)}  {'p50 ms':>8}  {'p95 ms':>8}  {'ratio':>6}  target")
    for name, a, b, ratio, target in rows:
        print(f"  {name.ljust(width)}  {a:8.2f}  {b:8.2f}  {ratio:>6}  {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="timed runs of each analysis (default 60)")
    parser.add_argument("--edits", type=int, default=300, help="timed edits of each kind (default 300)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ns = parser.parse_args()

    analysis_rows, analysis_ok = bench_analysis(ns.runs)
    print_table(f"analysis ({ns.runs} runs each; ratio = analysis / numpy matrices alone)", analysis_rows)
    edit_rows, edits_ok, fs = bench_edits(ns.edits)
    print()
    print_table(f"one autosaved edit ({ns.edits} edits each, {fs} folder; ratio = edit / bare commit)", edit_rows)
    met = analysis_ok and edits_ok
    print(f"\ntargets {'met' if met else 'MISSED'}")
    return 1 if ns.strict and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
