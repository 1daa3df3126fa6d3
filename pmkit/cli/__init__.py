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
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

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
from pmkit.i18n import DEFAULT, LANGUAGES, N_, _, check_language, from_environment, set_language

__all__ = ["HELP_ORDER", "build_parser", "edge", "language", "main"]

# imported for the verbs they register
_VERBS = (sessions, analytics, disclosure_plan, rounds, settlement, participants, prepare, journal, mail, calendar,
          agenda, meeting)

# the order `pmkit --help` lists the verbs in; a verb not named here comes last
HELP_ORDER = ("templates", "new", "import", "check", "list", "show", "title", "analyze", "weigh", "plan", "decide",
              "disclose", "rate", "round", "settle", "participants", "prepare", "export", "send-minutes", "schema",
              "history", "agenda", "follow-up", "undo", "settings", "backup", "restore", "serve", "links", "calendar",
              "open-pages", "demo")


class _Formatter(argparse.HelpFormatter):
    """argparse's help in the command line's language: the usage line's prefix."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


# argparse's own messages, as it writes them (in English) and as pmkit says them
_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.*)"),
     N_("the following arguments are required: {names}")),
    (re.compile(r"unrecognized arguments: (?P<names>.*)"), N_("unrecognized arguments: {names}")),
    (re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
     N_("argument {name}: invalid choice: {value} (choose from {choices})")),
    (re.compile(r"argument (?P<name>\S+): expected one argument"), N_("argument {name}: expected one argument")),
    (re.compile(r"argument (?P<name>\S+): expected at least one argument"),
     N_("argument {name}: expected at least one argument")),
    (re.compile(r"argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.*)"),
     N_("argument {name}: invalid {type} value: {value}")),
    (re.compile(r"argument (?P<name>\S+): not allowed with argument (?P<other>.*)"),
     N_("argument {name}: not allowed with argument {other}")),
    (re.compile(r"argument (?P<name>\S+): ignored explicit argument (?P<value>.*)"),
     N_("argument {name}: ignored explicit argument {value}")),
)


def _argparse_error(message: str) -> str:
    """One of argparse's error messages in the command line's language."""
    for pattern, text in _ARGPARSE_ERRORS:
        m = pattern.fullmatch(message)
        if m:
            return _(text).format(**m.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help message and exit"))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, "pmkit: error: " + _("{message} (see `pmkit --help`)").format(
            message=one_line(_argparse_error(message))) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pmkit", description=_("Facilitation workbook: prepare, meet, follow up."))
    parser.add_argument("--version", action="version", version=f"pmkit {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--workspace", "-w", metavar="DIR", default=None,
                        help=_("workspace folder (default: $PMKIT_WORKSPACE or ~/.local/share/pmkit)"))
    parser.add_argument("--lang", metavar="LANG", default=None,
                        help=_("the language of messages and of what is written ({languages}; default: from "
                               "$LANGUAGE, $LC_ALL, $LC_MESSAGES or $LANG, else en)").format(
                               languages=', '.join(LANGUAGES)))
    parser.add_argument("--database", metavar="URL", default=None,
                        help=_("keep the sessions in this PostgreSQL database, postgresql://USER@HOST/DB (default: "
                               "$PMKIT_DATABASE_URL, else the SQLite file in the workspace folder)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    rank = {name: n for n, name in enumerate(HELP_ORDER)}
    for cmd in sorted(COMMANDS.values(), key=lambda c: rank.get(c.name, len(rank))):
        cmd.setup(sub.add_parser(cmd.name, help=_(cmd.help), description=_(cmd.help)))
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
              + _("(set PMKIT_DEBUG=1 to see the traceback)"), file=sys.stderr)
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
