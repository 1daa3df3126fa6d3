"""The meeting board without a browser: a rating changed through the widget, to the new
overlap chart (SVG) in the board's Image widget, at 200 goals; next to rendering an empty
matplotlib figure to PNG in the same run (what any matplotlib chart update costs at least).

    python benchmarks/bench_widgets.py [--goals N] [--runs N]

Prints the median of each step and the ratio of the rating change to the empty figure.
Also: opening a facilitator's board and a customer's board (the first panel and the
first tab, as a page opens), and building each panel of the board on its own, the way the
board builds it: ``factory(context)``.
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

from pmkit.charts.style import new_figure, style, to_png  # noqa: E402
from pmkit.model import parse_session  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from pmkit.widgets import PANELS, MeetingBoard  # noqa: E402
from pmkit.widgets.context import BoardContext  # noqa: E402

STANCES = ("support", "neutral", "oppose")


def big_session(goals: int, seed: int = 7) -> dict[str, object]:
    """``goals`` goals rated at random but reproducibly (one in ten for management only)."""
    rng = random.Random(seed)

    def rating() -> dict[str, object]:
        return {"importance": rng.randint(0, 5), "stance": rng.choice(STANCES)}

    return {
        "title": f"Benchmark session with {goals} goals",
        "goals": [
            {
                "id": f"g{n}",
                "title": f"Goal {n}: {rng.choice(['deliver', 'keep', 'cut', 'fund'])} work package "
                f"{rng.randint(1, 99)} before milestone {n % 12}",
                "raised_by": rng.choice(["customer", "management"]),
                "audience": "management" if n % 10 == 0 else "joint",
                "ratings": {"customer": rating(), "management": rating()},
            }
            for n in range(goals)
        ],
        "issues": [
            {"title": f"Issue {n}", "unit": "kEUR", "positions": {"customer": {"ideal": 10 * n}}} for n in range(5)
        ],
        "agreements": [{"text": f"Agreement {n}"} for n in range(10)],
        "actions": [{"title": f"Action {n}", "owner": "PM"} for n in range(10)],
    }


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return wall, cpu


def _close(panel: object) -> None:
    closer = getattr(panel, "close", None)
    if callable(closer):
        closer()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--runs", type=int, default=21)
    ns = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace(folder)
        sid = ws.sessions.create(parse_session(big_session(ns.goals)))
        opened = timed(lambda: MeetingBoard(ws, sid, "facilitator").close(), 3)
        opened_customer = timed(lambda: MeetingBoard(ws, sid, "customer").close(), 3)
        built = {title: timed(lambda f=factory: _close(f(BoardContext(ws, sid, "facilitator"))), 3)
                 for title, factory in PANELS}

        board = MeetingBoard(ws, sid, "facilitator")
        goals = board.panel("Goals")
        chart = board.panel("Overview").chart  # type: ignore[attr-defined]
        row = goals.rows["customer"]  # type: ignore[attr-defined]
        arrived: list[tuple[float, float]] = []
        chart.observe(lambda change: arrived.append((time.perf_counter(), time.process_time())), names="value")
        rng = random.Random(1)
        change_wall: list[float] = []
        change_cpu: list[float] = []
        empty_wall: list[float] = []
        empty_cpu: list[float] = []
        st = style()
        for n in range(ns.runs):
            # the baseline interleaved with the measurement: both see the same machine load
            w, c = timed(lambda: to_png(new_figure(st, 7.6, 5.2)[0]), 1)
            empty_wall += w
            empty_cpu += c
            goals.select.value = f"g{1 + (n * 7) % (ns.goals - 1)}" if n % 10 else "g1"  # type: ignore[attr-defined]
            current = row.importance.value
            new = rng.choice([v for v in range(6) if v != current])
            arrived.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            row.importance.value = new
            if not arrived:
                raise SystemExit(f"the chart did not change after a rating change ({board.status.message})")
            change_wall.append(arrived[0][0] - start)
            change_cpu.append(arrived[0][1] - start_cpu)
        board.close()
        ws.close()

    rows = [
        (f"rating change -> overlap chart ({ns.goals} goals)", change_wall, change_cpu),
        ("empty figure -> PNG (baseline)", empty_wall, empty_cpu),
        (f"open facilitator board ({ns.goals} goals)", *opened),
        (f"open customer board ({ns.goals} goals)", *opened_customer),
        *((f"build the {title} panel (facilitator)", *times) for title, times in built.items()),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'median of ' + str(ns.runs) + ' runs':<{width}}  {'wall':>9}  {'CPU':>9}")
    for name, wall, cpu in rows:
        print(f"{name:<{width}}  {median_ms(wall):6.1f} ms  {median_ms(cpu):6.1f} ms")
    print(
        f"{'ratio rating change / empty figure':<{width}}  {median_ms(change_wall) / median_ms(empty_wall):7.2f} x"
        f"  {median_ms(change_cpu) / median_ms(empty_cpu):7.2f} x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
