"""The tiers are folders, and the markers follow from them: the suite as pytest collects it
(one real `pytest --collect-only` of tests/, with the fast tier's ``-m``) carries ``browser``
on every test under tests/browser/, ``server`` on every test under tests/server/ and
tests/browser/, neither under tests/unit/ (the store's PostgreSQL runs aside), and the fast
tier holds no Hypothesis search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ROOT

pytestmark = pytest.mark.slow  # one real `pytest --collect-only` of the suite, in a subprocess

FAST = "not browser and not server and not slow and not postgres"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every test of the suite: its file, its markers, whether it is a Hypothesis test and
    whether the fast tier's ``-m`` selects it."""
    out = tmp_path_factory.mktemp("tiers") / "suite.json"
    env = {**os.environ, "PMKIT_TIERS_OUT": str(out)}
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "tests.support.tiers",
                        "-p", "no:cacheprovider", "-m", FAST, "tests"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    found: dict[str, dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    assert len(found) > 1000, f"only {len(found)} tests collected"
    return found


def _under(suite: dict[str, dict[str, Any]], folder: str) -> dict[str, dict[str, Any]]:
    found = {k: v for k, v in suite.items() if v["path"].startswith(f"tests/{folder}/")}
    assert found, f"no test under tests/{folder}/"
    return found


def test_every_test_is_in_a_tier_folder(suite: dict[str, dict[str, Any]]) -> None:
    assert [k for k, v in suite.items() if Path(v["path"]).parts[1] not in ("unit", "server", "browser")] == []


def test_every_browser_test_is_marked_browser_and_server(suite: dict[str, dict[str, Any]]) -> None:
    browser = _under(suite, "browser")
    assert [k for k, v in browser.items() if not {"browser", "server"} <= set(v["markers"])] == []


def test_every_server_test_is_marked_server_and_not_browser(suite: dict[str, dict[str, Any]]) -> None:
    server = _under(suite, "server")
    assert [k for k, v in server.items() if "server" not in v["markers"] or "browser" in v["markers"]] == []


def test_no_unit_test_starts_a_browser_or_a_server(suite: dict[str, dict[str, Any]]) -> None:
    """The ``backend`` fixture's PostgreSQL run of a store test is the same test as its SQLite
    run, on the run's real PostgreSQL server: ``postgres``-marked (both cores in `make test`,
    not in `make test-fast`), never ``server``."""
    unit = _under(suite, "unit")
    assert [k for k, v in unit.items() if {"browser", "server"} & set(v["markers"])] == []
    on_postgres = [k for k, v in unit.items() if "postgres" in v["markers"]]
    assert on_postgres, "no PostgreSQL run found: the check would prove nothing"
    assert [k for k in on_postgres if "[postgresql" not in k] == []
    assert [k for k in on_postgres if "postgres" in suite[k.replace("[postgresql", "[sqlite", 1)]["markers"]] == []


def test_the_fast_tier_runs_no_property_search(suite: dict[str, dict[str, Any]]) -> None:
    searches = {k: v for k, v in suite.items() if v["hypothesis"]}
    assert searches, "no Hypothesis test found: the check would prove nothing"
    assert [k for k, v in searches.items() if "slow" not in v["markers"] or v["selected"]] == []


def test_the_fast_tier_is_the_unit_tests_that_are_not_slow(suite: dict[str, dict[str, Any]]) -> None:
    fast = {k for k, v in suite.items() if v["selected"]}
    excluded = {"slow", "server", "browser", "postgres"}
    expected = {k for k, v in suite.items() if v["path"].startswith("tests/unit/") and not excluded & set(v["markers"])}
    assert fast == expected
