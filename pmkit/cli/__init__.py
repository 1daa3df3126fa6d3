"""The ``pmkit`` command line. Machine-friendly: one record per line, ``--json`` where the
output is structured. Every :class:`~pmkit.errors.PmkitError` becomes one line on stderr
and exit code 2 (:func:`edge`); nothing is written when input is bad.

::

    base        the registry of verbs, terminal-safe output, shared arguments, write_output
    sessions    templates new import check list show title export schema settings
    analytics   analyze weigh
    disclosure_plan  plan decide disclose
    rounds      rate round (open status reveal cancel)
    settlement  settle (agree improvements propose answer withdraw status)
    participants  participants
    journal     history undo
    mail        send-minutes
    calendar    calendar
    prepare     prepare (open status remind close cancel)
    agenda      agenda follow-up
    meeting     backup restore serve links open-pages demo
    reference   the docs' generated pages, from this parser and the settings (not a verb)

Each verb module imports :mod:`~pmkit.cli.base` only; this module imports them all, builds
the parser and runs a verb at the edge.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pmkit import __version__
from pmkit.cli import (
    agenda,
    analytics,
    calendar,
    disclosure_plan,
    journal,
    mail,
    meeting,
    participants,
    prepare,
    rounds,
    sessions,
    settlement,
)
from pmkit.cli.base import COMMANDS, Handler, clean, error_line
from pmkit.errors import PmkitError, one_line
from pmkit.i18n import DEFAULT, LANGUAGES, check_language, from_environment, set_language

__all__ = ["HELP_ORDER", "build_parser", "edge", "language", "main"]

# imported for the verbs they register
_VERBS = (sessions, analytics, disclosure_plan, rounds, settlement, participants, prepare, journal, mail, calendar,
          agenda, meeting)

# the order `pmkit --help` lists the verbs in; a verb not named here comes last
HELP_ORDER = ("templates", "new", "import", "check", "list", "show", "title", "analyze", "weigh", "plan", "decide",
              "disclose", "rate", "round", "settle", "participants", "prepare", "export", "send-minutes", "schema",
              "history", "agenda", "follow-up", "undo", "settings", "backup", "restore", "serve", "links", "calendar",
              "open-pages", "demo")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"pmkit: error: {one_line(message)} (see `pmkit --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pmkit", description="Facilitation workbook: prepare, meet, follow up.")
    parser.add_argument("--version", action="version", version=f"pmkit {__version__}")
    parser.add_argument("--workspace", "-w", metavar="DIR", default=None,
                        help="workspace folder (default: $PMKIT_WORKSPACE or ~/.local/share/pmkit)")
    parser.add_argument("--lang", metavar="LANG", default=None,
                        help=f"the language of messages and of what is written ({', '.join(LANGUAGES)}; default: "
                             "from $LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG, else en)")
    parser.add_argument("--database", metavar="URL", default=None,
                        help="keep the sessions in this PostgreSQL database, postgresql://USER@HOST/DB "
                             "(default: $PMKIT_DATABASE_URL, else the SQLite file in the workspace folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    rank = {name: n for n, name in enumerate(HELP_ORDER)}
    for cmd in sorted(COMMANDS.values(), key=lambda c: rank.get(c.name, len(rank))):
        cmd.setup(sub.add_parser(cmd.name, help=cmd.help, description=cmd.help))
    return parser


def edge(handler: Handler, ns: argparse.Namespace) -> int:
    """Run a verb; the command line's one error edge. A :class:`~pmkit.errors.PmkitError`
    is one line on stderr and exit code 2; anything else one line naming the error, exit 1
    (``PMKIT_DEBUG=1`` shows the traceback). Ctrl-C is 130; a closed pipe is not an error."""
    try:
        return handler(ns)
    except PmkitError as exc:
        error_line(exc)
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


def language(argv: Sequence[str]) -> str:
    """The command line's language: ``--lang`` before the verb, else the environment's
    (:func:`pmkit.i18n.from_environment`). An unknown one is English, and the parser says so."""
    for n, arg in enumerate(argv):
        if arg in COMMANDS:
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[n + 1] if arg == "--lang" and n + 1 < len(argv) else None)
        if value is not None:
            try:
                return check_language(value)
            except ValueError:
                return DEFAULT
    return from_environment()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(language(args))
    parser = build_parser()
    ns = parser.parse_args(args)
    if ns.lang is not None:
        try:
            check_language(ns.lang)
        except ValueError as exc:
            parser.error(str(exc))
    if not ns.command:
        parser.print_help()
        return 2
    return edge(COMMANDS[ns.command].handler, ns)
