"""Run every benchmark: each ``benchmarks/bench_*.py`` in turn, with this Python, printing its
table as it goes. Exits non-zero if any of them fails.

    python benchmarks/run.py [-k TEXT] [--strict]

``-k TEXT`` runs only the scripts whose name contains TEXT; ``--strict`` is passed on to the
scripts that accept it (they then fail when a target is missed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(selector: str | None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if selector is None or selector in p.name]


def accepts_strict(script: Path) -> bool:
    return "--strict" in script.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmarks/bench_*.py script in turn.")
    parser.add_argument("-k", dest="selector", metavar="TEXT", help="only scripts whose name contains TEXT")
    parser.add_argument("--strict", action="store_true", help="pass --strict on: a missed target fails")
    ns = parser.parse_args(argv)

    chosen = scripts(ns.selector)
    if not chosen:
        print(f"no benchmark matches {ns.selector!r}", file=sys.stderr)
        return 2
    results: list[tuple[str, int, float]] = []
    for script in chosen:
        print(f"== {script.name}", flush=True)
        cmd = [sys.executable, str(script)]
        if ns.strict and accepts_strict(script):
            cmd.append("--strict")
        t0 = time.perf_counter()
        code = subprocess.call(cmd, cwd=HERE.parent)
        results.append((script.name, code, time.perf_counter() - t0))
        print(flush=True)

    width = max(len(name) for name, _c, _t in results)
    print("== summary")
    for name, code, seconds in results:
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"  {name.ljust(width)}  {seconds:6.1f} s  {status}")
    return 0 if all(code == 0 for _n, code, _t in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
