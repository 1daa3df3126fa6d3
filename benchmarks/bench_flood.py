"""A flood of page requests against one `pmkit serve`: the memory of the whole server (the
server process and every kernel it started, RSS) with the caps on pages per link and per
server, next to the same server holding one page (the baseline, in the same run).

Two floods, each on a fresh server: ``--requests`` requests at once with one link (a
customer's), then as many spread over ``--links`` members' own links. Each reports the
answers (200 / 429 / 503), the kernels that started, the server's memory as a ratio to the
baseline, the median time to an answer, and the time the facilitator's page takes during
the flood, sent with it (their link is never refused, nor counted).

    python benchmarks/bench_flood.py [--requests N] [--links N] [--per-link N] [--per-server N] [--strict]

``--strict`` exits 1 when a flood started more kernels than the caps allow, or the
facilitator's page was refused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.meeting import links as access  # noqa: E402
from pmkit.resources import starter_path  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from tests.support.live import kernel_pids, rss_mb, serve  # noqa: E402


def tree_rss_mb(root: int) -> float:
    """RSS of ``root`` and every process below it, in MB."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(proc.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += rss_mb(pid)
        except (OSError, AssertionError):
            continue
        todo += children.get(pid, [])
    return total


def get(url: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=900) as r:  # noqa: S310 - a local server
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - t0


def flood(urls: list[str]) -> list[tuple[int, float]]:
    with ThreadPoolExecutor(len(urls)) as pool:
        return list(pool.map(get, urls))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--links", type=int, default=10, help="members' links the second flood is spread over")
    ap.add_argument("--per-link", type=int, default=3, help="pages_per_link (the default setting)")
    ap.add_argument("--per-server", type=int, default=12, help="kernels_per_server (default setting: 40)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a cap did not hold")
    ns = ap.parse_args()
    env = {"PMKIT_PAGES_PER_LINK": str(ns.per_link), "PMKIT_KERNELS_PER_SERVER": str(ns.per_server),
           "PMKIT_PAGE_GONE_SECONDS": "600"}  # the flood's pages never connect back: keep them counted
    rows: list[tuple[str, Counter[int], int, float, float, float]] = []
    missed: list[str] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ws = Workspace(tmp / "ws")
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        members = [ws.participants.add(sid, "customer", f"Member {i}").participant_id for i in range(ns.links)]

        with serve(ws.folder, sid, tmp / "one", env=env) as server:
            status, one_time = get(access.link_url(server.base, access.make_token(ws, sid, "customer")))
            assert status == 200, status
            baseline = tree_rss_mb(server.proc.pid)

        floods = {
            "one link": lambda base: [access.link_url(base, access.make_token(ws, sid, "customer"))] * ns.requests,
            f"{ns.links} links": lambda base: [
                access.link_url(base, access.make_token(ws, sid, "customer", participant=members[i % ns.links]))
                for i in range(ns.requests)],
        }
        for name, urls in floods.items():
            with serve(ws.folder, sid, tmp / name.replace(" ", "-"), env=env) as server:
                *answers, (fac_status, fac_time) = flood([*urls(server.base), server.facilitator])
                kernels = len(kernel_pids(server.connection_dir)) - 1  # the facilitator's is not capped
                rss = tree_rss_mb(server.proc.pid)
            statuses = Counter(s for s, _t in answers)
            cap = min(ns.per_link * (1 if name == "one link" else ns.links), ns.per_server)
            if kernels > cap or fac_status != 200:
                missed.append(name)
            rows.append((name, statuses, kernels, rss, statistics.median(t for _s, t in answers), fac_time))

    print(f"\n{ns.requests} page requests at once against one pmkit serve "
          f"(pages_per_link {ns.per_link}, kernels_per_server {ns.per_server})")
    print(f"  one page alone (baseline): whole server {baseline:.0f} MB, page in {one_time:.1f} s")
    for name, statuses, kernels, rss, median, fac_time in rows:
        answers = " / ".join(f"{statuses.get(s, 0)}x {s}" for s in (200, 429, 503))
        print(f"  flood with {name:<10} {answers}; kernels {kernels}; whole server {rss:.0f} MB "
              f"({rss / baseline:.1f}x one page); median answer {median:.1f} s; facilitator's page {fac_time:.1f} s")
    if missed:
        print(f"  caps did not hold: {', '.join(missed)}")
    return 1 if ns.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
