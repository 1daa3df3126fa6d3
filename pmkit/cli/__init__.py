"""The ``pmkit`` command line. Machine-friendly: one record per line, ``--json`` where the
output is structured. Every :class:`~pmkit.errors.PmkitError` becomes one line on stderr
and exit code 2; nothing is written when input is bad.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pmkit import __version__, settings
from pmkit.analytics.overlap import analyze
from pmkit.errors import InputError, PmkitError, one_line
from pmkit.model import FACILITATOR, Session
from pmkit.resources import starter_names, starter_path
from pmkit.store import Workspace
from pmkit.yamlio import read_session_file

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def command(name: str, help: str) -> Callable[[Handler], Handler]:
    """Register ``pmkit NAME``; the handler's ``args`` function adds its options."""

    def deco(fn: Handler) -> Handler:
        setup = getattr(fn, "_setup", lambda p: None)
        _COMMANDS[name] = (fn, setup, help)
        return fn

    return deco


def args(setup: Callable[[argparse.ArgumentParser], None]) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        fn._setup = setup  # type: ignore[attr-defined]
        return fn

    return deco


def clean(text: object) -> str:
    """Text safe for a terminal: control characters (escape sequences) become '?'."""
    return _CONTROL.sub("?", str(text))


def out(line: object = "") -> None:
    print(clean(line))


def _workspace(ns: argparse.Namespace) -> Workspace:
    return Workspace(ns.workspace)


def write_output(text: str | bytes, path: str | None) -> None:
    """Write to ``path`` atomically (a crash never leaves half a file), or to stdout."""
    if path is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name with -o")
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: no such folder")
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- verbs --------------------------------------------------------------------------------
@command("templates", "list the session starters, one per line: NAME<TAB>TITLE")
def _templates(ns: argparse.Namespace) -> int:
    for name in starter_names():
        s = read_session_file(starter_path(name))
        out(f"{name}\t{s.title}")
    return 0


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("title", help="the new session's title")
    p.add_argument("--template", "-t", metavar="NAME", help="start from this starter (see `pmkit templates`)")


@command("new", "create a session (optionally from a starter); prints its id last")
@args(_new_args)
def _new(ns: argparse.Namespace) -> int:
    if ns.template:
        data = read_session_file(starter_path(ns.template)).model_dump()
        data["title"] = ns.title
        session = _session_or_error(data)
    else:
        session = _session_or_error({"title": ns.title})
    with _workspace(ns) as ws:
        sid = ws.create(session)
    out(f"created {sid}")
    return 0


def _session_or_error(data: dict[str, Any]) -> Session:
    from pmkit.model import parse_session

    return parse_session(data)


def _file_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a session file in YAML")


@command("import", "import a YAML session file; prints the new session's id last")
@args(_file_arg)
def _import(ns: argparse.Namespace) -> int:
    session = read_session_file(ns.file)
    with _workspace(ns) as ws:
        sid = ws.create(session, source="import")
    out(f"imported {sid}")
    return 0


@command("check", "validate a YAML session file without importing it (exit 0 valid, 2 invalid)")
@args(_file_arg)
def _check(ns: argparse.Namespace) -> int:
    try:
        s = read_session_file(ns.file)
    except InputError as exc:
        problems = getattr(exc, "problems", None)
        if problems and len(problems) > 1:
            for line in problems[:50]:
                print(f"pmkit: error: {ns.file}: {clean(line)}", file=sys.stderr)
            return 2
        raise
    out(f"ok {ns.file}: {len(s.parties)} parties, {len(s.goals)} goals, {len(s.issues)} issues")
    return 0


def _json_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object per line")


@command("list", "list the sessions: ID<TAB>VERSION<TAB>UPDATED<TAB>TITLE")
@args(_json_arg)
def _list(ns: argparse.Namespace) -> int:
    with _workspace(ns) as ws:
        for info in ws.sessions():
            if ns.json:
                print(json.dumps(asdict(info), ensure_ascii=False))
            else:
                out(f"{info.id}\t{info.version}\t{info.updated_at}\t{info.title}")
    return 0


def _session_role_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("session", help="session id (see `pmkit list`)")
    p.add_argument("--as", dest="role", default=FACILITATOR, metavar="ROLE",
                   help="show only what this role may see (default: facilitator)")


def _show_args(p: argparse.ArgumentParser) -> None:
    _session_role_args(p)
    _json_arg(p)
    p.add_argument("--weight", type=float, default=0.5,
                   help="weight on the first party (customer) against the second, 0-1 (default 0.5)")


