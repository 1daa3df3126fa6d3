"""Slots: at most N holders at once across processes; a dead holder frees its slot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmkit.meeting import slots
from tests.support.paths import ROOT

pytestmark = pytest.mark.slow  # several real processes


HOLD = """
import sys, time
from pathlib import Path
from pmkit.meeting import slots
with slots.slot(Path(sys.argv[1]), int(sys.argv[2]), timeout=float(sys.argv[4])) as n:
    print(f"{time.monotonic():.3f} got {n}", flush=True)
    time.sleep(float(sys.argv[3]))
    print(f"{time.monotonic():.3f} done", flush=True)
"""


def _holder(folder: Path, n: int, hold: float, timeout: float = 60) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", HOLD, str(folder), str(n), str(hold), str(timeout)],
                            stdout=subprocess.PIPE, text=True, env=env)


def test_no_more_than_n_processes_hold_a_slot_at_once(tmp_path: Path) -> None:
    procs = [_holder(tmp_path, 2, 0.6) for _ in range(5)]
    events = []
    for p in procs:
        out, _ = p.communicate(timeout=60)
        got, done = out.splitlines()
        events += [(float(got.split()[0]), +1), (float(done.split()[0]), -1)]
    held, most = 0, 0
    for _t, change in sorted(events, key=lambda e: (e[0], e[1])):  # a release before a take at the same time
        held += change
        most = max(most, held)
    assert most == 2


def test_a_killed_holder_frees_its_slot(tmp_path: Path) -> None:
    first = _holder(tmp_path, 1, 600)
    assert first.stdout is not None and " got 0" in first.stdout.readline()
    second = _holder(tmp_path, 1, 0)
    killed_at = time.monotonic()  # one clock for every process on the machine
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    out, _ = second.communicate(timeout=30)
    got = out.splitlines()[0]
    assert " got 0" in got  # the only slot, which the killed process held
    assert float(got.split()[0]) >= killed_at  # and not before it died


def test_waiting_gives_up_after_the_timeout_and_runs_without_a_slot(tmp_path: Path) -> None:
    with slots.slot(tmp_path, 1) as mine:
        assert mine == 0
        out, _ = _holder(tmp_path, 1, 0, timeout=0.5).communicate(timeout=30)
    assert " got -1" in out


def test_default_slots_is_the_number_of_usable_cores() -> None:
    assert slots.default_slots() == len(os.sched_getaffinity(0))


def test_a_folder_where_no_lock_can_be_made_runs_the_block_without_a_slot(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    ran = []
    with slots.slot(blocker, 2) as mine:
        ran.append(mine)
    assert ran == [-1]
