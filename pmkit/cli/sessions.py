"""The session verbs of the ``pmkit`` command line: templates, new, import, check, list, show,
title, export, schema and settings; and :func:`print_summary`, the terminal summary that ``show``
and ``demo --no-serve`` print."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from pmkit import settings
from pmkit.analytics.overlap import LOW_PRIORITY, SHARED, analyze
from pmkit.cli.base import (
    args,
    command,
    error_line,
    file_arg,
    json_arg,
    out,
    print_records,
    session_arg,
    session_role_args,
    workspace,
    write_output,
)
from pmkit.errors import InputError, InvalidSession
from pmkit.formats.files import atomic_write
from pmkit.formats.genius import read_case, write_case
from pmkit.formats.yaml_file import read_session_file
from pmkit.i18n import N_, _, check_language, current, use
from pmkit.model import FACILITATOR, NumericIssue, Session, parse_session
from pmkit.resources import starter_names, starter_path
from pmkit.rules.echo_check import echo_line, find_echoes
from pmkit.store import Workspace
from pmkit.text import alignment, day, number

__all__ = ["ECHOES", "MAX_PROBLEMS", "print_summary"]

# the summary's words for the model's values (the values stay as stored in --json)
_WORDS = {"support": N_("support"), "neutral": N_("neutral"), "oppose": N_("oppose"), "agreement": N_("agreement"),
          "decision": N_("decision"), "open": N_("open"), "done": N_("done"), "dropped": N_("dropped"),
          SHARED: N_("shared priority"), LOW_PRIORITY: N_("low priority")}

MAX_PROBLEMS = 50  # `pmkit check` lists at most this many problems of a file
ECHOES = 3  # `pmkit check`'s exit code for a valid file whose shared texts echo withheld items


@command("templates", N_("list the session starters, one per line: NAME<TAB>TITLE"))
def _templates(ns: argparse.Namespace) -> int:
    for name in starter_names():
        s = read_session_file(starter_path(name))
        out(f"{name}\t{s.title}")
    return 0


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("title", help=_("the new session's title"))
    p.add_argument("--template", "-t", metavar="NAME", help=_("start from this starter (see `pmkit templates`)"))


@command("new", N_("create a session (optionally from a starter); prints its id last"))
@args(_new_args)
def _new(ns: argparse.Namespace) -> int:
    if ns.template:
        data = read_session_file(starter_path(ns.template)).model_dump()
        data["title"] = ns.title
        session = parse_session(data)
    else:
        session = parse_session({"title": ns.title})
    with workspace(ns) as ws:
        sid = ws.sessions.create(session)
    out(_("created {session}").format(session=sid))
    return 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("a session file: YAML, or a spreadsheet (.xlsx, .csv) in pmkit's layout, or a "
                                  "GENIUS domain (.xml) with --profile"))
    p.add_argument("--profile", metavar="PROFILE.xml", action="append", default=[],
                   help=_("(GENIUS) one party's utility profile, once per party; the party is named after the file"))
    p.add_argument("--into", metavar="SESSION", help=_("(spreadsheets) apply the file's ratings and positions, of "
                                                       "parties and of participants, to this session instead of "
                                                       "creating one"))


@command("import", N_("import a session file (YAML, xlsx or csv) or a GENIUS case (domain and profiles); prints the "
                      "new session's id last"))
@args(_import_args)
def _import(ns: argparse.Namespace) -> int:
    if str(ns.file).lower().endswith(".xml") or ns.profile:
        if ns.into:
            raise InputError(_("--into SESSION reads a spreadsheet; a GENIUS case is imported as a new session"))
        session = read_case(ns.file, ns.profile)
        with workspace(ns) as ws:
            sid = ws.sessions.create(session, source="import")
        out(_("imported {session}").format(session=sid))
        return 0
    if str(ns.file).lower().endswith((".xlsx", ".csv")):
        from pmkit.reports.spreadsheets import import_sheet

        with workspace(ns) as ws:
            done = import_sheet(ws, ns.file, ns.into)
        if done.created:
            out(_("imported {participants} participant(s) and {inputs} of their rating(s) and position(s) into "
                  "{session}").format(participants=done.participants, inputs=done.inputs, session=done.session_id))
        else:
            out(_("applied {inputs} change(s) to {session}").format(inputs=done.inputs, session=done.session_id))
        return 0
    if ns.into:
        raise InputError(_("--into SESSION reads a spreadsheet (.xlsx or .csv); import a YAML file as a new session"))
    session = read_session_file(ns.file)
    with workspace(ns) as ws:
        sid = ws.sessions.create(session, source="import")
    out(_("imported {session}").format(session=sid))
    return 0


def _check_args(p: argparse.ArgumentParser) -> None:
    file_arg(p)
    json_arg(p)


@command("check", N_("validate a YAML session file without importing it and run the disclosure check (exit 0 valid, "
                     "2 invalid, 3 valid with echoes: one line per echo)"))
@args(_check_args)
def _check(ns: argparse.Namespace) -> int:
    try:
        s = read_session_file(ns.file)
    except InvalidSession as exc:
        if len(exc.problems) < 2:
            raise  # one problem: the command line's own error line says it
        for problem in exc.problems[:MAX_PROBLEMS]:  # every problem, one line each
            error_line(f"{exc.source or ns.file}: {problem}")
        return 2
    echoes = find_echoes(s)
    counts = _("{parties} parties, {goals} goals, {issues} issues").format(
        parties=len(s.parties), goals=len(s.goals), issues=len(s.issues))
    counts += _(", {n} option issues").format(n=len(s.option_issues)) if s.option_issues else ""
    if ns.json:
        print(json.dumps({"file": str(ns.file), "valid": True, "parties": len(s.parties), "goals": len(s.goals),
                          "issues": len(s.issues), "echoes": [asdict(e) for e in echoes]}, ensure_ascii=False))
    else:
        for e in echoes:
            out(echo_line(e, s))
        out(_("ok {file}: {counts}").format(file=ns.file, counts=counts) if not echoes else
            _("valid {file}: {counts}; {n} echo(es): a text an audience sees shares a word or number with an item "
              "it may not see").format(file=ns.file, counts=counts, n=len(echoes)))
    return ECHOES if echoes else 0


@command("list", N_("list the sessions: ID<TAB>VERSION<TAB>UPDATED<TAB>TITLE"))
@args(json_arg)
def _list(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        sessions = ws.sessions.all()
    print_records(sessions, ns.json, lambda info: f"{info.id}\t{info.version}\t{info.updated_at}\t{info.title}")
    return 0


def _title_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("--working", metavar="TEXT", default=None, help=_("set the working title (the facilitator's)"))
    p.add_argument("--everyone", metavar="TEXT", default=None,
                   help=_("set the title for everyone (parties, the room, minutes); '' for the neutral default"))


@command("title", N_("a session's two titles: working<TAB>TITLE and everyone<TAB>TITLE; --working, --everyone set "
                     "them"))
@args(_title_args)
def _title(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        if ns.working is not None or ns.everyone is not None:
            ws.sessions.set_titles(ns.session, title=ns.working, joint_title=ns.everyone, role=FACILITATOR)
        s = ws.sessions.load(ns.session, FACILITATOR)
    out(f"working\t{s.title}")
    out(f"everyone\t{s.title_for_everyone}")
    return 0


def _show_args(p: argparse.ArgumentParser) -> None:
    session_role_args(p)
    json_arg(p)
    p.add_argument("--weight", type=float, default=0.5,
                   help=_("weight on the first party (customer) against the second, 0-1 (default 0.5)"))


@command("show", N_("a terminal summary of a session as ROLE sees it"))
@args(_show_args)
def _show(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        print_summary(ws, ns.session, ns.role, weight=ns.weight, as_json=ns.json)
    return 0


def print_summary(ws: Workspace, session_id: str, role: str, *, weight: float = 0.5, as_json: bool = False) -> None:
    """Print session ``session_id`` as ``role`` sees it: the analysis at ``weight`` and every
    item, one per line (or one JSON object)."""
    info = ws.sessions.info(session_id)
    s = ws.sessions.load(session_id, role)
    o = analyze(s, weight=weight)
    echoes = find_echoes(s) if role == FACILITATOR else ()  # the facilitator's alone: they name withheld items
    if as_json:
        data = {"session": info.id, "version": info.version, "role": role, "title": s.title, "analysis": asdict(o)}
        if role == FACILITATOR:
            data["echoes"] = [asdict(e) for e in echoes]
        print(json.dumps(data, ensure_ascii=False))
        return
    a, b = o.pair
    audiences = {g.id: g.audience for g in s.goals}
    out(f"{s.title}")
    out(_("session {session}  version {version}  as {role}").format(session=info.id, version=info.version, role=role))
    out(_("alignment {alignment} / 100").format(alignment=alignment(o.alignment)))
    out(_("quadrants") + " " + " | ".join(f"{_quadrant(name)} {n}" for name, n in o.quadrant_counts))
    for name, _n in o.quadrant_counts:
        for p in o.quadrant(name):
            out(f"  [{_quadrant(name)}] {p.title}  ({a} {_fmt_rating(p.importance_a, p.stance_a)}, "
                f"{b} {_fmt_rating(p.importance_b, p.stance_b)}){_aud(audiences[p.goal_id])}")
    _section(_("common ground"), [f"+ {p.title}" for p in o.common_ground])
    _section(_("conflicts"), [f"! {c.title}  ({c.party_a} {_word(c.stance_a)} {c.importance_a}, "
                              f"{c.party_b} {_word(c.stance_b)} {c.importance_b})" for c in o.conflicts])
    _section(_("blind spots"), [f"? {bs.title}  " + _("(raised by {party}, not rated by {parties})").format(
        party=bs.raised_by, parties=", ".join(bs.unrated_by)) for bs in o.blind_spots])
    _section(_("issues"), [f"# {issue.title} [{issue.unit}]  {_positions(issue)}{_aud(issue.audience)}"
                           + ("  " + _("probe step {step}").format(step=_num(issue.probe_step))
                              if role == FACILITATOR else "")
                           for issue in s.issues])
    _section(_("agreements"), [f"= {_word(ag.kind)}: {ag.text}{_aud(ag.audience)}" for ag in s.agreements])
    _section(_("actions"), [f"> {ac.title}  " + _("owner {owner}  due {due}").format(
        owner=ac.owner or "-", due=day(ac.due) if ac.due else "-") + f"  {_word(ac.status)}{_aud(ac.audience)}"
        for ac in s.actions])
    _section(_("notes"), [f"* {n.text}{_aud(n.audience)}" for n in s.notes])
    if role == FACILITATOR:
        _section(_("echoes"), [echo_line(e, s) for e in echoes])


def _section(name: str, lines: list[str]) -> None:
    """A heading with the count, then one indented line per item."""
    out(f"{name} {len(lines)}")
    for line in lines:
        out(f"  {line}")


def _positions(issue: NumericIssue) -> str:
    return "; ".join(
        _("{party} ideal {ideal}").format(party=party, ideal=_num(p.ideal))
        + (_(", walk-away {value}").format(value=_num(p.walk_away)) if p.walk_away is not None else "")
        for party, p in issue.positions.items()
    )


def _aud(audience: str) -> str:
    return "" if audience == "joint" else "  [" + _("{audience} only").format(audience=audience) + "]"


def _fmt_rating(importance: int | None, stance: str | None) -> str:
    return _("unrated") if importance is None else f"{importance} {_word(stance)}"


def _word(value: str | None) -> str:
    """A model value (a stance, a kind, a status) in the reader's language."""
    return _(_WORDS[value]) if value in _WORDS else str(value)


