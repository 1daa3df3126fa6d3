"""YAML, the human format of a session: safe loading of untrusted text, stable dumping.

Loading refuses anything that could run code or exhaust memory before it is parsed:
files over :data:`MAX_BYTES`, nesting deeper than :data:`MAX_DEPTH`, anchors and aliases
(the "billion laughs" bomb), and every tag beyond plain YAML (``!!python/...``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node

from pmkit.errors import InputError, InvalidSession, one_line
from pmkit.formats.files import read_bounded
from pmkit.i18n import N_, _
from pmkit.model import Session, parse_session
from pmkit.text import count

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "dump_session",
    "load_session",
    "load_yaml",
    "read_file",
    "read_session_file",
    "read_yaml_file",
]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases and with a nesting limit."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, _("anchors and aliases (*name) are not allowed in a session file"), event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise yaml.MarkedYAMLError(
                    None, None, _("nesting deeper than {limit} levels").format(
                        limit=MAX_DEPTH), event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Node | None:
        self._depth = 0
        return super().compose_document()


def _describe(exc: yaml.YAMLError, where: str) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    pos = _(" line {line}, column {column}:").format(
        line=mark.line + 1, column=mark.column + 1) if mark is not None else ""
    return one_line(_("{where}:{pos} not valid YAML: {problem}").format(where=where, pos=pos, problem=problem))


def load_yaml(text: str | bytes, where: str = "input") -> Any:
    """Parse untrusted YAML text into plain data, or raise :class:`InputError`."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise InputError(_("{where}: {n} bytes is larger than the {limit} allowed").format(
                where=where, n=count(len(text)), limit=count(MAX_BYTES)))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(_("{where}: not UTF-8 text (byte {start}); save it as UTF-8").format(
                where=where, start=exc.start)) from None
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(_("{where}: larger than the {limit} bytes allowed").format(
            where=where, limit=count(MAX_BYTES)))
    if "\x00" in text:
        raise InputError(_("{where}: contains a NUL byte; not a text file").format(where=where))
    try:
        docs = list(yaml.load_all(text, Loader=_Loader))  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        raise InputError(_describe(exc, where)) from None
    except (RecursionError, MemoryError):
        raise InputError(_("{where}: too deeply nested to read").format(where=where)) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-13-45
        raise InputError(_("{where}: not valid YAML: a value cannot be read: {exc}").format(
            where=where, exc=exc)) from None
    if not docs or docs == [None]:
        raise InputError(_("{where}: empty; a session needs at least a 'title'").format(where=where))
    if len(docs) > 1:
        raise InputError(_("{where}: holds {n} YAML documents; put one session in a file").format(
            where=where, n=len(docs)))
    return docs[0]


def load_session(text: str | bytes, where: str = "input") -> Session:
    """Parse and validate a session from YAML text."""
    data = load_yaml(text, where)
    try:
        return parse_session(data)
    except InvalidSession as exc:
        raise exc.found_in(where) from None


def read_file(path: str | Path, kind: str) -> bytes:
    """The bytes of an input file of at most :data:`MAX_BYTES`; errors name the file."""
    return read_bounded(path, kind, MAX_BYTES)


def read_yaml_file(path: str | Path, kind: str, empty: str) -> Any:
    """The plain data of the YAML ``kind`` file at ``path`` (at most :data:`MAX_BYTES`); a file
    with nothing but blank lines and comments is an :class:`InputError` ending in ``empty``
    (what to write instead). Errors name the file."""
    raw = read_file(path, kind)
    text = raw.decode("utf-8", "replace")
    if all(not s.strip() or s.lstrip().startswith("#") or s.strip() == "---" for s in text.splitlines()):
        raise InputError(_("{path}: empty; {empty}").format(path=path, empty=_(empty)))
    return load_yaml(raw, str(path))


def read_session_file(path: str | Path) -> Session:
    """Read and validate a session file, with errors naming the file."""
    return load_session(read_file(path, N_("session file")), str(path))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)


def dump_session(session: Session) -> str:
    """The session as YAML; ``load_session(dump_session(s)) == s`` and the text is stable.
    An empty disclosure plan is left out (a party's file has one only if it withholds)."""
    data = _plain(session.model_dump(mode="json", exclude_none=True))
    if not data.get("plan"):
        data.pop("plan", None)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
