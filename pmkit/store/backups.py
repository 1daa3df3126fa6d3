"""Rolling backups of the workspace file, and putting one back.

Part of the storage layer: a backup is a consistent snapshot (:func:`pmkit.store.db.snapshot`,
safe while other processes write), kept in
``<workspace>/backups/``; the newest :data:`KEEP` are kept. ``pmkit serve`` makes one when
it starts and every ``PMKIT_BACKUP_MINUTES``; ``pmkit backup`` makes one now;
``pmkit restore`` moves a damaged workspace file aside and puts the newest backup in place.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from pmkit import settings
from pmkit.errors import NotFound, StorageError
from pmkit.store.db import FILENAME, SIDE_FILES, DriverError, check_file, snapshot

__all__ = ["KEEP", "backup_dir", "list_backups", "make_backup", "newest_backup", "restore", "way_out"]

KEEP = 10


def backup_dir(folder: str | Path | None = None) -> Path:
    return settings.workspace_dir(folder) / "backups"


def list_backups(folder: str | Path | None = None) -> list[Path]:
    """Backups, oldest first."""
    d = backup_dir(folder)
    return sorted(d.glob("workspace-*.sqlite")) if d.is_dir() else []


def newest_backup(folder: str | Path | None = None) -> Path | None:
    found = list_backups(folder)
    return found[-1] if found else None


def way_out(folder: str | Path | None = None) -> str:
    """What to do about a damaged workspace file: restore the newest backup, if there is one."""
    newest = newest_backup(folder)
    if newest is None:
        return "no backup exists yet; move the file aside to start a new workspace"
    return f"`pmkit restore` puts the newest backup ({newest.name}) in place and keeps this file beside it"


def make_backup(folder: str | Path | None = None, keep: int = KEEP) -> Path:
    """Snapshot the workspace file; returns the backup's path and keeps the newest ``keep``."""
    root = settings.workspace_dir(folder)
    src_path = root / FILENAME
    if not src_path.is_file():
        raise NotFound(f"no workspace file at {src_path}")
    d = backup_dir(root)
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = d / f"workspace-{stamp}.sqlite"
    tmp = target.with_suffix(".partial")
    try:
        ok = snapshot(src_path, tmp)
    except DriverError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {src_path}: {exc}; the last good backups are in {d}") from None
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {src_path}: it fails SQLite's check ({ok})")
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    for old in list_backups(root)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def restore(folder: str | Path | None = None, backup: str | Path | None = None) -> tuple[Path, Path | None]:
    """Put ``backup`` (default: the newest) in place of the workspace file.

    The current file, if any, is moved aside (``workspace.sqlite.damaged-<time>``), never
    deleted. Returns (the backup used, where the old file went). Run it with no pmkit
    process using the workspace.
    """
    root = settings.workspace_dir(folder)
    chosen = Path(backup) if backup else newest_backup(root)
    if chosen is None or not chosen.is_file():
        raise NotFound(f"no backup to restore in {backup_dir(root)}")
    try:
        ok = check_file(chosen)
    except DriverError as exc:
        raise StorageError(f"the backup {chosen} is not readable: {exc}; choose another with --from") from None
    if ok != "ok":
        raise StorageError(f"the backup {chosen} fails SQLite's check; choose another with --from")
    current = root / FILENAME
    aside: Path | None = None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    if current.exists():
        aside = root / f"{FILENAME}.damaged-{stamp}"
        os.replace(current, aside)
    for suffix in SIDE_FILES:
        extra = root / f"{FILENAME}{suffix}"
        if extra.exists():
            os.replace(extra, root / f"{FILENAME}{suffix}.damaged-{stamp}")
    tmp = root / f".{FILENAME}.restoring"
    shutil.copyfile(chosen, tmp)
    os.chmod(tmp, 0o600)
    os.replace(tmp, current)
    return chosen, aside
