"""Participants' email addresses are the facilitator's alone: set, changed, removed and
undone as edits, and never in a party's reads, history or export."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmkit.errors import AccessDenied, InputError
from pmkit.model import FACILITATOR
from pmkit.reports.exports import export
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.cli import run_cli

pytestmark = pytest.mark.usefixtures("backend")

ADDRESS = "cara.customer@customer.example"


@pytest.fixture
def member(workspace: Workspace) -> tuple[str, str]:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    pid = workspace.participants.add(sid, "customer", "Cara").participant_id
    workspace.mail.set_email(sid, pid, ADDRESS)
    return sid, pid


def test_an_address_is_set_changed_cleared_and_undone(workspace: Workspace, member: tuple[str, str]) -> None:
    sid, pid = member
    assert workspace.mail.emails(sid) == {pid: ADDRESS}
    workspace.mail.set_email(sid, pid, "cara@new.example")
    assert workspace.mail.emails(sid) == {pid: "cara@new.example"}
    workspace.mail.set_email(sid, pid, None)
    assert workspace.mail.emails(sid) == {}
    workspace.journal.undo(sid)
    workspace.journal.undo(sid)
    assert workspace.mail.emails(sid) == {pid: ADDRESS}
    workspace.participants.remove(sid, pid)
    assert workspace.mail.emails(sid) == {}  # a removed participant is mailed nothing


@pytest.mark.parametrize("bad", ["cara", "Cara <cara@x.example>", "a@x.example, b@y.example", "a@x.example\nBcc: e@v"])
def test_only_one_plain_address_is_taken(workspace: Workspace, member: tuple[str, str], bad: str) -> None:
    sid, pid = member
    with pytest.raises(InputError, match="is not an email address"):
        workspace.mail.set_email(sid, pid, bad)
    assert workspace.mail.emails(sid) == {pid: ADDRESS}


def test_no_party_reads_an_address(workspace: Workspace, member: tuple[str, str], tmp_path: Path) -> None:
    sid, pid = member
    for role in ("customer", "management", "room"):
        with pytest.raises(AccessDenied):
            workspace.mail.emails(sid, role)
        with pytest.raises(AccessDenied):
            workspace.mail.set_email(sid, pid, "x@y.example", role=role)
    for role in ("customer", "management"):
        seen = [repr(workspace.participants.all(sid, role, pid)), repr(workspace.journal.history(sid, role)),
                repr(workspace.sessions.load(sid, role, pid))]
        for fmt in ("yaml", "html", "csv"):
            seen.append(export(workspace, sid, role, fmt, tmp_path / f"{role}.{fmt}", participant=pid)
                        .path.read_text())
        assert not [s for s in seen if ADDRESS in s]
    assert ADDRESS in repr(workspace.journal.history(sid, FACILITATOR))


def test_the_command_adds_with_an_address_and_changes_it(_isolated_workspace: Path) -> None:
    with Workspace(_isolated_workspace) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    r = run_cli("participants", sid, "--add", "Mia", "--party", "management", "--email", "mia@corp.example")
    assert r.returncode == 0, r.stderr
    pid = r.stdout.split("\t")[-1].strip()
    assert run_cli("participants", sid).stdout == f"{pid}\tmanagement\t1\tMia\tmia@corp.example\n"
    r = run_cli("participants", sid, "--set-email", pid, "mia@new.example")
    assert r.stdout == f"email\t{pid}\tmia@new.example\n"
    bad = run_cli("participants", sid, "--add", "Max", "--party", "management", "--email", "max")
    assert bad.returncode == 2 and "is not an email address" in bad.stderr
    assert len(run_cli("participants", sid).stdout.splitlines()) == 1  # nothing was written
