"""Two hundred people preparing at once against one `pmkit serve` (no kernel): each opens
their light page and saves 20 answers. Reports p95 page load and p95 save (targets < 300 ms),
the requests per second served, the server's memory (RSS of its whole process tree, target
< 400 MB), and that no answer was lost (the answers in the store equal the last answer each
person had acknowledged). In the same run it opens 10 kernel pages (the board) and reports
the memory per person of each kind, as a ratio.

    python benchmarks/bench_prepare.py [--people 200] [--saves 20] [--kernels 10]
        [--spread 5] [--think 1] [--seed 1] [--postgres URL] [--strict]

**The load simulated**, in two phases against the same server, each person a coroutine
with a connection and cookies of their own (as a browser tab), all in this one process:

1. *Meeting pace*: everyone is asked to prepare now. Each person opens their link at a
   random moment within ``--spread`` seconds (default 5) of the start, then saves their 20
   answers one after the other, pausing before each for ``--think`` seconds on average
   (uniform in 0.5-1.5 x, default 1 s: someone tapping through a form on a phone, faster
   than one reads a question). All 200 are at it together for most of the phase. While a
   person's page is open it also asks which round is open twice a second, as the page's
   script does (on a second connection): about 550 requests a second in all.
2. *Flat out*: a stress beyond any meeting. All 200 open their page in the same instant and
   each sends the next save as soon as the last is acknowledged, with no pause (and the
   page's polling goes on, every half second): the server
   answers as fast as it can, and each latency is mostly the wait behind the other 199.

Each latency is timed from sending the request to reading the whole response. The client
is a minimal HTTP/1.1 client on asyncio streams (:class:`Http`): the server and the client
share the machine's two cores, and 200 threads of a full client library (the first form of
this benchmark) spent more of them than the server, contending for the client's own
interpreter lock, which showed as seconds of page load that the server never took.

With ``--postgres URL`` the workspace lives in that PostgreSQL database instead of SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

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
SPREAD_S = 5.0  # everyone opens their link within these seconds of the start
THINK_S = 1.0  # mean pause before each save: someone tapping through a form
POLL_S = 0.5  # the light page asks which round is open twice a second (pmkit.meeting.prepare_page.POLL_MS)


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


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user and system) used so far by ``pid`` and its children."""
    root = psutil.Process(pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def p95(values: list[float]) -> float:
    return pct(values, 95)


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


class Http:
    """A minimal HTTP/1.1 client on asyncio streams: one kept-alive connection and one cookie
    jar, as a browser tab has (a thread per person and a full client library would spend
    more of the two cores than the server; see the module)."""

    def __init__(self, base: str) -> None:
        url = urlsplit(base)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.cookies: dict[str, str] = {}
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, params: dict[str, str], body: bytes = b"",
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)  # TCP_NODELAY, as asyncio sets
        reader, writer = self._streams
        lines = [f"{method} {path}?{urlencode(params)} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status = int((await reader.readline()).split()[1])
        got: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            got[name.strip().lower()] = value.strip()
            if name.strip().lower() == "set-cookie":
                key, _, rest = value.strip().partition("=")
                self.cookies[key] = rest.split(";")[0]
        if got.get("transfer-encoding") == "chunked":
            data = b""
            while size := int((await reader.readline()).strip(), 16):
                data += await reader.readexactly(size)
                await reader.readline()
            await reader.readline()
        else:
            data = await reader.readexactly(int(got.get("content-length", "0")))
        if got.get("connection", "").lower() == "close":
            await self.close()
        return status, data

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def person(base: str, token: str, saves: int, start_at: float, think: float, rng: random.Random,
                 result: dict[str, Any], phase: int) -> None:
    """One person: at ``start_at`` (seconds from the start) they open their page, then save
    ``saves`` answers one after the other, ``think`` seconds apart on average (uniform in
    [0.5, 1.5] x think; 0: the next as soon as the last is acknowledged). Each request is
    timed from its sending to its full response."""
    result["saves"], result["acked"], result["errors"] = [], {}, 0
    http = Http(base)  # the person's own connection and cookies
    try:
        await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
        t0 = time.perf_counter()
        status, page = await http.request("GET", "/prepare", {"pmk": token})
        result["load"] = (time.perf_counter() - t0) * 1000
        result["times"] = [t0]
        if status != 200:
            result["errors"] += 1
        poller = asyncio.ensure_future(poll(base, token, result))  # the open page asks which round is open
        found = re.search(r'name="_xsrf" value="([^"]+)"', page.decode())
        xsrf = found.group(1) if found else ""
        items = [("goal", g) for g in GOALS] + [("issue", i) for i in ISSUES]
        for n in range(saves):
            if think > 0:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            kind, item = items[n % len(items)]
            m = n + 7 * phase  # each phase saves other values: a lost save cannot hide behind an earlier one
            value: dict[str, Any] = ({"importance": m % 6, "stance": ("support", "oppose")[m % 2]}
                                     if kind == "goal" else {"ideal": float(m), "walk_away": float(m + 3)})
            t0 = time.perf_counter()
            body = json.dumps({"kind": kind, "item": item, "value": value}).encode()
            status, _reply = await http.request("POST", "/prepare/answer", {"pmk": token}, body,
                                                {"X-XSRFToken": xsrf, "Content-Type": "application/json"})
            result["saves"].append((time.perf_counter() - t0) * 1000)
            result["times"].append(t0)
            if status == 200:
                result["acked"][(kind, item)] = value
            else:
                result["errors"] += 1
        poller.cancel()
    finally:
        await http.close()


async def poll(base: str, token: str, result: dict[str, Any]) -> None:
    """What the open page's script does: ask ``prepare/state`` every POLL_S seconds, on a
    connection of its own (a browser opens several per server)."""
    http = Http(base)
    result["polls"] = []
    try:
        while True:
            await asyncio.sleep(POLL_S)
            t0 = time.perf_counter()
            status, _reply = await http.request("GET", "/prepare/state", {"pmk": token})
            result["polls"].append((time.perf_counter() - t0) * 1000)
            result["times"].append(t0)
            if status != 200:
                result["errors"] += 1
    except asyncio.CancelledError:
        pass
    finally:
        await http.close()


async def crowd(base: str, people: list[tuple[str, str, str]], saves: int, spread: float, think: float,
                seed: int, phase: int) -> list[dict[str, Any]]:
    """Everyone at once: each person starts at a random moment within ``spread`` seconds."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    results: list[dict[str, Any]] = [{} for _ in people]
    await asyncio.gather(*(person(base, tok, saves, t0 + rng.uniform(0, spread), think,
                                  random.Random(rng.random()), res, phase)
                           for (_s, _p, tok), res in zip(people, results, strict=True)))
    return results


def kernel_pages(base: str, tokens: list[str]) -> None:
    """Open ``tokens``' board pages at once (each a kernel), until each page's HTML is complete."""
    def one(token: str) -> None:
        requests.get(f"{base}/", params={"pmk": token}, timeout=600).raise_for_status()

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def lost_answers(folder: Path, people: list[tuple[str, str, str]], results: list[dict[str, Any]]) -> int:
    """Acknowledged answers the store does not hold (as the person's last saved value)."""
    lost = 0
    with Workspace(folder) as ws:
        for (sid, pid, _tok), res in zip(people, results, strict=True):
            party = ws.participants.get(sid, pid).party  # type: ignore[union-attr]
            mine = ws.prepare.mine(sid, Actor(party, pid))
            stored = dict(mine.answers) if mine else {}
            lost += sum(1 for k, v in res["acked"].items() if stored.get(k) != v)
    return lost


def phase_rows(name: str, spread: float, think: float, wall: float, results: list[dict[str, Any]],
               server_cpu: float, client_cpu: float, lost: int) -> tuple[list[tuple[str, str, str]], bool]:
    """The phase's lines of the report, and whether it met its targets."""
    loads = [r["load"] for r in results]
    saves = [s for r in results for s in r["saves"]]
    errors = sum(r["errors"] for r in results)
    starts = sorted(t for r in results for t in r["times"])
    polls = [s for r in results for s in r.get("polls", [])]
    served = len(loads) + len(saves) + len(polls)
    peak = max(Counter(int(t - starts[0]) for t in starts).values())
    rows = [
        (f"-- {name}", "", ""),
        ("arrivals within (s)", f"{spread:g}" if spread > 0 else "same instant", ""),
        ("think time before a save (s)", f"{think * 0.5:g}-{think * 1.5:g}" if think > 0 else "none", ""),
        ("wall time (s)", f"{wall:.1f}", ""),
        ("requests served", f"{served}", ""),
        ("requests/s, mean / peak second", f"{served / wall:.0f} / {peak}", ""),
        ("server CPU (s), client CPU (s)", f"{server_cpu:.1f}, {client_cpu:.1f}", ""),
        ("page load p50 / p95 / p99 (ms)", f"{pct(loads, 50):.0f} / {p95(loads):.0f} / {pct(loads, 99):.0f}",
         f"p95 < {TARGET_MS:.0f}"),
        ("save p50 / p95 / p99 (ms)", f"{pct(saves, 50):.0f} / {p95(saves):.0f} / {pct(saves, 99):.0f}",
         f"p95 < {TARGET_MS:.0f}"),
        ("state poll p50 / p95 / p99 (ms)", f"{pct(polls, 50):.0f} / {p95(polls):.0f} / {pct(polls, 99):.0f}"
         if polls else "none", ""),
        ("answers lost", f"{lost}", "0"),
        ("requests refused", f"{errors}", "0"),
    ]
    return rows, p95(loads) < TARGET_MS and p95(saves) < TARGET_MS and not lost and not errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=200)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--kernels", type=int, default=10)
    ap.add_argument("--spread", type=float, default=SPREAD_S, metavar="SECONDS",
                    help="meeting pace: each person starts at a random moment within this many seconds")
    ap.add_argument("--think", type=float, default=THINK_S, metavar="SECONDS",
                    help="meeting pace: mean pause before each save, uniform in [0.5, 1.5] x this")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--postgres", metavar="URL", default=None)
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ns = ap.parse_args()
    if ns.postgres:
        os.environ["PMKIT_DATABASE_URL"] = ns.postgres
    phases = [("meeting pace", ns.spread, ns.think), ("flat out", 0.0, 0.0)]
    rows = [("people x saves", f"{ns.people} x {ns.saves}", ""),
            ("backend", "postgresql" if ns.postgres else "sqlite", "")]
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ws"
        _sessions, people = setup(folder, ns.people)
        env = {"PMKIT_PAGES_PER_LINK": "4", "PMKIT_KERNELS_PER_SERVER": str(ns.kernels + 5),
               "PMKIT_PREPARE_REMIND_HOURS": "0"}
        with serve(folder, None, Path(tmp), env=env) as server:
            idle = tree_rss_mb(server.proc.pid)
            for n, (name, spread, think) in enumerate(phases):
                server_cpu0, cpu0, t0 = tree_cpu_s(server.proc.pid), time.process_time(), time.perf_counter()
                results = asyncio.run(crowd(server.base, people, ns.saves, spread, think, ns.seed + n, n))
                wall, client_cpu = time.perf_counter() - t0, time.process_time() - cpu0
                server_cpu = tree_cpu_s(server.proc.pid) - server_cpu0
                lines, ok = phase_rows(name, spread, think, wall, results, server_cpu, client_cpu,
                                       lost_answers(folder, people, results))
                rows += lines
                met = met and ok
            light = tree_rss_mb(server.proc.pid)
            kernel_pages(server.base, [tok for _s, _p, tok in people[: ns.kernels]])
            heavy = tree_rss_mb(server.proc.pid)
    per_light = max(light - idle, 0.0) / len(people)
    per_kernel = (heavy - light) / max(ns.kernels, 1)
    rows += [
        ("-- memory", "", ""),
        ("server RSS, light pages (MB)", f"{light:.0f}", f"< {TARGET_MB:.0f}"),
        ("memory per light person (MB)", f"{per_light:.2f}", ""),
        ("memory per kernel page (MB)", f"{per_kernel:.0f}", ""),
        ("kernel / light", f"{per_kernel / per_light:.0f}x" if per_light > 0 else "n/a", ""),
    ]
    for name, value, target in rows:
        print(f"{name:34} {value:>18}  {target}")
    return 1 if ns.strict and not (met and light < TARGET_MB) else 0


if __name__ == "__main__":
    sys.exit(main())
