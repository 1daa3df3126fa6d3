"""Reports: exporting a 500-goal session to PDF, next to rendering the same report as HTML in
the same run (the PDF is that HTML laid out by WeasyPrint).

    python benchmarks/bench_reports.py [--goals N] [--runs N]

Prints the median of each step and the ratio of the PDF export to the HTML render.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.model import parse_session  # noqa: E402
from pmkit.reports.exports import export  # noqa: E402
from pmkit.reports.render import build_context, render_html, render_markdown  # noqa: E402
from pmkit.store import Workspace  # noqa: E402

STANCES = ("support", "neutral", "oppose")


def big_session(goals: int, seed: int = 7) -> dict[str, object]:
    """A session with ``goals`` goals (one in ten for management only) and a few of
    everything else, rated at random but reproducibly."""
    rng = random.Random(seed)

    def rating() -> dict[str, object]:
        return {"importance": rng.randint(0, 5), "stance": rng.choice(STANCES)}

    return {
        "title": f"Benchmark session with {goals} goals",
        "goals": [
            {"id": f"g{n}", "title": f"Goal {n}: {rng.choice(['deliver', 'keep', 'cut', 'fund'])} "
                                     f"work package {rng.randint(1, 99)} before milestone {n % 12}",
             "raised_by": rng.choice(["customer", "management"]),
             "audience": "management" if n % 10 == 0 else "joint",
             "ratings": {"customer": rating(), "management": rating()}}
            for n in range(goals)
        ],
        "issues": [{"title": f"Issue {n}", "unit": "kEUR",
                    "positions": {"customer": {"ideal": 10 * n, "walk_away": 10 * n + 5},
                                  "management": {"ideal": 10 * n + 8, "walk_away": 10 * n + 3}}}
                   for n in range(10)],
        "agreements": [{"text": f"Agreement {n}"} for n in range(20)],
        "actions": [{"title": f"Action {n}", "owner": "PM", "due": "2026-12-01"} for n in range(30)],
        "notes": [{"text": f"Note {n}", "audience": "facilitator"} for n in range(10)],
    }


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``runs`` calls (CPU time is what the step
    itself costs, whatever else the machine is doing)."""
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--goals", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    ns = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "workspace")
        sid = ws.sessions.create(parse_session(big_session(ns.goals)))
        for role in ("facilitator", "customer"):
            view = ws.sessions.load(sid, role)
            ctx = build_context(view, role, session_id=sid)
            ctx_t = timed(lambda view=view, role=role: build_context(view, role, session_id=sid),
                          ns.runs)
            html_t = timed(lambda ctx=ctx: render_html(ctx), ns.runs)
            md_t = timed(lambda ctx=ctx: render_markdown(ctx), ns.runs)
            pdf_t = timed(lambda role=role: export(ws, sid, role, "pdf"), ns.runs)
            size = (Path(tmp) / "workspace" / "exports" / f"{sid}-{role}.pdf").stat().st_size
            for name, (wall, cpu) in (("context (analysis + chart)", ctx_t),
                                      ("HTML render (baseline)", html_t),
                                      ("Markdown render", md_t),
                                      (f"PDF export, load to file ({size // 1024} KiB)", pdf_t)):
                rows.append((f"{role}: {name}", f"{wall * 1000:.0f} ms", f"{cpu * 1000:.0f} ms"))
            rows.append((f"{role}: ratio PDF export / HTML render", f"{pdf_t[0] / html_t[0]:.0f}x",
                         f"{pdf_t[1] / html_t[1]:.0f}x"))
        ws.close()
    print(f"reports, {ns.goals} goals, median of {ns.runs} runs")
    print(f"{'step':<58} {'wall':>10} {'cpu':>10}")
    for name, wall, cpu in rows:
        print(f"{name:<58} {wall:>10} {cpu:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
