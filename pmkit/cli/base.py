"""What every group of ``pmkit`` verbs shares: the registry of verbs, terminal-safe output,
the workspace of a run, the common arguments and writing a result to a file.

Each verb module (:mod:`~pmkit.cli.sessions`, :mod:`~pmkit.cli.journal`,
:mod:`~pmkit.cli.analytics`, :mod:`~pmkit.cli.disclosure_plan`, :mod:`~pmkit.cli.rounds`,
:mod:`~pmkit.cli.meeting`) imports this one and registers its verbs with :func:`command`;
:mod:`pmkit.cli` builds the parser from :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pmkit.errors import InputError
from pmkit.formats.files import atomic_write
from pmkit.i18n import _
from pmkit.model import FACILITATOR
from pmkit.store import Workspace

__all__ = [
    "COMMANDS",
    "Command",
    "Handler",
    "Setup",
    "args",
    "clean",
    "command",
    "error_line",
    "file_arg",
    "json_arg",
    "out",
    "print_records",
    "session_arg",
    "session_role_args",
    "workspace",
    "write_output",
]

Handler = Callable[[argparse.Namespace], int]
Setup = Callable[[argparse.ArgumentParser], None]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Command:
    """One verb: ``pmkit NAME``, its handler, the function adding its options, its help."""

    name: str
    handler: Handler
    setup: Setup
    help: str


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str) -> Callable[[Handler], Handler]:
    """Register ``pmkit NAME``; the handler's :func:`args` function adds its options."""

    def deco(fn: Handler) -> Handler:
        setup: Setup = getattr(fn, "_setup", lambda p: None)
        COMMANDS[name] = Command(name, fn, setup, help)
        return fn

    return deco


def args(setup: Setup) -> Callable[[Handler], Handler]:
    """Give a handler the function that adds its options (put below :func:`command`)."""

    def deco(fn: Handler) -> Handler:
        fn._setup = setup  # type: ignore[attr-defined]
        return fn

    return deco


def clean(text: object) -> str:
    """Text safe for a terminal: control characters (escape sequences) become '?'."""
    return _CONTROL.sub("?", str(text))


def out(line: object = "") -> None:
    """Print one line for the user, terminal-safe."""
    print(clean(line))


def print_records(rows: Iterable[Any], as_json: bool, line: Callable[[Any], str]) -> None:
    """One record per line: each row (a dataclass) as a JSON object with ``--json``, else
    the terminal-safe ``line(row)``."""
    for row in rows:
        if as_json:
            print(json.dumps(asdict(row), ensure_ascii=False))
        else:
            out(line(row))


def error_line(text: object) -> None:
    """Print one error line on stderr, as every error of the command line is printed."""
    print(f"pmkit: error: {clean(text)}", file=sys.stderr)


def workspace(ns: argparse.Namespace) -> Workspace:
    """The workspace of this run (``--workspace`` and ``--database``, else the settings)."""
    return Workspace(ns.workspace, database=ns.database)


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
        raise InputError(_("{target} is a folder; give a file name with -o").format(target=target))
    if not target.parent.is_dir():
        raise InputError(_("{parent}: no such folder").format(parent=target.parent))
    atomic_write(target, text)


# -- arguments several verbs take ----------------------------------------------------------
def file_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_("a session file in YAML"))


def json_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))


def session_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("session", help=_("session id (see `pmkit list`)"))


def session_role_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("--as", dest="role", default=FACILITATOR, metavar="ROLE",
                   help=_("show only what this role may see (default: facilitator)"))
