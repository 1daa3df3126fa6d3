"""The preparation verb of the ``pmkit`` command line: ``prepare open | status | remind |
close | cancel`` (the facilitator's preparation window: each person answers on their own
page, ``<base>/prepare?pmk=TOKEN``, by a deadline)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from pmkit.cli.base import args, command, json_arg, out, session_arg, workspace
from pmkit.errors import InputError
from pmkit.i18n import N_, _

__all__: list[str] = []


def _ids(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _prepare_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    opener = sub.add_parser("open", help=_("open a preparation window until a deadline, asking goals to rate, "
                                           "numeric issues and option issues (facilitator)"))
    session_arg(opener)
    opener.add_argument("--until", required=True, metavar="DATETIME",
                        help=_("the deadline, e.g. 2030-05-01T17:00 (UTC unless it has a zone, like +02:00)"))
    opener.add_argument("--goals", metavar="ID,...", help=_("the goals each person rates, by id"))
    opener.add_argument("--issues", metavar="ID,...", help=_("the numeric issues each person states a position on"))
    opener.add_argument("--options", metavar="ID,...", help=_("the option issues each person scores"))
    opener.add_argument("--pairwise", action="store_true", help=_("participants also weigh the goals pairwise"))
    json_arg(opener)
    status = sub.add_parser("status", help=_("the window and each person's progress, "
                                             "PARTY<TAB>NAME<TAB>STATE<TAB>OPENED<TAB>SUBMITTED<TAB>REMINDER, never "
                                             "an answer (facilitator)"))
    session_arg(status)
    json_arg(status)
    for name, text in (("remind", _("mail those who have not submitted their own link and the deadline, STATUS<TAB>"
                                    "PARTY<TAB>ADDRESS per message (facilitator)")),
                       ("close", _("close the window: every answer becomes its person's input, in one edit")),
                       ("cancel", _("cancel the window: its answers are dropped"))):
        action = sub.add_parser(name, help=text)
        session_arg(action)
        json_arg(action)


@command("prepare", N_("a preparation window before the meeting: open (a deadline, what to ask), status (who has "
                       "answered), remind (by email), close (answers become inputs) or cancel (facilitator)"))
@args(_prepare_args)
def _prepare(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        sid = ns.session
        if ns.action == "open":
            w = ws.prepare.open(sid, ns.until, goals=_ids(ns.goals), issues=_ids(ns.issues),
                                options=_ids(ns.options), pairwise=ns.pairwise)
            _say(ns, {"record": "prepare", "session": sid, "window": w.window_id, "state": w.state, "until": w.until},
                 f"open\t{w.window_id}\tuntil {w.until}\tlinks: pmkit links {sid} (each person's own page is "
                 "BASE/prepare?pmk=TOKEN)")
        elif ns.action == "status":
            return _status(ns, ws)
        elif ns.action == "remind":
            from pmkit.meeting.reminders import remind
            from pmkit.reports.smtp import smtp_server

            sent, missing = remind(ws, sid, smtp_server())
            for r in sent:
                _say(ns, {"record": "sent" if r.ok else "failed", "session": sid, **asdict(r)},
                     f"{'sent' if r.ok else 'failed'}\t{r.audience}\t{r.to}" + ("" if r.ok else f"\t{r.error}"))
            for name in missing:
                _say(ns, {"record": "no-address", "session": sid, "name": name}, f"no address\t{name}")
            failed = [r for r in sent if not r.ok]
            if failed:
                raise InputError(_("{n_failed} of {n_sent} reminders were not delivered (journaled: `pmkit prepare "
                                   "status {sid}` shows them); fix the cause and remind again").format(
                                   n_failed=len(failed), n_sent=len(sent), sid=sid))
        elif ns.action == "close":
            n = ws.prepare.close(sid)
            _say(ns, {"record": "prepare", "session": sid, "state": "closed", "answers": n},
                 "closed\t" + _("{n} answers written as inputs (one edit; `pmkit undo {session}` reopens the "
                                 "window)").format(n=n, session=sid))
        else:
            ws.prepare.cancel(sid)
            _say(ns, {"record": "prepare", "session": sid, "state": "cancelled"},
                 "cancelled\t" + _("the answers are dropped"))
    return 0


def _status(ns: argparse.Namespace, ws: object) -> int:
    from pmkit.views.preparation import status

    progress, rows = status(ws, ns.session)  # type: ignore[arg-type]
    if progress is None:
        raise InputError(_("no preparation window in session '{session}'; open one with `pmkit prepare open`").format(
                           session=ns.session))
    w = progress.window
    counts = progress.counts()
    if ns.json:
        print(json.dumps({"record": "window", "session": ns.session, "window": w.window_id, "state": w.state,
                          "until": w.until, "counts": counts}))
        for r in rows:
            print(json.dumps({"record": "person", **asdict(r)}, ensure_ascii=False))
        return 0
    out(f"window\t{w.window_id}\t{w.state}\tuntil {w.until}")
    for party, c in counts.items():
        out(f"party\t{party}\t" + ", ".join(f"{n} {state}" for state, n in c.items()))
    for r in rows:
        out("\t".join([r.party, r.name, r.words, r.opened_at or "-", r.submitted_at or "-", r.reminded or "-"]))
    return 0


def _say(ns: argparse.Namespace, record: dict[str, object], line: str) -> None:
    if ns.json:
        print(json.dumps(record, ensure_ascii=False))
    else:
        out(line)
