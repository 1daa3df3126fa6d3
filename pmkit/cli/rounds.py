"""The rating and round verbs of the ``pmkit`` command line: ``rate`` (a party's own rating,
a private answer inside an open round) and ``round open | status | reveal | cancel`` (the
facilitator's private rounds)."""

from __future__ import annotations

import argparse
import json

from pmkit.cli.base import args, command, json_arg, out, session_arg, session_role_args, workspace
from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, STANCE_VALUE
from pmkit.store import Answer, Round
from pmkit.store.answers import CANCELLED

__all__: list[str] = []


def _rate_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("--as", dest="role", required=True, metavar="PARTY", help=_("the party whose rating it is"))
    p.add_argument("goal", help=_("the goal's id (`pmkit export SESSION --as PARTY` lists them)"))
    p.add_argument("importance", help=_("how much the goal matters to PARTY, 0-5"))
    p.add_argument("stance", help=_("support, neutral or oppose"))
    p.add_argument("--participant", metavar="ID", help=_("the participant of PARTY whose own rating it is (a party "
                                                         "with participants rates through them; `pmkit participants "
                                                         "SESSION` lists the ids)"))
    json_arg(p)


def _importance(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 5:
        raise InputError(_("importance must be a whole number from 0 to 5, got {text}").format(text=repr(text)))
    return value


@command("rate", N_("a party's own rating of a goal (inside an open round on it: a private answer)"))
@args(_rate_args)
def _rate(ns: argparse.Namespace) -> int:
    if ns.role == FACILITATOR:
        raise InputError(_("rate as a party (--as PARTY): a rating is a party's own"))
    importance = _importance(ns.importance)
    if ns.stance not in STANCE_VALUE:
        raise InputError(_("stance must be support, neutral or oppose, got {stance}").format(stance=repr(ns.stance)))
    with workspace(ns) as ws:
        rated = ws.items.rate(ns.session, ns.goal, ns.role, importance, ns.stance, role=ns.role,
                        participant=ns.participant)
    if ns.json:
        print(json.dumps({"session": ns.session, "goal": ns.goal, "party": ns.role, "importance": importance,
                          "stance": ns.stance, "private": rated.private, "round": rated.round_id,
                          **({"participant": ns.participant} if ns.participant else {})}))
    elif rated.private:
        out(f"answered\t{ns.goal}\t{ns.role}\t{importance} {ns.stance}\tprivate until the facilitator reveals "
            f"round {rated.round_id}")
    else:
        out(f"rated\t{ns.goal}\t{ns.role}\t{importance} {ns.stance}"
            + (f"\tas {ns.participant}; the party's rating is its participants' aggregate" if ns.participant else ""))
    return 0


# -- round ------------------------------------------------------------------------------------
def _ids(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def _round_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    opener = sub.add_parser("open", help=_("open a round on goals, numeric issues and option issues (facilitator)"))
    session_arg(opener)
    opener.add_argument("--goals", metavar="ID,...", help=_("the goals of the round, by id"))
    opener.add_argument("--issues", metavar="ID,...", help=_("the numeric issues of the round, by id"))
    opener.add_argument("--options", metavar="ID,...", help=_("the option issues of the round, by id"))
    json_arg(opener)
    status = sub.add_parser("status", help=_("the newest round: its items and the answers ROLE may read, "
                                             "ROUND<TAB>...; then KIND<TAB>ITEM<TAB>PARTY<TAB>ANSWER per answer"))
    session_role_args(status)
    json_arg(status)
    for name, what in (("reveal", _("publish every answer of the open round at once (facilitator)")),
                       ("cancel", _("close the open round and drop its answers (facilitator)"))):
        verb = sub.add_parser(name, help=what)
        session_arg(verb)
        json_arg(verb)


@command("round", N_("private rounds: open | status | reveal | cancel (answers stay private until the reveal)"))
@args(_round_args)
def _round(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        if ns.action == "status":
            rounds = ws.rounds.all(ns.session, ns.role)
            parties = ws.sessions.roles(ns.session)[1:] if ns.role == FACILITATOR else [ns.role]
            return _status(rounds, parties, ns)
        if ns.action == "open":
            r = ws.rounds.open(ns.session, _ids(ns.goals), _ids(ns.issues), option_issues=_ids(ns.options))
        elif ns.action == "reveal":
            r = ws.rounds.reveal(ns.session)
        else:
            r = ws.rounds.cancel(ns.session)
    _print_round(r, ns.json)
    if ns.action == "reveal":
        for a in r.answers:
            _answer_line(r, a.kind, a.item_id, a.party, a, ns.json)
    elif ns.action == "cancel" and not ns.json:
        out(_("dropped every answer of the round; nothing was published"))
    return 0


def _status(rounds: list[Round], parties: list[str], ns: argparse.Namespace) -> int:
    """The newest round ``ns.role`` sees, then one line per item and party: its answer, or
    that it is awaited (a party sees only its own)."""
    if not rounds:
        if ns.json:
            print(json.dumps({"record": "none", "session": ns.session}))
        else:
            out(_("no round yet in {session}; open one with `pmkit round open {session} --goals ID,...`").format(
                session=ns.session))
        return 0
    r = rounds[-1]
    _print_round(r, ns.json)
    if r.state != CANCELLED:
        for kind, items in (("goal", r.goals), ("issue", r.issues), ("option_issue", r.option_issues)):
            for item in items:
                for party in parties:
                    _answer_line(r, kind, item, party, r.answer(party, kind, item), ns.json)
    return 0


def _print_round(r: Round, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"record": "round", "round": r.round_id, "number": r.number, "state": r.state,
                          "opened_at": r.opened_at, "closed_at": r.closed_at, "goals": list(r.goals),
                          "issues": list(r.issues), "option_issues": list(r.option_issues),
                          "answers": len(r.answers)}))
        return
    items = "; ".join(f"{what} {', '.join(ids)}" for what, ids in (("goals", r.goals), ("issues", r.issues),
                                                                   ("option issues", r.option_issues)) if ids)
    when = f"opened {r.opened_at}" + (f", {r.state} {r.closed_at}" if r.closed_at else "")
    out(f"round {r.number}\t{r.round_id}\t{r.state}\t{when}\t{items}")


def _answer_line(r: Round, kind: str, item: str, party: str, a: Answer | None, as_json: bool) -> None:
    """One answer (or its absence): ``answered`` while the round is open, ``published`` once
    it is revealed, ``waiting`` / ``no answer`` when there is none."""
    if as_json:
        given = None if a is None else (a.rating or a.position or a.option_scores)
        print(json.dumps({"record": "answer", "round": r.round_id, "kind": kind, "item": item, "party": party,
                          "answered": a is not None, "answer": None if given is None else given.model_dump(),
                          "at": None if a is None else a.at}))
        return
    what = ("answered" if a else "waiting") if r.is_open else ("published" if a else "no answer")
    out(f"{what}\t{kind}\t{item}\t{party}\t{a.text if a else '-'}")
