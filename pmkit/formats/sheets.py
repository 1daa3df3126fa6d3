"""Spreadsheets: a session as tables, written to and read from xlsx (openpyxl) and csv.

**The layout.** One table per kind of row; in an xlsx workbook one sheet per table, named as
below, the column names in row 1 and one record per row; in a csv file one section per
table: a row holding only ``[name]``, then the column names, then the records (blank rows
between sections are ignored). Tables may be left out (empty); columns may come in any
order; an empty cell is "not given" (empty text, no number).

=====================  ===========================================================
``session``            field, value (rows: title, joint_title, description, date)
``parties``            id, name, reservation
``goals``              id, title, description, raised_by, audience, disclosed_on
``ratings``            goal, party, importance, stance
``issues``             id, title, unit, audience, probe_step, disclosed_on
``positions``          issue, party, ideal, walk_away
``agreements``         id, text, kind, audience, disclosed_on
``actions``            id, title, owner, due, status, audience, disclosed_on
``notes``              id, text, audience, disclosed_on
``option_issues``, ``options``, ``option_scores``: option issues (:mod:`pmkit.formats.option_tables`)
``plan``               item, kind, decision, by, condition, reason, affected_from, linked_to,
                       withheld_since, decided_on, recorded_by (the disclosure plan)
``participants``       id, party, name, weight
``participant_ratings``    goal, participant, importance, stance
``participant_positions``  issue, participant, ideal, walk_away
=====================  ===========================================================

**Reading is as strict as YAML** (:func:`read_tables`): at most :data:`MAX_BYTES` of file
(and 32 MiB unpacked), :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns per table;
a formula is never evaluated but refused (in xlsx a cell of formula type; in csv a text
starting with ``=``); merged cells, unknown tables or columns, and a value of the wrong
type (text where a number belongs) are refused. Each error is one line naming the table
(sheet or section), the row and the column. Nothing is written: the caller validates the
whole file (:func:`session_data`, then :func:`pmkit.model.parse_session`) before storing.

**Writing keeps text as text.** In xlsx, a text starting with ``=`` is stored as a text
cell, not a formula; in csv, a text starting with ``= + - @ '`` or a tab is written with a
leading ``'`` (which reading removes), so that no spreadsheet program runs it and a round
trip gives the text back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmkit.errors import InputError, invalid
from pmkit.formats.files import read_bounded
from pmkit.formats.option_tables import OPTION_TABLES, option_issue_docs, option_tables
from pmkit.i18n import N_, _
from pmkit.model import ITEM_KINDS, Session
from pmkit.text import count

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "TABLES", "Tables", "read_tables", "session_data",
           "session_tables", "write_csv", "write_xlsx"]

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 32 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 20
TEXT, INT, NUMBER, DATE = N_("text"), N_("whole number"), N_("number"), N_("date")  # keys, shown as _(kind)

# table -> ((column, type), ...)
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "session": (("field", TEXT), ("value", TEXT)),
    "parties": (("id", TEXT), ("name", TEXT), ("reservation", NUMBER)),
    "goals": (("id", TEXT), ("title", TEXT), ("description", TEXT), ("raised_by", TEXT), ("audience", TEXT),
              ("disclosed_on", DATE)),
    "ratings": (("goal", TEXT), ("party", TEXT), ("importance", INT), ("stance", TEXT)),
    "issues": (("id", TEXT), ("title", TEXT), ("unit", TEXT), ("audience", TEXT), ("probe_step", NUMBER),
               ("disclosed_on", DATE)),
    "positions": (("issue", TEXT), ("party", TEXT), ("ideal", NUMBER), ("walk_away", NUMBER)),
    "agreements": (("id", TEXT), ("text", TEXT), ("kind", TEXT), ("audience", TEXT), ("disclosed_on", DATE)),
    "actions": (("id", TEXT), ("title", TEXT), ("owner", TEXT), ("due", DATE), ("status", TEXT),
                ("audience", TEXT), ("disclosed_on", DATE)),
    "notes": (("id", TEXT), ("text", TEXT), ("audience", TEXT), ("disclosed_on", DATE)),
    **OPTION_TABLES,
    "plan": (("item", TEXT), ("kind", TEXT), ("decision", TEXT), ("by", DATE), ("condition", TEXT),
             ("reason", TEXT), ("affected_from", DATE), ("linked_to", TEXT), ("withheld_since", DATE),
             ("decided_on", DATE), ("recorded_by", TEXT)),
    "participants": (("id", TEXT), ("party", TEXT), ("name", TEXT), ("weight", NUMBER)),
    "participant_ratings": (("goal", TEXT), ("participant", TEXT), ("importance", INT), ("stance", TEXT)),
    "participant_positions": (("issue", TEXT), ("participant", TEXT), ("ideal", NUMBER), ("walk_away", NUMBER)),
}
SESSION_FIELDS = ("title", "joint_title", "description", "date")
_RISKY = ("=", "+", "-", "@", "'", "\t", "\r")

Row = dict[str, Any]  # column -> value (absent or None: empty)
Tables = dict[str, list[tuple[int, Row]]]  # table -> [(row number as shown, row)]


# -- a session as tables ----------------------------------------------------------------------
def session_tables(session: Session, participants: Iterable[Mapping[str, Any]] = (),
                   member_ratings: Iterable[Mapping[str, Any]] = (),
                   member_positions: Iterable[Mapping[str, Any]] = ()) -> dict[str, list[Row]]:
    """``session`` (and the members and their inputs given) as the tables of the layout."""
    t: dict[str, list[Row]] = {name: [] for name in TABLES}
    t["session"] = [{"field": f, "value": (session.date.isoformat() if f == "date" and session.date else
                                           getattr(session, f) if f != "date" else None)} for f in SESSION_FIELDS]
    t["parties"] = [{"id": p.id, "name": p.name, "reservation": p.reservation} for p in session.parties]
    for field, _cls, _p in ITEM_KINDS.values():  # the columns every item kind has in common
        t[field] = [{"id": x.id, "audience": x.audience, "disclosed_on": _day(x.disclosed_on)}
                    for x in getattr(session, field)]
    for row, g in zip(t["goals"], session.goals, strict=True):
        row.update({"title": g.title, "description": g.description, "raised_by": g.raised_by})
        t["ratings"] += [{"goal": g.id, "party": p, "importance": r.importance, "stance": r.stance}
                         for p, r in g.ratings.items()]
    for row, i in zip(t["issues"], session.issues, strict=True):
        row.update({"title": i.title, "unit": i.unit, "probe_step": i.probe_step})
        t["positions"] += [{"issue": i.id, "party": p, "ideal": pos.ideal, "walk_away": pos.walk_away}
                           for p, pos in i.positions.items()]
    for row, a in zip(t["agreements"], session.agreements, strict=True):
        row.update({"text": a.text, "kind": a.kind})
    for row, c in zip(t["actions"], session.actions, strict=True):
        row.update({"title": c.title, "owner": c.owner, "due": _day(c.due), "status": c.status})
    for row, n in zip(t["notes"], session.notes, strict=True):
        row["text"] = n.text
    t.update(option_tables(session))
    t["plan"] = [{k: _day(v) for k, v in e.model_dump().items()} for e in session.plan]
    t["participants"] = [dict(p) for p in participants]
    t["participant_ratings"] = [dict(r) for r in member_ratings]
    t["participant_positions"] = [dict(r) for r in member_positions]
    return t


def _day(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def session_data(tables: Tables, where: str) -> tuple[dict[str, Any], Tables]:
    """The session document (for :func:`pmkit.model.parse_session`) made from ``tables``,
    and the member tables as read. Errors name the table, row and column."""
    doc: dict[str, Any] = {}
    for n, row in tables.get("session", []):
        field = row.get("field")
        if field not in SESSION_FIELDS:
            raise InputError(_("{where}: session, row {n}, column field: {field} is not one of {fields}").format(
                where=where, n=n, field=repr(field), fields=', '.join(SESSION_FIELDS)))
        if row.get("value") not in (None, ""):
            doc[field] = row["value"]
    if tables.get("parties"):
        doc["parties"] = [_plain(r) for _n, r in tables["parties"]]
    by_id: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, (field, cls, _p) in ITEM_KINDS.items():
        if kind == "option_issue":
            continue  # three tables of their own, below
        items = []
        for n, r in tables.get(field, []):
            item = _plain(r)
            _check_row(cls, item, _("{where}: {field}, row {n}").format(where=where, field=field, n=n))
            if kind == "goal":
                item["ratings"] = {}
            if kind == "issue":
                item["positions"] = {}
            items.append(item)
        by_id[field] = {str(i.get("id", "")): i for i in items}
        if items:
            doc[field] = items
    for table, owner, key, slot, fields in (("ratings", "goals", "goal", "ratings", ("importance", "stance")),
                                            ("positions", "issues", "issue", "positions", ("ideal", "walk_away"))):
        for n, r in tables.get(table, []):
            found = by_id[owner].get(str(r.get(key) or ""))
            if found is None:
                raise InputError(_(
                    "{where}: {table}, row {n}, column {key}: no {key} {value} in the {owner} table").format(
                        where=where, table=table, n=n, key=key, value=repr(r.get(key)), owner=owner))
            item = found
            party = str(r.get("party") or "")
            if party in item[slot]:
                raise InputError(_(
                    "{where}: {table}, row {n}, column party: {party} is given twice for {key} {value}").format(
                        where=where, table=table, n=n, party=repr(party), key=key, value=repr(r.get(key))))
            item[slot][party] = {f: r.get(f) for f in fields if r.get(f) is not None}
    if tables.get("option_issues"):
        doc["option_issues"] = option_issue_docs(tables, where)
    if tables.get("plan"):
        doc["plan"] = [_plain(r) for _n, r in tables["plan"]]
    members = {k: v for k, v in tables.items() if k.startswith("participant")}
    return doc, members


def _check_row(cls: type[Any], item: dict[str, Any], at: str) -> None:
    """One record checked by its model, so that an error names its column."""
    try:
        cls.model_validate(item)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise invalid(exc, f"{at}, column", got="" if isinstance(err.get("input"), dict)
                      else repr(err.get("input"))[:40]) from None


def _plain(row: Row) -> dict[str, Any]:
    """A record as model fields: empty cells are left out (the model's defaults)."""
    return {k: v for k, v in row.items() if v is not None and v != ""}


# -- writing ----------------------------------------------------------------------------------
def write_xlsx(tables: Mapping[str, Sequence[Row]], target: io.BytesIO | Path) -> None:
    """One sheet per table; text cells stay text, whatever they start with."""
    from openpyxl import Workbook
    from openpyxl.compat.strings import safe_string
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, columns in TABLES.items():
        ws = wb.create_sheet(name)
        for c, (col, _type) in enumerate(columns, 1):
            ws.cell(1, c, col).font = Font(bold=True)
        for r, row in enumerate(tables.get(name, ()), 2):
            for c, (col, kind) in enumerate(columns, 1):
                value = row.get(col)
                if value is None or value == "":
                    continue
                cell = ws.cell(r, c)
                cell.value = value
                exact = kind != NUMBER or not isinstance(value, float) or float(safe_string(value)) == value
                if kind in (TEXT, DATE) or not exact:  # openpyxl writes 16 digits: a 17th goes as text
                    cell.value = str(value) if exact else repr(value)
                    cell.data_type = "s"  # never a formula
    wb.save(target)


def write_csv(tables: Mapping[str, Sequence[Row]]) -> str:
    """One section per table (``[name]``, the column names, the records), blank-line apart."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for name, columns in TABLES.items():
        w.writerow([f"[{name}]"])
        w.writerow([col for col, _t in columns])
        for row in tables.get(name, ()):
            w.writerow([_csv_cell(row.get(col), kind) for col, kind in columns])
        w.writerow([])
    return out.getvalue()


def _csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in (TEXT, DATE):
        text = str(value)
        return "'" + text if text.startswith(_RISKY) else text
    return repr(value) if isinstance(value, float) else str(value)


# -- reading ----------------------------------------------------------------------------------
def read_tables(path: str | Path) -> Tables:
    """The tables of an ``.xlsx`` or ``.csv`` file, each value checked for its column's type."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(_("{path}: a spreadsheet must be .xlsx or .csv, got {suffix}").format(
            path=p, suffix=repr(suffix or 'no extension')))
    raw = read_bounded(p, "spreadsheet", MAX_BYTES)
    grid = _xlsx_grid(raw, str(p)) if suffix == ".xlsx" else _csv_grid(raw, str(p))
    return {name: [(n, _typed(str(p), name, n, row)) for n, row in rows] for name, rows in grid.items()}


