"""Decision analytics timings: whom-to-please for 1,000 goals and the Pareto set of 100,000
candidate packages.

    python benchmarks/bench_decisions.py [--runs N] [--strict]

Prints a table of medians. Targets: sensitivity of 1,000 goals under 20 ms; the Pareto set
of 100,000 packages under 1 s. Baselines measured in the same run: one call of the board's
ranking (:func:`pmkit.analytics.overlap.ranking`) at one weight, and sorting the 100,000 candidates
once (the floor of any exact Pareto computation). ``--strict`` exits 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.analytics.overlap import ranking  # noqa: E402
from pmkit.analytics.packages import packages, pareto_mask  # noqa: E402
from pmkit.analytics.whom_to_please import sensitivity  # noqa: E402
from pmkit.model import Session, parse_session  # noqa: E402

SENSITIVITY_TARGET_MS = 20.0
PARETO_TARGET_MS = 1000.0
STANCES = ("support", "neutral", "oppose")


def goals_session(goals: int, seed: int = 7) -> Session:
    rng = random.Random(seed)
    items = []
    for g in range(goals):
        ratings = {p: {"importance": rng.randint(0, 5), "stance": rng.choice(STANCES)}
                   for p in ("customer", "management") if rng.random() < 0.9}
        items.append({"id": f"g{g}", "title": f"Goal {g}", "raised_by": "customer", "ratings": ratings})
    return parse_session({"title": "bench", "goals": items})


def packages_session() -> Session:
    """Ten traded goals (1,024 combinations) and one issue on a 100-value grid: 102,400."""
    goals = [{"title": f"Goal {g}", "raised_by": "customer",
              "ratings": {"customer": {"importance": 1 + g % 5, "stance": "support"},
                          "management": {"importance": 5 - g % 4, "stance": "oppose"}}} for g in range(10)]
    issue = {"title": "Budget", "positions": {"customer": {"ideal": 1000, "walk_away": 1290},
                                              "management": {"ideal": 1410, "walk_away": 1200}}}
    return parse_session({"title": "bench", "goals": goals, "issues": [issue]})


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ns = parser.parse_args()

    rows: list[tuple[str, float, str, bool | None]] = []
    big = goals_session(1000)
    base = median_ms(lambda: ranking(big, 0.5), ns.runs)
    rows.append(("ranking of 1,000 goals at one weight (baseline)", base, "", None))
    for k in (3, 10):
        t = median_ms(lambda k=k: sensitivity(big, k=k), ns.runs)
        rows.append((f"sensitivity, 1,000 goals, top {k} (exact)", t, f"< {SENSITIVITY_TARGET_MS:g} ms",
                     t < SENSITIVITY_TARGET_MS))

    rng = np.random.default_rng(7)
    random_u = rng.random((100_000, 2))
    front_u = np.c_[np.linspace(0, 1, 100_000), np.linspace(1, 0, 100_000)]  # every point efficient
    random_u3 = rng.random((100_000, 3))
    rows.append(("sort 100,000 candidates (baseline)", median_ms(lambda: np.lexsort(random_u.T), ns.runs), "",
                 None))
    for label, u in (("Pareto set, 100,000 random packages, 2 parties", random_u),
                     ("Pareto set, 100,000 packages all efficient, 2 parties", front_u),
                     ("Pareto set, 100,000 random packages, 3 parties", random_u3)):
        t = median_ms(lambda u=u: pareto_mask(u), ns.runs)
        rows.append((label, t, f"< {PARETO_TARGET_MS:g} ms", t < PARETO_TARGET_MS))
    session = packages_session()
    n = packages(session, points=98).candidates
    t = median_ms(lambda: packages(session, points=98), max(3, ns.runs // 3))
    rows.append((f"packages end to end, {n:,} candidates (exact frontier, 3 points)", t,
                 f"< {PARETO_TARGET_MS:g} ms", t < PARETO_TARGET_MS))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median ms':>10}  {'target':>10}  ok")
    for name, ms, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{name:<{width}}  {ms:>10.2f}  {target:>10}  {mark}")
    missed = [r for r in rows if r[3] is False]
    return 1 if ns.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
