"""Fixtures and hooks only (helpers live in tests/support/): an isolated workspace per test,
the two backends, one headless Chromium per run, and the tiers' markers by folder.

The folder a test sits in says what it starts: tests/unit/ nothing (no server, no browser),
tests/server/ a real `pmkit serve`, voila, kernels or PostgreSQL (``server``), tests/browser/
a real headless Chromium as well (``browser`` and ``server``). Every Hypothesis test is
``slow``: the fast tier runs no property search."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support import live
from tests.support.paths import ROOT
from tests.support.postgres import fresh_schema, postgres_server

# A test's `pmkit serve` shuts its kernels down while the next test runs (the run waits for
# them all at its end: _servers_stopped).
live.STOP_IN_BACKGROUND = True
# Kernels, servers and command lines started by the tests run this checkout's code, never
# another copy of pmkit that happens to be installed.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)

TESTS = Path(__file__).resolve().parent
# the markers each tier's folder gives its tests
TIER_MARKS = {"browser": ("browser", "server"), "server": ("server",)}


def tier(path: Path) -> str:
    """The tier of a test file: ``unit``, ``server`` or ``browser`` (its first folder under tests/)."""
    return path.resolve().relative_to(TESTS).parts[0]


def is_property_search(item: pytest.Item) -> bool:
    """Whether ``item`` is a Hypothesis test (a function under ``@given``)."""
    func = getattr(item, "obj", None)
    return bool(getattr(func, "is_hypothesis_test", False) or hasattr(func, "hypothesis"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for name in TIER_MARKS.get(tier(item.path), ()):
            item.add_marker(getattr(pytest.mark, name))
        if is_property_search(item):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own workspace folder; nothing touches the user's."""
    folder = tmp_path / "workspace"
    monkeypatch.setenv("PMKIT_WORKSPACE", str(folder))
    monkeypatch.delenv("PMKIT_DATABASE_URL", raising=False)  # SQLite unless a test asks for PostgreSQL
    return folder


# -- the two backends ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The test run's one PostgreSQL server, started on first use and stopped at the end."""
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a test once per backend: SQLite (the file in the test's workspace folder) and
    PostgreSQL (a schema of its own on the run's real server, ``server``-marked). Put it
    first with ``pytestmark = pytest.mark.usefixtures("backend")``."""
    if request.param == "postgresql":
        monkeypatch.setenv("PMKIT_DATABASE_URL", fresh_schema(request.getfixturevalue("postgres_url")))
    else:
        monkeypatch.delenv("PMKIT_DATABASE_URL", raising=False)
    return str(request.param)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the test run (tests/support/live.py's browser()); every test
    opens its pages in contexts of its own."""
    from tests.support.live import browser

    with browser() as b:
        _browsers.append(b)
        yield b
        _browsers.remove(b)


_browsers: list[Any] = []


@pytest.fixture(scope="module", autouse=True)
def _pages_closed() -> Iterator[None]:
    """A test module's pages end with it: what its tests left open in the run's Chromium is
    closed once the module's servers have stopped."""
    yield
    for b in _browsers:
        for context in list(b.contexts):
            context.close()


@pytest.fixture(scope="session", autouse=True)
def _servers_stopped() -> Iterator[None]:
    """The run ends once every `pmkit serve` it started has exited."""
    yield
    live.stopped()


@pytest.fixture
def workspace(_isolated_workspace: Path) -> Iterator[Workspace]:
    ws = Workspace(_isolated_workspace)
    yield ws
    ws.close()


@pytest.fixture
def demo(workspace: Workspace) -> str:
    """The session id of the starter with confidential items, imported into the workspace."""
    return workspace.sessions.import_file(starter_path("undisclosed-risk"))
