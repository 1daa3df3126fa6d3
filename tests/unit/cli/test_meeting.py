"""The meeting-day verbs of the real `pmkit` command line: demo, links, backup, restore
(serve is exercised in tests/server/test_serve.py and tests/server/test_demo.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pmkit.errors import AccessDenied
from pmkit.meeting import links as access
from pmkit.store import Workspace
from tests.support.cli import fails, ok, run_cli, state
from tests.support.starters import starter


def test_demo_imports_once_and_shows(_isolated_workspace: Path) -> None:
    first = ok("demo", "--no-serve")
    assert first[0] == starter("undisclosed-risk").title
    assert any(line.startswith("alignment ") for line in first)
    ok("demo", "--no-serve")
    assert len(state(_isolated_workspace)) == 1


def test_links_prints_one_working_link_per_role(workspace: Workspace, demo: str) -> None:
    lines = ok("links", demo, "--base-url", "http://meeting.local:9000", "--hours", "2")
    rows = [line.split("\t") for line in lines]
    assert [role for role, _url in rows] == [*workspace.sessions.roles(demo),
                                             "room"] == workspace.sessions.link_roles(demo)
    for role, url in rows:
        assert url.startswith("http://meeting.local:9000/?pmk=")
        grant = access.check_query(workspace, url.split("?", 1)[1])
        assert (grant.session_id, grant.role) == (demo, role)
        token = url.split("pmk=", 1)[1]
        assert abs(access.verify_token(workspace, token).expires - (time.time() + 2 * 3600)) < 60


def test_links_revoke_stops_every_earlier_link(workspace: Workspace, demo: str) -> None:
    earlier = ok("links", demo)[0].split("pmk=", 1)[1]
    later = ok("links", demo, "--revoke")[0].split("pmk=", 1)[1]
    with pytest.raises(AccessDenied, match="revoked"):
        access.verify_token(workspace, earlier)
    assert access.verify_token(workspace, later).session_id == demo


def test_links_for_an_unknown_session_is_one_line(workspace: Workspace) -> None:
    assert "no-such-session" in fails("links", "no-such-session")


def test_backup_then_restore_puts_the_workspace_back(workspace: Workspace, demo: str) -> None:
    (line,) = ok("backup")
    backup = Path(line.removeprefix("backup "))
    assert backup.is_file() and backup.parent == workspace.folder / "backups"
    workspace.close()
    (workspace.folder / "workspace.sqlite").write_bytes(b"not a database at all" * 100)
    r = run_cli("list")
    assert r.returncode == 2 and "workspace.sqlite" in r.stderr and "pmkit restore" in r.stderr
    (restored,) = ok("restore")
    assert restored.startswith(f"restored {backup}") and "previous file is now" in restored
    assert [row[0] for row in state(workspace.folder)] == [demo]


@pytest.mark.parametrize("hours", ["0", "-2", "-0.5", "nan"])
def test_links_that_would_already_be_expired_are_refused_in_one_line(workspace: Workspace, demo: str,
                                                                     hours: str) -> None:
    r = run_cli("links", demo, f"--hours={hours}")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "more than 0 hours" in r.stderr


def test_open_pages_says_when_nothing_is_open_and_refuses_an_unknown_session(workspace: Workspace,
                                                                             demo: str) -> None:
    assert ok("open-pages", demo) == [f"no page of session {demo} is open"]
    assert "no-such-session" in fails("open-pages", "no-such-session")
