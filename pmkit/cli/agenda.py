"""The agenda and series verbs of the ``pmkit`` command line: ``agenda`` (list, add, start,
next, extend) and ``follow-up`` (the next meeting of a series)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import asdict

from pmkit.cli.base import args, command, json_arg, out, session_arg, workspace
from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, JOINT
from pmkit.store import AgendaItem, Workspace

__all__: list[str] = []


def _agenda_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    json_arg(p)
    p.add_argument("--as", dest="role", default=FACILITATOR, metavar="ROLE",
                   help=_("list only what this role may see (default: facilitator)"))
    run = p.add_mutually_exclusive_group()
    run.add_argument("--add", metavar="TITLE", default=None, help=_("add an item at the end (with --minutes)"))
    run.add_argument("--start", action="store_true", help=_("start the first item not yet taken"))
    run.add_argument("--next", action="store_true", help=_("end the running item and start the next"))
    run.add_argument("--extend", type=int, default=None, metavar="N", help=_("give the running item N more minutes"))
    p.add_argument("--minutes", type=int, default=None, metavar="N", help=_("the new item's timebox, in minutes"))
    p.add_argument("--audience", default=None, metavar="A",
                   help=_("who sees the new item: joint, facilitator or a party (default: what it is about's, else "
                          "joint); an item about a withheld item is never joint"))
    p.add_argument("--about", default="", metavar="KIND:ID",
                   help=_("what the new item is about: goal:ID, issue:ID or option_issue:ID"))
    p.add_argument("--show", action="store_true",
                   help=_("with --start or --next: put the item's goal on the room screen, if it is for everyone"))


@command("agenda", N_("the meeting's agenda: POS<TAB>ID<TAB>MINUTES<TAB>AUDIENCE<TAB>STATE<TAB>TITLE; --add TITLE "
                      "--minutes N, --start, --next and --extend N run it (facilitator)"))
@args(_agenda_args)
def _agenda(ns: argparse.Namespace) -> int:
    from pmkit.views.agenda import state_text

    with workspace(ns) as ws:
        if ns.add is not None:
            if ns.minutes is None:
                raise InputError(_("--add needs --minutes N, the item's timebox"))
            item = ws.agenda.add(ns.session, ns.add, ns.minutes, audience=ns.audience, about=ns.about)
            out(f"added {item.item_id}\t{item.title}")
            return 0
        if ns.minutes is not None or ns.audience is not None or ns.about:
            raise InputError(_("--minutes, --audience and --about go with --add TITLE"))
        if ns.start or ns.next:
            now = ws.agenda.start(ns.session) if ns.start else ws.agenda.next(ns.session)
            if now is None:
                out(_("the agenda is done"))
                return 0
            if ns.show:
                _show(ws, ns.session, now)
            out(f"running {now.item_id}\t{state_text(now)}\t{now.title}")
            return 0
        if ns.extend is not None:
            item = ws.agenda.extend(ns.session, ns.extend)
            out(f"extended {item.item_id}\t{state_text(item)}\t{item.title}")
            return 0
        items = ws.agenda.items(ns.session, ns.role)
    for a in items:
        if ns.json:
            print(json.dumps({**asdict(a), "state": a.state}, ensure_ascii=False))
        else:
            out(f"{a.pos}\t{a.item_id}\t{a.minutes}\t{a.audience}\t{state_text(a)}\t{a.title}")
    return 0


def _show(ws: Workspace, session_id: str, item: AgendaItem) -> None:
    """Put the item's goal on the room screen when it and its goal are for everyone."""
    kind, _sep, ref = item.about.partition(":")
    if item.audience == JOINT and kind == "goal":
        ws.meeting.set_room_view(session_id, "goal", ref, role=FACILITATOR)


def _follow_up_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("--date", default=None, metavar="DATE", help=_("the next meeting's date, YYYY-MM-DD"))


@command("follow-up", N_("make the next meeting of a series from this one, carrying over what is open (open actions, "
                         "undecided and dated disclosure decisions, open conflicts, the parties, participants and "
                         "each side's latest inputs); prints the new session's id (facilitator)"))
@args(_follow_up_args)
def _follow_up(ns: argparse.Namespace) -> int:
    day = None
    if ns.date:
        try:
            day = dt.date.fromisoformat(ns.date)
        except ValueError:
            raise InputError(_("--date: '{date}' is not a date; write YYYY-MM-DD, e.g. 2026-12-08").format(
                               date=ns.date)) from None
    with workspace(ns) as ws:
        new_id = ws.series.follow_up(ns.session, date=day)
        number = ws.series.place(new_id)
    out(f"{new_id}\t" + _("meeting {number} of the series").format(number=number.number if number else 2))
    return 0
