"""The decision-analytics verbs of the ``pmkit`` command line: analyze and weigh."""

from __future__ import annotations

import argparse

from pmkit.cli.base import args, command, json_arg, out, session_arg, session_role_args, workspace
from pmkit.errors import InputError
from pmkit.formats.yaml_file import read_yaml_file
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR

__all__: list[str] = []


def _analyze_args(p: argparse.ArgumentParser) -> None:
    session_role_args(p)
    json_arg(p)
    p.add_argument("--top", "-k", type=int, default=3, metavar="K", help=_("size of the top for whom-to-please (3)"))
    p.add_argument("--points", type=int, default=11, help=_("values per numeric issue for packages (11)"))
    p.add_argument("--probe", metavar="ISSUE=VALUE",
                   help=_("what-if: would VALUE on ISSUE be acceptable to the other side? (counts against ROLE's "
                          "budget of questions on that issue)"))


@command("analyze", N_("decision analytics as ROLE may see them: whom to please, bargaining ranges, packages and "
                       "(facilitator) the risk read-out"))
@args(_analyze_args)
def _analyze(ns: argparse.Namespace) -> int:
    from pmkit.analytics.decisions import build_report, report_json
    from pmkit.analytics.wording import report_lines
    from pmkit.rules.disclosure_plan import warn_days
    from pmkit.views.bargaining_ranges import range_facts
    from pmkit.views.participants import side_divisions

    probe = None
    if ns.probe is not None:
        issue, sep, value = ns.probe.partition("=")
        try:
            probe = (issue.strip(), float(value))
        except ValueError:
            sep = ""
        if not sep or not issue.strip():
            raise InputError(_("--probe takes ISSUE=VALUE with a number, got {probe}").format(probe=repr(ns.probe)))
    with workspace(ns) as ws:
        info = ws.sessions.info(ns.session)
        view = ws.sessions.load(ns.session, ns.role)
        facts = range_facts(ws, ns.session, ns.role, probe=probe)
        split = side_divisions(ws, ns.session) if ns.role == FACILITATOR else ()
    report = build_report(view, facts, ns.role, session_id=info.id, version=info.version,
                          k=ns.top, points=ns.points, near_days=warn_days(), divisions=split)
    if ns.json:
        print(report_json(report))
        return 0
    names = {**{g.id: g.title for g in view.goals}, **{i.id: i.title for i in view.issues},
             **{o.id: o.title for o in view.option_issues}}
    for line in report_lines(report, names):
        out(line)
    return 0


def _weigh_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("--as", dest="role", required=True, metavar="PARTY", help=_("the party weighing its goals"))
    p.add_argument("file", help=_("YAML list of [goal id, other goal id, number]: how many times more important the "
                                  "first is (Saaty 1-9, 1/3 for less); ids: `pmkit export SESSION --as PARTY`"))
    p.add_argument("--apply", action="store_true", help=_("set PARTY's importances (stances are kept)"))
    json_arg(p)


@command("weigh", N_("pairwise weighting (AHP): priorities, consistency ratio and 0-5 importances of PARTY's goals "
                     "from FILE; --apply sets them"))
@args(_weigh_args)
def _weigh(ns: argparse.Namespace) -> int:
    from pmkit.analytics.ahp_judgements import JUDGEMENTS_HINT, parse_judgements, weigh, weighing_json, weighing_lines

    if ns.role == FACILITATOR:
        raise InputError(_("weigh as a party (--as PARTY): importances belong to a party"))
    judgements = parse_judgements(read_yaml_file(ns.file, "judgement file", JUDGEMENTS_HINT), ns.file)
    with workspace(ns) as ws:
        weighing = weigh(ws.sessions.load(ns.session, ns.role), ns.role, judgements)
        changed = ws.items.set_ratings(ns.session, weighing.party, weighing.ratings, role=ns.role) if ns.apply else None
    if ns.json:
        print(weighing_json(weighing, session=ns.session, applied=ns.apply, changed=changed))
        return 0
    for line in weighing_lines(weighing):
        out(line)
    out(_("applied: {n} importance(s) changed").format(n=changed) if changed is not None
        else _("not applied: run again with --apply to set these importances"))
    return 0

