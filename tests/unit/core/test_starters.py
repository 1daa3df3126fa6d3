"""The session starters, through the real command line: lossless export -> import -> export,
every export valid against `pmkit schema`, and a party's output free of what it may not see."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from pmkit.formats.yaml_file import dump_session, load_session
from pmkit.model import FACILITATOR, ITEM_KINDS
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts, hidden_titles
from tests.support.cli import run_cli
from tests.support.starters import STARTERS, starter

ITEM_FIELDS = [field for field, _cls, _prefix in ITEM_KINDS.values()]


def ok(*args: str) -> str:
    r = run_cli(*args)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return r.stdout


def last_word(text: str) -> str:
    return text.splitlines()[-1].split()[-1]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each starter imported once through the CLI: name -> (workspace folder, session id)."""
    folder = str(tmp_path_factory.mktemp("starters"))
    return {
        name: (folder, last_word(ok("--workspace", folder, "import", str(starter_path(name))))) for name in STARTERS
    }


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    r = run_cli("schema")
    assert r.returncode == 0
    s: dict[str, Any] = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(s)
    return s


def as_json(text: str) -> Any:
    """A YAML export as the JSON document the schema describes (YAML dates become strings)."""

    def conv(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, dt.date):
            return v.isoformat()
        return v

    return conv(yaml.safe_load(text))


def validate(doc: Any, schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [str(value)]


def flat(text: str) -> str:
    return " ".join(text.split())  # YAML folds long lines; the search must not miss a leak


def number_in(value: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(value)}(?![\w]|\.\d)", text) is not None


@pytest.mark.parametrize("name", STARTERS)
def test_export_import_export_gives_the_same_document(name: str, tmp_path: Path, schema: dict[str, Any]) -> None:
    first_id = last_word(ok("import", str(starter_path(name))))
    exported = tmp_path / "first.yaml"
    ok("export", first_id, "--format", "yaml", "-o", str(exported))
    second_id = last_word(ok("import", str(exported)))
    assert second_id != first_id
    again = ok("export", second_id, "--format", "yaml")
    assert again == exported.read_text()
    # nothing lost against the starter itself
    assert load_session(again) == starter(name)
    assert again == dump_session(starter(name))
    validate(as_json(again), schema)


@pytest.mark.parametrize("name", STARTERS)
def test_every_roles_export_validates_against_the_schema(
    name: str, imported: dict[str, tuple[str, str]], schema: dict[str, Any]
) -> None:
    folder, sid = imported[name]

    def cli(*args: str) -> str:
        return ok("--workspace", folder, *args)

    for role in starter(name).roles:
        doc = as_json(cli("export", sid, "--format", "yaml", "--as", role))
        validate(doc, schema)
        # and what validates, the model reads back: the schema describes the real format
        load_session(yaml.safe_dump(doc))


@pytest.mark.parametrize(
    "broken",
    [
        {"goals": [{"title": "x", "raised_by": "customer", "ratings": {"customer": {"importance": 9}}}]},
        {"goals": [{"title": "x", "raised_by": "customer", "mood": "good"}]},
        {"actions": [{"title": "x", "status": "maybe"}]},
        {"issues": [{"title": "x", "positions": {"customer": {"walk_away": 1}}}]},
    ],
)
def test_the_schema_rejects_what_the_model_rejects(broken: dict[str, Any], schema: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate({"title": "t", **broken}, schema)


@pytest.mark.parametrize("name", STARTERS)
def test_customer_output_holds_nothing_the_customer_may_not_see(
    name: str, imported: dict[str, tuple[str, str]]
) -> None:
    s = starter(name)
    folder, sid = imported[name]

    def cli(*args: str) -> str:
        return ok("--workspace", folder, *args)

    titles = hidden_titles(s, "customer")
    values = [t for t in hidden_texts(s, "customer") if t not in titles]  # every rendering of each value
    assert titles and values, "every starter keeps something from the customer"

    shown = cli("show", sid, "--as", "customer")
    shown_json = cli("show", sid, "--as", "customer", "--json")
    exported = cli("export", sid, "--format", "yaml", "--as", "customer")
    doc = yaml.safe_load(exported)
    texts = strings(doc)
    for output in (shown, shown_json, exported):
        for title in titles:
            assert flat(title) not in flat(output), f"{name}: customer output shows {title!r}"
    for output in (shown, exported):  # --json has no positions, and its scores are other numbers
        for value in values:
            assert not number_in(value, output), f"{name}: customer output shows the value {value}"
    assert "positions" not in shown_json and "walk" not in shown_json
    for title in titles:
        assert not any(title in t for t in texts)

    # the parsed export: only joint and customer items, only the customer's own positions
    hidden_ids = {i.id for f in ITEM_FIELDS for i in getattr(s, f) if i.audience not in ("joint", "customer")}
    assert hidden_ids
    for field in ITEM_FIELDS:
        for item in doc.get(field, []):
            assert item["audience"] in ("joint", "customer")
            assert item["id"] not in hidden_ids
    for issue in doc["issues"]:
        assert set(issue.get("positions", {})) <= {"customer"}
        assert "management" not in issue.get("positions", {})
    # the facilitator's export, by contrast, has them all
    full = cli("export", sid, "--format", "yaml", "--as", FACILITATOR)
    for title in titles:
        assert flat(title) in flat(full)


@pytest.mark.parametrize("name", STARTERS)
def test_management_output_holds_nothing_management_may_not_see(
    name: str, imported: dict[str, tuple[str, str]]
) -> None:
    s = starter(name)
    folder, sid = imported[name]

    def cli(*args: str) -> str:
        return ok("--workspace", folder, *args)

    hidden = hidden_titles(s, "management")
    outputs = [cli("show", sid, "--as", "management"), cli("export", sid, "--as", "management")]
    for output in outputs:
        for title in hidden:
            assert flat(title) not in flat(output)
    doc = yaml.safe_load(outputs[1])
    for issue in doc["issues"]:
        assert set(issue.get("positions", {})) <= {"management"}
    for field in ITEM_FIELDS:
        assert all(item["audience"] in ("joint", "management") for item in doc.get(field, []))


def test_the_four_situations_are_there() -> None:
    assert {"scope-vs-deadline", "budget-overrun", "quality-vs-speed", "undisclosed-risk"} <= set(STARTERS)


@pytest.mark.parametrize("name", STARTERS)
def test_each_starter_is_a_realistic_mix(name: str) -> None:
    s = starter(name)
    audiences = {i.audience for f in ITEM_FIELDS for i in getattr(s, f)}
    assert {"joint", "management", "facilitator"} <= audiences
    assert s.party_ids == ["customer", "management"]
    assert sum(1 for g in s.goals if {"customer", "management"} <= set(g.ratings)) >= 3
    assert {g.raised_by for g in s.goals} == {"customer", "management"}
    stances = {r.stance for g in s.goals for r in g.ratings.values()}
    assert {"support", "oppose"} <= stances
    both = [i for i in s.issues if {"customer", "management"} <= set(i.positions)]
    assert both, "a numeric issue with both sides' positions"
    assert all(p.walk_away is not None for i in both for p in i.positions.values())
    assert all(i.unit for i in s.issues)
    assert s.description and s.actions
