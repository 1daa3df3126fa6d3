"""Negotiation cases in GENIUS's XML (the format of the ANAC competitions, read by negmas).

A case is a **domain** (the issues and their values) and one **utility profile** per party
(for each issue a weight, and an evaluation of each value or a linear evaluator; a
reservation value). :func:`read_case` makes a session of them; :func:`write_case` writes a
session back.

**Reading.** One party per profile, named after the profile's file name (its stem; the id
is that name in lower case, as a slug). A *discrete* issue becomes an option issue (each
value an option, its label the value); a party's evaluations become its scores, scaled to
0..100 so that its best option scores 100 (GENIUS divides each evaluation by the issue's
largest, so the scaling keeps every utility), the issue's weight its weight. An *integer*
or *real* issue with a *linear* evaluator becomes a numeric issue: the party's ideal is the
end of the range its evaluator rises to, its walk-away the other end (a flat evaluator: no
position). The profile's ``reservation`` is the party's reservation value. Anything else (a
nonlinear utility space, another evaluator, another issue type, a profile whose issues are
not the domain's) is refused with one line naming it.

**Safe parsing.** Files are read up to :data:`MAX_BYTES` and parsed with ``defusedxml``
with document types refused: entity expansion (billion laughs), external entities and
malformed XML each get one line naming the file, and nothing is made.

**Writing** gives the domain and one profile per party (each option's score as its
evaluation, the party's weight, its reservation value), with GENIUS's additive
convention. What GENIUS cannot hold is left out and said: goals, agreements, actions and
notes, options a party cannot accept, and a numeric issue's weight (pmkit weighs numeric
issues alike; each is written with weight 1).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - used to build XML only; parsing is defusedxml's
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from pmkit.errors import InputError
from pmkit.formats.files import read_bounded
from pmkit.i18n import N_, _, ngettext
from pmkit.model import Session, parse_session
from pmkit.text import count, number

__all__ = ["MAX_BYTES", "Case", "parse_xml", "read_case", "write_case"]

MAX_BYTES = 2 * 1024 * 1024
DISCRETE, INTEGER, REAL = "discrete", "integer", "real"


@dataclass(frozen=True)
class Case:
    """A case written out: file name -> XML text (the domain first), and what was left out."""

    files: dict[str, str]
    left_out: tuple[str, ...]


def parse_xml(raw: bytes, where: str) -> ET.Element:
    """The root element of untrusted XML ``raw``, or one :class:`InputError` line naming ``where``."""
    if len(raw) > MAX_BYTES:
        raise InputError(_("{where}: {n} bytes is larger than the {limit} allowed").format(
            where=where, n=count(len(raw)), limit=count(MAX_BYTES)))
    try:
        root: ET.Element = SafeET.fromstring(raw, forbid_dtd=True)
    except defusedxml.DTDForbidden:
        raise InputError(_(
            "{where}: refused: the XML declares a document type (DTD), which can define entities; GENIUS "
                           "files have none").format(where=where)) from None
    except defusedxml.EntitiesForbidden:
        raise InputError(_("{where}: refused: the XML defines entities (entity expansion)").format(
            where=where)) from None
    except defusedxml.ExternalReferenceForbidden:
        raise InputError(_("{where}: refused: the XML refers to an external entity or file").format(
            where=where)) from None
    except ET.ParseError as exc:
        raise InputError(_("{where}: not well-formed XML: {exc}").format(where=where, exc=exc)) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(_("{where}: not readable XML: {exc}").format(where=where, exc=exc)) from None
    return root


def _objective(root: ET.Element, where: str) -> ET.Element:
    space = root if root.tag == "utility_space" else root.find("utility_space")
    objective = None if space is None else space.find("objective")
    if space is None or objective is None:
        raise InputError(_("{where}: no <utility_space> with an <objective>; not a GENIUS domain or profile").format(
            where=where))
    if space.get("type", "") not in ("", "linear") or space.find(".//hyperRectangle") is not None:
        raise InputError(_(
            "{where}: a nonlinear utility space (type {value}) is not supported; pmkit reads linear additive "
                           "profiles").format(where=where, value=repr(space.get('type'))))
    return objective


def _kind(issue: ET.Element) -> str:
    return str(issue.get("type") or issue.get("etype") or issue.get("vtype") or "").lower()


def _number(value: str | None, where: str) -> float:
    try:
        v = float(value if value is not None else "")
    except ValueError:
        raise InputError(_("{where}: {value} is not a number").format(where=where, value=repr(value))) from None
    if v != v or v in (float("inf"), float("-inf")):
        raise InputError(_("{where}: {value} is not a finite number").format(where=where, value=repr(value)))
    return v


def _bounds(issue: ET.Element, where: str) -> tuple[float, float]:
    rng = issue.find("range")
    src = rng if rng is not None else issue
    lo = _number(src.get("lowerbound"), f"{where}, lowerbound")
    hi = _number(src.get("upperbound"), f"{where}, upperbound")
    if hi < lo:
        raise InputError(_("{where}: upperbound {hi} is below lowerbound {lo}").format(
            where=where, hi=number(hi), lo=number(lo)))
    return lo, hi


def _slug(text: str, *, lower: bool = False, first: str = "x") -> str:
    s = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.lower() if lower else text).strip("-._")[:60]
    return s if s and s[0].isalnum() else f"{first}-{s}".rstrip("-")


def _unique(ids: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
        out.append(i if seen[i] == 1 else f"{i}-{seen[i]}")
    return out


def party_id(stem: str) -> str:
    """A party id made from a profile's file name: lower case, a slug, starting with a letter."""
    s = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    return (s if s[:1].isalpha() else f"p-{s}".rstrip("-"))[:32]


