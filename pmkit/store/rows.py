"""The model as rows, and rows back as the model.

A session is one ``sessions`` row and one ``items`` row per goal, issue, agreement, action and note (the item as JSON in
``data``, with its ``audience`` and a revision ``rev`` beside it, so a read can filter by
audience in the query). A party's position on a numeric issue is an item of its own, kind
:data:`POSITION`, id ``<issue id>/<party>``, whose audience follows from the issue's
(:func:`pmkit.rules.visibility.position_audience`): so the rule that a party's ideal and
walk-away are seen by that party and the facilitator only is applied by the same filter.
A party's scores on an option issue (scores, weight, unacceptable options) are stored the
same way, kind :data:`OPTION_SCORES`, id ``<option issue id>/<party>``; a party's
reservation value is a row of kind :data:`RESERVATION`, id the party's, audience the party
(the header every role reads holds the parties without it).

The disclosure plan's entries are rows of ``disclosure_plan`` of the same shape: kind
:data:`PLAN`, id ``<item kind>/<item id>``, the audience of the item when the entry was
written (who may read it: the item's owner party, or the facilitator alone) and the entry
as JSON. An entry is *current* while its item still has that audience; the reads load only
current entries (:mod:`pmkit.store.sessions`).
The ``sessions`` row keeps what only the facilitator reads apart from what every role
reads: the working title and the working note in columns of their own (``title``,
``description``), the rest of the header (the title for everyone, the date, the parties)
as JSON in ``meta``. A read for any other role selects ``meta`` alone.

Session ids are random (``s-`` and 12 hex digits, :func:`new_session_id`): an id sits in
every link, and a link's payload is readable by whoever holds it, so it carries no words.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from pmkit.errors import InputError, invalid
from pmkit.i18n import _
from pmkit.model import (
    FACILITATOR,
    ITEM_KINDS,
    JOINT,
    Goal,
    NumericIssue,
    OptionIssue,
    OptionScores,
    PlanEntry,
    Position,
    Session,
)
from pmkit.rules.visibility import position_audience

__all__ = [
    "ITEM_COLUMNS",
    "OPTION_SCORES",
    "PLAN",
    "POSITION",
    "RESERVATION",
    "SESSION_ID_LENGTH",
    "check_party_refs",
    "dumps",
    "item_data",
    "kind_class",
    "loads",
    "new_session_id",
    "option_scores_data",
    "position_data",
    "plan_data",
    "plan_rows",
    "position_key",
    "session_from_rows",
    "session_meta",
    "session_rows",
    "validate",
]

POSITION = "position"
OPTION_SCORES = "option_scores"
RESERVATION = "reservation"
PLAN = "plan"
SESSION_ID_LENGTH = 14  # "s-" and 12 hex digits
ITEM_COLUMNS = "session_id, kind, item_id, pos, audience, rev, data"


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def new_session_id() -> str:
    """A fresh session id: ``s-`` and 12 random hex digits, no word of the title."""
    return f"s-{secrets.token_hex(6)}"


def kind_class(kind: str) -> type[Any]:
    if kind not in ITEM_KINDS:
        raise InputError(_("unknown item kind '{kind}'; use one of {item_kinds}").format(
                           kind=kind, item_kinds=', '.join(ITEM_KINDS)))
    return ITEM_KINDS[kind][1]


def validate(cls: type[Any], data: dict[str, Any], kind: str) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc, kind) from None


def item_data(kind: str, item: Any) -> dict[str, Any]:
    """An item's ``data``: the model's fields (an issue's positions are items of their own)."""
    data: dict[str, Any] = item.model_dump(mode="json")
    if kind == "issue":
        data.pop("positions", None)
    if kind == "option_issue":
        data.pop("scores", None)
    return data


def position_key(issue_id: str, party: str) -> str:
    return f"{issue_id}/{party}"


def position_data(issue_id: str, party: str, p: Position) -> dict[str, Any]:
    return {"issue": issue_id, "party": party, "ideal": p.ideal, "walk_away": p.walk_away}


def option_scores_data(issue_id: str, party: str, s: OptionScores) -> dict[str, Any]:
    return {"issue": issue_id, "party": party, **s.model_dump(mode="json")}


def session_meta(session: Session) -> dict[str, Any]:
    """The header every role reads (the working title and note, and the parties' reservation
    values, are kept apart)."""
    return {
        "joint_title": session.joint_title,
        "date": session.date.isoformat() if session.date else None,
        "language": session.language,
        "parties": [p.model_dump(exclude={"reservation"}) for p in session.parties],
    }


def session_rows(sid: str, session: Session) -> list[tuple[Any, ...]]:
    """Every item of ``session`` (positions included) as ``items`` rows, in order."""
    rows: list[tuple[Any, ...]] = []
    for kind, (field, _cls, _p) in ITEM_KINDS.items():
        for item in getattr(session, field):
            rows.append((sid, kind, item.id, len(rows) + 1, item.audience, 1, dumps(item_data(kind, item))))
            if isinstance(item, NumericIssue):
                for party, p in item.positions.items():
                    aud = position_audience(item.audience, party)
                    data = dumps(position_data(item.id, party, p))
                    rows.append((sid, POSITION, position_key(item.id, party), len(rows) + 1, aud, 1, data))
            if isinstance(item, OptionIssue):
                for party, sc in item.scores.items():
                    aud = position_audience(item.audience, party)
                    data = dumps(option_scores_data(item.id, party, sc))
                    rows.append((sid, OPTION_SCORES, position_key(item.id, party), len(rows) + 1, aud, 1, data))
    for party_ in session.parties:
        if party_.reservation is not None:
            data = dumps({"party": party_.id, "reservation": party_.reservation})
            rows.append((sid, RESERVATION, party_.id, len(rows) + 1, party_.id, 1, data))
    return rows


def plan_data(entry: PlanEntry) -> dict[str, Any]:
    """A plan entry's ``data``: its fields that are set."""
    data: dict[str, Any] = entry.model_dump(mode="json", exclude_none=True)
    return data


def plan_rows(sid: str, session: Session) -> list[tuple[Any, ...]]:
    """The plan's entries of ``session`` as ``disclosure_plan`` rows (each with its item's
    audience)."""
    rows = []
    for e in session.plan:
        item = session.item(e.kind, e.item)
        rows.append((sid, PLAN, e.key, item.audience, 1, dumps(plan_data(e))))
    return rows


def session_from_rows(meta: Mapping[str, Any], rows: Iterable[tuple[str, str]],
                      plan: Iterable[str] = ()) -> Session:
    """The session from its ``meta``, its ``(kind, data)`` item rows in order and the data of
    its plan entries.

    Raises :class:`pydantic.ValidationError` when the rows do not make a valid session.
    """
    doc: dict[str, Any] = dict(meta)
    doc["plan"] = [json.loads(text) for text in plan]
    for field, _cls, _p in ITEM_KINDS.values():
        doc[field] = []
    doc["parties"] = [dict(p) for p in doc.get("parties", [])]
    issues: dict[tuple[str, str], dict[str, Any]] = {}
    private: list[tuple[str, dict[str, Any]]] = []
    for kind, text in rows:
        data = json.loads(text)
        if kind in (POSITION, OPTION_SCORES, RESERVATION):
            private.append((kind, data))
            continue
        doc[ITEM_KINDS[kind][0]].append(data)
        if kind == "issue":
            data["positions"] = {}
        if kind == "option_issue":
            data["scores"] = {}
        issues[(kind, data["id"])] = data
    for kind, p in private:
        if kind == RESERVATION:
            for party in doc["parties"]:
                if party["id"] == p["party"]:
                    party["reservation"] = p["reservation"]
            continue
        issue = issues.get(("issue" if kind == POSITION else "option_issue", p["issue"]))
        if issue is None:
            continue
        if kind == POSITION:
            issue["positions"][p["party"]] = {"ideal": p["ideal"], "walk_away": p.get("walk_away")}
        else:
            issue["scores"][p["party"]] = {k: v for k, v in p.items() if k not in ("issue", "party")}
    return Session.model_validate(doc)


def check_party_refs(meta: Mapping[str, Any], obj: Any) -> None:
    """An item names only this session's parties (audience, raised by, ratings, positions)."""
    parties = [p["id"] for p in meta["parties"]]
    allowed = [JOINT, FACILITATOR, *parties]
    if obj.audience not in allowed:
        raise InputError(_("audience '{audience}' is not allowed; use one of {allowed}").format(
                           audience=obj.audience, allowed=', '.join(allowed)))
    if isinstance(obj, Goal):
        if obj.raised_by not in parties:
            raise InputError(_("raised_by '{raised_by}' is not a party; use one of {parties}").format(
                               raised_by=obj.raised_by, parties=', '.join(parties)))
        for pid in obj.ratings:
            if pid not in parties:
                raise InputError(_("ratings has '{pid}', which is not a party; use one of {parties}").format(
                                   pid=pid, parties=', '.join(parties)))
    for field in ("positions", "scores"):
        if isinstance(obj, (NumericIssue, OptionIssue)):
            for pid in getattr(obj, field, {}):
                if pid not in parties:
                    raise InputError(_("{field} has '{pid}', which is not a party; use one of {parties}").format(
                                       field=field, pid=pid, parties=', '.join(parties)))
