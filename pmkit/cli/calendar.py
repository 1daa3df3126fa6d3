"""The calendar verb of the ``pmkit`` command line: ``calendar`` (one signed feed URL per
role, ``--revoke`` to revoke every feed URL issued so far)."""

from __future__ import annotations

import argparse
import json

from pmkit import settings
from pmkit.cli.base import args, command, json_arg, out, session_arg, workspace
from pmkit.i18n import N_, _

__all__: list[str] = []


def _calendar_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    json_arg(p)
    p.add_argument("--base-url", metavar="URL", default=None,
                   help=_("the address `pmkit serve` is reached at (default: http://HOST:PORT from the settings)"))
    p.add_argument("--days", type=float, default=None, metavar="N",
                   help=_("how long the URLs stay valid, in days (default: $PMKIT_CALENDAR_TTL_DAYS or 180)"))
    p.add_argument("--revoke", action="store_true",
                   help=_("revoke every calendar URL issued so far for the session, then print new ones"))


@command("calendar", N_("one iCalendar feed URL per role, ROLE<TAB>URL (actions' due dates, the next meeting, and "
                        "for management its disclose-by dates); --revoke revokes the earlier ones (facilitator)"))
@args(_calendar_args)
def _calendar(ns: argparse.Namespace) -> int:
    from pmkit.meeting.calendar import feed_roles, feed_url, make_feed_token

    base = ns.base_url or f"http://{settings.get('host')}:{settings.get('port')}"
    with workspace(ns) as ws:
        if ns.revoke:
            ws.calendar.revoke(ns.session)
        for role in feed_roles(ws, ns.session):
            url = feed_url(base, make_feed_token(ws, ns.session, role, ttl_days=ns.days))
            if ns.json:
                print(json.dumps({"record": "calendar", "session": ns.session, "role": role, "url": url}))
            else:
                out(f"{role}\t{url}")
    return 0