@command("show", "a terminal summary of a session as ROLE sees it")
@args(_show_args)
def _show(ns: argparse.Namespace) -> int:
    with _workspace(ns) as ws:
        info = ws.info(ns.session)
        s = ws.load(ns.session, ns.role)
    o = analyze(s, weight=ns.weight)
    if ns.json:
        print(json.dumps({"session": info.id, "version": info.version, "role": ns.role,
                          "title": s.title, "analysis": asdict(o)}, ensure_ascii=False))
        return 0
    a, b = o.pair
    audiences = {g.id: g.audience for g in s.goals}
    out(f"{s.title}")
    out(f"session {info.id}  version {info.version}  as {ns.role}")
    out(f"alignment {'n/a' if o.alignment is None else f'{o.alignment:.1f}'} / 100")
    out("quadrants " + " | ".join(f"{name} {n}" for name, n in o.quadrant_counts))
    for name, _n in o.quadrant_counts:
        for p in o.quadrant(name):
            out(f"  [{name}] {p.title}  ({a} {_fmt_rating(p.importance_a, p.stance_a)}, "
                f"{b} {_fmt_rating(p.importance_b, p.stance_b)}){_aud(audiences[p.goal_id])}")
    out(f"common ground {len(o.common_ground)}")
    for p in o.common_ground:
        out(f"  + {p.title}")
    out(f"conflicts {len(o.conflicts)}")
    for c in o.conflicts:
        out(f"  ! {c.title}  ({c.party_a} {c.stance_a} {c.importance_a}, {c.party_b} {c.stance_b} {c.importance_b})")
    out(f"blind spots {len(o.blind_spots)}")
    for bs in o.blind_spots:
        out(f"  ? {bs.title}  (raised by {bs.raised_by}, not rated by {', '.join(bs.unrated_by)})")
    out(f"issues {len(s.issues)}")
    for issue in s.issues:
        pos = "; ".join(
            f"{party} ideal {_num(p.ideal)}" + (f", walk-away {_num(p.walk_away)}" if p.walk_away is not None else "")
            for party, p in issue.positions.items()
        )
        out(f"  # {issue.title} [{issue.unit}]  {pos}{_aud(issue.audience)}")
    out(f"agreements {len(s.agreements)}")
    for ag in s.agreements:
        out(f"  = {ag.kind}: {ag.text}{_aud(ag.audience)}")
    out(f"actions {len(s.actions)}")
    for ac in s.actions:
        out(f"  > {ac.title}  owner {ac.owner or '-'}  due {ac.due or '-'}  {ac.status}{_aud(ac.audience)}")
    out(f"notes {len(s.notes)}")
    for n in s.notes:
        out(f"  * {n.text}{_aud(n.audience)}")
    return 0


def _aud(audience: str) -> str:
    return "" if audience == "joint" else f"  [{audience} only]"


def _fmt_rating(importance: int | None, stance: str | None) -> str:
    return "unrated" if importance is None else f"{importance} {stance}"


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _analyze_args(p: argparse.ArgumentParser) -> None:
    _session_role_args(p)
    _json_arg(p)
    p.add_argument("--top", "-k", type=int, default=3, metavar="K", help="size of the top for whom-to-please (3)")
    p.add_argument("--points", type=int, default=11, help="values per numeric issue for packages (11)")
    p.add_argument("--probe", metavar="ISSUE=VALUE",
                   help="what-if: would VALUE on ISSUE be acceptable to the other side? (counts against "
                        "ROLE's budget of questions on that issue)")


@command("analyze", "decision analytics as ROLE may see them: whom to please, bargaining ranges, "
                    "packages and (facilitator) the risk read-out")
@args(_analyze_args)
def _analyze(ns: argparse.Namespace) -> int:
    from pmkit.analytics.decisions import build_report, report_json, report_lines
    from pmkit.negotiation import range_facts

    probe = None
    if ns.probe is not None:
        issue, sep, value = ns.probe.partition("=")
        try:
            probe = (issue.strip(), float(value))
        except ValueError:
            sep = ""
        if not sep or not issue.strip():
            raise InputError(f"--probe takes ISSUE=VALUE with a number, got {ns.probe!r}")
    with _workspace(ns) as ws:
        info = ws.info(ns.session)
        view = ws.load(ns.session, ns.role)
        facts = range_facts(ws, ns.session, ns.role, probe=probe)
    report = build_report(view, facts, ns.role, session_id=info.id, version=info.version,
                          k=ns.top, points=ns.points)
    if ns.json:
        print(report_json(report))
        return 0
    names = {**{g.id: g.title for g in view.goals}, **{i.id: i.title for i in view.issues}}
    for line in report_lines(report, names):
        out(line)
    return 0


def _weigh_args(p: argparse.ArgumentParser) -> None:
    _session_arg(p)
    p.add_argument("--as", dest="role", required=True, metavar="PARTY", help="the party weighing its goals")
    p.add_argument("file", help="YAML list of [goal id, other goal id, number]: how many times more "
                   "important the first is (Saaty 1-9, 1/3 for less); ids: `pmkit export SESSION --as PARTY`")
    p.add_argument("--apply", action="store_true", help="set PARTY's importances (stances are kept)")
    _json_arg(p)


