"""Shared fixtures: an isolated workspace per test and the starters as one data set."""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmkit.formats.yaml_file import read_session_file
from pmkit.model import Session
from pmkit.resources import starter_names, starter_path
from pmkit.store import Workspace

ROOT = Path(__file__).resolve().parent.parent
# The starters of a customer and management's meeting; a negotiation case (two sides named by
# the case, option issues only) has tests of its own (tests/unit/formats/test_genius_case.py).
CASES = ("itex-cypress",)
STARTERS = [name for name in starter_names() if name not in CASES]

# Kernels, servers and command lines started by the tests run this checkout's code, never
# another copy of pmkit that happens to be installed.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


@pytest.fixture(autouse=True)
def _isolated_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own workspace folder; nothing touches the user's."""
    folder = tmp_path / "workspace"
    monkeypatch.setenv("PMKIT_WORKSPACE", str(folder))
    monkeypatch.delenv("PMKIT_DATABASE_URL", raising=False)  # SQLite unless a test asks for PostgreSQL
    return folder


# -- the two backends ---------------------------------------------------------------------
POSTGRES_SANDBOX = ROOT / "scripts" / "postgres-sandbox"


def postgres(command: str, folder: Path) -> str:
    """Run scripts/postgres-sandbox (start, stop, url) on ``folder``; returns what it printed."""
    r = subprocess.run([str(POSTGRES_SANDBOX), command, str(folder)], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        pytest.fail(f"scripts/postgres-sandbox {command} failed: {r.stderr.strip() or r.stdout.strip()}")
    return r.stdout.strip()


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server of its own (Debian's package, data and socket in a temporary
    folder, run as the `postgres` user); yields the URL of its database `pmkit`."""
    folder = Path(tempfile.mkdtemp(prefix="pmkit-pg-", dir="/tmp"))  # the server's user must reach it
    try:
        yield postgres("start", folder)
    finally:
        postgres("discard", folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The test run's one PostgreSQL server, started on first use and stopped at the end."""
    with postgres_server() as url:
        yield url


def fresh_schema(server_url: str) -> str:
    """The URL of a new, empty schema in the server's database: a workspace of its own."""
    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{server_url}&options=-csearch_path%3D{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a test once per backend: SQLite (the file in the test's workspace folder) and
    PostgreSQL (a schema of its own on the run's real server, ``server``-marked). Put it
    first with ``pytestmark = pytest.mark.usefixtures("backend")``."""
    if request.param == "postgresql":
        monkeypatch.setenv("PMKIT_DATABASE_URL", fresh_schema(request.getfixturevalue("postgres_url")))
    else:
        monkeypatch.delenv("PMKIT_DATABASE_URL", raising=False)
    return str(request.param)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Chromium for a test module (tests/live.py's browser())."""
    from tests.live import browser

    with browser() as b:
        yield b


@pytest.fixture
def workspace(_isolated_workspace: Path) -> Workspace:
    ws = Workspace(_isolated_workspace)
    yield ws
    ws.close()


def starter(name: str) -> Session:
    return read_session_file(starter_path(name))


@pytest.fixture
def demo(workspace: Workspace) -> str:
    """The session id of the starter with confidential items, imported into the workspace."""
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))


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
