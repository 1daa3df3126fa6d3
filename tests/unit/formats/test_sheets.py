"""Spreadsheets: every starter goes YAML -> xlsx (and csv) -> import -> YAML unchanged; a
role's file holds only what it may see; hostile files are refused in one line, nothing
written."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.cli import fails, ok, run_cli
from tests.support.starters import STARTERS

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


def _sessions(workspace: Workspace) -> int:
    return len(workspace.sessions.all())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("name", STARTERS)
def test_round_trip_is_lossless_on_every_starter(workspace: Workspace, tmp_path: Path, name: str, fmt: str) -> None:
    sid = workspace.sessions.import_file(starter_path(name))
    path = tmp_path / f"s.{fmt}"
    ok("export", sid, "--format", fmt, "-o", str(path))
    (line,) = ok("import", str(path))
    new = line.split()[-1]
    assert workspace.sessions.export_yaml(new, FACILITATOR) == workspace.sessions.export_yaml(sid, FACILITATOR)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_text_that_looks_like_a_formula_stays_text(workspace: Workspace, tmp_path: Path, fmt: str) -> None:
    sid = workspace.sessions.import_file(starter_path("scope-vs-deadline"))
    workspace.items.add(sid, "note", {"text": "=HYPERLINK(\"http://x\")"}, role=FACILITATOR)
    workspace.items.add(sid, "note", {"text": "'quoted' and -minus +plus @at"}, role=FACILITATOR)
    path = tmp_path / f"s.{fmt}"
    ok("export", sid, "--format", fmt, "-o", str(path))
    if fmt == "xlsx":
        cells = [c for row in load_workbook(path)["notes"].iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)
    else:
        assert "\n=" not in path.read_text() and ",=" not in path.read_text()
    new = ok("import", str(path))[0].split()[-1]
    assert workspace.sessions.export_yaml(new, FACILITATOR) == workspace.sessions.export_yaml(sid, FACILITATOR)


def test_members_and_their_ratings_travel_and_a_party_file_holds_only_its_own(workspace: Workspace,
                                                                             tmp_path: Path, demo: str) -> None:
    ada = workspace.participants.add(demo, "management", "Ada Sponsor", 2).participant_id
    cy = workspace.participants.add(demo, "customer", "Cy Buyer").participant_id
    workspace.items.rate(demo, "cutover-date", "management", 1, "oppose", role="management", participant=ada)
    workspace.items.rate(demo, "cutover-date", "customer", 4, "support", role="customer", participant=cy)
    path = tmp_path / "f.xlsx"
    ok("export", demo, "--format", "xlsx", "-o", str(path))
    new = ok("import", str(path))[0].split()[-1]
    assert [(p.name, p.party, p.weight) for p in workspace.participants.all(new)] == [
        ("Ada Sponsor", "management", 2.0), ("Cy Buyer", "customer", 1.0)]
    assert workspace.sessions.export_yaml(new, FACILITATOR) == workspace.sessions.export_yaml(demo, FACILITATOR)
    for fmt in ("xlsx", "csv"):
        mine = tmp_path / f"customer.{fmt}"
        ok("export", demo, "--format", fmt, "--as", "customer", "-o", str(mine))
        text = _all_text(mine)
        assert "Ada" not in text and ada not in text and "Cy Buyer" not in text  # the party link: no member
        for hidden in ("Recover the slip quietly", "41.5"):
            assert hidden not in text


def _all_text(path: Path) -> str:
    if path.suffix == ".csv":
        return path.read_text()
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_into_applies_ratings_from_a_spreadsheet(workspace: Workspace, tmp_path: Path, demo: str) -> None:
    ada = workspace.participants.add(demo, "management", "Ada Sponsor").participant_id
    path = tmp_path / "ratings.csv"
    path.write_text("[participant_ratings]\ngoal,participant,importance,stance\n"
                    f"cutover-date,{ada},2,oppose\n\n[ratings]\ngoal,party,importance,stance\n"
                    "cutover-date,customer,1,neutral\n")
    assert ok("import", str(path), "--into", demo)[0].startswith("applied ")
    g = next(g for g in workspace.sessions.load(demo, FACILITATOR).goals if g.id == "cutover-date")
    assert (g.ratings["management"].importance, g.ratings["customer"].importance) == (2, 1)
    path.write_text(f"[participant_ratings]\ngoal,participant,importance,stance\ncutover-date,{ada},9,oppose\n")
    version = workspace.sessions.version(demo)
    assert "importance" in fails("import", str(path), "--into", demo)
    assert workspace.sessions.version(demo) == version


# -- hostile files ------------------------------------------------------------------------------
def _book(tmp_path: Path, build: object) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "goals"
    for c, v in enumerate(["id", "title", "raised_by"], 1):
        ws.cell(1, c, v)
    ws.append(["g1", "A goal", "customer"])
    build(wb)  # type: ignore[operator]
    path = tmp_path / "hostile.xlsx"
    wb.save(path)
    return path


def _refused(workspace: Workspace, path: Path, *words: str) -> str:
    before = _sessions(workspace)
    line = fails("import", str(path))
    for w in words:
        assert w in line, line
    assert _sessions(workspace) == before
    return line


def test_a_formula_is_refused_never_evaluated(workspace: Workspace, tmp_path: Path) -> None:
    path = _book(tmp_path, lambda wb: wb["goals"].append(["g2", "=1+1", "customer"]))
    _refused(workspace, path, "goals, row 3, column B", "formula is not evaluated")
    csv = tmp_path / "f.csv"
    csv.write_text("[goals]\nid,title,raised_by\ng1,=cmd|' /C calc'!A0,customer\n")
    _refused(workspace, csv, "goals, row 3, column title", "formula")


def test_a_huge_sheet_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    def huge(wb: Workbook) -> None:
        ws = wb["goals"]
        for n in range(20_002):
            ws.append([f"g{n}", "t", "customer"])

    _refused(workspace, _book(tmp_path, huge), "goals", "rows; at most 20,000")


def test_a_wrong_type_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    def ratings(wb: Workbook) -> None:
        ws = wb.create_sheet("ratings")
        ws.append(["goal", "party", "importance", "stance"])
        ws.append(["g1", "customer", "high", "support"])

    _refused(workspace, _book(tmp_path, ratings), "ratings, row 2, column importance", "expected a whole number")
    bad = _book(tmp_path, lambda wb: wb["goals"].append(["g2", "Other", "customer"]) or wb["goals"].cell(3, 4, "x"))
    _refused(workspace, bad, "row 3", "beyond the named columns")


def test_a_merged_header_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = _book(tmp_path, lambda wb: wb["goals"].merge_cells("A1:B1"))
    _refused(workspace, path, "goals, cells A1:B1", "merged")


def test_other_bad_files_get_one_line(workspace: Workspace, tmp_path: Path) -> None:
    notzip = tmp_path / "x.xlsx"
    notzip.write_bytes(b"not a workbook")
    _refused(workspace, notzip, "not an xlsx workbook")
    unknown = _book(tmp_path, lambda wb: wb.create_sheet("macros"))
    _refused(workspace, unknown, "unknown table 'macros'")
    model = tmp_path / "m.csv"
    model.write_text("[session]\nfield,value\ntitle,T\n\n[goals]\nid,title,raised_by,audience\ng1,A,customer,nobody\n")
    _refused(workspace, model, "audience 'nobody' is not allowed")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    assert run_cli("import", str(big)).returncode == 2
