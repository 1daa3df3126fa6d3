"""The README's main command: `pmkit demo` imports the demo once, prints one link per
role and serves the meeting app until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.live import ROOT, free_port


def test_demo_prints_a_link_per_role_serves_them_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PMKIT_WORKSPACE": str(tmp_path / "ws"), "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pmkit", "demo", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path)
    links: dict[str, str] = {}
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        for line in proc.stdout:
            word, _, rest = line.strip().partition(" ")
            if word in ("facilitator", "customer", "management", "room") and rest.startswith("http"):
                links[word] = rest
            if len(links) == 4 or time.monotonic() > deadline:
                break
        assert set(links) == {"facilitator", "customer", "management", "room"}
        assert all(u.startswith(f"http://127.0.0.1:{port}/?pmk=") for u in links.values())
        with urllib.request.urlopen(links["customer"], timeout=120) as r:
            page = r.read().decode()
        assert r.status == 200 and "pmkit meeting" in page
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    # the demo session is imported once: a second run reuses it
    out = subprocess.run([sys.executable, "-m", "pmkit", "demo", "--no-serve"], capture_output=True, text=True,
                         env=env, timeout=60)
    listed = subprocess.run([sys.executable, "-m", "pmkit", "list"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert out.returncode == 0 and "Undisclosed risk" in out.stdout
    assert len(listed.stdout.strip().splitlines()) == 1
