"""What the page may tell a widget: the values a person can enter, nothing else.

The browser can send any widget message (Voila keeps comm messages open). A person using
the page only ever changes a value (``value``, ``index``, ``selected_index``) to one the
control offers, or clicks an enabled button; a form's box also answers its button's call
(``form_answer``, a number: :class:`pmkit.widgets.common.FormButton`); anything else — re-enabling a disabled
control, rewriting options, descriptions, classes or layout, clicking a disabled button, a
value the widget would refuse (an index out of range, a number where text belongs) or
change (a slider value beyond its ends) — did not come from a person. :func:`install`
drops such messages in the meeting kernel, logs them to the server (never to the page) and
sends the true state back so the page shows it again. Permission checks in the callbacks
and in the store stay as they are; this is one more layer, and the log of attempts. The
room's page (the shared screen) has no control at all: there, every message but a request
for a widget's state is refused.

It is also the page's edge for the widget machinery itself: in the meeting kernel, an
error that ipywidgets would show on the page as a traceback (an iopub ``error`` message)
and any warning go to the server's log instead.

What this relies on in ipywidgets 8 and IPython (check on upgrade): ``Widget._handle_msg``
handles every comm message of a widget (methods ``update``, ``request_state``, ``custom``)
and, through its ``_show_traceback`` wrapper and ``CallbackDispatcher``, calls the shell's
``showtraceback()`` on an exception; ``set_state`` converts each value with the trait's
``from_json`` metadata (default ``Widget._trait_from_json``) and sets it; the page's
binary buffers are put back with ``_put_buffers(state, buffer_paths, buffers)``; traitlets'
``TraitType._validate(obj, value)`` runs the trait's own and the widget's cross validation.
"""

from __future__ import annotations

import contextlib
import copy
import json
import sys
import warnings
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget import _put_buffers

from pmkit.errors import one_line
from pmkit.logs import server_log
from pmkit.model import ROOM

__all__ = ["USER_TRAITS", "block", "install", "screen", "uninstall"]

USER_TRAITS = frozenset({"value", "index", "selected_index", "form_answer"})
_installed: dict[str, Any] = {}