def _quadrant(name: str) -> str:
    """A quadrant's name in the reader's language (``{party}-driven`` names the party)."""
    if name in _WORDS:
        return _(_WORDS[name])
    party, dash, rest = name.rpartition("-")
    return _("{party}-driven").format(party=party) if dash and rest == "driven" else name


def _num(x: float | None) -> str:
    return number(x, missing="-")


def _export_args(p: argparse.ArgumentParser) -> None:
    session_role_args(p)
    p.add_argument("--format", "-f", default="yaml", choices=["yaml", "html", "md", "pdf", "xlsx", "csv", "genius"],
                   help=_("yaml: the session; html, md, pdf: ROLE's report (minutes, management brief or "
                          "facilitator's record); xlsx, csv: the session as tables, with the participants' own "
                          "ratings ROLE may see; genius: the issues as a GENIUS domain and one profile per party "
                          "(the facilitator's only), in the folder --output names"))
    p.add_argument("-o", "--output", metavar="PATH",
                   help=_("write here (default: stdout for yaml, else <workspace>/exports/SESSION-ROLE.EXT); never "
                          "inside the served notebooks folder"))
    p.add_argument("--lang", dest="out_lang", metavar="LANG", default=None,
                   help=_("the report's language (en, de, fr; default: the command line's, see `pmkit --lang`)"))


