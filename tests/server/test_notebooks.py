"""The preparation and analysis notebooks run headless (nbclient, a real kernel) against a
workspace with the starters imported, and are committed without outputs. In a real kernel,
a failing widget callback puts nothing on the page but its one-line status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.paths import ROOT
from tests.support.starters import STARTERS

NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run(nb: Any, cwd: Path) -> Any:
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def outputs(nb: Any) -> list[Any]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


@pytest.fixture
def starters(workspace: Workspace) -> list[str]:
    ids = [workspace.sessions.import_file(starter_path(name)) for name in STARTERS]
    # a second round of one scenario, so "what moved" has something to show
    again = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    workspace.items.set_rating(again, "extra-licences", "customer", 4, "support", role="facilitator")
    workspace.items.update(
        ids[0],
        "goal",
        workspace.sessions.load(ids[0], "facilitator").goals[0].id,
        {"description": "Revised after the steering meeting"},
        role="facilitator",
    )
    # a private round in the first session, so "what moved, round by round" has a move to show
    first_goal = workspace.sessions.load(ids[0], "facilitator").goals[0].id
    workspace.rounds.open(ids[0], [first_goal])
    workspace.items.set_rating(ids[0], first_goal, "customer", 2, "neutral", role="customer")
    workspace.rounds.reveal(ids[0])
    return [*ids, again]


@pytest.mark.parametrize("name", ["prepare.ipynb", "analysis.ipynb"])
def test_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert sum(1 for c in nb.cells if c.cell_type == "code") <= 5  # thin: a few lines calling pmkit


def test_prepare_notebook_runs_and_shows_the_board(starters: list[str], tmp_path: Path) -> None:
    nb = run(nbformat.read(NOTEBOOKS / "prepare.ipynb", as_version=4), NOTEBOOKS)
    outs = outputs(nb)
    assert not [o for o in outs if o.output_type == "error"]
    views = [o for o in outs if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1
    assert not [o for o in outs if o.output_type == "stream" and o.name == "stderr"]


def test_analysis_notebook_runs_with_charts_and_history(starters: list[str]) -> None:
    nb = run(nbformat.read(NOTEBOOKS / "analysis.ipynb", as_version=4), NOTEBOOKS)
    outs = outputs(nb)
    assert not [o for o in outs if o.output_type == "error"]
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outs)  # sessions side by side
    assert sum(1 for o in outs if "image/png" in o.get("data", {})) >= 2  # trend and movement
    text = "".join(o.get("text", "") for o in outs if o.output_type == "stream")
    text += "".join(o.get("data", {}).get("text/html", "") for o in outs)  # the DataFrames
    assert sum(1 for o in outs if "<table" in o.get("data", {}).get("text/html", "")) >= 4  # tables, not prints
    assert "Undisclosed risk" in text  # alignment over time lists every session
    assert f"to {starters[-1]}" in text  # what moved: the newest session against its earlier round
    assert "Customer buys twenty extra warehouse licences" in text
    assert "created" in text and "Revised after the steering meeting" in text  # the goal's history
    assert "revealed" in text and "5 support" in text and "2 neutral" in text  # what moved in round 1


@pytest.mark.parametrize("name", ["prepare.ipynb", "analysis.ipynb"])
def test_notebooks_run_on_an_empty_workspace(workspace: Workspace, name: str) -> None:
    nb = run(nbformat.read(NOTEBOOKS / name, as_version=4), NOTEBOOKS)
    assert not [o for o in outputs(nb) if o.output_type == "error"]


FAILING_CELL = """
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard

def failing(*args, **kwargs):
    raise RuntimeError("disk on fire at /var/lib/secret")

ws = Workspace()
ws.items.set_rating = failing
board = MeetingBoard(ws, SESSION, "facilitator")
board.panel("Goals").rows["customer"].importance.value = 1
"""


def test_in_a_real_kernel_a_failing_callback_puts_nothing_on_the_page(
    demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # like a Voila kernel: ipykernel captures the process's stderr and forwards it to the page
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(f"SESSION = {json.dumps(demo)}\n" + FAILING_CELL),
        nbformat.v4.new_code_cell("print(board.status.message)"),
    ]
    run(nb, ROOT)
    first, second = nb.cells[0].outputs, nb.cells[1].outputs
    assert first == []  # no traceback, no log line, nothing printed
    assert [o.text.strip() for o in second] == [
        "Something went wrong and nothing was saved; your input is kept. Try again or reload."
    ]