def screen(
    widget: widgets.Widget, msg: dict[str, Any], role: str | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The part of ``msg`` a person on ``role``'s page could have sent, and what was refused
    (one phrase each). Returns ``(None, refused)`` when nothing of the message may pass.
    """
    data = msg.get("content", {}).get("data", {})
    method = data.get("method")
    disabled = bool(getattr(widget, "disabled", False))
    if method == "request_state":
        return msg, []
    if role == ROOM:
        return None, [f"method {method!r} on the read-only room screen"]
    if method == "custom":
        return (None, ["click on a disabled control"]) if disabled else (msg, [])
    if method != "update":
        return None, [f"method {method!r}"]
    state = data.get("state", {})
    paths = data.get("buffer_paths", [])
    if not isinstance(state, dict) or not isinstance(paths, list):
        return None, ["a malformed update"]
    refused = sorted(k for k in state if disabled or k not in USER_TRAITS)
    values = _with_buffers(state, paths, msg.get("buffers") or [])
    invalid = [k for k in sorted(state) if k not in refused and not _valid(widget, k, values.get(k))]
    refused += [f"invalid {k} {one_line(repr(values.get(k)), 40)}" for k in invalid]
    if not refused:
        return msg, []
    kept = {k: v for k, v in state.items() if k not in refused and k not in invalid}
    if not kept:
        return None, refused
    kept_paths = [p for p in paths if isinstance(p, list) and p and p[0] in kept]
    new_data = {**data, "state": kept, "buffer_paths": kept_paths}
    return {**msg, "content": {**msg["content"], "data": new_data}}, refused


def _with_buffers(state: dict[str, Any], paths: list[Any], buffers: list[Any]) -> dict[str, Any]:
    """A copy of ``state`` with the message's binary buffers in place, as ipywidgets reads it."""
    values = copy.deepcopy(state)
    with contextlib.suppress(IndexError, KeyError, TypeError):  # a malformed path: checked as it came
        _put_buffers(values, paths, buffers)
    return values


def _valid(widget: widgets.Widget, name: str, raw: Any) -> bool:
    """Whether the widget takes ``raw`` (as the page sent it) for trait ``name`` unchanged:
    converted the way ``set_state`` converts it, then validated by the trait and the widget."""
    trait = widget.traits().get(name)
    if trait is None or name not in widget.keys:
        return False
    try:
        from_json = widget.trait_metadata(name, "from_json", widget._trait_from_json)
        checked = trait._validate(widget, from_json(raw, widget))
        to_json = widget.trait_metadata(name, "to_json", widget._trait_to_json)
        return _same(to_json(checked, widget), raw)
    except Exception:  # noqa: BLE001 - any failure to take the value is a refusal
        return False


def _same(a: Any, b: Any) -> bool:
    """Equal as the page sees them (JSON: a tuple is a list, 1 is 1.0)."""
    try:
        return bool(json.loads(json.dumps(a)) == json.loads(json.dumps(b)))
    except (TypeError, ValueError):  # binary values
        return bool(a == b)


def _dropped(msg: dict[str, Any], passed: dict[str, Any] | None) -> list[str]:
    """The traits an update in ``msg`` set that ``passed`` no longer sets."""
    state = msg.get("content", {}).get("data", {}).get("state")
    if not isinstance(state, dict):
        return []
    kept = passed["content"]["data"].get("state", {}) if passed is not None else {}
    return [k for k in state if k not in kept]


def install(role: str) -> None:
    """Screen every widget message of this kernel, and keep the widget machinery's
    tracebacks and warnings off the page (idempotent; the meeting kernel only)."""
    if _installed:
        _installed["role"] = role
        return
    original = widgets.Widget._handle_msg
    _installed.update(role=role, original=original, showwarning=warnings.showwarning)

    def handle(self: widgets.Widget, msg: dict[str, Any]) -> None:
        try:
            passed, refused = screen(self, msg, _installed["role"])
            if _installed.get("blocked") and passed is not None and not refused \
                    and msg.get("content", {}).get("data", {}).get("method") != "request_state":
                passed, refused = None, ["a message from a page whose link was revoked"]
            if refused:
                server_log().warning(
                    "refused widget message from a %s page: %s on %s (%s)",
                    _installed["role"], ", ".join(refused), type(self).__name__,
                    one_line(getattr(self, "description", "") or "-", 60),
                )
                keys = [k for k in _dropped(msg, passed) if k in self.keys]
                if keys:
                    self.send_state(keys)  # the page shows the true state again
            if passed is not None:
                original(self, passed)
        except Exception:  # noqa: BLE001 - the page's edge: the server's log, never the page
            server_log().exception("a widget message to %s failed", type(self).__name__)

    widgets.Widget._handle_msg = handle
    warnings.showwarning = _log_warning
    _quiet_shell()


def block() -> None:
    """From now on refuse every widget message but a request for state: the page's link was
    revoked (pmkit.meeting.revocation)."""
    if _installed:
        _installed["blocked"] = True


def _quiet_shell() -> None:
    """In a kernel, send what the shell would show as a traceback to the server's log."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipywidgets needs IPython
        return
    shell = get_ipython()
    if shell is None:
        return

    def showtraceback(exc_tuple: Any = None, *args: Any, **kwargs: Any) -> None:
        info = exc_tuple if exc_tuple else sys.exc_info()
        server_log().error("an error in the meeting kernel, kept from the page",
                           exc_info=info if info and info[0] is not None else None)

    shell.showtraceback = showtraceback
    _installed["shell"] = shell


def _log_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: Any = None, line: str | None = None) -> None:
    server_log().warning("%s", one_line(warnings.formatwarning(message, category, filename, lineno, line)))


def uninstall() -> None:
    """Undo :func:`install` (for tests)."""
    if _installed:
        widgets.Widget._handle_msg = _installed["original"]
        warnings.showwarning = _installed["showwarning"]
        shell = _installed.get("shell")
        if shell is not None:
            del shell.showtraceback  # the class's own method again
        _installed.clear()
