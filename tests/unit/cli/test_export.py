"""`pmkit export SESSION --format html|md|pdf|yaml --as ROLE [-o PATH]` through the real
command line: where files go, what they hold, and one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmkit.formats.yaml_file import load_session
from pmkit.model import FACILITATOR
from pmkit.resources import notebooks_dir, starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.report_text import html_text, pdf_text, shows


@pytest.fixture
def sid(_isolated_workspace: Path) -> str:
    with Workspace(_isolated_workspace) as ws:
        return ws.sessions.import_file(starter_path("undisclosed-risk"))


def hidden_titles(ws_folder: Path, sid: str, role: str) -> list[str]:
    with Workspace(ws_folder) as ws:
        full = ws.sessions.load(sid, FACILITATOR)
    return [t for t in hidden_texts(full, role) if not t.replace(".", "").isdigit()]


@pytest.mark.parametrize("fmt", ["html", "md", pytest.param("pdf", marks=pytest.mark.slow)])
def test_reports_default_to_the_workspace_exports_folder(
    _isolated_workspace: Path, sid: str, fmt: str
) -> None:
    r = run_cli("export", sid, "--format", fmt, "--as", "customer")
    assert r.returncode == 0, r.stderr
    expected = _isolated_workspace / "exports" / f"{sid}-customer.{fmt}"
    assert r.stdout.splitlines()[0] == f"wrote {expected}"
    assert r.stderr == ""
    text = pdf_text(expected) if fmt == "pdf" else expected.read_text()
    assert shows(text, "Confirm a date for the integration test environment")
    for t in hidden_titles(_isolated_workspace, sid, "customer"):
        assert not shows(text, t)
    if fmt == "md":  # the chart is written beside it, and named on the next line
        chart = expected.with_name(f"{sid}-customer-overlap.png")
        assert r.stdout.splitlines()[1] == f"wrote {chart}" and chart.exists()


def test_yaml_goes_to_stdout_without_o(_isolated_workspace: Path, sid: str) -> None:
    r = run_cli("export", sid, "--as", "customer")
    assert r.returncode == 0, r.stderr
    session = load_session(r.stdout)
    assert [g.id for g in session.goals][:2] == ["test-env", "cutover-date"]
    assert "vendor-slip" not in {g.id for g in session.goals}
    assert not (_isolated_workspace / "exports").exists()


def test_o_writes_where_asked(_isolated_workspace: Path, sid: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "brief.html"
    target.parent.mkdir()
    r = run_cli("export", sid, "-f", "html", "--as", "management", "-o", str(target))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"wrote {target}"
    text = html_text(target.read_text())
    assert "For Programme management only" in text
    assert "Integration vendor is six weeks late on the EDI adapter" in text
    assert "Late-delivery penalty clause" not in text  # the facilitator's alone
    y = tmp_path / "out" / "view.yaml"
    assert run_cli("export", sid, "--as", "management", "-o", str(y)).returncode == 0
    assert "Late-delivery penalty clause" not in y.read_text()


def test_the_default_role_is_the_facilitator(_isolated_workspace: Path, sid: str) -> None:
    r = run_cli("export", sid, "--format", "html")
    assert r.returncode == 0, r.stderr
    page = (_isolated_workspace / "exports" / f"{sid}-facilitator.html").read_text()
    assert "CONFIDENTIAL" in page and "Late-delivery penalty clause" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html", "-o", str(notebooks_dir() / "minutes.html")],
         "which the meeting app serves"),
        (["--format", "yaml", "-o", str(notebooks_dir() / "x" / ".." / "s.yaml")],
         "which the meeting app serves"),
        (["--format", "pdf", "--as", "sponsor"], "unknown role 'sponsor'"),
        (["--format", "html", "-o", "/no/such/folder/x.html"], "no such folder"),
        (["--format", "docx"], "invalid choice: 'docx'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    _isolated_workspace: Path, sid: str, tmp_path: Path, args: list[str], message: str
) -> None:
    before = set(notebooks_dir().rglob("*")) if notebooks_dir().exists() else set()
    r = run_cli("export", sid, *args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and message in r.stderr
    assert "Traceback" not in r.stderr
    after = set(notebooks_dir().rglob("*")) if notebooks_dir().exists() else set()
    assert after == before
    exports = _isolated_workspace / "exports"
    assert not exports.exists() or not any(exports.iterdir())


def test_o_pointing_at_a_folder_is_refused(_isolated_workspace: Path, sid: str, tmp_path: Path) -> None:
    r = run_cli("export", sid, "--format", "pdf", "-o", str(tmp_path))
    assert r.returncode == 2 and "is a folder; give a file name" in r.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "workspace"]


def test_an_unknown_session_is_one_line(_isolated_workspace: Path) -> None:
    Workspace(_isolated_workspace).close()
    r = run_cli("export", "no-such-session", "--format", "pdf")
    assert r.returncode == 2 and "no-such-session" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_help_names_the_formats() -> None:
    r = run_cli("export", "--help")
    assert r.returncode == 0
    assert "{yaml,html,md,pdf,xlsx,csv,genius}" in r.stdout and "<workspace>/exports/" in r.stdout


@pytest.mark.slow
@pytest.mark.parametrize("role", ["facilitator", "customer"])
def test_dollar_text_exports_to_pdf(_isolated_workspace: Path, tmp_path: Path, role: str) -> None:
    """Matplotlib would read ``$\\x$`` as mathematics and fail; every chart of the report
    draws it literally."""
    title = "Rate $\\x$ per day"
    source = tmp_path / "rate.yaml"
    source.write_text(
        "title: Rate $\\x$ per day\n"
        "parties: [{id: customer, name: Customer $\\x$}, {id: management, name: Management}]\n"
        "goals:\n"
        "  - {title: Pay $\\x$ less, raised_by: customer,\n"
        "     ratings: {customer: {importance: 5, stance: support}, management: {importance: 4, stance: oppose}}}\n"
        "issues:\n"
        "  - {id: rate, title: Rate $\\x$ per day, unit: $\\u$, positions: {customer: {ideal: 2, walk_away: 12},\n"
        "     management: {ideal: 8, walk_away: 2}}}\n",
        encoding="utf-8",
    )
    imported = run_cli("import", str(source))
    assert imported.returncode == 0, imported.stderr
    sid = imported.stdout.split()[-1]
    target = tmp_path / f"{role}.pdf"
    r = run_cli("export", sid, "--format", "pdf", "--as", role, "-o", str(target))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert shows(pdf_text(target), title)
