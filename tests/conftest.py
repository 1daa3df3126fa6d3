"""Shared fixtures: an isolated workspace per test and the starters as one data set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pmkit.model import Session
from pmkit.resources import starter_names, starter_path
from pmkit.store import Workspace
from pmkit.yamlio import read_session_file

ROOT = Path(__file__).resolve().parent.parent
STARTERS = starter_names()


@pytest.fixture(autouse=True)
def _isolated_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own workspace folder; nothing touches the user's."""
    folder = tmp_path / "workspace"
    monkeypatch.setenv("PMKIT_WORKSPACE", str(folder))
    return folder


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
    return workspace.import_file(starter_path("undisclosed-risk"))


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real `pmkit` command line in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "pmkit", *args],
        capture_output=True, text=True, input=input, env=full_env, timeout=timeout, cwd=ROOT,
    )
