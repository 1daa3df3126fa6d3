"""Rolling backups: a damaged workspace names the file and the way out; restore loses
nothing that was backed up and keeps the damaged file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmkit.errors import NotFound, StorageError
from pmkit.store import Workspace, backups
from tests.support.cli import run_cli


def test_backup_is_a_readable_snapshot_and_only_the_newest_are_kept(workspace: Workspace, demo: str) -> None:
    paths = [backups.make_backup(workspace.folder, keep=3) for _ in range(5)]
    kept = backups.list_backups(workspace.folder)
    assert kept == paths[-3:]
    restored = Workspace(kept[-1].parent / "copy")
    restored.close()
    with Workspace(workspace.folder) as again:
        assert again.sessions.load(demo, "facilitator").title.startswith("Undisclosed risk")


def test_damaged_workspace_names_the_file_and_the_backup_then_restore_recovers(
    workspace: Workspace, demo: str
) -> None:
    workspace.items.set_rating(demo, "test-env", "customer", 2, "support", role="customer")
    backups.make_backup(workspace.folder)
    workspace.close()
    path = workspace.folder / "workspace.sqlite"
    for extra in workspace.folder.glob("workspace.sqlite-*"):
        extra.unlink()
    path.write_bytes(b"\x00garbage" * 100)

    r = run_cli("list")
    assert r.returncode == 2
    assert str(path) in r.stderr and "pmkit restore" in r.stderr and "workspace-" in r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1

    r = run_cli("restore")
    assert r.returncode == 0, r.stderr
    damaged = list(workspace.folder.glob("workspace.sqlite.damaged-*"))
    assert len(damaged) == 1 and damaged[0].read_bytes().startswith(b"\x00garbage")
    with Workspace(workspace.folder) as ws:
        assert ws.sessions.load(demo, "facilitator").goals[0].ratings["customer"].importance == 2


def test_restore_without_a_backup_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no backup"):
        backups.restore(tmp_path)


def test_a_damaged_backup_is_refused(workspace: Workspace, demo: str) -> None:
    bad = backups.make_backup(workspace.folder)
    bad.write_bytes(b"not sqlite at all" * 50)
    with pytest.raises(StorageError, match="not readable|fails"):
        backups.restore(workspace.folder, bad)
    assert Workspace(workspace.folder).sessions.load(demo, "customer")