@command("export", N_("export a session as ROLE sees it: YAML, ROLE's report (HTML, Markdown, PDF), or a spreadsheet "
                      "(xlsx, csv)"))
@args(_export_args)
def _export(ns: argparse.Namespace) -> int:
    from pmkit.reports.exports import export

    try:
        lang = check_language(ns.out_lang) if ns.out_lang else current()
    except ValueError as exc:
        raise InputError(_("--lang: {exc}").format(exc=exc)) from None
    with workspace(ns) as ws, use(lang):
        if ns.format == "yaml" and not ns.output:
            write_output(ws.sessions.export_yaml(ns.session, ns.role), None)
            return 0
        if ns.format == "genius":
            return _export_genius(ws, ns)
        done = export(ws, ns.session, ns.role, ns.format, ns.output)
    for path in done.files:
        out(_("wrote {path}").format(path=path))
    return 0


@command("schema", N_("print the JSON Schema of the session YAML format"))
def _schema(ns: argparse.Namespace) -> int:
    print(json.dumps(Session.model_json_schema(), indent=2))
    return 0


@command("settings", N_("list the settings: NAME<TAB>VALUE<TAB>ENV VAR<TAB>HELP"))
def _settings(ns: argparse.Namespace) -> int:
    for s in settings.SETTINGS:
        out(f"{s.name}\t{settings.shown(s.name, settings.get(s.name))}\t{s.env}\t{s.help}")
    return 0


def _export_genius(ws: Workspace, ns: argparse.Namespace) -> int:
    """Write the session's GENIUS case into a folder (the facilitator's export only)."""
    from pmkit.reports.exports import check_destination, exports_dir

    if ns.role != FACILITATOR:
        raise InputError(_("a GENIUS case holds every party's private scores: the facilitator exports it, not {role}")
                           .format(role=ns.role))
    case = write_case(ws.sessions.load(ns.session, FACILITATOR))
    folder = Path(ns.output) if ns.output else exports_dir(ws) / f"{ns.session}-genius"
    check_destination(folder / "x.xml")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, text in case.files.items():
        out(_("wrote {path}").format(path=atomic_write(folder / name, text)))
    if case.left_out:
        out(_("left out (GENIUS has no place for them): {items}").format(items="; ".join(case.left_out)))
    return 0
