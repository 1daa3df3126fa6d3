"""Two hundred people preparing at once against one `pmkit serve` (no kernel): each opens
their light page and saves 20 answers, all at the same time (threads of HTTP clients on
loopback). Reports p95 page load and p95 save (targets < 300 ms), the server's memory (RSS
of its whole process tree, target < 400 MB), and that no answer was lost (the answers in
the store equal the last answer each person had acknowledged). In the same run it opens 10
kernel pages (the board) and reports the memory per person of each kind, as a ratio.

    python benchmarks/bench_prepare.py [--people 200] [--saves 20] [--kernels 10] [--postgres URL] [--strict]

With ``--postgres URL`` the workspace lives in that PostgreSQL database instead of SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.meeting.links import make_token  # noqa: E402
from pmkit.resources import starter_path  # noqa: E402
from pmkit.rules.permissions import Actor  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from tests.support.live import serve  # noqa: E402

GOALS = ["test-env", "cutover-date", "weekly-status", "extra-licences", "data-cleansing", "training-plan"]
ISSUES = ["cutover-slip", "licence-discount"]
PER_PARTY = 50  # the most members a party may have
TARGET_MS, TARGET_MB = 300.0, 400.0


def tree_rss_mb(pid: int) -> float:
    root = psutil.Process(pid)
    procs = [root, *root.children(recursive=True)]
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def setup(folder: Path, people: int) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Sessions enough for ``people`` participants, a window open on each; the sessions and
    ``(session, participant, token)`` per person."""
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    out: list[tuple[str, str, str]] = []
    sessions = []
    with Workspace(folder) as ws:
        while len(out) < people:
            sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
            sessions.append(sid)
            for n in range(min(2 * PER_PARTY, people - len(out))):
                party = ("customer", "management")[n % 2]
                pid = ws.participants.add(sid, party, f"Person {len(out) + 1}").participant_id
                out.append((sid, pid, make_token(ws, sid, party, participant=pid)))
            ws.prepare.open(sid, until, goals=GOALS, issues=ISSUES)
    return sessions, out


def person(base: str, token: str, saves: int, start: threading.Barrier, result: dict[str, Any]) -> None:
    http = requests.Session()
    start.wait()
    t0 = time.perf_counter()
    page = http.get(f"{base}/prepare", params={"pmk": token}, timeout=120)
    result["load"] = (time.perf_counter() - t0) * 1000
    found = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    xsrf = found.group(1) if found else ""
    result["saves"], result["acked"], result["errors"] = [], {}, 0
    items = [("goal", g) for g in GOALS] + [("issue", i) for i in ISSUES]
    for n in range(saves):
        kind, item = items[n % len(items)]
        value: dict[str, Any] = ({"importance": n % 6, "stance": "support"} if kind == "goal"
                                 else {"ideal": float(n), "walk_away": float(n + 3)})
        t0 = time.perf_counter()
        r = http.post(f"{base}/prepare/answer", params={"pmk": token}, json={"kind": kind, "item": item,
                                                                             "value": value},
                      headers={"X-XSRFToken": xsrf}, timeout=120)
        result["saves"].append((time.perf_counter() - t0) * 1000)
        if r.status_code == 200:
            result["acked"][(kind, item)] = value
        else:
            result["errors"] += 1


def kernel_pages(base: str, tokens: list[str]) -> None:
    """Open ``tokens``' board pages at once (each a kernel), until each page's HTML is complete."""
    def one(token: str) -> None:
        requests.get(f"{base}/", params={"pmk": token}, timeout=600).raise_for_status()

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=200)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--kernels", type=int, default=10)
    ap.add_argument("--postgres", metavar="URL", default=None)
    ap.add_argument("--strict", action="store_true")
    ns = ap.parse_args()
    if ns.postgres:
        os.environ["PMKIT_DATABASE_URL"] = ns.postgres
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ws"
        _sessions, people = setup(folder, ns.people)
        env = {"PMKIT_PAGES_PER_LINK": "4", "PMKIT_KERNELS_PER_SERVER": str(ns.kernels + 5),
               "PMKIT_PREPARE_REMIND_HOURS": "0"}
        with serve(folder, None, Path(tmp), env=env) as server:
            idle = tree_rss_mb(server.proc.pid)
            start = threading.Barrier(len(people))
            results: list[dict[str, Any]] = [{} for _ in people]
            threads = [threading.Thread(target=person, args=(server.base, tok, ns.saves, start, res))
                       for (_s, _p, tok), res in zip(people, results, strict=True)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            light = tree_rss_mb(server.proc.pid)
            lost = 0
            with Workspace(folder) as ws:
                for (sid, pid, _tok), res in zip(people, results, strict=True):
                    party = ws.participants.get(sid, pid).party  # type: ignore[union-attr]
                    mine = ws.prepare.mine(sid, Actor(party, pid))
                    stored = dict(mine.answers) if mine else {}
                    lost += sum(1 for k, v in res["acked"].items() if stored.get(k) != v)
            kernel_pages(server.base, [tok for _s, _p, tok in people[: ns.kernels]])
            heavy = tree_rss_mb(server.proc.pid)
    loads = [r["load"] for r in results]
    saves = [s for r in results for s in r["saves"]]
    errors = sum(r["errors"] for r in results)
    per_light = max(light - idle, 0.0) / len(people)
    per_kernel = (heavy - light) / max(ns.kernels, 1)
    rows = [
        ("people x saves", f"{len(people)} x {ns.saves}", ""),
        ("backend", "postgresql" if ns.postgres else "sqlite", ""),
        ("wall time (s)", f"{wall:.1f}", ""),
        ("p95 page load (ms)", f"{p95(loads):.0f}", f"< {TARGET_MS:.0f}"),
        ("p95 save (ms)", f"{p95(saves):.0f}", f"< {TARGET_MS:.0f}"),
        ("server RSS, light pages (MB)", f"{light:.0f}", f"< {TARGET_MB:.0f}"),
        ("answers lost", f"{lost}", "0"),
        ("saves refused", f"{errors}", "0"),
        ("memory per light person (MB)", f"{per_light:.2f}", ""),
        ("memory per kernel page (MB)", f"{per_kernel:.0f}", ""),
        ("kernel / light", f"{per_kernel / per_light:.0f}x" if per_light > 0 else "n/a", ""),
    ]
    for name, value, target in rows:
        print(f"{name:32} {value:>12}  {target}")
    missed = p95(loads) >= TARGET_MS or p95(saves) >= TARGET_MS or light >= TARGET_MB or lost or errors
    return 1 if ns.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
