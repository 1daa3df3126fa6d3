"""Every error pmkit raises on purpose, in one place.

::

    PmkitError                  base: a message a user can act on, never a traceback
    ├── InputError              a file, field or argument is not acceptable
    │   └── InvalidSession      a session document breaks the model's rules
    ├── NotFound                a session, template or item does not exist
    ├── AccessDenied            the role may not see or change this (or the link is bad)
    ├── ConflictError           someone else changed the item first; reload and retry
    └── StorageError            the workspace file cannot be read or written
        └── StorageUnavailable  the workspace's database server cannot be reached (yet)

A pydantic ``ValidationError`` becomes an :class:`InputError` in one place, :func:`invalid`:
``WHAT: FIELD: PROBLEM (got VALUE)``, the first problem only (a session file's every problem
is :class:`InvalidSession`'s job).

Each surface translates them at its one edge into one short line: the command line
(:func:`pmkit.cli.main`), the page (:func:`pmkit.widgets.edge.on_the_page`) and a meeting
kernel's start (:func:`pmkit.meeting.app.run`). Messages say what failed, with which input,
and what to do next. Details a caller may act on are typed fields of the error (for
example :attr:`InvalidSession.problems`), never attributes added after the fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pmkit.i18n import N_, _, ngettext
from pmkit.text import shorten

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "AccessDenied",
    "ConflictError",
    "InputError",
    "InvalidSession",
    "NotFound",
    "PmkitError",
    "StorageError",
    "StorageUnavailable",
    "UNAVAILABLE",
    "invalid",
    "one_line",
]

_MAX_MESSAGE = 400


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Fold ``text`` onto one line and shorten it, so that a message never floods a terminal."""
    return shorten(text, limit)


class PmkitError(Exception):
    """Base class: ``str(err)`` is a short, single-line message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))

    @property
    def message(self) -> str:
        return str(self)


class InputError(PmkitError):
    """A file, field or argument is not acceptable."""


class InvalidSession(InputError):
    """A session document breaks the model's rules.

    ``problems`` holds every problem found, one line each, naming the item, field, value
    and rule; ``source`` names the file (or other input) they were found in, if known.
    The message is the first problem, with the count of the others, after the source.
    """

    problems: tuple[str, ...]
    source: str | None

    def __init__(self, problems: str | Iterable[str], *, source: str | None = None) -> None:
        found = [problems] if isinstance(problems, str) else list(problems)
        self.problems = tuple(one_line(p) for p in found) or (_("invalid session"),)
        self.source = source
        more = len(self.problems) - 1
        message = self.problems[0]
        if more:
            message += " " + ngettext("(and {n} more problems; `pmkit check` lists them)",
                                      "(and {n} more problems; `pmkit check` lists them)", more).format(n=more)
        super().__init__(f"{source}: {message}" if source else message)

    def found_in(self, source: str) -> InvalidSession:
        """The same problems, said to be found in ``source`` (a file name)."""
        return InvalidSession(self.problems, source=source)


class NotFound(PmkitError):
    """A session, template or item does not exist."""


class AccessDenied(PmkitError):
    """The role may not see or change this, or the link is missing, forged or expired."""


class ConflictError(PmkitError):
    """The item changed since it was read (a stale write); reload and apply the edit again."""


class StorageError(PmkitError):
    """The workspace cannot be read or written (damaged, locked, or not a pmkit workspace)."""


class StorageUnavailable(StorageError):
    """The workspace's database server cannot be reached: an outage, not damage. Nothing
    was saved; the same call may work once the server is back (pmkit reconnects by itself).
    The message names the server, for an operator; a page shows :data:`UNAVAILABLE`."""


UNAVAILABLE = N_(
    "The workspace cannot be reached right now, so changes are not being saved. Everything saved "
    "before is safe; this page reconnects by itself."
)  # translated where it is shown: _(UNAVAILABLE)


def invalid(exc: ValidationError, what: str, *, got: str = "", then: str = "", located: bool = True) -> InputError:
    """The one message of a validation error: ``WHAT: FIELD: PROBLEM (got GOT)THEN``, where
    FIELD is where the first problem is (left out when it is the whole value, or when ``WHAT``
    names it already: ``located=False``) and PROBLEM is pydantic's words for it, without its
    "Value error, " prefix. The model's own messages for a whole session are
    :class:`InvalidSession`'s (:func:`pmkit.model.parse_session`); everything else goes here."""
    e = exc.errors(include_url=False)[0]
    field = ".".join(str(x) for x in e["loc"]) if located else ""
    problem = str(e["msg"]).removeprefix("Value error, ")
    got_text = " " + _("(got {value})").format(value=got) if got else ""
    return InputError(f"{what}: {field + ': ' if field else ''}{problem}{got_text}{then}")
