"""A real PostgreSQL server for the tests (scripts/postgres-sandbox), and a fresh schema on it
per workspace."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import ROOT

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


def fresh_schema(server_url: str) -> str:
    """The URL of a new, empty schema in the server's database: a workspace of its own."""
    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{server_url}&options=-csearch_path%3D{name}"