@command("weigh", "pairwise weighting (AHP): priorities, consistency ratio and 0-5 importances of "
                  "PARTY's goals from FILE; --apply sets them")
@args(_weigh_args)
def _weigh(ns: argparse.Namespace) -> int:
    from pmkit.analytics.weighing import read_judgements, weigh, weighing_json, weighing_lines

    if ns.role == FACILITATOR:
        raise InputError("weigh as a party (--as PARTY): importances belong to a party")
    judgements = read_judgements(ns.file)
    with _workspace(ns) as ws:
        weighing = weigh(ws.load(ns.session, ns.role), ns.role, judgements)
        changed = ws.set_ratings(ns.session, weighing.party, weighing.ratings, role=ns.role) if ns.apply else None
    if ns.json:
        print(weighing_json(weighing, session=ns.session, applied=ns.apply, changed=changed))
        return 0
    for line in weighing_lines(weighing):
        out(line)
    out(f"applied: {changed} importance(s) changed" if changed is not None
        else "not applied: run again with --apply to set these importances")
    return 0


def _export_args(p: argparse.ArgumentParser) -> None:
    _session_role_args(p)
    p.add_argument("--format", "-f", default="yaml", choices=["yaml", "html", "md", "pdf"],
                   help="yaml: the session; html, md, pdf: ROLE's report (minutes, management "
                        "brief or facilitator's record)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write here (default: stdout for yaml, else <workspace>/exports/"
                        "SESSION-ROLE.EXT); never inside the served notebooks folder")


@command("export", "export a session as ROLE sees it: YAML, or ROLE's report (HTML, Markdown, PDF)")
@args(_export_args)
def _export(ns: argparse.Namespace) -> int:
    from pmkit.reports.exports import export

    with _workspace(ns) as ws:
        if ns.format == "yaml" and not ns.output:
            write_output(ws.export_yaml(ns.session, ns.role), None)
            return 0
        done = export(ws, ns.session, ns.role, ns.format, ns.output)
    for path in done.files:
        out(f"wrote {path}")
    return 0


@command("schema", "print the JSON Schema of the session YAML format")
def _schema(ns: argparse.Namespace) -> int:
    print(json.dumps(Session.model_json_schema(), indent=2))
    return 0


def _history_args(p: argparse.ArgumentParser) -> None:
    _session_role_args(p)
    _json_arg(p)
    p.add_argument("--limit", type=int, default=None, help="only the newest N entries")


@command("history", "the session's journal: SEQ<TAB>VERSION<TAB>WHEN<TAB>ACTOR<TAB>ROLE<TAB>OP<TAB>WHAT")
@args(_history_args)
def _history(ns: argparse.Namespace) -> int:
    with _workspace(ns) as ws:
        entries = ws.history(ns.session, ns.role, ns.limit)
    for e in entries:
        if ns.json:
            print(json.dumps(asdict(e), ensure_ascii=False))
        else:
            out(f"{e.seq}\t{e.version}\t{e.at}\t{e.actor}\t{e.role}\t{e.op}\t{e.summary}")
    return 0


def _session_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("session", help="session id (see `pmkit list`)")


@command("undo", "revert the newest edit of a session (the journal keeps both)")
@args(_session_arg)
def _undo(ns: argparse.Namespace) -> int:
    with _workspace(ns) as ws:
        e = ws.undo(ns.session)
    out(f"undone #{e.seq} {e.op} {e.summary}")
    return 0


@command("settings", "list the settings: NAME<TAB>VALUE<TAB>ENV VAR<TAB>HELP")
def _settings(ns: argparse.Namespace) -> int:
    for s in settings.SETTINGS:
        out(f"{s.name}\t{settings.get(s.name)}\t{s.env}\t{s.help}")
    return 0


# the meeting-day verbs (backup, restore, serve, links, demo) live in cli_meeting
from pmkit.cli import meeting as cli_meeting  # noqa: E402,F401 - registers its commands after the ones above


# -- entry point --------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"pmkit: error: {one_line(message)} (see `pmkit --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pmkit", description="Facilitation workbook: prepare, meet, follow up.")
    parser.add_argument("--version", action="version", version=f"pmkit {__version__}")
    parser.add_argument("--workspace", "-w", metavar="DIR", default=None,
                        help="workspace folder (default: $PMKIT_WORKSPACE or ~/.local/share/pmkit)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (_fn, setup, help_text) in _COMMANDS.items():
        setup(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    if not ns.command:
        parser.print_help()
        return 2
    handler = _COMMANDS[ns.command][0]
    try:
        return handler(ns)
    except PmkitError as exc:
        print(f"pmkit: error: {clean(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the edge: no tracebacks for users
        if os.environ.get("PMKIT_DEBUG"):
            raise
        print(f"pmkit: internal error: {type(exc).__name__}: {clean(one_line(str(exc)))} "
              "(set PMKIT_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 1
