"""The mail verb of the ``pmkit`` command line: ``send-minutes`` (each audience its own
report by email, through the ``smtp_url`` setting; ``--log`` lists what was sent)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from pmkit.cli.base import args, command, json_arg, out, session_arg, workspace
from pmkit.errors import InputError
from pmkit.i18n import N_, _

__all__: list[str] = []


def _send_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    json_arg(p)
    p.add_argument("--facilitator-email", metavar="ADDRESS", default=None,
                   help=_("where the facilitator's record goes (default: $PMKIT_FACILITATOR_EMAIL; empty: not mailed)"))
    p.add_argument("--log", action="store_true",
                   help=_("send nothing: list every message sent or failed so far, "
                          "AT<TAB>STATUS<TAB>ROLE<TAB>ADDRESS[<TAB>ERROR]"))


@command("send-minutes", N_("mail each audience its own report (HTML and PDF): a party's minutes (management's "
                            "brief) to its participants' addresses, the record to the facilitator; prints "
                            "STATUS<TAB>ROLE<TAB>ADDRESS per message (facilitator)"))
@args(_send_args)
def _send_minutes(ns: argparse.Namespace) -> int:
    from pmkit.reports.mail import send_minutes
    from pmkit.reports.smtp import smtp_server

    with workspace(ns) as ws:
        if ns.log:
            records = ws.mail.log(ns.session)
        else:
            server = smtp_server()
            records = send_minutes(ws, ns.session, server, facilitator_email=ns.facilitator_email)
    for r in records:
        status = "sent" if r.ok else "failed"
        if ns.json:
            print(json.dumps({"record": status, "session": ns.session, **asdict(r)}, ensure_ascii=False))
        else:
            line = f"{status}\t{r.audience}\t{r.to}" + ("" if r.ok else f"\t{r.error}")
            out(f"{r.at}\t{line}" if ns.log else line)
    failed = [r for r in records if not r.ok]
    if failed and not ns.log:
        raise InputError(_("{n_failed} of {n_records} messages were not delivered (journaled: `pmkit send-minutes "
                           "{session} --log` lists them); fix the cause and send again").format(
                           n_failed=len(failed), n_records=len(records), session=ns.session))
    return 0
