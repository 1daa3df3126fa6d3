"""The ``settle`` verb of the ``pmkit`` command line: improving an agreement once it is made
(``agree | improvements | propose | answer | withdraw | status``)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pmkit.cli.base import args, command, json_arg, out, session_arg, session_role_args, workspace
from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, Session
from pmkit.text import share

__all__: list[str] = []


def _settle_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    agree = sub.add_parser("agree", help=_("record the terms the parties agreed on (facilitator): ISSUE=OPTION (an "
                                           "option's id or label), ISSUE=NUMBER, GOAL=in; or one of nash, "
                                           "kalai-smorodinsky, max-welfare"))
    session_arg(agree)
    agree.add_argument("choices", nargs="+", metavar="CHOICE", help=_("every joint issue settled, the goals adopted"))
    json_arg(agree)
    better = sub.add_parser("improvements", help=_("the efficient packages every party prefers to the agreed terms, "
                                                   "numbered for `propose` (facilitator: it reads every side's "
                                                   "scores)"))
    session_arg(better)
    better.add_argument("--points", type=int, default=11, help=_("values per numeric issue (11)"))
    json_arg(better)
    propose = sub.add_parser("propose", help=_("propose improvement N to the parties (facilitator; at most "
                                               "settle_proposals per agreement)"))
    session_arg(propose)
    propose.add_argument("number", type=int, metavar="N", help=_("its number in `pmkit settle improvements`"))
    propose.add_argument("--points", type=int, default=11, help=_("values per numeric issue (11)"))
    json_arg(propose)
    answer = sub.add_parser("answer", help=_("a party's private answer to the open proposal"))
    session_arg(answer)
    answer.add_argument("answer", choices=("accept", "reject"))
    answer.add_argument("--as", dest="role", required=True, metavar="PARTY", help=_("the party answering"))
    json_arg(answer)
    withdraw = sub.add_parser("withdraw", help=_("close the open proposal unanswered (facilitator; it still counts)"))
    session_arg(withdraw)
    json_arg(withdraw)
    status = sub.add_parser("status", help=_("the agreed terms, the proposals and their outcome, and the answers "
                                             "ROLE may read"))
    session_role_args(status)
    json_arg(status)


@command("settle", N_("improve an agreement once it is made: agree | improvements | propose | answer | withdraw | "
                      "status (answers stay private; the outcome says only whether every party accepted)"))
@args(_settle_args)
def _settle(ns: argparse.Namespace) -> int:
    from pmkit.analytics.packages import packages
    from pmkit.analytics.settlement import (
        POINT_NAMES,
        Terms,
        improvements,
        joint,
        package_terms,
        parse_terms,
    )

    role = getattr(ns, "role", FACILITATOR)
    with workspace(ns) as ws:
        view = ws.sessions.load(ns.session, role)
        if ns.action == "agree":
            if len(ns.choices) == 1 and ns.choices[0] in POINT_NAMES:
                point = getattr(packages(joint(view)), POINT_NAMES[ns.choices[0]])
                if point is None:
                    raise InputError(_("no {choices} package: no package of the joint items is acceptable").format(
                                       choices=ns.choices[0]))
                terms = package_terms(point)
            else:
                terms = parse_terms(view, ns.choices)
            ws.settlement.agree(ns.session, terms.as_data())
        elif ns.action in ("improvements", "propose"):
            state = ws.settlement.status(ns.session, FACILITATOR)
            if state.terms is None:
                raise InputError(_("no agreement is recorded in session '{session}'; record it with `pmkit settle "
                                   "agree {session} ISSUE=OPTION ...`").format(session=ns.session))
            found = improvements(view, Terms.from_data(state.terms), ns.points)
            if ns.action == "improvements":
                return _improvements(view, found, ns.json)
            if not 1 <= ns.number <= len(found.packages):
                raise InputError(_("improvement {number} does not exist; `pmkit settle improvements {session}` lists "
                                   "{n_packages}").format(
                                   number=ns.number, session=ns.session, n_packages=len(found.packages)))
            ws.settlement.propose(ns.session, package_terms(found.packages[ns.number - 1]).as_data())
        elif ns.action == "answer":
            if role == FACILITATOR:
                raise InputError(_("answer as a party (--as PARTY): each party answers for itself"))
            ws.settlement.answer(ns.session, ns.answer == "accept", role=role)
        elif ns.action == "withdraw":
            ws.settlement.withdraw(ns.session)
        shown = ws.settlement.status(ns.session, role)
    _status(view, shown, ns.session, ns.json)
    return 0


def _improvements(view: Session, found: Any, as_json: bool) -> int:
    from pmkit.analytics.settlement import package_terms, terms_text

    labels = {oi.id: {o.id: o.label for o in oi.options} for oi in view.option_issues}
    if as_json:
        print(json.dumps({
            "parties": list(found.parties), "terms": found.terms.as_data(), "utility": list(found.utility),
            "improvements": [{
                "number": n, "options": {i: {"id": o, "label": labels.get(i, {}).get(o, o)} for i, o in p.options},
                "values": dict(p.values), "goals_in": list(p.goals_in), "utility": list(p.utility),
                "gain": list(p.gain)} for n, p in enumerate(found.packages, 1)],
            "left_out": [list(x) for x in found.left_out]}, ensure_ascii=False))
        return 0
    names = {p.id: p.name for p in view.parties}
    sat = ", ".join(f"{names.get(p, p)} {share(u)}" for p, u in zip(found.parties, found.utility, strict=True))
    out(f"agreed\t{sat}\t{terms_text(view, found.terms)}")
    if not found.packages:
        out(_("no improvement: no package leaves every party at least as well off and one better off"))
    for n, p in enumerate(found.packages, 1):
        cells = ", ".join(f"{names.get(q, q)} {share(u)} ({share(g, signed=True)})"
                          for q, u, g in zip(found.parties, p.utility, p.gain, strict=True))
        out(f"{n}\t{cells}\t{terms_text(view, package_terms(p))}")
    return 0


def _status(view: Session, state: Any, session: str, as_json: bool) -> None:
    from pmkit.analytics.settlement import Terms, terms_text

    if as_json:
        print(json.dumps({
            "session": session, "agreement": state.agreement, "terms": state.terms, "budget": state.budget,
            "left": state.left, "proposals": [{"number": p.number, "terms": p.terms, "state": p.state,
                                               "answers": dict(p.answers)} for p in state.proposals]},
            ensure_ascii=False))
        return
    if state.terms is None:
        out(_("no agreement recorded in {session}; record it with `pmkit settle agree {session} ISSUE=OPTION ...`")
            .format(session=session))
        return
    out(f"agreed\t{terms_text(view, Terms.from_data(state.terms))}")
    for p in state.proposals:
        answers = "; ".join(f"{party} {'accepts' if yes else 'rejects'}" for party, yes in p.answers)
        out(f"proposal {p.number}\t{p.state}\t{terms_text(view, Terms.from_data(p.terms))}"
            + (f"\t{answers}" if answers else ""))
    out(_("proposals left for this agreement: {left} of {budget}").format(left=state.left, budget=state.budget))
