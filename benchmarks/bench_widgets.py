"""The meeting board without a browser: a rating changed through the widget, to the new
overlap chart PNG in the board's Image widget, at 200 goals; next to rendering an empty
figure to PNG in the same run (the floor of any chart update).

    python benchmarks/bench_widgets.py [--goals N] [--runs N]

Prints the median of each step and the ratio of the rating change to the empty figure.
Also: opening a facilitator's board and a customer's board (all panels drawn).
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
from pmkit.widgets import MeetingBoard  # noqa: E402

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


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--runs", type=int, default=21)
    ns = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace(folder)
        sid = ws.create(parse_session(big_session(ns.goals)))
        opened = timed(lambda: MeetingBoard(ws, sid, "facilitator").close(), 3)
        opened_customer = timed(lambda: MeetingBoard(ws, sid, "customer").close(), 3)

        board = MeetingBoard(ws, sid, "facilitator")
        goals = board.panel("Goals")
        chart = board.panel("Overview").chart  # type: ignore[attr-defined]
        row = goals.rows["customer"]  # type: ignore[attr-defined]
        arrived: list[float] = []
        chart.observe(lambda change: arrived.append(time.perf_counter()), names="value")
        rng = random.Random(1)
        changes: list[float] = []
        empty: list[float] = []
        st = style()
        for n in range(ns.runs):
            # the baseline interleaved with the measurement: both see the same machine load
            empty += timed(lambda: to_png(new_figure(st, 7.6, 5.2)[0]), 1)
            goals.select.value = f"g{1 + (n * 7) % (ns.goals - 1)}" if n % 10 else "g1"  # type: ignore[attr-defined]
            current = row.importance.value
            new = rng.choice([v for v in range(6) if v != current])
            arrived.clear()
            start = time.perf_counter()
            row.importance.value = new
            if not arrived:
                raise SystemExit(f"the chart did not change after a rating change ({board.status.message})")
            changes.append(arrived[0] - start)
        board.close()
        ws.close()

    rows = [
        (f"rating change -> overlap chart PNG ({ns.goals} goals)", median_ms(changes)),
        ("empty figure -> PNG (baseline)", median_ms(empty)),
        (f"open facilitator board ({ns.goals} goals, all panels)", median_ms(opened)),
        (f"open customer board ({ns.goals} goals, all panels)", median_ms(opened_customer)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:8.1f} ms")
    ratio = median_ms(changes) / median_ms(empty)
    print(f"{'ratio rating change / empty figure':<{width}}  {ratio:8.2f} x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
