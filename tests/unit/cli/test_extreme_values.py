"""Extreme finite values through the real command line: values beyond the model's bound
(±1e15) are refused in one line naming the item, field and value; values at the bound and
spans as small as 5e-324 give bounded output on every command. Never "internal error",
"inf", "nan", a traceback or a numpy warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmkit.errors import InvalidSession
from pmkit.formats.yaml_file import load_session
from pmkit.model import MAX_MAGNITUDE, Position, parse_session
from pmkit.rules.probe_steps import default_step
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.report_text import pdf_text

pytestmark = pytest.mark.slow  # extreme values through every surface: `make test`, not `make test-fast`

FORBIDDEN = re.compile(r"internal error|(?<![A-Za-z])(inf|nan)(?![A-Za-z])|Traceback|Warning", re.IGNORECASE)

HUGE = """\
title: Extreme
goals:
  - {id: g1, title: Fast, raised_by: customer,
     ratings: {customer: {importance: 5, stance: support}, management: {importance: 3, stance: oppose}}}
issues:
  - id: budget
    title: Budget
    positions:
      customer: {ideal: -1.0e+308, walk_away: 1.0e+308}
      management: {ideal: 1.0e+308, walk_away: -1.0e+308}
"""

AT_THE_BOUNDS = """\
title: Bounds
goals:
  - {id: g1, title: Fast, raised_by: customer,
     ratings: {customer: {importance: 5, stance: support}, management: {importance: 3, stance: oppose}}}
  - {id: g2, title: Cheap, raised_by: management,
     ratings: {customer: {importance: 2, stance: support}, management: {importance: 4, stance: support}}}
issues:
  - id: budget
    title: Budget
    unit: EUR
    positions:
      customer: {ideal: -1.0e+15, walk_away: 1.0e+15}
      management: {ideal: 1.0e+15, walk_away: -1.0e+15}
  - id: tiny
    title: Tiny span
    positions:
      customer: {ideal: 0, walk_away: 5.0e-324}
      management: {ideal: 1, walk_away: 0}
  - id: hidden
    title: Hidden
    audience: management
    positions:
      management: {ideal: 999999999999999.9, walk_away: -999999999999999.9}
  - id: gap
    title: Gap
    positions:
      customer: {ideal: 1.0e+15, walk_away: 9.0e+14}
      management: {ideal: -1.0e+15, walk_away: -1.0e+15}
"""


def clean_run(*args: str, code: int = 0) -> str:
    r = run_cli(*args)
    assert r.returncode == code, (args, r.stderr)
    assert not FORBIDDEN.search(r.stdout + r.stderr), (args, FORBIDDEN.search(r.stdout + r.stderr))
    if code:
        assert r.stdout == "" and r.stderr.startswith("pmkit: error: ")
    return r.stdout + r.stderr


def test_values_beyond_the_bound_are_one_line_errors(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(HUGE, encoding="utf-8")
    checked = clean_run("check", str(path), code=2)
    lines = checked.splitlines()
    assert len(lines) == 4  # one line per value
    assert lines[0] == (f'pmkit: error: {path}: issues[1] "Budget": positions.customer.ideal = -1e+308: must be '
                        "between -1e15 and 1e15 (pmkit's limit for numeric values); use a larger unit "
                        "(thousands, millions)")
    imported = clean_run("import", str(path), code=2)
    assert imported.count("\n") == 1 and "(and 3 more problems; `pmkit check` lists them)" in imported
    assert "Extreme" not in clean_run("list")  # nothing was imported


def test_values_at_the_bound_give_bounded_output_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "bounds.yaml"
    path.write_text(AT_THE_BOUNDS, encoding="utf-8")
    assert clean_run("check", str(path)).startswith("ok ")
    sid = clean_run("import", str(path)).split()[-1]
    for role in ("facilitator", "customer", "management"):
        clean_run("show", sid, "--as", role)
        clean_run("show", sid, "--as", role, "--json")
        clean_run("analyze", sid, "--as", role, "--json")
    shown = clean_run("analyze", sid)
    assert "acceptable to all from -1e15 to 1e15 EUR (size 2e15)" in shown
    assert "acceptable to all from 0 to 5e-324 (size 5e-324)" in shown
    assert "no overlap: a gap of 1.9e15 between -1e15 and 900000000000000" in shown
    assert "22 of 242 packages are acceptable" in shown  # every value in the range is acceptable
    party = clean_run("analyze", sid, "--as", "customer", "--probe", "tiny=0.1")
    assert "answers to the nearest 0.2" in party  # a span of 5e-324 counts as none: the step comes from 1
    refused = clean_run("analyze", sid, "--as", "customer", "--probe", "budget=1e16", code=2)
    assert "the value to ask about must be between -1e15 and 1e15, got 1e+16" in refused
    for role in ("facilitator", "customer"):
        for fmt in ("html", "md", "pdf", "yaml"):
            target = tmp_path / f"{role}.{fmt}"
            clean_run("export", sid, "--as", role, "--format", fmt, "-o", str(target))
            text = pdf_text(target) if fmt == "pdf" else target.read_text(encoding="utf-8")
            assert not FORBIDDEN.search(text), (role, fmt)
    judgements = tmp_path / "judgements.yaml"
    judgements.write_text("- [g1, g2, 3]\n", encoding="utf-8")
    clean_run("weigh", sid, "--as", "customer", str(judgements), "--apply")


def test_the_model_bound() -> None:
    assert Position(ideal=MAX_MAGNITUDE, walk_away=-MAX_MAGNITUDE).ideal == 1e15
    with pytest.raises(ValueError, match="between -1e15 and 1e15"):
        Position(ideal=1.0000000000000002e15)
    with pytest.raises(InvalidSession, match='issues\\[1\\] "B": positions.customer.walk_away = 1e\\+16'):
        parse_session({"title": "t", "issues": [{"title": "B", "positions": {"customer": {"ideal": 1,
                                                                                       "walk_away": 1e16}}}]})


@pytest.mark.parametrize(
    ("ideals", "step"),
    [
        ((0, 5e-324), 0.01),  # a spread that underflows: the floor (1 / 100)
        ((1e15, 1e15 - 0.1), 1e13),  # a spread of float noise at 1e15: the floor, 1 % of 1e15
        ((1e-6, 2e-6), 0.01),  # tiny ideals: the floor of 1 / 100
        ((30, 57.5), 10),
        ((-1e15, 1e15), 5e14),
        ((7,), None),  # one ideal: no default
    ],
)
def test_the_default_step_of_tiny_and_huge_spreads(ideals: tuple[float, ...], step: float | None) -> None:
    assert default_step(ideals) == step


def test_party_views_of_extreme_values(workspace: Workspace) -> None:
    """A span of 5e-324 broke a party's view: its probe step underflowed to 0."""
    from pmkit.views.bargaining_ranges import range_facts
    from pmkit.widgets.context import BoardContext
    from pmkit.widgets.panels.negotiation import NegotiationPanel

    sid = workspace.sessions.create(load_session(AT_THE_BOUNDS))
    for role in ("facilitator", "customer", "management"):
        facts = range_facts(workspace, sid, role)
        assert all(f.step is None or f.step > 0 for f in facts.values())
        panel = NegotiationPanel(BoardContext(workspace, sid, role))
        assert panel.report is not None and panel.note.value == ""  # drawn, no error
        shown = panel.ranges.value + panel.packages.value
        assert not FORBIDDEN.search(shown), role
        panel.close()