def _domain_issues(objective: ET.Element, where: str) -> list[dict[str, Any]]:
    issues = []
    for el in objective.iter("issue"):
        name = str(el.get("name") or "").strip()
        label = f"{where}, issue {name or el.get('index')!r}"
        kind = _kind(el)
        issue: dict[str, Any] = {"index": el.get("index"), "name": name, "kind": kind}
        if not name:
            raise InputError(_("{label}: has no name").format(label=label))
        if kind == DISCRETE:
            values = [str(item.get("value") or "") for item in el.findall("item")]
            if not 2 <= len(values) <= 50 or any(not v.strip() for v in values):
                raise InputError(_("{label}: a discrete issue needs 2 to 50 values, each with a value; got {n}").format(
                    label=label, n=len(values)))
            issue["values"] = values
        elif kind in (INTEGER, REAL):
            issue["bounds"] = _bounds(el, label)
        else:
            raise InputError(_(
                "{label}: type {kind} is not supported; pmkit reads discrete, integer and real issues").format(
                    label=label, kind=repr(kind)))
        issues.append(issue)
    if not issues:
        raise InputError(_("{where}: the domain has no issues").format(where=where))
    return issues


def _profile(raw: bytes, where: str, domain: list[dict[str, Any]]) -> tuple[list[Any], list[float], float | None]:
    """A profile's evaluation per domain issue (a list of evaluations, or the linear slope),
    its weights, and its reservation value."""
    root = parse_xml(raw, where)
    objective = _objective(root, where)
    found = {str(el.get("index")): el for el in objective.iter("issue")}
    weights = {str(w.get("index")): _number(w.get("value"), f"{where}, weight {w.get('index')}")
               for w in objective.findall("weight")}
    evals: list[Any] = []
    out_weights: list[float] = []
    for issue in domain:
        label = f"{where}, issue {issue['name']!r}"
        el = found.get(str(issue["index"]))
        if el is None or str(el.get("name") or "").strip() != issue["name"]:
            raise InputError(_(
                "{label}: not in the profile (with index {issue}); the profile is not for this domain").format(
                    label=label, issue=issue['index']))
        weight = weights.get(str(issue["index"]), 0.0)
        if weight < 0:
            raise InputError(_("{label}: weight {weight} is negative").format(label=label, weight=number(weight)))
        out_weights.append(weight)
        if issue["kind"] == DISCRETE:
            by_value = {str(i.get("value") or ""): _number(i.get("evaluation", "0"), f"{label}, evaluation")
                        for i in el.findall("item")}
            if any(v < 0 for v in by_value.values()):
                raise InputError(_("{label}: a negative evaluation is not supported").format(label=label))
            evals.append([by_value.get(v, 0.0) for v in issue["values"]])
            continue
        ev = el.find("evaluator")
        ftype = "" if ev is None else str(ev.get("ftype") or "").lower()
        if ev is None or ftype != "linear":
            raise InputError(_(
                "{label}: evaluator {ftype} is not supported; pmkit reads linear evaluators of integer and real "
                               "issues").format(label=label, ftype=repr(ftype or 'missing')))
        evals.append(_number(ev.get("slope", ev.get("parameter1")), f"{label}, slope"))
    res = root.find(".//reservation")
    reservation = None if res is None else _number(res.get("value"), f"{where}, reservation")
    if reservation is not None and not 0 <= reservation <= 1:
        raise InputError(_("{where}: reservation value {reservation} is not between 0 and 1").format(
            where=where, reservation=number(reservation)))
    return evals, out_weights, reservation


