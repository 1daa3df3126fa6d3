"""`pmkit analyze` through the real command line, and what each role's output may hold.

Two checks per starter: the customer's JSON holds no title, text or value the customer may
not see (:func:`pmkit.rules.visibility.hidden_texts`), and a party's JSON does not depend on
anything it may not see at all: with every hidden item removed and the other side's ideal
and walk-away values moved (within the published cell), its output is the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmkit.analytics.bargaining import PROBE_BUDGET, coarse_cell
from pmkit.model import JOINT
from pmkit.resources import starter_path
from pmkit.rules.probe_steps import default_step
from pmkit.rules.visibility import hidden_texts, hidden_titles, hidden_values, may_see
from tests.support.cli import run_cli
from tests.support.starters import STARTERS, starter

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def imported(path: Path | str) -> str:
    r = run_cli("import", str(path))
    assert r.returncode == 0, r.stderr
    return r.stdout.split()[-1]


def analyze(sid: str, *args: str) -> dict[str, Any]:
    r = run_cli("analyze", sid, *args, "--json")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    data: dict[str, Any] = json.loads(lines[0])
    return data


def strings_and_numbers(data: Any) -> tuple[list[str], list[float]]:
    strings: list[str] = []
    numbers: list[float] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                strings.append(str(k))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            strings.append(x)
            numbers.extend(float(t) for t in _NUMBER.findall(x))
        elif isinstance(x, bool) or x is None:
            return
        elif isinstance(x, (int, float)):
            numbers.append(float(x))

    walk(data)
    return strings, numbers


@pytest.mark.parametrize("name", STARTERS)
def test_customer_json_holds_nothing_it_may_not_see(name: str) -> None:
    session = starter(name)
    sid = imported(starter_path(name))
    out = run_cli("analyze", sid, "--as", "customer", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    strings, numbers = strings_and_numbers(data)
    values = set(hidden_values(session, "customer"))  # JSON holds numbers exactly as computed
    texts = hidden_titles(session, "customer")
    assert texts and values  # every starter withholds something
    for text in texts:
        assert text not in out.stdout
        assert not any(text in s for s in strings)
    assert not values & set(numbers)
    # the management walk-away values in particular
    walk_aways = {p.walk_away for i in session.issues for party, p in i.positions.items()
                  if party == "management" and p.walk_away is not None}
    assert walk_aways and not walk_aways & set(numbers)
    assert data["risk"] is None
    assert all(f["range"] is None for f in data["ranges"])
    # the text output: no hidden title, and no hidden value in any rendering (rounded too)
    text = run_cli("analyze", sid, "--as", "customer").stdout
    for hidden in hidden_texts(session, "customer"):
        assert re.search(rf"(?<![\w.]){re.escape(hidden)}(?![\w]|\.\d)", text) is None, hidden


def variant(name: str, role: str) -> dict[str, Any]:
    """The starter with every item ``role`` may not see removed and the other parties'
    walk-aways moved within their cell. The ideals move further out too, with the issue's
    step written down as it was (the default step comes from both ideals, and the step is
    published to every party: it is the one thing the other side's ideal may tell)."""
    data = yaml.safe_load(starter_path(name).read_text(encoding="utf-8"))
    for field in ("goals", "issues", "agreements", "actions", "notes"):
        data[field] = [x for x in data.get(field) or [] if may_see(role, x.get("audience", JOINT))]
    own = {(kind, x["id"]) for kind, field in (("goal", "goals"), ("issue", "issues"), ("agreement", "agreements"),
                                               ("action", "actions"), ("note", "notes"))
           for x in data[field] if x.get("audience") == role}
    data["plan"] = [e for e in data.get("plan") or []  # the role's own plan
                    if any(i == e["item"] and e.get("kind") in (None, k) for k, i in own)]
    for issue in data["issues"]:
        step = issue.get("probe_step") or default_step(p["ideal"] for p in issue["positions"].values())
        issue["probe_step"] = step
        for party, pos in issue["positions"].items():
            if party == role or pos.get("walk_away") is None:
                continue
            ideal, walk = float(pos["ideal"]), float(pos["walk_away"])
            lo, _hi = coarse_cell(walk, step)
            new_walk = (lo + walk) / 2
            pos["walk_away"] = new_walk
            pos["ideal"] = ideal + (ideal - walk) + 1.25 * ((ideal > walk) - (ideal < walk))
            assert coarse_cell(new_walk, step) == coarse_cell(walk, step)
    return data


@pytest.mark.parametrize("role", ["customer", "management"])
@pytest.mark.parametrize("name", STARTERS)
def test_a_partys_output_does_not_depend_on_what_it_may_not_see(name: str, role: str, tmp_path: Path) -> None:
    changed = tmp_path / f"{name}-{role}.yaml"
    changed.write_text(yaml.safe_dump(variant(name, role), allow_unicode=True), encoding="utf-8")
    original = analyze(imported(starter_path(name)), "--as", role)
    other = analyze(imported(changed), "--as", role)
    original.pop("session")
    other.pop("session")
    assert original == other


def test_facilitator_json_has_ranges_and_risk() -> None:
    sid = imported(starter_path("scope-vs-deadline"))
    data = analyze(sid)
    assert data["role"] == "facilitator"
    ranges = {f["issue_id"]: f["range"] for f in data["ranges"]}
    assert (ranges["release-date"]["low"], ranges["release-date"]["high"]) == (41.5, 45)
    assert ranges["scope"]["status"] == "gap" and ranges["scope"]["size"] == 22.5
    assert data["risk"]["level"] in ("low", "medium", "high")
    assert {o["name"] for o in data["risk"]["options"]} >= {"step back", "escalate to the sponsor"}
    nash = data["packages"]["nash"]
    assert nash is not None and 41.5 <= dict(nash["values"])["release-date"] <= 45
    assert data["sensitivity"]["critical"][0]["exact"] == "1/3"


def test_text_output_and_probes_through_the_cli() -> None:
    sid = imported(starter_path("scope-vs-deadline"))
    text = run_cli("analyze", sid, "--as", "customer")
    assert text.returncode == 0, text.stderr
    assert "a bargaining range exists, answers to the nearest 5 days from today" in text.stdout
    assert "risk" not in text.stdout.lower()
    for n in range(PROBE_BUDGET):
        data = analyze(sid, "--as", "customer", "--probe", "release-date=44")
        fact = next(f for f in data["ranges"] if f["issue_id"] == "release-date")
        assert fact["probe"]["answer"] == "close"
        assert fact["probes_left"] == PROBE_BUDGET - n - 1
    refused = run_cli("analyze", sid, "--as", "customer", "--probe", "release-date=50", "--json")
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "no what-if questions left" in refused.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as", "sponsor"), "unknown role"),
        (("--probe", "release-date"), "ISSUE=VALUE"),
        (("--probe", "release-date=soon"), "ISSUE=VALUE"),
        (("--as", "customer", "--probe", "nothing=3"), "no numeric issue"),
        (("--top", "0"), "at least 1"),
        (("--points", "1"), "at least 2"),
    ],
)
def test_bad_input_is_one_line(args: tuple[str, ...], message: str) -> None:
    sid = imported(starter_path("scope-vs-deadline"))
    r = run_cli("analyze", sid, *args)
    assert r.returncode == 2
    assert message in r.stderr and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_unknown_session() -> None:
    r = run_cli("analyze", "no-such-session")
    assert r.returncode == 2 and "no session" in r.stderr
