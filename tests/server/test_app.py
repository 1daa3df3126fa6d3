"""The meeting notebook runs headless in a real kernel (nbclient): a valid link shows the
role's board; a bad link shows a short message and nothing of the session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbclient
import nbformat
import pytest

from pmkit.meeting import links as access
from pmkit.resources import notebooks_dir
from pmkit.store import Workspace

MEETING = notebooks_dir() / "meeting.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run_meeting(query: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QUERY_STRING", query)  # what Voila hands the kernel
    nb = nbformat.read(MEETING, as_version=4)
    nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                            resources={"metadata": {"path": str(MEETING.parent)}}).execute()
    return json.dumps([o for c in nb.cells if c.cell_type == "code" for o in c.outputs])


def test_committed_without_outputs_and_thin() -> None:
    nb = nbformat.read(MEETING, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1 and code[0].outputs == [] and len(code[0].source.splitlines()) <= 3


def test_a_valid_link_shows_the_roles_board(workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    token = access.make_token(workspace, demo, "customer")
    out = run_meeting(f"{access.PARAM}={token}", monkeypatch)
    assert WIDGET_VIEW in out
    assert "Traceback" not in out and "Error" not in out


@pytest.mark.parametrize("query", ["", "pmk=forged", "token=abc"])
def test_a_bad_link_shows_a_short_message_and_no_session_data(
    workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    out = run_meeting(query, monkeypatch)
    assert "Link not accepted" in out
    assert WIDGET_VIEW not in out and "Traceback" not in out
    for g in workspace.sessions.load(demo, "facilitator").goals:
        assert g.title not in out


def test_a_broken_workspace_shows_a_short_message_not_a_traceback(
    workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    token = access.make_token(workspace, demo, "facilitator")
    workspace.close()
    for f in workspace.folder.glob("workspace.sqlite*"):
        f.write_bytes(b"\x00broken" * 64)
    out = run_meeting(f"{access.PARAM}={token}", monkeypatch)
    assert "Traceback" not in out and WIDGET_VIEW not in out
    assert "The meeting cannot open" in out
    assert str(workspace.folder) not in out  # the server's paths stay in the server's log


def test_a_kernel_filling_the_pool_imports_at_a_lower_priority_and_a_page_gets_it_back(tmp_path: Path) -> None:
    """A preheated kernel lowers its CPU priority for its imports and restores it when its
    page's request arrives (where the system allows raising it again: root, as in CI)."""
    import subprocess
    import sys

    script = (
        "import os; from pmkit.meeting import app\n"
        "start = os.getpriority(os.PRIO_PROCESS, 0)\n"
        "before = app._lower_priority()\n"
        "low = os.getpriority(os.PRIO_PROCESS, 0)\n"
        "app._restore_priority(before)\n"
        "print(start, before, low, os.getpriority(os.PRIO_PROCESS, 0))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    start, before, low, after = (int(x) for x in out.stdout.split())
    assert before == start and low == min(start + 10, 19)
    assert after == (start if os.geteuid() == 0 else low)
