"""A pytest plugin that writes down what a collection found: every test's markers, whether it
is a Hypothesis test, and whether the run's ``-m`` selected it. Loaded with
``-p tests.support.tiers``; the JSON goes to the file named by ``PMKIT_TIERS_OUT``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.paths import ROOT

_found: dict[str, dict[str, object]] = {}


def _record(item: pytest.Item, selected: bool) -> None:
    func = getattr(item, "obj", None)
    _found[item.nodeid] = {
        "path": item.path.resolve().relative_to(ROOT).as_posix(),
        "markers": sorted({m.name for m in item.iter_markers()}),
        "hypothesis": bool(getattr(func, "is_hypothesis_test", False) or hasattr(func, "hypothesis")),
        "selected": selected,
    }


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        _record(item, False)


def pytest_collection_finish(session: pytest.Session) -> None:
    out = os.environ.get("PMKIT_TIERS_OUT")
    if not out:
        return
    for item in session.items:
        _record(item, True)
    Path(out).write_text(json.dumps(_found), encoding="utf-8")