def read_case(domain_path: str | Path, profile_paths: Sequence[str | Path]) -> Session:
    """The session of a GENIUS domain and one profile per party (see the module)."""
    if not profile_paths:
        raise InputError(_("a GENIUS case needs one utility profile per party: --profile FILE, once per party"))
    domain_raw = read_bounded(domain_path, N_("GENIUS domain"), MAX_BYTES)
    domain = _domain_issues(_objective(parse_xml(domain_raw, str(domain_path)), str(domain_path)), str(domain_path))
    stems = [Path(p).stem for p in profile_paths]
    ids = [party_id(s) for s in stems]
    if len(set(ids)) != len(ids):
        raise InputError(_("two profiles make the same party ({ids}); give each party's file its own name").format(
            ids=', '.join(ids)))
    profiles = [_profile(read_bounded(p, N_("GENIUS profile"), MAX_BYTES), str(p), domain) for p in profile_paths]
    doc: dict[str, Any] = {
        "title": re.sub(r"[-_ ]?domain$", "", Path(domain_path).stem, flags=re.IGNORECASE) or Path(domain_path).stem,
        "parties": [{"id": pid, "name": stem, "reservation": prof[2]} for pid, stem, prof in
                    zip(ids, stems, profiles, strict=True)],
        "issues": [], "option_issues": [],
    }
    issue_ids = _unique([_slug(i["name"], lower=True, first="issue") for i in domain])
    for n, (issue, iid) in enumerate(zip(domain, issue_ids, strict=True)):
        if issue["kind"] == DISCRETE:
            option_ids = _unique([_slug(v, first="option") for v in issue["values"]])
            scores = {}
            for pid, (evals, weights, _r) in zip(ids, profiles, strict=True):
                best = max(evals[n])
                scale = 100.0 / best if best > 0 else 0.0  # a best of 100 stays: scores written back read the same
                scores[pid] = {"scores": {o: (e if best == 100 else min(100.0, e * scale))
                                          for o, e in zip(option_ids, evals[n], strict=True)},
                               "weight": weights[n]}
            doc["option_issues"].append({"id": iid, "title": issue["name"], "scores": scores, "options": [
                {"id": o, "label": v} for o, v in zip(option_ids, issue["values"], strict=True)]})
        else:
            lo, hi = issue["bounds"]
            positions = {pid: ({"ideal": hi, "walk_away": lo} if evals[n] > 0 else {"ideal": lo, "walk_away": hi})
                         for pid, (evals, _w, _r) in zip(ids, profiles, strict=True) if evals[n] != 0}
            doc["issues"].append({"id": iid, "title": issue["name"], "positions": positions})
    return parse_session(doc)


def _el(parent: ET.Element, tag: str, **attrs: Any) -> ET.Element:
    return ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})


def _space(top: ET.Element | None = None) -> tuple[ET.Element, ET.Element, ET.Element]:
    space = ET.Element("utility_space") if top is None else _el(top, "utility_space")
    objective = _el(space, "objective", index=0, description="", name="root", type="objective", etype="objective")
    return (top if top is not None else space), space, objective


