"""Twenty pages opened at once on one session of a 2-core machine: the time until the last
one shows the board, and the memory of each meeting kernel; one page alone in the same run
is the baseline.

Two measures: twenty HTTP clients (the server's side alone, as when twenty people open the
link on their own laptops: time until each page's HTML is complete), then twenty pages in
one headless Chromium on the same two cores (time until each shows the board; the CPU
seconds spent by the browser, the kernels and the server say where the time goes).

    python benchmarks/bench_load.py [--pages N]

Needs Debian's chromium (`make system`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.meeting import links as access  # noqa: E402
from pmkit.resources import starter_path  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from tests.support.live import browser, kernel_pids, rss_mb, serve  # noqa: E402

CHART = "img.pmkit-overlap-chart"
ROLES = ("customer", "management", "facilitator")


def open_pages(b: Any, links: list[str]) -> tuple[list[Any], list[float], int]:
    """Open every link at once; the pages, the seconds until each one showed the overlap
    chart (every page looked at twice a second), and how many showed the "did not finish
    loading" notice instead."""
    pages = [b.new_context().new_page() for _ in links]
    t0 = time.perf_counter()
    for page, url in zip(pages, links, strict=True):
        page.goto(url, wait_until="commit", timeout=600_000)
    shown: dict[int, float] = {}
    failed: set[int] = set()
    deadline = t0 + 600
    while len(shown) + len(failed) < len(pages) and time.perf_counter() < deadline:
        for i, page in enumerate(pages):
            if i in shown or i in failed:
                continue
            if page.locator(CHART).count():
                shown[i] = time.perf_counter() - t0
            elif page.locator("#pmkit-kernel-notice").is_visible():
                failed.add(i)
        time.sleep(0.5)
    return pages, sorted(shown.values()), len(pages) - len(shown)


def fetch_pages(links: list[str]) -> list[float]:
    """Seconds until each page's HTML (with the board's output) is complete, all at once."""
    done: list[float] = []
    t0 = time.perf_counter()

    def get(url: str) -> None:
        with urllib.request.urlopen(url, timeout=600) as r:
            body = r.read()
        if b"application/vnd.voila.cell-output+json" in body:
            done.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=get, args=(u,)) for u in links]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(done)


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def browser_pids() -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"chrom" in (proc / "cmdline").read_bytes().split(b"\0")[0]:
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def close_pages(pages: list[Any], connection_dir: Path) -> int:
    """Close the pages as a person does (unload handlers run); the kernels left 60 s later."""
    for page in pages:
        page.close(run_before_unload=True)
    deadline = time.monotonic() + 60
    while kernel_pids(connection_dir) and time.monotonic() < deadline:
        time.sleep(0.5)
    for page in pages:
        page.context.close()
    return len(kernel_pids(connection_dir))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ns = ap.parse_args()
    n = ns.pages
    with tempfile.TemporaryDirectory() as d, browser() as b:
        tmp = Path(d)
        ws = Workspace(tmp / "ws")
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))

        def links(base: str, count: int) -> list[str]:
            return [access.link_url(base, access.make_token(ws, sid, ROLES[i % 3])) for i in range(count)]

        lifted = {"PMKIT_PAGES_PER_LINK": str(n)}  # three links shared by every page: lift the cap
        with serve(ws.folder, sid, tmp / "http", env=lifted) as server:  # stopping it stops these kernels
            (http_one,) = fetch_pages(links(server.base, 1))
            http = fetch_pages(links(server.base, n))
        with serve(ws.folder, sid, tmp / "browser", env=lifted) as server:
            alone, (one,), _ = open_pages(b, links(server.base, 1))
            close_pages(alone, server.connection_dir)
            cpu0 = cpu_seconds(browser_pids()), cpu_seconds([server.proc.pid])
            pages, shown, failed = open_pages(b, links(server.base, n))
            kernels = kernel_pids(server.connection_dir)
            cpu_browser = cpu_seconds(browser_pids()) - cpu0[0]
            cpu_server = cpu_seconds([server.proc.pid]) - cpu0[1]
            cpu_kernels = cpu_seconds(kernels)
            rss = [rss_mb(p) for p in kernels]
            server_rss = rss_mb(server.proc.pid)
            left = close_pages(pages, server.connection_dir)
    many = max(shown, default=float("nan"))
    print(f"\n{n} pages opened at once on one session (2 cores)")
    print("server side (HTTP clients, no browser): until the page's HTML is complete")
    print(f"  one page alone (baseline)                          {http_one:.1f} s")
    print(f"  {n} pages: first / median / last                    {min(http):.1f} / "
          f"{statistics.median(http):.1f} / {max(http):.1f} s  ({max(http) / http_one:.1f}x one page)")
    print(f"  pages complete                                     {len(http)} of {n}")
    print("one headless Chromium holding every page: until the page shows the board")
    print(f"  one page alone (baseline)                          {one:.1f} s")
    print(f"  {n} pages: first / median / last                    "
          f"{min(shown):.1f} / {statistics.median(shown):.1f} / {many:.1f} s  ({many / one:.1f}x one page)")
    print(f"  pages that showed their board / that did not       {len(shown)} / {failed}")
    print(f"  CPU seconds: browser / kernels / server            "
          f"{cpu_browser:.0f} / {cpu_kernels:.0f} / {cpu_server:.0f}")
    print(f"  kernels held at once                               {len(rss)}")
    print(f"  memory per meeting kernel (RSS), median / max      {statistics.median(rss):.0f} / {max(rss):.0f} MB")
    print(f"  memory of all meeting kernels (RSS)                {sum(rss) / 1024:.1f} GB")
    print(f"  memory of the server process (RSS)                 {server_rss:.0f} MB")
    print(f"  kernels left 60 s after the pages closed           {left}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
