"""Backups of the workspace, and putting one back.

Part of the storage layer. Backups are kept in ``<workspace>/backups/``, the newest
:data:`KEEP`; ``pmkit serve`` makes one when it starts and every ``PMKIT_BACKUP_MINUTES``,
``pmkit backup`` makes one now.

* **SQLite**: a consistent snapshot of the file (:func:`pmkit.store.db.snapshot`, safe while
  other processes write), ``workspace-<time>.sqlite``. ``pmkit restore`` moves a damaged
  workspace file aside and puts the newest backup in place.
* **PostgreSQL**: pmkit's own dump of every pmkit table (:mod:`pmkit.store.pgdump`),
  ``database-<time>.jsonl.gz``. ``pmkit restore`` loads it into the configured database,
  which must hold no session yet: pmkit never overwrites a database. ``pg_dump`` backs up
  the whole database, as a database administrator does.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from pmkit import settings
from pmkit.errors import NotFound, StorageError
from pmkit.i18n import _
from pmkit.store.db import FILENAME, MIGRATIONS, SIDE_FILES, DriverError, check_file, is_postgres_url, snapshot

__all__ = ["KEEP", "backup_dir", "list_backups", "make_backup", "newest_backup", "restore", "way_out"]

KEEP = 10
_PATTERN = {False: "workspace-*.sqlite", True: "database-*.jsonl.gz"}


def backup_dir(folder: str | Path | None = None) -> Path:
    return settings.workspace_dir(folder) / "backups"


def list_backups(folder: str | Path | None = None, database: str | None = None) -> list[Path]:
    """Backups of the workspace's backend (the SQLite file's, or the PostgreSQL database's), oldest first."""
    d = backup_dir(folder)
    postgres = is_postgres_url(settings.database_url(database))
    return sorted(d.glob(_PATTERN[postgres])) if d.is_dir() else []


def newest_backup(folder: str | Path | None = None, database: str | None = None) -> Path | None:
    found = list_backups(folder, database)
    return found[-1] if found else None


def way_out(folder: str | Path | None = None) -> str:
    """What to do about a damaged workspace file: restore the newest backup, if there is one."""
    newest = newest_backup(folder, "")
    if newest is None:
        return "no backup exists yet; move the file aside to start a new workspace"
    return f"`pmkit restore` puts the newest backup ({newest.name}) in place and keeps this file beside it"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def make_backup(folder: str | Path | None = None, keep: int = KEEP, database: str | None = None) -> Path:
    """Back the workspace up; returns the backup's path and keeps the newest ``keep``."""
    root = settings.workspace_dir(folder)
    url = settings.database_url(database)
    d = backup_dir(root)
    if url:
        target = d / f"database-{_stamp()}.jsonl.gz"
        tmp = target.with_name(target.name + ".partial")
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        _dump_postgres(url, tmp)
    else:
        src_path = root / FILENAME
        if not src_path.is_file():
            raise NotFound(_("no workspace file at {src_path}").format(src_path=src_path))
        target = d / f"workspace-{_stamp()}.sqlite"
        tmp = target.with_suffix(".partial")
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            ok = snapshot(src_path, tmp)
        except DriverError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(_("cannot back up {src_path}: {exc}; the last good backups are in {d}").format(
                                 src_path=src_path, exc=exc, d=d)) from None
        if ok != "ok":
            tmp.unlink(missing_ok=True)
            raise StorageError(_("cannot back up {src_path}: it fails SQLite's check ({ok})").format(
                                 src_path=src_path, ok=ok))
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    for old in list_backups(root, url or "")[:-keep]:
        old.unlink(missing_ok=True)
    return target


def _dump_postgres(url: str, target: Path) -> None:
    from pmkit.store.pgdump import dump
    from pmkit.store.postgres import PostgresDatabase

    db = PostgresDatabase(url, MIGRATIONS)
    try:
        dump(db, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        db.close()


def restore(
    folder: str | Path | None = None, backup: str | Path | None = None, database: str | None = None
) -> tuple[Path, Path | None]:
    """Put ``backup`` (default: the newest) back. Returns (the backup used, where the old
    SQLite file went; None on PostgreSQL, where nothing is replaced).

    SQLite: the current file, if any, is moved aside (``workspace.sqlite.damaged-<time>``),
    never deleted; run it with no pmkit process using the workspace. PostgreSQL: the backup
    is loaded into the configured database, which must hold no session.
    """
    root = settings.workspace_dir(folder)
    url = settings.database_url(database)
    chosen = Path(backup) if backup else newest_backup(root, url or "")
    if chosen is None or not chosen.is_file():
        raise NotFound(_("no backup to restore in {backup_dir}").format(backup_dir=backup_dir(root)))
    if url:
        from pmkit.store.pgdump import load
        from pmkit.store.postgres import PostgresDatabase

        db = PostgresDatabase(url, MIGRATIONS, prepare=False)
        try:
            load(db, chosen, MIGRATIONS)
        finally:
            db.close()
        return chosen, None
    try:
        ok = check_file(chosen)
    except DriverError as exc:
        raise StorageError(_("the backup {chosen} is not readable: {exc}; choose another with --from").format(
                             chosen=chosen, exc=exc)) from None
    if ok != "ok":
        raise StorageError(_("the backup {chosen} fails SQLite's check; choose another with --from").format(
                             chosen=chosen))
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
