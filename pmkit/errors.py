"""Every error pmkit raises on purpose, in one place.

::

    PmkitError                  base: a message a user can act on, never a traceback
    ├── InputError              a file, field or argument is not acceptable
    │   └── InvalidSession      a session document breaks the model's rules
    ├── NotFound                a session, template or item does not exist
    ├── AccessDenied            the role may not see or change this (or the link is bad)
    ├── ConflictError           someone else changed the item first; reload and retry
    └── StorageError            the workspace file cannot be read or written

The command line and the widgets translate these at the edge into one short line.
Messages say what failed, with which input, and what to do next.
"""

from __future__ import annotations

from pmkit.text import shorten

__all__ = [
    "AccessDenied",
    "ConflictError",
    "InputError",
    "InvalidSession",
    "NotFound",
    "PmkitError",
    "StorageError",
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
    """A session document breaks the model's rules (names the item, field, value, rule)."""


class NotFound(PmkitError):
    """A session, template or item does not exist."""


class AccessDenied(PmkitError):
    """The role may not see or change this, or the link is missing, forged or expired."""


class ConflictError(PmkitError):
    """The item changed since it was read (a stale write); reload and apply the edit again."""


class StorageError(PmkitError):
    """The workspace cannot be read or written (damaged, locked, or not a pmkit workspace)."""
