"""Backups of a PostgreSQL workspace: pmkit's own dump of every pmkit table, and loading one.

``pmkit backup`` on PostgreSQL writes one gzip'd JSON-lines file: a header (the format, the
schema version, the time, the tables in the order they load), then for each table a line
naming its columns and one line per row. It is read in one ``REPEATABLE READ`` transaction,
so it is consistent while others write, and it holds everything pmkit keeps: sessions,
items, the journal, link generations, probe state, and every table a later migration adds
(the tables are found in the database, not listed here).

``pmkit restore`` loads such a file into a database that holds no pmkit session yet (it
never overwrites one): an empty database gets the schema up to the backup's version, the
rows, then the migrations since; the keys generated afterwards continue after the loaded
ones. ``pg_dump`` remains the way to back up the whole database (docs/deploy.md, *Deploying for a
team*); this dump is what pmkit itself can take and check without the server's tools.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql as pgsql

from pmkit.errors import StorageError
from pmkit.i18n import _
from pmkit.store.postgres import PostgresDatabase
from pmkit.store.seam import Migration, now

__all__ = ["FORMAT", "dump", "load", "read_header"]

FORMAT = "pmkit-postgresql-backup-1"
_TABLES = (
    "SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = to_regnamespace(current_schema()) "
    "AND c.relkind = 'r' ORDER BY c.relname"
)
_LINKS = "SELECT conrelid, confrelid FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid"


def _load_order(conn: psycopg.Connection[Any]) -> list[str]:
    """The schema's tables, each after the tables its foreign keys point to."""
    names = {int(r[0]): str(r[1]) for r in conn.execute(_TABLES).fetchall()}
    needs: dict[int, set[int]] = {oid: set() for oid in names}
    for child, parent in conn.execute(_LINKS).fetchall():
        if int(child) in needs and int(parent) in names:
            needs[int(child)].add(int(parent))
    order: list[str] = []
    done: set[int] = set()
    while len(done) < len(names):
        ready = sorted((oid for oid in names if oid not in done and needs[oid] <= done), key=lambda o: names[o])
        if not ready:  # pragma: no cover - a cycle of foreign keys: load in name order
            ready = sorted((oid for oid in names if oid not in done), key=lambda o: names[o])
        for oid in ready:
            done.add(oid)
            order.append(names[oid])
    return order


def _plain(value: Any) -> Any:
    return {"b64": base64.b64encode(value).decode()} if isinstance(value, bytes | memoryview) else value


def _typed(value: Any) -> Any:
    return base64.b64decode(value["b64"]) if isinstance(value, dict) and set(value) == {"b64"} else value


def dump(db: PostgresDatabase, target: Path) -> int:
    """Write every pmkit table of ``db`` to ``target``; returns how many rows it holds."""
    conn = db.connection()
    rows = 0
    with gzip.open(target, "wt", encoding="utf-8") as out, conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        tables = [t for t in _load_order(conn) if t != "schema_version"]  # the header holds the version
        header = {"format": FORMAT, "schema": version[0] if version else 0, "taken_at": now(), "tables": tables}
        out.write(json.dumps(header) + "\n")
        for table in tables:
            with conn.cursor(row_factory=psycopg.rows.tuple_row) as cur:
                cur.execute(pgsql.SQL("SELECT * FROM {}").format(pgsql.Identifier(table)))
                columns = [d.name for d in cur.description or ()]
                out.write(json.dumps({"table": table, "columns": columns}) + "\n")
                for row in cur:
                    out.write(json.dumps([_plain(v) for v in row], ensure_ascii=False) + "\n")
                    rows += 1
    return rows


def _lines(path: Path) -> Iterator[Any]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def read_header(path: Path) -> dict[str, Any]:
    """The header of a backup file; :class:`StorageError` when it is not one."""
    try:
        header = next(_lines(path))
    except (OSError, EOFError, ValueError, StopIteration) as exc:
        raise StorageError(_("the backup {path} is not readable: {exc}; choose another with --from").format(
                             path=path, exc=exc)) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StorageError(_("the backup {path} is not a pmkit PostgreSQL backup; choose another with --from").format(
                             path=path))
    return header


def load(db: PostgresDatabase, source: Path, migrations: Sequence[Migration]) -> int:
    """Load the backup ``source`` into ``db``, which must hold no session; returns the rows loaded."""
    header = read_header(source)
    version = int(header["schema"])
    if version > migrations[-1].version:
        raise StorageError(_("the backup {source} was written by a newer pmkit (schema {version}); upgrade pmkit")
                             .format(source=source, version=version))
    conn = db.connection()
    rows = 0
    try:
        with conn.transaction():
            current = db.schema_of(conn)
            if current:
                count = conn.execute("SELECT count(*) FROM sessions").fetchone()
                if count and count[0]:
                    raise StorageError(
                        _("{where} already holds {count} session(s); pmkit never overwrites a database: restore into "
                          "an empty one (createdb, then point PMKIT_DATABASE_URL or --database at it)").format(
                          where=db.where, count=count[0])
                    )
                if current != version:
                    raise StorageError(_("{where} has schema {current} and the backup {version}; restore into an "
                                         "empty database").format(where=db.where, current=current, version=version))
            else:
                db.migrate(conn, upto=version)
            table: str | None = None
            insert: Any = None
            batch: list[list[Any]] = []
            for line in _lines(source):
                if isinstance(line, dict) and "table" in line:
                    rows += _flush(conn, insert, batch)
                    table = str(line["table"])
                    insert = pgsql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                        pgsql.Identifier(table),
                        pgsql.SQL(", ").join(pgsql.Identifier(c) for c in line["columns"]),
                        pgsql.SQL(", ").join(pgsql.Placeholder() for _ in line["columns"]),
                    )
                elif isinstance(line, list) and table is not None:
                    batch.append([_typed(v) for v in line])
            rows += _flush(conn, insert, batch)
            _continue_keys(conn)
            db.migrate(conn)
    except psycopg.Error as exc:
        raise StorageError(_("cannot restore {source} into {where}: {exc}").format(
                             source=source, where=db.where, exc=str(exc).strip().splitlines()[0])) from None
    return rows


def _flush(conn: psycopg.Connection[Any], insert: Any, batch: list[list[Any]]) -> int:
    n = len(batch)
    if insert is not None and batch:
        with conn.cursor() as cur:
            cur.executemany(insert, batch)
    batch.clear()
    return n


def _continue_keys(conn: psycopg.Connection[Any]) -> None:
    """Generated keys continue after the loaded rows' (each identity column's sequence)."""
    found = conn.execute(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "WHERE c.relnamespace = to_regnamespace(current_schema()) AND a.attidentity <> '' AND NOT a.attisdropped"
    ).fetchall()
    template = pgsql.SQL(
        "SELECT setval(pg_get_serial_sequence({t}, {c}), (SELECT coalesce(max({col}), 0) + 1 FROM {tab}), false)"
    )
    for table, column in found:
        conn.execute(template.format(t=pgsql.Literal(table), c=pgsql.Literal(column), col=pgsql.Identifier(column),
                                     tab=pgsql.Identifier(table)))
