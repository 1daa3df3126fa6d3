"""What every panel of the board shares: the callback edge, the status line, the board's
context (one role, one session, loaded once per version) and a panel base.

The browser can set any synced trait and click any button (disabled or not) through comm
messages, so a widget's state is never trusted: every callback is wrapped in
:func:`guarded` (errors become one short line in the status bar, never a traceback on the
page) and checks with :func:`pmkit.permissions.require` what the board's role may change
before it calls the store. The role is fixed when the board is built; no widget can change it.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial, wraps
from typing import Any, Concatenate, ParamSpec, Protocol, TextIO, TypeVar

import ipywidgets as widgets

from pmkit.analytics.overlap import Overview, analyze
from pmkit.disclosure import audience_label
from pmkit.errors import PmkitError
from pmkit.model import FACILITATOR, JOINT, Session
from pmkit.store import Workspace

__all__ = [
    "UNEXPECTED",
    "BoardContext",
    "Panel",
    "PanelBase",
    "PanelFactory",
    "Status",
    "audience_label",
    "audience_options",
    "close_tree",
    "esc",
    "guarded",
    "html_table",
    "iter_widgets",
    "server_log",
]

_log = logging.getLogger("pmkit.widgets")
UNEXPECTED = "Something went wrong and nothing was saved; your input is kept. Try again or reload."


def _server_stream() -> TextIO:
    """The process's own stderr. Inside a kernel ``sys.stderr`` goes to the page and fd 2
    is captured and forwarded too; ``sys.stderr.fileno()`` is ipykernel's copy of the
    original stream, which only the server's log sees."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        fd = 2
    return os.fdopen(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")


def server_log() -> logging.Logger:
    """The widgets' logger, writing to the server's log only (never to the page)."""
    if not any(getattr(h, "pmkit_server", False) for h in _log.handlers):
        try:
            handler = logging.StreamHandler(_server_stream())
        except OSError:
            handler = logging.NullHandler()  # type: ignore[assignment]
        handler.pmkit_server = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(asctime)s pmkit %(levelname)s %(message)s"))
        _log.addHandler(handler)
        _log.propagate = False  # a root handler inside a kernel would print to the page
    return _log


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


class _HasStatus(Protocol):
    status: Status


S = TypeVar("S", bound=_HasStatus)
P = ParamSpec("P")
R = TypeVar("R")


def guarded(fn: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R | None]:
    """The edge of every widget callback: a :class:`~pmkit.errors.PmkitError` becomes its
    one-line message in ``self.status``; anything else a generic line, with the traceback
    logged to the server's stderr only. Nothing is printed; nothing reaches the page."""

    @wraps(fn)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return fn(self, *args, **kwargs)
        except PmkitError as exc:
            self.status.error(str(exc))
        except Exception:  # noqa: BLE001 - the edge: log it for the server, show one line
            server_log().exception("unexpected error in %s", fn.__qualname__)
            self.status.error(UNEXPECTED)
        return None

    return wrapper


def audience_options(session: Session) -> list[tuple[str, str]]:
    return [(audience_label(a, session), a) for a in (JOINT, *session.party_ids, FACILITATOR)]


def html_table(head: Sequence[str], rows: Sequence[Sequence[object]], *, empty: str = "none") -> str:
    """A small HTML table; every cell is escaped."""
    if not rows:
        return f'<p class="pmkit-empty">{esc(empty)}</p>'
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="pmkit-table"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def iter_widgets(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from iter_widgets(child)


def close_tree(widget: widgets.Widget) -> None:
    """Close ``widget`` and every widget inside it (a closed widget leaves the page)."""
    for w in reversed(list(iter_widgets(widget))):
        for part in (getattr(w, "layout", None), getattr(w, "style", None)):
            if isinstance(part, widgets.Widget):
                part.close()
        w.close()


class BoardContext:
    """One board's role and session, shared by its panels.

    :meth:`session` loads the session *for this role only* and keeps it until the session's
    version changes, so all panels of a board redraw from one load. :meth:`changed` tells
    the board that a panel saved something (the board then refreshes every panel).
    """

    def __init__(
        self,
        store: Workspace,
        session_id: str,
        role: str,
        *,
        theme: str = "light",
        presenter: bool = False,
        status: Status | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.role = role
        self.theme = theme
        self.presenter = presenter
        self.status = status or Status()
        self._listeners: list[Callable[[], object]] = []
        self._session: tuple[int, Session] | None = None
        self._overview: tuple[int, Overview] | None = None

    @property
    def facilitator(self) -> bool:
        return self.role == FACILITATOR

    def session(self) -> Session:
        version = self.store.version(self.session_id)
        if self._session is None or self._session[0] != version:
            self._session = (version, self.store.load(self.session_id, self.role))
        return self._session[1]

    def overview(self) -> Overview:
        session = self.session()
        version = self._session[0] if self._session else -1
        if self._overview is None or self._overview[0] != version:
            self._overview = (version, analyze(session))
        return self._overview[1]

    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.session().parties}

    def on_change(self, listener: Callable[[], object]) -> None:
        self._listeners.append(listener)

    def changed(self, what: str) -> None:
        """A panel saved ``what``: say so, and let the board redraw every panel now."""
        self.status.ok(f"Saved: {what}")
        for listener in self._listeners:
            listener()


class Panel(Protocol):
    """What the board needs from a panel (``close()`` is optional)."""

    widget: widgets.Widget

    def refresh(self) -> None: ...


# Called as factory(store, session_id, role); a factory that takes a ``context`` keyword
# also gets the board's BoardContext (shared status line, theme, one load per change).
PanelFactory = Callable[..., Panel]


class PanelBase:
    """Base of pmkit's own panels: context, status, quiet updates and kept input.

    ``show(widget, key, value)`` puts a stored value into a widget without triggering its
    save callback, except where the user's last save of ``key`` failed: that input is kept
    until it saves or the user moves to another item.
    """

    widget: widgets.Widget

    def __init__(self, store: Workspace, session_id: str, role: str, *, context: BoardContext | None = None) -> None:
        self.ctx = context or BoardContext(store, session_id, role)
        self.status = self.ctx.status
        self._quiet = 0
        self._kept: dict[str, Any] = {}

    @property
    def role(self) -> str:
        return self.ctx.role

    @contextmanager
    def quietly(self) -> Iterator[None]:
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def show(self, widget: widgets.Widget, key: str, value: Any) -> None:
        if key in self._kept:
            return
        if getattr(widget, "value", None) != value:
            with self.quietly():
                widget.value = value

    def bind(self, widget: widgets.Widget, key: str, save: Callable[[Any], None]) -> None:
        """Save ``widget``'s value with ``save`` whenever the user changes it."""
        widget.observe(partial(self._changed, key, save), names="value")

    @guarded
    def _changed(self, key: str, save: Callable[[Any], None], change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._kept[key] = change["new"]
        save(change["new"])
        self._kept.pop(key, None)

    def refresh(self) -> None:  # pragma: no cover - every panel draws itself
        raise NotImplementedError

    def forget_input(self) -> None:
        self._kept.clear()

    visible = True
    _stale = False
    _pending = False
    _closed = False

    def draw_soon(self) -> None:
        """The first draw: now without an event loop (scripts, tests); in a kernel, once the
        page is up (the board is shown first, this panel fills in a moment later)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.refresh()
            return
        self._pending = True
        loop.call_soon(self._first_draw)

    @guarded
    def _first_draw(self) -> None:
        if not self._pending or self._closed:
            return
        self._pending = False
        if self.visible:
            self.refresh()
        else:
            self._stale = True

    def set_visible(self, visible: bool) -> None:
        """The board says whether this panel is on screen; a stale panel redraws when shown."""
        self.visible = visible
        if visible and self._stale:
            self._stale = False
            self.refresh()

    def close(self) -> None:
        self._closed = True
        close_tree(self.widget)
