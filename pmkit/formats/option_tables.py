"""Option issues as spreadsheet tables (the layout is :mod:`pmkit.formats.sheets`'s):

=================  ====================================================================
``option_issues``  id, title, description, audience, disclosed_on
``options``        issue, id, label (in the issue's order)
``option_scores``  issue, party, option, score, unacceptable, weight: one row per party and
                   option it scored or cannot accept (``unacceptable``: ``yes`` or empty);
                   ``weight`` is the party's weight for the issue, the same on each of its
                   rows; a party with a weight and no option gives one row without option
=================  ====================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmkit.errors import InputError
from pmkit.i18n import _
from pmkit.model import Session

__all__ = ["OPTION_TABLES", "option_issue_docs", "option_tables"]

Row = dict[str, Any]
Tables = Mapping[str, list[tuple[int, Row]]]
TEXT, NUMBER, DATE = "text", "number", "date"

OPTION_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "option_issues": (("id", TEXT), ("title", TEXT), ("description", TEXT), ("audience", TEXT),
                      ("disclosed_on", DATE)),
    "options": (("issue", TEXT), ("id", TEXT), ("label", TEXT)),
    "option_scores": (("issue", TEXT), ("party", TEXT), ("option", TEXT), ("score", NUMBER),
                      ("unacceptable", TEXT), ("weight", NUMBER)),
}
YES = "yes"


def option_tables(session: Session) -> dict[str, list[Row]]:
    """The option issues of ``session`` as the three tables."""
    t: dict[str, list[Row]] = {name: [] for name in OPTION_TABLES}
    for oi in session.option_issues:
        t["option_issues"].append({"id": oi.id, "title": oi.title, "description": oi.description,
                                   "audience": oi.audience,
                                   "disclosed_on": oi.disclosed_on.isoformat() if oi.disclosed_on else None})
        t["options"] += [{"issue": oi.id, "id": o.id, "label": o.label} for o in oi.options]
        for party, s in oi.scores.items():
            named = [o.id for o in oi.options if o.id in s.scores or o.id in s.unacceptable]
            rows = [{"issue": oi.id, "party": party, "option": o, "score": s.scores.get(o),
                     "unacceptable": YES if o in s.unacceptable else None, "weight": s.weight} for o in named]
            t["option_scores"] += rows or [{"issue": oi.id, "party": party, "weight": s.weight}]
    return t


def option_issue_docs(tables: Tables, where: str) -> list[dict[str, Any]]:
    """The option issues (for :func:`pmkit.model.parse_session`) made from the three tables;
    errors name the table, row and column."""
    issues: dict[str, dict[str, Any]] = {}
    for _n, r in tables.get("option_issues", []):
        item = {k: v for k, v in r.items() if v is not None and v != ""}
        item.update(options=[], scores={})
        issues[str(item.get("id", ""))] = item
    for n, r in tables.get("options", []):
        _issue(issues, r, where, "options", n)["options"].append(
            {k: r[k] for k in ("id", "label") if r.get(k) not in (None, "")})
    for n, r in tables.get("option_scores", []):
        issue = _issue(issues, r, where, "option_scores", n)
        party = str(r.get("party") or "")
        s = issue["scores"].setdefault(party, {"scores": {}, "unacceptable": []})
        at = _("{where}: option_scores, row {n}").format(where=where, n=n)
        if r.get("weight") is not None:
            if "weight" in s and s["weight"] != r["weight"]:
                raise InputError(_("{at}, column weight: {weight} differs from {earlier} on an earlier row of {party} "
                                   "for issue {issue}; give one weight").format(
                    at=at, weight=repr(r["weight"]), earlier=repr(s["weight"]), party=repr(party),
                    issue=repr(r.get("issue"))))
            s["weight"] = r["weight"]
        option = str(r.get("option") or "")
        if not option:
            continue
        if r.get("score") is not None:
            if option in s["scores"]:
                raise InputError(_("{at}, column option: {option} is scored twice by {party}").format(
                    at=at, option=repr(option), party=repr(party)))
            s["scores"][option] = r["score"]
        flag = str(r.get("unacceptable") or "").strip().lower()
        if flag not in ("", YES, "no"):
            raise InputError(_("{at}, column unacceptable: {value}; write yes or leave it empty").format(
                at=at, value=repr(r.get('unacceptable'))))
        if flag == YES:
            s["unacceptable"].append(option)
    return list(issues.values())


def _issue(issues: dict[str, dict[str, Any]], r: Row, where: str, table: str, n: int) -> dict[str, Any]:
    found = issues.get(str(r.get("issue") or ""))
    if found is None:
        raise InputError(_(
            "{where}: {table}, row {n}, column issue: no option issue {value} in the option_issues table").format(
                where=where, table=table, n=n, value=repr(r.get('issue'))))
    return found