def _typed(where: str, table: str, n: int, row: Row) -> Row:
    kinds = dict(TABLES[table])
    out: Row = {}
    for col, value in row.items():
        at = _("{where}: {table}, row {n}, column {col}").format(where=where, table=table, n=n, col=col)
        out[col] = _convert(value, kinds[col], at)
    return out


def _convert(value: Any, kind: str, at: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == TEXT:
        if isinstance(value, bool):
            raise InputError(_("{at}: expected text, got {value}").format(at=at, value=repr(value)))
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)
    if kind == DATE:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise InputError(_("{at}: expected a date like 2026-11-28, got {value}").format(
                at=at, value=repr(str(value)[:40]))) from None
    number = _number(value, at, kind)
    return number


def _number(value: Any, at: str, kind: str) -> float | int:
    if isinstance(value, bool):
        raise InputError(_("{at}: expected a {kind}, got {value}").format(at=at, kind=_(kind), value=repr(value)))
    if isinstance(value, (int, float)):
        v: float | int = value
    else:
        text = str(value).strip()
        try:
            v = int(text) if kind == INT else float(text)
        except ValueError:
            raise InputError(_("{at}: expected a {kind}, got {value}").format(
                at=at, kind=_(kind), value=repr(text[:40]))) from None
    if kind == INT:
        if isinstance(v, float):
            if not v.is_integer():
                raise InputError(_("{at}: expected a whole number, got {value}").format(at=at, value=repr(v)))
            v = int(v)
        return v
    f = float(v)
    if f != f or f in (float("inf"), float("-inf")):
        raise InputError(_("{at}: expected a finite number, got {value}").format(at=at, value=repr(value)))
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def _header(where: str, table: str, cells: Sequence[Any], row: int) -> list[str]:
    names = [str(c).strip() if c is not None else "" for c in cells]
    while names and not names[-1]:
        names.pop()
    known = [col for col, _t in TABLES[table]]
    for n, name in enumerate(names, 1):
        if name not in known:
            raise InputError(_("{where}: {table}, row {row}, column {n}: unknown column {name}; use {known}").format(
                where=where, table=table, row=row, n=n, name=repr(name), known=', '.join(known)))
        if names.count(name) > 1:
            raise InputError(_("{where}: {table}, row {row}, column {name}: given twice").format(
                where=where, table=table, row=row, name=name))
    return names


