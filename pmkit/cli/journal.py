"""The journal verbs of the ``pmkit`` command line: history and undo."""

from __future__ import annotations

import argparse

from pmkit.cli.base import args, command, json_arg, out, print_records, session_arg, session_role_args, workspace

__all__: list[str] = []


def _history_args(p: argparse.ArgumentParser) -> None:
    session_role_args(p)
    json_arg(p)
    p.add_argument("--limit", type=int, default=None, help="only the newest N entries")


@command("history", "the session's journal: SEQ<TAB>VERSION<TAB>WHEN<TAB>ACTOR<TAB>ROLE<TAB>OP<TAB>WHAT")
@args(_history_args)
def _history(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        entries = ws.history(ns.session, ns.role, ns.limit)
    print_records(entries, ns.json, lambda e: f"{e.seq}\t{e.version}\t{e.at}\t{e.actor}\t{e.role}\t{e.op}\t{e.summary}")
    return 0


@command("undo", "revert the newest edit of a session (the journal keeps both)")
@args(session_arg)
def _undo(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        e = ws.undo(ns.session)
    out(f"undone #{e.seq} {e.op} {e.summary}")
    return 0
