"""The panel contract and the base every panel of pmkit is built on.

A panel is made by ``factory(context)`` from the board's
:class:`~pmkit.widgets.context.BoardContext` (role, session, theme, the shared status line)
and has ``.widget`` and ``.refresh()`` (reload what it needs and redraw); optionally
``set_visible(bool)`` (told whether its tab is on screen) and ``close()``. A factory may
say which roles it is for (a ``roles`` attribute, e.g. ``(FACILITATOR,)``): a board never
builds it for another role (:func:`built_for`). A factory may also decide from the role's own
view, with a static ``applies(context)`` the board asks after ``roles`` (the disclosure plan:
the facilitator's, and a party's that withholds something itself). Any callable with that shape plugs into a
board; :func:`stacked` puts several panels one under the other as one; :class:`PanelBase`
gives the rest for free: the shared status line, the page's error edge for callbacks
(:func:`~pmkit.widgets.edge.guarded`), quiet updates and kept input, a deferred first draw
and closing the whole widget tree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, Protocol

import ipywidgets as widgets

from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.rules.permissions import Actor, may_edit_items, require
from pmkit.store import Workspace
from pmkit.text import shorten
from pmkit.widgets.common import close_tree
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import guarded

__all__ = ["READY", "Panel", "PanelBase", "PanelFactory", "built_for", "stacked"]

READY = "pmkit-ready"  # the class a panel gets once it shows the session (pages and tests wait for it)

# an item's fields and kinds as the status line names them (item_saver)
_FIELDS = {"title": N_("title"), "description": N_("description"), "raised_by": N_("raised by"),
           "audience": N_("audience"), "unit": N_("unit"), "probe_step": N_("probe step"), "status": N_("status"),
           "owner": N_("owner"), "due": N_("due")}
_CHANGING = {"goal": N_("changing a goal's {field}"), "issue": N_("changing an issue's {field}"),
             "action": N_("changing an action's {field}")}
_SELECT = {"goal": N_("select a goal first"), "issue": N_("select an issue first"),
           "action": N_("select an action first")}


class Panel(Protocol):
    """What the board needs from a panel (``set_visible`` and ``close`` are optional)."""

    widget: widgets.Widget

    def refresh(self) -> None: ...


PanelFactory = Callable[[BoardContext], Panel]


def built_for(factory: PanelFactory, role: str) -> bool:
    """Whether a board for ``role`` builds the panel ``factory`` makes (its ``roles``, if it
    names any)."""
    roles = getattr(factory, "roles", None)
    return roles is None or role in roles


class _Stack:
    """Panels one under the other, built, refreshed, shown and closed together. An attribute
    it does not have is its first part's that has it (``stack.chart``: the overview's)."""

    def __init__(self, parts: list[Panel]) -> None:
        self.parts = parts
        self.widget = widgets.VBox([p.widget for p in parts])
        self._pending = any(getattr(p, "_pending", False) for p in parts)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "parts":
            raise AttributeError(name)
        for p in self.parts:
            if hasattr(p, name):
                return getattr(p, name)
        raise AttributeError(name)

    def refresh(self) -> None:
        for p in self.parts:
            p.refresh()

    def set_visible(self, visible: bool) -> None:
        for p in self.parts:
            setter = getattr(p, "set_visible", None)
            if callable(setter):
                setter(visible)

    def close(self) -> None:
        for p in self.parts:
            closer = getattr(p, "close", None)
            if callable(closer):
                closer()
        self.widget.close()


def stacked(*factories: PanelFactory) -> PanelFactory:
    """A factory for one panel made of the panels of ``factories``, one under the other
    (those not built for the board's role are left out)."""

    def make(context: BoardContext) -> Panel:
        return _Stack([f(context) for f in factories if built_for(f, context.role)])

    return make


class PanelBase:
    """Base of pmkit's own panels: context, status, quiet updates and kept input.

    ``show(widget, key, value)`` puts a stored value into a widget without triggering its
    save callback, except where the user's last save of ``key`` failed, or ``key`` is a form's
    field the user has changed (:meth:`hold`): that input is kept until it saves or the user
    moves to another item. Every callback is :func:`guarded`.
    """

    widget: widgets.Widget

    def __init__(self, context: BoardContext) -> None:
        self.ctx = context
        self.status = context.status
        self._quiet = 0
        self._kept: dict[str, Any] = {}

    @property
    def actor(self) -> Actor:
        """Who this page writes as: its role, its member and its link's generations (the store
        checks them at every write)."""
        return self.ctx.actor

    @property
    def role(self) -> str:
        return self.ctx.role

    @property
    def store(self) -> Workspace:
        return self.ctx.store

    @property
    def session_id(self) -> str:
        return self.ctx.session_id

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

    def hold(self, widget: widgets.Widget, key: str) -> None:
        """Keep what the user puts into ``widget``, a field that a form's button saves, over
        every redraw until the form saves or the user moves to another item: another page's
        change redraws this one, and must not undo what is being typed here."""
        widget.observe(partial(self._held, key), names="value")

    def _held(self, key: str, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._kept[key] = change["new"]

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

    def item_saver(
        self,
        kind: str,
        field: str,
        selected: Callable[[], Any],
        convert: Callable[[Any], Any] = lambda value: value,
    ) -> Callable[[Any], None]:
        """A save callback for ``field`` of the selected item of ``kind`` (``selected()``
        returns it, or None when nothing is selected). Only the facilitator edits items."""
        noun = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"  # a kind without its own messages (none yet)

        def save(value: Any) -> None:
            name = _(_FIELDS[field]) if field in _FIELDS else field.replace("_", " ")
            changing = _(_CHANGING[kind]) if kind in _CHANGING else f"changing {noun}'s {{field}}"
            require(may_edit_items(self.role), changing.format(field=name))
            item = selected()
            if item is None:
                raise InputError(_(_SELECT[kind]) if kind in _SELECT else f"select {noun} first")
            self.store.items.update(self.session_id, kind, item.id, {field: convert(value)}, role=self.actor)
            title = shorten(getattr(item, "title", ""), 60)
            self.ctx.changed(_("{field} of '{title}'").format(field=name, title=title))

        return save

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
            self.drawn()
            return
        self._pending = True
        loop.call_soon(self._first_draw)

    def drawn(self) -> None:
        """Mark the panel as drawn (class ``pmkit-ready``): what is shown is the session's."""
        self.widget.add_class(READY)

    @guarded
    def _first_draw(self) -> None:
        if not self._pending or self._closed:
            return
        self._pending = False
        if self.visible:
            self.refresh()
            self.drawn()
        else:
            self._stale = True

    def set_visible(self, visible: bool) -> None:
        """The board says whether this panel is on screen; a stale panel redraws when shown."""
        self.visible = visible
        if visible and self._stale:
            self._stale = False
            self.refresh()
            self.drawn()

    def close(self) -> None:
        self._closed = True
        close_tree(self.widget)
