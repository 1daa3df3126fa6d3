"""Spreadsheets against the workspace: a role's view written as xlsx or csv, and a file read
back into a new session, or its ratings and positions into an existing one.

The layout and its checks are :mod:`pmkit.formats.sheets`. What a role's file holds is what it may
see: the session as :meth:`pmkit.store.Workspace.load` gives it to the role, and the members
and their own ratings and positions as :meth:`~pmkit.store.Workspace.participants` and
:meth:`~pmkit.store.Workspace.member_inputs` give them (filtered in the query: another
side's members never). Reading validates the whole file before anything is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmkit.errors import InputError, InvalidSession
from pmkit.formats.sheets import Tables, read_tables, session_data, session_tables, write_csv, write_xlsx
from pmkit.i18n import _
from pmkit.model import FACILITATOR, parse_session
from pmkit.store import Workspace

__all__ = ["Imported", "import_sheet", "sheet_bytes"]


def sheet_bytes(ws: Workspace, session_id: str, role: str, fmt: str, participant: str | None = None) -> bytes:
    """``role``'s view of the session as an xlsx workbook or a csv file."""
    session = ws.sessions.load(session_id, role, participant)
    people = ws.participants.all(session_id, role, participant)
    inputs = ws.participants.inputs(session_id, role, participant)
    tables = session_tables(
        session,
        [{"id": p.participant_id, "party": p.party, "name": p.name, "weight": p.weight} for p in people],
        [{"goal": i.item_id, "participant": i.participant_id, "importance": i.rating.importance,
          "stance": i.rating.stance} for i in inputs if i.rating is not None],
        [{"issue": i.item_id, "participant": i.participant_id, "ideal": i.position.ideal,
          "walk_away": i.position.walk_away} for i in inputs if i.position is not None],
    )
    if fmt == "csv":
        return write_csv(tables).encode("utf-8")
    if fmt != "xlsx":
        raise InputError(_("a spreadsheet is xlsx or csv, got {format}").format(format=repr(fmt)))
    out = io.BytesIO()
    write_xlsx(tables, out)
    return out.getvalue()


@dataclass(frozen=True)
class Imported:
    session_id: str
    created: bool
    participants: int
    inputs: int


def import_sheet(ws: Workspace, path: str | Path, into: str | None = None) -> Imported:
    """Read ``path``: a new session (with its members and their inputs), or with ``into``
    the file's ratings and positions applied to that session in one edit (the facilitator's)."""
    where = str(path)
    tables = read_tables(path)
    if into is not None:  # only the ratings and positions are read; the items must be the session's
        return _into(ws, into, tables, {k: v for k, v in tables.items() if k.startswith("participant_")}, where)
    doc, members = session_data(tables, where)
    try:
        session = parse_session(doc)
    except InvalidSession as exc:
        raise exc.found_in(where) from None
    people = _members(members, session.party_ids, where)
    ratings, positions = _member_inputs(members, {p for p, _party, _n, _w in people}, where)
    sid = ws.sessions.create(session, source="import")
    ids: dict[str, str] = {}
    for old, party, name, weight in people:
        ids[old] = ws.participants.add(sid, party, name, weight).participant_id
    party_of = {old: party for old, party, _n, _w in people}
    n = 0
    for goal, pid, importance, stance in ratings:
        ws.items.rate(sid, goal, party_of[pid], importance, stance, role=FACILITATOR, participant=ids[pid])
        n += 1
    for issue, pid, ideal, walk_away in positions:
        ws.items.set_position(sid, issue, party_of[pid], ideal, walk_away, role=FACILITATOR, participant=ids[pid])
        n += 1
    return Imported(sid, True, len(people), n)


def _members(members: Tables, parties: list[str], where: str) -> list[tuple[str, str, str, float]]:
    out: list[tuple[str, str, str, float]] = []
    for n, r in members.get("participants", []):
        pid, party, name = (str(r.get(k) or "") for k in ("id", "party", "name"))
        def at(column: str, row: int = n) -> str:
            return _("{file}: {table}, row {row}, column {column}").format(
                file=where, table="participants", row=row, column=column)
        if not pid:
            raise InputError(_("{where}: every participant needs an id (any short text)").format(where=at("id")))
        if party not in parties:
            raise InputError(_("{where}: {party} is not a party; use one of {parties}").format(
                where=at("party"), party=repr(party), parties=", ".join(parties)))
        if not name:
            raise InputError(_("{where}: a participant needs a name").format(where=at("name")))
        if any(p == pid for p, *_rest in out):
            raise InputError(_("{where}: {id} is given twice").format(where=at("id"), id=repr(pid)))
        out.append((pid, party, name, float(r.get("weight") or 1)))
    return out


def _member_inputs(members: Tables, known: set[str], where: str) -> tuple[list[Any], list[Any]]:
    ratings: list[Any] = []
    positions: list[Any] = []
    for table, out, key, fields in (("participant_ratings", ratings, "goal", ("importance", "stance")),
                                    ("participant_positions", positions, "issue", ("ideal", "walk_away"))):
        for n, r in members.get(table, []):
            pid = str(r.get("participant") or "")
            at = _("{file}: {table}, row {row}, column {column}")
            if pid not in known:
                raise InputError(_("{where}: no participant {id} in the {table} table").format(
                    where=at.format(file=where, table=table, row=n, column="participant"), id=repr(pid),
                    table="participants"))
            values = [r.get(f) for f in fields]
            if values[0] is None:
                raise InputError(_("{where}: missing").format(
                    where=at.format(file=where, table=table, row=n, column=fields[0])))
            if table == "participant_ratings" and values[1] is None:
                values[1] = "neutral"
            out.append((str(r.get(key) or ""), pid, *values))
    return ratings, positions


def _into(ws: Workspace, sid: str, tables: Tables, members: Tables, where: str) -> Imported:
    """Apply the file's ratings and positions (of parties and of current members) to ``sid``."""
    known = {p.participant_id: p.party for p in ws.participants.all(sid)}
    ratings, positions = _member_inputs(members, set(known), where)
    party_ratings = [(str(r.get("goal") or ""), str(r.get("party") or ""), r.get("importance"),
                      r.get("stance") or "neutral") for _n, r in tables.get("ratings", [])]
    party_positions = [(str(r.get("issue") or ""), str(r.get("party") or ""), r.get("ideal"), r.get("walk_away"))
                       for _n, r in tables.get("positions", [])]
    n = ws.participants.apply_inputs(sid, party_ratings=party_ratings, party_positions=party_positions,
                        member_ratings=[(g, known[p], p, i, s) for g, p, i, s in ratings],
                        member_positions=[(x, known[p], p, i, w) for x, p, i, w in positions])
    return Imported(sid, False, 0, n)