def _text(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _file_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_. -]+", "-", text).strip(" .-") or "case"


def write_case(session: Session) -> Case:
    """The session's issues and option issues as a GENIUS domain and one profile per party
    (the facilitator's view: it holds every party's scores)."""
    if not session.option_issues and not session.issues:
        raise InputError(_("the session has no numeric issue and no option issue; GENIUS has nothing to hold"))
    domain_root, domain_space, domain_obj = _space(ET.Element("negotiation_template"))
    profiles = {p.id: _space() for p in session.parties}
    n = 0
    for oi in session.option_issues:
        n += 1
        head = {"index": n, "name": oi.title, "vtype": DISCRETE, "type": DISCRETE, "etype": DISCRETE}
        issue = _el(domain_obj, "issue", **head)
        for k, o in enumerate(oi.options, 1):
            _el(issue, "item", index=k, value=o.label)
        for pid, (_root, _space_el, obj) in profiles.items():
            s = oi.scores.get(pid)
            mine = _el(obj, "issue", **head)
            for k, o in enumerate(oi.options, 1):
                _el(mine, "item", index=k, value=o.label, evaluation=repr(s.scores.get(o.id, 0.0) if s else 0.0))
    for ni in session.issues:
        n += 1
        values = [v for p in ni.positions.values() for v in (p.ideal, p.walk_away) if v is not None]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        hi = hi if hi > lo else lo + 1
        head = {"index": n, "name": ni.title, "vtype": REAL, "type": REAL, "etype": REAL}
        _el(_el(domain_obj, "issue", **head), "range", lowerbound=repr(lo), upperbound=repr(hi))
        for pid, (_root, _space_el, obj) in profiles.items():
            mine = _el(obj, "issue", **head)
            _el(mine, "range", lowerbound=repr(lo), upperbound=repr(hi))
            pos = ni.positions.get(pid)
            if pos is None:
                slope = 0.0
            else:
                worst = pos.walk_away if pos.walk_away is not None and pos.walk_away != pos.ideal else (
                    lo if pos.ideal >= (lo + hi) / 2 else hi)
                slope = 1 / (pos.ideal - worst)
            _el(mine, "evaluator", ftype="linear", slope=repr(slope), offset=repr(0.0))
    for party in session.parties:
        root, space, obj = profiles[party.id]
        k = 0
        for oi in session.option_issues:
            k += 1
            s = oi.scores.get(party.id)
            _el(obj, "weight", index=k, value=repr(s.weight if s else 0.0))
        for ni in session.issues:
            k += 1
            _el(obj, "weight", index=k, value=repr(1.0 if party.id in ni.positions else 0.0))
        if party.reservation is not None:
            _el(space, "reservation", value=repr(party.reservation))
    domain_space.set("number_of_issues", str(n))
    names = {p.id: _file_stem(p.name) for p in session.parties}
    if len(set(names.values())) != len(names):
        names = {p.id: p.id for p in session.parties}
    files = {f"{_file_stem(session.title)}-domain.xml": _text(domain_root)}
    files.update({f"{names[pid]}.xml": _text(root) for pid, (root, _s, _o) in profiles.items()})
    left: list[str] = []
    goals, agreements, actions, notes = (len(session.goals), len(session.agreements), len(session.actions),
                                         len(session.notes))
    for n, text in ((goals, ngettext("{n} goal", "{n} goals", goals)),
                    (agreements, ngettext("{n} agreement", "{n} agreements", agreements)),
                    (actions, ngettext("{n} action", "{n} actions", actions)),
                    (notes, ngettext("{n} note", "{n} notes", notes))):
        if n:
            left.append(text.format(n=n))
    unacceptable = sum(len(s.unacceptable) for oi in session.option_issues for s in oi.scores.values())
    if unacceptable:
        left.append(_("{unacceptable} option(s) a party cannot accept").format(unacceptable=unacceptable))
    return Case(files, tuple(left))
