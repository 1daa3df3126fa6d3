"""Packages at scale: the exact Pareto frontier and the Nash, Kalai–Smorodinsky and
maximum-welfare packages, against brute-force enumeration where enumeration is possible.

    python benchmarks/bench_packages.py [--runs N] [--strict]

Cases: option issues with 10 options each and random scores (fixed seed), two parties for
10^4 to 10^6 packages (compared with enumeration) and 10^10 (beyond it), three parties for
10^4 to 10^6 (compared); and a session of 12 numeric issues with walk-aways inside the span
(11 evenly spaced values plus both walk-aways, about 1.7·10^13 packages). Each comparison checks that both give the same
Pareto set and the same three packages, and reports the ratio of the medians. Targets: the
10^10 two-party case and the 10^6 three-party case under 2 s, and the 12-issue session has
packages. ``--strict`` exits 1 when a target is missed or a comparison differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_decisions import median_ms  # noqa: E402
from pmkit.analytics.packages import (  # noqa: E402
    PackageResult,
    Problem,
    ks_index,
    nash_index,
    option_column,
    packages,
    pareto_mask,
    solve,
    welfare_index,
)
from pmkit.model import Session, parse_session  # noqa: E402

TARGET_MS = 2000.0


def random_problem(issues: int, options: int, parties: int, seed: int = 7) -> Problem:
    rng = np.random.default_rng(seed)
    names = tuple(f"p{k}" for k in range(parties))
    ids = [f"o{i}" for i in range(options)]
    columns = tuple(option_column(f"i{k}", ids, {p: rng.uniform(0, 100, options) for p in names},
                                  {p: float(rng.uniform(0.1, 1.0)) for p in names}, {}, names)
                    for k in range(issues))
    norm = sum(c.weight for c in columns)
    return Problem(parties=names, columns=columns, base=np.zeros(parties), norm=norm,
                   disagreement=np.zeros(parties), traded=(), fixed_in=(), fixed_out=(), left_out=())


def brute_force(pb: Problem) -> tuple[set[int], tuple[int | None, ...]]:
    """Every package's utility (product order), then the Pareto set and the three points."""
    m = len(pb.parties)
    u = pb.base / pb.norm
    for c in pb.columns:
        u = (u[:, None, :] if u.ndim == 2 else u[None, None, :]) + (c.numerator / pb.norm)[None, :, :]
        u = u.reshape(-1, m)
    u = np.round(u.reshape(-1, m), 12)
    ok = np.all(u >= pb.disagreement, axis=1)
    front = set(np.flatnonzero(pareto_mask(u)).tolist())
    d = pb.disagreement
    return front, (nash_index(u, d, ok), ks_index(u, d, ok), welfare_index(u, d, ok))


def summary(r: PackageResult) -> tuple[set[int], tuple[int | None, ...]]:
    points = (r.nash, r.kalai_smorodinsky, r.max_welfare)
    return {p.index for p in r.pareto}, tuple(None if p is None else p.index for p in points)


def numeric_session(issues: int = 12) -> Session:
    """Numeric issues whose walk-aways lie inside the span of the ideals: 11 grid values each
    plus both walk-aways."""
    items = [{"id": f"x{k}", "title": f"Issue {k}", "positions": {
        "customer": {"ideal": 0, "walk_away": 70 + k}, "management": {"ideal": 100, "walk_away": 20 + k}}}
        for k in range(issues)]
    return parse_session({"title": "bench", "issues": items})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ns = parser.parse_args()

    rows: list[tuple[str, float, str, str, bool | None]] = []
    for parties, sizes in ((2, (4, 5, 6)), (3, (4, 5, 6))):
        for k in sizes:
            pb = random_problem(k, 10, parties)
            engine = median_ms(lambda pb=pb: solve(pb), ns.runs)
            brute = median_ms(lambda pb=pb: brute_force(pb), max(1, ns.runs // 2))
            same = summary(solve(pb)) == brute_force(pb)
            target = TARGET_MS if (parties, k) == (3, 6) else None
            ok = same and (target is None or engine < target)
            rows.append((f"{parties} parties, 10^{k} packages: exact / enumeration", engine,
                         f"{brute:.1f} ms, x{brute / engine:.0f}{'' if same else ', DIFFERENT'}",
                         f"< {target:g} ms" if target else "same answer", ok))
    pb = random_problem(10, 10, 2)
    t = median_ms(lambda: solve(pb), ns.runs)
    r = solve(pb)
    rows.append((f"2 parties, 10^10 packages: exact ({len(r.pareto)} efficient)", t, "beyond enumeration",
                 f"< {TARGET_MS:g} ms", t < TARGET_MS and r.nash is not None))
    session = numeric_session()
    r = packages(session)
    t = median_ms(lambda: packages(session), ns.runs)
    rows.append((f"12 numeric issues, {r.candidates:.1e} packages ({len(r.pareto)} efficient)", t,
                 "beyond enumeration", "has packages", r.nash is not None and len(r.issues) == 12))

    width = max(len(x[0]) for x in rows)
    print(f"{'measure':<{width}}  {'median ms':>10}  {'brute force, ratio':<28}  {'target':<12}  ok")
    for name, ms, versus, target, good in rows:
        mark = "" if good is None else ("yes" if good else "NO")
        print(f"{name:<{width}}  {ms:>10.2f}  {versus:<28}  {target:<12}  {mark}")
    missed = [x for x in rows if x[4] is False]
    return 1 if ns.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
