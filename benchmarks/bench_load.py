"""Twenty pages opened at once on one session of a 2-core machine: the time until the last
one shows the board, and the memory of each meeting kernel; one page alone in the same run
is the baseline.

    python benchmarks/bench_load.py [--pages N]

Needs Debian's chromium (`make system`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit import access  # noqa: E402
from pmkit.resources import starter_path  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from tests.live import browser, kernel_pids, rss_mb, serve  # noqa: E402

CHART = "img.pmkit-overlap-chart"
ROLES = ("customer", "management", "facilitator")


def open_all(b: object, links: list[str]) -> float:
    """Open every link at once; seconds until the last page shows the overlap chart."""
    contexts = [b.new_context() for _ in links]  # type: ignore[attr-defined]
    pages = [c.new_page() for c in contexts]
    t0 = time.perf_counter()
    for page, url in zip(pages, links, strict=True):
        page.goto(url, wait_until="commit", timeout=600_000)
    for page in pages:
        page.wait_for_selector(CHART, state="visible", timeout=600_000)
    elapsed = time.perf_counter() - t0
    for page in pages:
        page.close(run_before_unload=True)
    for c in contexts:
        c.close()
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ns = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, browser() as b:
        tmp = Path(d)
        ws = Workspace(tmp / "ws")
        sid = ws.import_file(starter_path("undisclosed-risk"))
        with serve(ws.folder, sid, tmp) as server:
            def link(i: int) -> str:
                return access.link_url(server.base, access.make_token(ws, sid, ROLES[i % 3]))

            one = open_all(b, [link(0)])
            time.sleep(3)
            contexts = [b.new_context() for _ in range(ns.pages)]
            pages = [c.new_page() for c in contexts]
            t0 = time.perf_counter()
            for i, page in enumerate(pages):
                page.goto(link(i), wait_until="commit", timeout=600_000)
            for page in pages:
                page.wait_for_selector(CHART, state="visible", timeout=600_000)
            many = time.perf_counter() - t0
            rss = [rss_mb(p) for p in kernel_pids(server.connection_dir)]
            server_rss = rss_mb(server.proc.pid)
            for page in pages:
                page.close(run_before_unload=True)
            deadline = time.monotonic() + 60
            while kernel_pids(server.connection_dir) and time.monotonic() < deadline:
                time.sleep(0.5)
            left = len(kernel_pids(server.connection_dir))
    print(f"\n{ns.pages} pages opened at once on one session (2 cores)")
    print(f"  one page alone, open to board shown (baseline)   {one:.1f} s")
    print(f"  {ns.pages} pages, open to the last board shown        {many:.1f} s  ({many / one:.1f}x one page)")
    print(f"  kernels held at once                              {len(rss)}")
    print(f"  memory per meeting kernel (RSS), median / max     {statistics.median(rss):.0f} / {max(rss):.0f} MB")
    print(f"  memory of the server process (RSS)                {server_rss:.0f} MB")
    print(f"  kernels left 60 s after the pages closed          {left}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
