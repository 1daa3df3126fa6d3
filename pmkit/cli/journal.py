"""The journal verbs of the ``pmkit`` command line: history (and what moved, round by round)
and undo."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from pmkit.cli.base import args, command, json_arg, out, print_records, session_arg, session_role_args, workspace
from pmkit.i18n import N_, _
from pmkit.store import JournalEntry
from pmkit.text import number

__all__: list[str] = []


def _history_args(p: argparse.ArgumentParser) -> None:
    session_role_args(p)
    json_arg(p)
    p.add_argument("--limit", type=int, default=None, help=_("only the newest N entries"))
    p.add_argument("--rounds", action="store_true",
                   help=_("what moved, round by round: ROUND<TAB>N<TAB>ID<TAB>STATE<TAB>WHEN, then "
                          "MOVED<TAB>N<TAB>KIND<TAB>ITEM<TAB>PARTY<TAB>BEFORE -> AFTER<TAB>TITLE"))
    p.add_argument("--series", action="store_true",
                   help=_("the meetings of the session's series, in order: NUMBER<TAB>SESSION<TAB>DATE<TAB>TITLE "
                          "(the title the role sees)"))


@command("history", N_("the session's journal: SEQ<TAB>VERSION<TAB>WHEN<TAB>ACTOR<TAB>ROLE<TAB>OP<TAB>WHAT"))
@args(_history_args)
def _history(ns: argparse.Namespace) -> int:
    if ns.series:
        _series(ns)
        return 0
    with workspace(ns) as ws:
        entries = ws.journal.history(ns.session, ns.role, ns.limit)
    if ns.rounds:
        _rounds(entries, ns.json)
        return 0
    print_records(entries, ns.json, lambda e: f"{e.seq}\t{e.version}\t{e.at}\t{e.actor}\t{e.role}\t{e.op}\t{e.summary}")
    return 0


@command("undo", N_("revert the newest edit of a session (the journal keeps both)"))
@args(session_arg)
def _undo(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        e = ws.journal.undo(ns.session)
    out(_("undone #{seq} {op} {summary}").format(seq=e.seq, op=e.op, summary=e.summary))
    return 0


def _series(ns: argparse.Namespace) -> None:
    """The meetings of the session's series, each as ``ns.role`` sees it."""
    with workspace(ns) as ws:
        ws.sessions.load(ns.session, ns.role)  # the role must be one of the session's
        for m in ws.series.meetings(ns.session):
            view = ws.sessions.load(m.session_id, ns.role)
            day = view.date.isoformat() if view.date else ""
            if ns.json:
                print(json.dumps({"record": "meeting", "number": m.number, "session": m.session_id,
                                  "series": m.series_id, "date": day, "title": view.title}, ensure_ascii=False))
            else:
                out(f"{m.number}\t{m.session_id}\t{day}\t{view.title}")


def _rounds(entries: list[JournalEntry], as_json: bool) -> None:
    """What moved in each private round (as the role may see it), one record per line."""
    from pmkit.analytics.followup import round_moves

    for m in round_moves(entries):
        if as_json:
            print(json.dumps(asdict(m), ensure_ascii=False))
            continue
        out(f"round\t{m.number}\t{m.round_id}\t{m.state}\t{m.at}")
        moved = [("goal", r.goal_id, r.party, f"{_rating(r.before)} -> {_rating(r.after)}", r.title)
                 for r in m.ratings]
        moved += [("issue", p.issue_id, p.party, f"{_position(p.before)} -> {_position(p.after)}", p.title)
                  for p in m.positions]
        for fields in moved:
            out("\t".join(("moved", str(m.number), *fields)))


def _rating(r: tuple[int, str] | None) -> str:
    return "not rated" if r is None else f"{r[0]} {r[1]}"


def _position(p: tuple[float, float | None] | None) -> str:
    if p is None:
        return "none"
    return f"ideal {number(p[0])}" + ("" if p[1] is None else f", walk-away {number(p[1])}")
