"""The meeting app's export panel, without a browser: a click (or the message a browser
sends for one) exports the page's own role only, offers the file as a download, and turns
every failure into one short line."""

from __future__ import annotations

import base64
import io
import logging
import re
import shutil
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import ipywidgets as widgets
import pytest
from pypdf import PdfReader

from pmkit.logs import LOGGER_NAME
from pmkit.model import FACILITATOR, parse_session
from pmkit.resources import notebooks_dir, starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import UNEXPECTED
from pmkit.widgets.panels.export import ExportPanel
from tests.support.report_text import flat, html_text, md_text, shows


def download(panel: ExportPanel) -> tuple[str, bytes]:
    """The file the panel offers: its name and its bytes, decoded from the link."""
    m = re.fullmatch(r'<a class="pmkit-download" download="([^"]+)" href="data:([^;]+);base64,'
                     r'([A-Za-z0-9+/=]+)">Download [^<]+</a>', panel.link.value)
    assert m, panel.link.value[:200]
    return m.group(1), base64.b64decode(m.group(3))


def shown(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        return flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            md = next(n for n in zf.namelist() if n.endswith(".md"))
            return md_text(zf.read(md).decode())
    text = data.decode()
    return html_text(text) if name.endswith(".html") else text


def hidden_titles(ws: Workspace, sid: str, role: str) -> list[str]:
    full = ws.sessions.load(sid, FACILITATOR)
    return [t for t in hidden_texts(full, role) if not t.replace(".", "").isdigit()]


def click_from_browser(button: widgets.Button) -> None:
    """What ipywidgets does when the page sends a click message."""
    button._handle_button_msg(None, {"event": "click"}, [])


@pytest.mark.parametrize("fmt", ["html", pytest.param("pdf", marks=pytest.mark.slow), "md", "yaml"])
def test_each_button_exports_the_pages_own_role(workspace: Workspace, demo: str, fmt: str) -> None:
    panel = ExportPanel(BoardContext(workspace, demo, "customer"))
    assert "pmkit-export" in panel.widget._dom_classes
    click_from_browser(panel.buttons[fmt])
    name, data = download(panel)
    written = workspace.folder / "exports" / f"{demo}-customer.{fmt}"
    assert written.exists() and panel.last is not None and panel.last.path == written
    assert name == (f"{demo}-customer.zip" if fmt == "md" else written.name)
    text = shown(name, data)
    assert shows(text, "Confirm a date for the integration test environment")
    for t in hidden_titles(workspace, demo, "customer"):
        assert not shows(text, t)
    assert not panel.status.is_error and written.name in panel.status.message
    assert str(workspace.folder) not in panel.status.widget.value  # a party's page is not told paths
    assert not any(b.disabled for b in panel.buttons.values())


def test_markdown_is_offered_with_its_chart(workspace: Workspace, demo: str) -> None:
    panel = ExportPanel(BoardContext(workspace, demo, "management"))
    panel.buttons["md"].click()
    _name, data = download(panel)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        # the overlap chart and the timeline of management's disclosure plan
        assert sorted(zf.namelist()) == [f"{demo}-management-overlap.png", f"{demo}-management-plan.png",
                                         f"{demo}-management.md"]
        assert zf.read(f"{demo}-management-overlap.png")[:4] == b"\x89PNG"


def test_what_the_browser_sets_never_changes_the_role(workspace: Workspace, demo: str) -> None:
    panel = ExportPanel(BoardContext(workspace, demo, "customer"))
    for w in (panel.intro, panel.status.widget, panel.link):
        w.set_state({"value": "facilitator"})
    for b in panel.buttons.values():
        b.set_state({"description": "facilitator", "tooltip": "facilitator", "disabled": True})
    click_from_browser(panel.buttons["pdf"])  # a disabled button can still be clicked by a page
    name, data = download(panel)
    assert name == f"{demo}-customer.pdf"
    text = shown(name, data)
    assert "Late-delivery penalty clause" not in text and "Facilitator's record" not in text
    assert not list((workspace.folder / "exports").glob("*facilitator*"))


def test_the_facilitator_gets_the_record_and_is_told_the_folder(workspace: Workspace, demo: str) -> None:
    panel = ExportPanel(BoardContext(workspace, demo, FACILITATOR))
    assert "facilitator's record" in html_text(panel.intro.value)
    panel.buttons["html"].click()
    name, data = download(panel)
    assert "CONFIDENTIAL" in data.decode() and "Late-delivery penalty clause" in data.decode()
    assert str(workspace.folder / "exports") in panel.status.message


@pytest.mark.parametrize(("session", "role", "message"), [
    ("no-such-session", "customer", "no-such-session"),
    (None, "sponsor", "unknown role"),
])
def test_failures_are_one_short_line(workspace: Workspace, demo: str, session: str | None,
                                     role: str, message: str) -> None:
    panel = ExportPanel(BoardContext(workspace, session or demo, role))
    for fmt in ("html", "pdf"):
        panel.buttons[fmt].click()
        assert panel.status.is_error and 'role="alert"' in panel.status.widget.value
        assert message in panel.status.message and "Traceback" not in panel.status.widget.value
        assert len(html_text(panel.status.widget.value)) < 300
        assert panel.link.value == "" and panel.last is None
    assert not (workspace.folder / "exports").exists() or not any(
        (workspace.folder / "exports").iterdir())


def test_a_workspace_inside_the_served_folder_exports_nothing() -> None:
    inside = Path(tempfile.mkdtemp(dir=notebooks_dir(), prefix=".pmkit-test-ws-"))
    try:
        ws = Workspace(inside)
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        panel = ExportPanel(BoardContext(ws, sid, "customer"))
        panel.buttons["pdf"].click()
        assert "choose a path outside it" in panel.status.message and panel.link.value == ""
        assert not (inside / "exports").exists()
        ws.close()
    finally:
        shutil.rmtree(inside)


def test_refresh_says_when_the_offered_file_is_out_of_date(workspace: Workspace, demo: str) -> None:
    panel = ExportPanel(BoardContext(workspace, demo, "customer"))
    panel.buttons["html"].click()
    panel.refresh()
    assert "Saved" in panel.status.message
    workspace.items.add(demo, "agreement", {"text": "Cutover stays in March"}, role=FACILITATOR)
    panel.refresh()
    assert "changed since this export" in panel.status.message
    panel.buttons["html"].click()
    name, data = download(panel)
    assert "Cutover stays in March" in data.decode()
    panel.refresh()
    assert "changed since" not in panel.status.message


@pytest.mark.slow  # a PDF export is what takes long enough to click twice
def test_a_second_click_while_exporting_waits_its_turn(workspace: Workspace) -> None:
    goals = [{"title": f"Goal {n}", "raised_by": "customer",
              "ratings": {"customer": {"importance": n % 6}, "management": {"importance": 3}}}
             for n in range(300)]
    sid = workspace.sessions.create(parse_session({"title": "Many goals", "goals": goals}))
    panel = ExportPanel(BoardContext(workspace, sid, "customer"))
    first = threading.Thread(target=panel.buttons["pdf"].click)
    first.start()
    deadline = time.monotonic() + 30
    while "Exporting" not in panel.status.message and time.monotonic() < deadline:
        time.sleep(0.005)
    assert all(b.disabled for b in panel.buttons.values())
    panel.buttons["html"].click()
    assert "already running" in panel.status.message
    first.join(60)
    assert panel.last is not None and panel.last.fmt == "pdf"
    assert not (workspace.folder / "exports" / f"{sid}-customer.html").exists()


def test_an_unexpected_failure_is_logged_for_the_server_and_one_line_on_the_page(
    workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("renderer crashed at /srv/secret/path")

    monkeypatch.setattr("pmkit.widgets.panels.export.export", broken)
    panel = ExportPanel(BoardContext(workspace, demo, "customer"))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(caplog.handler)
    try:
        click_from_browser(panel.buttons["pdf"])
    finally:
        logger.removeHandler(caplog.handler)
    assert panel.status.is_error and panel.status.message == UNEXPECTED
    assert "secret" not in panel.status.widget.value and panel.link.value == ""
    (record,) = [r for r in caplog.records if r.exc_info]
    assert "secret" in str(record.exc_info[1])  # type: ignore[index]
    assert not any(b.disabled for b in panel.buttons.values())  # the next click is not locked out
