"""The members verb of the ``pmkit`` command line: ``participants`` (list, add, remove, revoke
one person's link, let members see their colleagues' ratings, a side's group weighing)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from pmkit.cli.base import args, command, json_arg, out, session_arg, workspace
from pmkit.errors import InputError
from pmkit.i18n import N_, _, check_language
from pmkit.model import FACILITATOR
from pmkit.store.mail import check_email
from pmkit.text import number

__all__: list[str] = []


def _participants_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    json_arg(p)
    p.add_argument("--add", metavar="NAME", help=_("add a participant with this name (prints the new id last)"))
    p.add_argument("--party", metavar="PARTY", help=_("the party the new participant belongs to (with --add)"))
    p.add_argument("--weight", default="1", metavar="W", help=_("the new participant's weight, above 0 (default 1)"))
    p.add_argument("--email", metavar="ADDRESS", help=_("the new participant's email address (with --add), where "
                                                        "`pmkit send-minutes` sends their side's minutes; the "
                                                        "facilitator's alone, never shown to a party"))
    p.add_argument("--set-email", nargs=2, metavar=("ID", "ADDRESS"),
                   help=_("change a participant's email address (an empty ADDRESS removes it)"))
    p.add_argument("--lang", dest="member_lang", metavar="LANG",
                   help=_("the language the new participant reads (with --add): their link's page and their "
                          "reminders (en, de, fr; default: the session's)"))
    p.add_argument("--set-lang", nargs=2, metavar=("ID", "LANG"),
                   help=_("change the language a participant reads (an empty LANG: the session's)"))
    p.add_argument("--remove", metavar="ID", help=_("remove this participant: their link stops working and their "
                                                    "ratings leave the party's aggregate"))
    p.add_argument("--revoke", metavar="ID", help=_("revoke this participant's link only (`pmkit links` prints a new "
                                                    "one)"))
    p.add_argument("--show-colleagues", choices=["on", "off"],
                   help=_("whether participants see their colleagues' own ratings (default off)"))
    p.add_argument("--weighing", metavar="PARTY", help=_("the group weighing of PARTY's participants from their own "
                                                         "pairwise judgements (AIJ): each one's CR, the aggregate's "
                                                         "priorities and CR"))


@command("participants", N_("a session's participants, ID<TAB>PARTY<TAB>WEIGHT<TAB>NAME[<TAB>EMAIL]; --add NAME "
                            "--party PARTY [--weight W] [--email ADDRESS], --set-email ID ADDRESS, --remove ID, "
                            "--revoke ID, --weighing PARTY (facilitator)"))
@args(_participants_args)
def _participants(ns: argparse.Namespace) -> int:
    actions = [x for x in (ns.add, ns.set_email, ns.set_lang, ns.remove, ns.revoke, ns.show_colleagues,
                           ns.weighing) if x is not None]
    if len(actions) > 1:
        raise InputError(_("give one of --add, --set-email, --remove, --revoke, --show-colleagues or --weighing at a "
                           "time"))
    if ns.member_lang is not None and ns.add is None:
        raise InputError(_("--lang goes with --add NAME; change a language with --set-lang ID LANG"))
    if ns.email is not None and ns.add is None:
        raise InputError(_("--email goes with --add NAME; change an address with --set-email ID ADDRESS"))
    if ns.weighing is not None:
        return _group(ns)
    if ns.add is not None and not ns.party:
        raise InputError(_("--add NAME needs --party PARTY (the party the participant belongs to)"))
    if ns.party and ns.add is None:
        raise InputError(_("--party goes with --add NAME"))
    with workspace(ns) as ws:
        if ns.add is not None:
            if ns.email:
                check_email(ns.email)  # refused before anything is written
            if ns.member_lang:
                try:
                    check_language(ns.member_lang)
                except ValueError as exc:
                    raise InputError(f"--lang: {exc}") from None
            p = ws.participants.add(ns.session, ns.party, ns.add, ns.weight)
            if ns.email:
                ws.mail.set_email(ns.session, p.participant_id, ns.email)
            if ns.member_lang:
                ws.mail.set_language(ns.session, p.participant_id, ns.member_lang)
            _print(ns, "added", f"added\t{p.party}\t{number(p.weight)}\t{p.name}\t{p.participant_id}",
                   participant=asdict(p))
        elif ns.set_email is not None:
            pid, address = ns.set_email
            now_set = ws.mail.set_email(ns.session, pid, address or None)
            _print(ns, "email", f"email\t{pid}\t{now_set or '(none)'}", participant=pid, email=now_set)
        elif ns.set_lang is not None:
            pid, lang = ns.set_lang
            now_lang = ws.mail.set_language(ns.session, pid, lang or None)
            _print(ns, "language", f"language\t{pid}\t{now_lang or '(session)'}", participant=pid, language=now_lang)
        elif ns.remove is not None:
            p = ws.participants.remove(ns.session, ns.remove)
            _print(ns, "removed", f"removed\t{p.party}\t{p.name}\t{p.participant_id}", participant=asdict(p))
        elif ns.revoke is not None:
            epoch = ws.participants.revoke_link(ns.session, ns.revoke)
            line = _("revoked the link of {participant}; `pmkit links {session}` prints a new one").format(
                participant=ns.revoke, session=ns.session)
            _print(ns, "revoked", line, participant=ns.revoke, generation=epoch)
        elif ns.show_colleagues is not None:
            ws.participants.set_show_colleagues(ns.session, ns.show_colleagues == "on")
            _print(ns, "show-colleagues", f"show-colleagues\t{ns.show_colleagues}", value=ns.show_colleagues)
        else:
            emails = ws.mail.emails(ns.session)
            for p in ws.participants.all(ns.session):
                email = emails.get(p.participant_id)
                if ns.json:
                    print(json.dumps({**asdict(p), "email": email}, ensure_ascii=False))
                else:
                    line = f"{p.participant_id}\t{p.party}\t{number(p.weight)}\t{p.name}"
                    out(line + (f"\t{email}" if email else ""))
    return 0


def _print(ns: argparse.Namespace, record: str, line: str, **fields: object) -> None:
    if ns.json:
        print(json.dumps({"record": record, "session": ns.session, **fields}, ensure_ascii=False))
    else:
        out(line)


def _group(ns: argparse.Namespace) -> int:
    """The group weighing of a party's participants: read with the facilitator's access."""
    from pmkit.analytics.ahp_judgements import group_json, group_lines
    from pmkit.analytics.participants import group_ahp

    with workspace(ns) as ws:
        session = ws.sessions.load(ns.session, FACILITATOR)
        if ns.weighing not in {p.id for p in session.parties}:
            raise InputError(_("unknown party '{weighing}'; this session's parties are {id}").format(
                               weighing=ns.weighing, id=', '.join(p.id for p in session.parties)))
        people = [p for p in ws.participants.all(ns.session, FACILITATOR) if p.party == ns.weighing]
        given: dict[str, dict[tuple[str, str], float]] = {p.participant_id: {} for p in people}
        for i in ws.participants.inputs(ns.session, FACILITATOR, kind="judgement"):
            if i.judgement is not None and i.participant_id in given:
                given[i.participant_id][i.judgement[:2]] = i.judgement[2]
    judged = {g for pairs in given.values() for pair in pairs for g in pair}
    items = [g.id for g in session.goals if g.id in judged]
    if not people or len(items) < 2:
        raise InputError(_("no participant of '{weighing}' has judged two goals yet; participants judge on their own "
                           "page's Weigh goals tab").format(weighing=ns.weighing))
    group = group_ahp(ns.weighing, items, [(p.participant_id, given[p.participant_id], p.weight) for p in people
                                        if given[p.participant_id]])
    if ns.json:
        print(group_json(group, session=ns.session))
        return 0
    names = {p.participant_id: p.name for p in people}
    for line in group_lines(group, names, {g.id: g.title for g in session.goals}):
        out(line)
    return 0