def _check_size(where: str, table: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS + 1:
        raise InputError(_("{where}: {table}: {rows} rows; at most {limit} records are read").format(
            where=where, table=table, rows=count(rows), limit=count(MAX_ROWS)))
    if columns > MAX_COLUMNS:
        raise InputError(_("{where}: {table}: {columns} columns; at most {limit} are read").format(
            where=where, table=table, columns=columns, limit=MAX_COLUMNS))


def _table_name(where: str, name: str) -> str:
    if name not in TABLES:
        raise InputError(_("{where}: unknown table {name}; use {tables}").format(
            where=where, name=repr(name), tables=', '.join(TABLES)))
    return name


def _xlsx_grid(raw: bytes, where: str) -> dict[str, list[tuple[int, Row]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise InputError(_("{where}: unpacks to more than {limit} MiB; too large to read").format(
                    where=where, MAX_UNPACKED=MAX_UNPACKED // 2 ** 20))
    except zipfile.BadZipFile:
        raise InputError(_("{where}: not an xlsx workbook (not a zip file); save it as .xlsx").format(
            where=where)) from None
    from openpyxl import load_workbook

    try:  # data_only=False: a formula stays a formula (refused below), never a cached result
        wb = load_workbook(io.BytesIO(raw), read_only=False, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is one line
        raise InputError(_("{where}: cannot read the workbook: {type}").format(
            where=where, type=type(exc).__name__)) from None
    out: dict[str, list[tuple[int, Row]]] = {}
    for ws in wb.worksheets:
        name = _table_name(where, ws.title)
        _check_size(where, name, ws.max_row, ws.max_column)
        if ws.merged_cells.ranges:
            first = sorted(str(r) for r in ws.merged_cells.ranges)[0]
            raise InputError(_("{where}: {name}, cells {first}: merged cells are not read; unmerge them").format(
                where=where, name=name, first=first))
        rows = list(ws.iter_rows())
        if not rows:
            out[name] = []
            continue
        for row in rows:
            for cell in row:
                if cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula"):
                    raise InputError(_("{where}: {name}, row {row}, column {column}: a formula is not evaluated; "
                                       "type the value itself").format(
                        where=where, name=name, row=cell.row, column=cell.column_letter))
        header = _header(where, name, [c.value for c in rows[0]], 1)
        records = []
        for row in rows[1:]:
            values = [c.value for c in row]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            extra = [v for v in values[len(header):] if v not in (None, "")]
            if extra:
                raise InputError(_("{where}: {name}, row {row}: a value beyond the named columns").format(
                    where=where, name=name, row=row[0].row))
            records.append((row[0].row, {col: values[n] for n, col in enumerate(header) if n < len(values)}))
        out[name] = records
    return out


def _csv_grid(raw: bytes, where: str) -> dict[str, list[tuple[int, Row]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(_("{where}: not UTF-8 text (byte {start}); save it as CSV UTF-8").format(
            where=where, start=exc.start)) from None
    if "\x00" in text:
        raise InputError(_("{where}: contains a NUL byte; not a text file").format(where=where))
    out: dict[str, list[tuple[int, Row]]] = {}
    name: str | None = None
    header: list[str] | None = None
    try:
        for n, cells in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            if not any(c.strip() for c in cells):
                continue
            first = cells[0].strip()
            if first.startswith("[") and first.endswith("]") and not any(c.strip() for c in cells[1:]):
                name, header = _table_name(where, first[1:-1]), None
                if name in out:
                    raise InputError(_("{where}: row {n}: the section [{name}] is given twice").format(
                        where=where, n=n, name=name))
                out[name] = []
                continue
            if name is None:
                raise InputError(_("{where}: row {n}: a record before the first [table] line").format(where=where, n=n))
            _check_size(where, name, len(out[name]) + 1, len(cells))
            if header is None:
                header = _header(where, name, cells, n)
                continue
            values: list[Any] = []
            for c, cell in enumerate(cells):
                col = header[c] if c < len(header) else str(c + 1)
                if cell.startswith("="):
                    raise InputError(_(
                        "{where}: {name}, row {n}, column {col}: a formula is not evaluated; type the value itself (or "
                                       "start the text with ')").format(where=where, name=name, n=n, col=col))
                values.append(cell[1:] if cell.startswith("'") else cell)
            if any(v for v in values[len(header):]):
                raise InputError(_("{where}: {name}, row {n}: a value beyond the named columns").format(
                    where=where, name=name, n=n))
            out[name].append((n, {col: values[c] for c, col in enumerate(header) if c < len(values)}))
    except csv.Error as exc:
        raise InputError(_("{where}: not valid CSV: {exc}").format(where=where, exc=exc)) from None
    return out
