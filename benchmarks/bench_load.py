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


def open_pages(b: object, links: list[str]) -> tuple[list[object], float, int]:
    """Open every link at once; the pages, the seconds until the last one shows the overlap
    chart, and how many needed the reload button (see tests/test_resilience_browser.py)."""
    pages = [b.new_context().new_page() for _ in links]  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    for page, url in zip(pages, links, strict=True):
        page.goto(url, wait_until="commit", timeout=600_000)  # type: ignore[attr-defined]
    reloads = 0
    for page in pages:
        for _attempt in range(3):
            page.wait_for_selector(f"{CHART}, #pmkit-kernel-notice >> visible=true", timeout=600_000)  # type: ignore[attr-defined]
            if page.locator(CHART).count():  # type: ignore[attr-defined]
                break
            reloads += 1
            page.locator("#pmkit-kernel-notice button").click()  # type: ignore[attr-defined]
        page.wait_for_selector(CHART, state="visible", timeout=600_000)  # type: ignore[attr-defined]
    return pages, time.perf_counter() - t0, reloads


def close_pages(pages: list[object]) -> None:
    for page in pages:
        page.close(run_before_unload=True)  # type: ignore[attr-defined]
        page.context.close()  # type: ignore[attr-defined]


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

            alone, one, _ = open_pages(b, [link(0)])
            close_pages(alone)
            time.sleep(3)
            pages, many, reloads = open_pages(b, [link(i) for i in range(ns.pages)])
            rss = [rss_mb(p) for p in kernel_pids(server.connection_dir)]
            server_rss = rss_mb(server.proc.pid)
            close_pages(pages)
            deadline = time.monotonic() + 60
            while kernel_pids(server.connection_dir) and time.monotonic() < deadline:
                time.sleep(0.5)
            left = len(kernel_pids(server.connection_dir))
    print(f"\n{ns.pages} pages opened at once on one session (2 cores)")
    print(f"  one page alone, open to board shown (baseline)   {one:.1f} s")
    print(f"  {ns.pages} pages, open to the last board shown        {many:.1f} s  ({many / one:.1f}x one page)")
    print(f"  pages that needed the reload button               {reloads}")
    print(f"  kernels held at once                              {len(rss)}")
    print(f"  memory per meeting kernel (RSS), median / max     {statistics.median(rss):.0f} / {max(rss):.0f} MB")
    print(f"  memory of the server process (RSS)                {server_rss:.0f} MB")
    print(f"  kernels left 60 s after the pages closed          {left}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
