"""The page's error edge: what the user is told when something fails, and the status line
that tells them.

Everything a page does goes through :func:`on_the_page` (or :func:`guarded`, the same for
a method of an object with a ``status``): a :class:`~pmkit.errors.PmkitError` becomes its
one-line message in the status line (a database that cannot be reached:
:data:`~pmkit.errors.UNAVAILABLE`, the server's name in the log only); anything else the
generic :data:`UNEXPECTED` line,
with the traceback written to the server's log (:mod:`pmkit.logs`), never to the page.
The board uses it around building and refreshing panels, every panel around its callbacks.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar

import ipywidgets as widgets

from pmkit.errors import UNAVAILABLE, PmkitError, StorageUnavailable
from pmkit.i18n import N_, _
from pmkit.logs import server_log

__all__ = ["UNEXPECTED", "Status", "esc", "guarded", "on_the_page"]

UNEXPECTED = N_("Something went wrong and nothing was saved; your input is kept. Try again or reload.")


def esc(text: object) -> str:
    """``text`` safe inside HTML: markup in a title is shown, never interpreted."""
    return html.escape(str(text), quote=True)


class Status:
    """The one-line status bar: what was saved, or why it was not."""

    def __init__(self) -> None:
        self.widget = widgets.HTML(value="")
        self.widget.add_class("pmkit-status")
        self.message = ""
        self.is_error = False

    def ok(self, text: str) -> None:
        self.message, self.is_error = text, False
        self.widget.value = f'<span class="pmkit-status-ok">{esc(text)}</span>'

    def error(self, text: str) -> None:
        self.message, self.is_error = text, True
        self.widget.value = f'<span class="pmkit-status-error" role="alert">⚠ {esc(text)}</span>'

    def clear(self) -> None:
        self.message, self.is_error = "", False
        self.widget.value = ""


@contextmanager
def on_the_page(status: Status, what: str) -> Iterator[None]:
    """The page's one error edge, around ``what`` (named in the server's log only): a
    :class:`~pmkit.errors.PmkitError` becomes its one line in ``status``; any other error
    :data:`UNEXPECTED` there, and its traceback in the server's log. Nothing is printed;
    nothing of the error reaches the page. ``KeyboardInterrupt`` and ``SystemExit`` pass."""
    try:
        yield
    except StorageUnavailable as exc:  # the server's name is for the log, not for the page
        server_log().warning("%s: %s", what, exc)
        status.error(_(UNAVAILABLE))
    except PmkitError as exc:
        status.error(str(exc))
    except Exception:  # noqa: BLE001 - the edge: log it for the server, show one line
        server_log().exception("unexpected error in %s", what)
        status.error(_(UNEXPECTED))


class _HasStatus(Protocol):
    status: Status


S = TypeVar("S", bound=_HasStatus)
P = ParamSpec("P")
R = TypeVar("R")


def guarded(fn: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R | None]:
    """:func:`on_the_page` around a method of an object with a ``status``: every widget
    callback is one. Returns the method's result, or None when it failed."""

    @wraps(fn)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R | None:
        with on_the_page(self.status, fn.__qualname__):
            return fn(self, *args, **kwargs)
        return None

    return wrapper
