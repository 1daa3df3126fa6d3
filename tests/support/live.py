"""A real `pmkit serve` and a real headless Chromium, for the end-to-end tests.

The browser is Debian's chromium driven by Playwright with ``executable_path``; when it is
missing the tests fail with a clear message (they never skip).
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ROOT

CHROMIUM = os.environ.get("PMKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kernel_pids(connection_dir: Path) -> list[int]:
    """PIDs of kernel processes whose connection file lies under ``connection_dir``."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if str(connection_dir) in cmd and "ipykernel" in cmd:
            pids.append(int(proc.name))
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


@dataclass
class Server:
    proc: subprocess.Popen[str]
    base: str
    port: int
    workspace: Path
    connection_dir: Path
    lines: list[str] = field(default_factory=list)  # stdout: what the user is shown
    errlines: list[str] = field(default_factory=list)  # stderr: the server's log
    facilitator: str = ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return int(self.proc.returncode)

    def log(self) -> str:
        """The server's log (stderr)."""
        return "\n".join(self.errlines)

    def _reap(self, timeout: float = 40) -> None:
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def stop_later(self) -> None:
        """SIGTERM now; the server shuts its kernels down while the next test runs. A
        ``stopping`` thread waits for it (and kills it after 40 s); :func:`stopped` joins them."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            thread = threading.Thread(target=self._reap, daemon=True)
            thread.start()
            _stopping.append(thread)


_stopping: list[threading.Thread] = []
# serve() leaves its server to exit while the caller goes on (the test suite sets it; a
# benchmark waits, so that one server's shutdown never overlaps what it measures next)
STOP_IN_BACKGROUND = False


def stopped() -> None:
    """Wait until every server stopped with :meth:`Server.stop_later` has exited."""
    while _stopping:
        _stopping.pop().join()


def _pump(stream: object, lines: list[str], q: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line.rstrip("\n"))
        q.put(line)


@contextmanager
def serve(workspace: Path, session_id: str | None, tmp: Path, *extra: str,
          env: dict[str, str] | None = None, startup: float = 90) -> Iterator[Server]:
    """Start `python -m pmkit serve` on a free port; stop it (SIGTERM) afterwards. With
    :data:`STOP_IN_BACKGROUND` (the tests set it) the caller does not wait for it to exit,
    unless it stopped the server itself (:meth:`Server.stop`).

    Without a pool of preheated kernels unless ``--preheat`` or ``PMKIT_PREHEAT`` asks for
    one: each page then has its own kernel, started for it, which the tests can count."""
    port = free_port()
    conn = tmp / "kernels"
    conn.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, "PMKIT_PREHEAT": "0", **(env or {}), "PMKIT_WORKSPACE": str(workspace),
                "PYTHONUNBUFFERED": "1"}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    args = [sys.executable, "-m", "pmkit", "serve", *([session_id] if session_id else []),
            "--port", str(port), "--connection-dir", str(conn), *extra]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=full_env, cwd=tmp)
    server = Server(proc, f"http://127.0.0.1:{port}", port, workspace, conn)
    q: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, server.lines, q), daemon=True).start()
    threading.Thread(target=_pump, args=(proc.stderr, server.errlines, queue.Queue()), daemon=True).start()
    deadline = time.monotonic() + startup
    try:
        while True:
            try:
                line = q.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"pmkit serve did not start:\n{server.log()}") from None
            if line.startswith("facilitator ") and session_id:
                server.facilitator = line.split()[1]
                break
            if line.startswith("serving ") and not session_id:
                break
            if proc.poll() is not None:
                raise AssertionError(f"pmkit serve exited:\n{server.log()}")
        yield server
    finally:
        server.stop_later() if STOP_IN_BACKGROUND else server.stop()


def wait_until(predicate: Any, timeout: float, what: str, every: float = 0.1) -> None:
    """Wait for a condition (never a fixed sleep): poll ``predicate`` until it is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def leaks(text: str, hidden: list[str]) -> list[str]:
    """The texts of ``hidden`` found in ``text``: a number standing alone (not part of a
    longer number), any other text as it is or as JSON escapes it."""
    found = []
    for h in hidden:
        if re.fullmatch(r"-?[\d.,]+", h):
            if re.search(rf"(?<![\d.,]){re.escape(h)}(?![\d])", text):
                found.append(h)
        elif h in text or json.dumps(h)[1:-1] in text:
            found.append(h)
    return found


def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    "(run `make system`)", pytrace=False)
    return CHROMIUM


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium (Playwright, Debian's binary)."""
    from playwright.sync_api import sync_playwright

    path = require_chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
