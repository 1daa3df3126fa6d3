"""The disclosure-plan verbs of the ``pmkit`` command line: plan, decide and disclose.

``ITEM`` is a withheld item's id, or ``KIND:ID`` when two kinds share the id. A party names
only its own withheld items; any other id gets the same one-line answer as an id that does
not exist (:func:`pmkit.rules.disclosure_plan.not_yours`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from pmkit.analytics.disclosure_plan import PlanLine, plan_lines
from pmkit.cli.base import args, command, json_arg, out, session_arg, session_role_args, workspace
from pmkit.errors import AccessDenied, InputError
from pmkit.i18n import N_, _
from pmkit.model import DECISIONS, FACILITATOR, PlanEntry
from pmkit.rules.disclosure_plan import decision_text, find_item, item_title, recorded_text, warn_days
from pmkit.store.disclosure_plan import KEEP

__all__: list[str] = []


def _plan_args(p: argparse.ArgumentParser) -> None:
    session_role_args(p)
    p.add_argument("--owner", metavar="PARTY", default=None,
                   help=_("only the items PARTY owns (a party may ask only for its own)"))
    json_arg(p)


def _days(line: PlanLine) -> str:
    return "" if line.days_left is None else str(line.days_left)


def _record(line: PlanLine) -> dict[str, Any]:
    return {"kind": line.kind, "item": line.item_id, "title": line.title, "owner": line.owner,
            "decision": line.decision, "decision_text": line.decision_text,
            "by": line.by.isoformat() if line.by else None,
            "withheld_since": line.withheld_since.isoformat() if line.withheld_since else None,
            "affected_from": line.affected_from.isoformat() if line.affected_from else None,
            "affected_source": line.affected_source, "days_left": line.days_left, "near": line.near,
            "overdue": line.overdue, "disclosable": line.disclosable, "recorded": line.recorded}


@command("plan", N_("the disclosure plan, one withheld item per line: ITEM<TAB>OWNER<TAB>DECISION<TAB>WITHHELD "
                    "SINCE<TAB>CUSTOMER AFFECTED FROM<TAB>DAYS LEFT<TAB>TITLE (the owner's or all)"))
@args(_plan_args)
def _plan(ns: argparse.Namespace) -> int:
    if ns.owner is not None and ns.role != FACILITATOR and ns.owner != ns.role:
        raise AccessDenied(_("the {role} role may read only its own disclosure plan (--owner {role})").format(
                             role=ns.role))
    near = warn_days()
    with workspace(ns) as ws:
        view = ws.sessions.load(ns.session, ns.role)
        since = ws.disclosure_plan.withheld_since(ns.session, ns.role)
    if ns.owner is not None and ns.owner not in view.roles:
        raise InputError(_("--owner {owner}: not a party of session '{session}'; use one of {roles}").format(
                           owner=ns.owner, session=ns.session, roles=', '.join(view.roles)))
    lines = [x for x in plan_lines(view, dt.date.today(), since, near) if ns.owner in (None, x.owner)]
    for line in lines:
        if ns.json:
            print(json.dumps(_record(line), ensure_ascii=False))
        else:
            item = f"{line.kind}:{line.item_id}"
            since_text = line.withheld_since.isoformat() if line.withheld_since else "-"
            affected = line.affected_from.isoformat() if line.affected_from else "-"
            if line.affected_source.startswith("suggested"):
                affected += " (suggested)"
            fields = (item, line.owner, line.decision_text, since_text, affected, _days(line) or "-", line.title)
            out("\t".join(fields))
    return 0


def _decide_args(p: argparse.ArgumentParser) -> None:
    p.usage = ("pmkit decide SESSION ITEM --as PARTY [now | by DATE | never | undecided] [--reason TEXT] "
               "[--condition TEXT] [--affected-from DATE] [--linked-to KIND:ID]")
    session_arg(p)
    p.add_argument("item", help=_("the withheld item: ID or KIND:ID (see `pmkit plan SESSION`)"))
    # the decision may follow --as PARTY (as the usage writes it) or come before it
    p.add_argument("--as", dest="role", required=True, nargs="+", metavar="PARTY",
                   help=_("who decides: the item's owner, or `facilitator` on the owner's behalf"))
    p.add_argument("decision", nargs="*", metavar="DECISION",
                   help=_("now | by YYYY-MM-DD | never | undecided (leave it out to change the dates only)"))
    p.add_argument("--reason", default=None, help=_("why (needed with never)"))
    p.add_argument("--condition", default=None,
                   help=_("with by: disclose after this, e.g. 'the recovery plan is signed off'"))
    p.add_argument("--affected-from", default=None, metavar="DATE",
                   help=_("the day the customer is affected from (YYYY-MM-DD, or none to clear)"))
    p.add_argument("--linked-to", default=None, metavar="KIND:ID",
                   help=_("a dated item that suggests it: action:ID (its due date) or issue:ID (days or weeks); none "
                          "to clear"))
    json_arg(p)


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(_("{what}: '{text}' is not a date; write YYYY-MM-DD, e.g. 2026-12-11").format(
                           what=what, text=text)) from None


def _decision(words: list[str]) -> tuple[str, dt.date | None] | None:
    if not words:
        return None
    head, rest = words[0], words[1:]
    if head not in DECISIONS:
        raise InputError(_("decision '{head}': use now, by YYYY-MM-DD, never or undecided").format(head=head))
    if head == "by":
        if len(rest) != 1:
            raise InputError(_("by needs one date: by YYYY-MM-DD"))
        return head, _date(rest[0], "by")
    if rest:
        raise InputError(_("'{head}' takes no date (got {rest}); only by does").format(head=head, rest=' '.join(rest)))
    return head, None


def _entry_json(kind: str, item: Any, entry: PlanEntry, recorded: str, **more: Any) -> str:
    fields = {k: v for k, v in entry.model_dump(mode="json").items() if k not in ("item", "kind")}
    return json.dumps({"kind": kind, "item": item.id, "title": item_title(item), **fields,
                       "decision_text": decision_text(entry), "recorded": recorded, **more}, ensure_ascii=False)


@command("decide", N_("record a disclosure decision on a withheld item: now, by DATE [--condition], never --reason, "
                      "or undecided; and the day the customer is affected from. Prints "
                      "KIND:ID<TAB>DECISION<TAB>RECORDED<TAB>TITLE"))
@args(_decide_args)
def _decide(ns: argparse.Namespace) -> int:
    words = [*ns.decision, *ns.role[1:]]
    if ns.decision and ns.role[1:]:
        raise InputError(_("one decision, please: got '{decision}' and '{role}'").format(
                           decision=' '.join(ns.decision), role=' '.join(ns.role[1:])))
    ns.role = ns.role[0]
    decision = _decision(words)
    affected: Any = KEEP if ns.affected_from is None else (
        None if ns.affected_from == "none" else _date(ns.affected_from, "--affected-from"))
    linked: Any = KEEP if ns.linked_to is None else (None if ns.linked_to == "none" else ns.linked_to)
    if decision is None and affected is KEEP and linked is KEEP:
        raise InputError(_("say what to record: a decision (now, by DATE, never, undecided), --affected-from or "
                           "--linked-to"))
    if decision is None and (ns.reason or ns.condition):
        raise InputError(_("--reason and --condition go with a decision"))
    with workspace(ns) as ws:
        kind, item = find_item(ws.sessions.load(ns.session, ns.role), ns.item, ns.role, ns.session)
        ws.disclosure_plan.decide(ns.session, kind, item.id, decision[0] if decision else None, role=ns.role,
                  by=decision[1] if decision else None, condition=ns.condition, reason=ns.reason,
                  affected_from=affected, linked_to=linked)
        view = ws.sessions.load(ns.session, ns.role)
    entry = next(e for e in view.plan if e.kind == kind and e.item == item.id)
    recorded = recorded_text(entry, view)
    if ns.json:
        print(_entry_json(kind, item, entry, recorded))
    else:
        out(f"{kind}:{item.id}\t{decision_text(entry)}\t{recorded}\t{item_title(item)}")
    return 0


def _disclose_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("item", help=_("the withheld item: ID or KIND:ID (its owner must have decided now)"))
    json_arg(p)


@command("disclose", N_("make a withheld item joint, as its owner decided (now): one journaled edit; every page of "
                        "the session shows it. Prints disclosed KIND:ID on DATE<TAB>DECISION<TAB>RECORDED<TAB>TITLE"))
@args(_disclose_args)
def _disclose(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        before = ws.sessions.load(ns.session, FACILITATOR)
        kind, item = find_item(before, ns.item, FACILITATOR, ns.session)
        entry = ws.disclosure_plan.disclose(ns.session, kind, item.id, role=FACILITATOR)
        done = ws.sessions.load(ns.session, FACILITATOR).item(kind, item.id)
    day = done.disclosed_on.isoformat() if done is not None and done.disclosed_on else "-"
    recorded = recorded_text(entry, before)
    if ns.json:
        print(_entry_json(kind, item, entry, recorded, disclosed_on=day))
    else:
        out(f"disclosed {kind}:{item.id} on {day}\t{decision_text(entry)}\t{recorded}\t{item_title(item)}")
    return 0
