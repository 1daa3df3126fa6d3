"""`pmkit import DOMAIN.xml --profile P.xml ...` and `pmkit export SESSION --format genius`
through the real command line: the session id printed last, the facilitator's export only,
and hostile or unsupported files refused in one line with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmkit.model import FACILITATOR
from pmkit.resources import starter_path, templates_dir
from pmkit.store import Workspace
from tests.support.cli import fails, ok

CASE = templates_dir() / "cases" / "itex-cypress"
ARGS = (str(CASE / "Itex-Cypress-domain.xml"), "--profile", str(CASE / "Itex.xml"), "--profile",
        str(CASE / "Cypress.xml"))


def test_import_a_case_and_export_it_again(workspace: Workspace, tmp_path: Path) -> None:
    *_, last = ok("import", *ARGS)
    sid = last.split()[-1]
    s = workspace.sessions.load(sid, FACILITATOR)
    assert s.title == "Itex-Cypress" and s.party_ids == ["itex", "cypress"]
    assert [oi.title for oi in s.option_issues] == ["Price", "Delivery", "Payment", "Returns"]
    assert workspace.sessions.load(sid, "cypress").option_issues[0].scores.keys() == {"cypress"}
    out = tmp_path / "case"
    lines = ok("export", sid, "--format", "genius", "-o", str(out))
    assert lines == [f"wrote {out / name}" for name in ("Itex-Cypress-domain.xml", "Itex.xml", "Cypress.xml")]
    again = ok("import", str(out / "Itex-Cypress-domain.xml"), "--profile", str(out / "Itex.xml"), "--profile",
               str(out / "Cypress.xml"))[-1].split()[-1]
    assert workspace.sessions.export_yaml(again, FACILITATOR) == workspace.sessions.export_yaml(sid, FACILITATOR)


def test_a_partys_export_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    sid = workspace.sessions.import_file(starter_path("budget-overrun"))
    message = fails("export", sid, "--format", "genius", "--as", "customer", "-o", str(tmp_path / "x"))
    assert "every party's private scores" in message
    assert not (tmp_path / "x").exists()
    lines = ok("export", sid, "--format", "genius", "-o", str(tmp_path / "y"))
    assert lines[-1].startswith("left out (GENIUS has no place for them): 7 goals;")


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><utility_space>&c;</utility_space>')


@pytest.mark.parametrize(("which", "text", "words"), [
    ("domain", LAUGHS, "document type (DTD)"),
    ("profile", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><utility_space>&e;</utility_space>',
     "document type (DTD)"),
    ("profile", "<utility_space><objective>", "not well-formed XML"),
    ("domain", "<negotiation_template><utility_space><objective><issue index='1' name='Q' type='set'/>"
               "</objective></utility_space></negotiation_template>", "issue 'Q': type 'set' is not supported"),
    ("domain", "x" * (2 * 1024 * 1024 + 1), "larger than"),
])
def test_hostile_or_unsupported_files_write_nothing(workspace: Workspace, tmp_path: Path, which: str, text: str,
                                                    words: str) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(text)
    args = ([str(bad), "--profile", str(CASE / "Itex.xml")] if which == "domain" else
            [str(CASE / "Itex-Cypress-domain.xml"), "--profile", str(bad)])
    message = fails("import", *args)
    assert words in message and str(bad) in message
    assert workspace.sessions.all() == []


@pytest.mark.parametrize("source", ["xml", "starter"])
def test_analyze_json_names_each_packages_options_by_label(workspace: Workspace, source: str) -> None:
    lines = ok("import", *ARGS) if source == "xml" else ok("import", str(starter_path("itex-cypress")))
    sid = lines[-1].split()[-1]
    (line,) = ok("analyze", sid, "--json")
    pk = json.loads(line)["packages"]
    assert pk["parties"] == ["itex", "cypress"] and pk["candidates"] == 180 and pk["acceptable"] == 180
    assert len(pk["pareto"]) == 18
    nash = pk["nash"]
    assert {i: o["label"] for i, o in nash["options"].items()} == {
        "price": "$3.47", "delivery": "45 days", "payment": "30 days after delivery", "returns": "5% spoilage allowed"}
    assert nash["utility"] == [0.7215, 0.6705]
    assert pk["kalai_smorodinsky"] == nash == pk["max_welfare"]
    assert all(p["options"].keys() == nash["options"].keys() and len(p["utility"]) == 2 for p in pk["pareto"])
    firsts = [p["utility"][0] for p in pk["pareto"]]
    assert firsts == sorted(firsts) and nash in pk["pareto"]
    text = ok("analyze", sid)
    assert any(t.strip().startswith("Nash bargaining point") and "Price = $3.47; Delivery = 45 days" in t for t in text)
