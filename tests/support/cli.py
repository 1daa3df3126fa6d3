"""The `pmkit` command line as the tests run it: in this process through the console script's
entry point (fast), or as a real subprocess; and the checks every command's test makes."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.paths import ROOT


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 60, process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the `pmkit` command line and return what it printed and its exit code.

    By default in this process, through the same entry point the console script calls
    (``pmkit.cli.main``), with stdin, stdout, stderr and the environment swapped in for
    the call: fast, and the same code path as the real command. ``process=True`` runs it
    as a real `python -m pmkit` subprocess, for what only a process shows (the console
    script, defaults computed at import, signals).
    """
    if process:
        return run_process(*args, input=input, env=env, timeout=timeout)
    return _run_in_process(list(args), input, env or {})


def run_process(*args: str, input: str | None = None, env: dict[str, str] | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real `pmkit` command line in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "pmkit", *args],
        capture_output=True, text=True, input=input, env=full_env, timeout=timeout, cwd=ROOT,
    )


def ok(*args: str) -> list[str]:
    """Run a command that must succeed; its stdout lines."""
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return r.stdout.splitlines()


def fails(*args: str) -> str:
    """Run a command that must fail cleanly; its one-line message."""
    r = run_cli(*args)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("pmkit: error: ")
    assert len(lines[0]) <= 500
    return lines[0]


def imported(name: str = "undisclosed-risk") -> str:
    """Import the starter ``name`` through the command line; its new session id."""
    lines = ok("import", str(starter_path(name)))
    return lines[-1].split()[-1]


def state(folder: Path) -> list[tuple[str, int, int]]:
    """Sessions, versions and journal lengths: what 'nothing written' compares."""
    if not (folder / "workspace.sqlite").exists():
        return []
    with Workspace(folder) as ws:
        return [(i.id, i.version, len(ws.journal.history(i.id))) for i in ws.sessions.all()]


def _run_in_process(args: list[str], input: str | None, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    from pmkit.cli import main

    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    saved_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err), \
                _stdin(input), _cwd(ROOT):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse's own exits (--help, --version, usage errors)
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
                if isinstance(exc.code, str):
                    err.write(exc.code + "\n")
    finally:
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    stdout.flush()
    return subprocess.CompletedProcess(["pmkit", *args], code, out.getvalue().decode("utf-8", "replace"),
                                       err.getvalue())


@contextlib.contextmanager
def _stdin(text: str | None) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text or "")
    try:
        yield
    finally:
        sys.stdin = saved


@contextlib.contextmanager
def _cwd(folder: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(saved)
