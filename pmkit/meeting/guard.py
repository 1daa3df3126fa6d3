"""What the page may tell a widget: the values a person can enter, nothing else.

The browser can send any widget message (Voila keeps comm messages open). A person using
the page only ever changes a value (``value``, ``index``, ``selected_index``) or clicks an
enabled button; anything else — re-enabling a disabled control, rewriting options,
descriptions, classes or layout, clicking a disabled button — did not come from a person.
:func:`install` drops such messages in the meeting kernel, logs them to the server (never to
the page) and sends the true state back so the page shows it again. Permission checks in
the callbacks and in the store stay as they are; this is one more layer, and the log of
attempts.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmkit.logs import server_log

__all__ = ["USER_TRAITS", "install", "screen", "uninstall"]

USER_TRAITS = frozenset({"value", "index", "selected_index"})
_installed: dict[str, Any] = {}


def screen(widget: widgets.Widget, msg: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The part of ``msg`` a person could have sent, and the names of what was refused.

    Returns ``(None, refused)`` when nothing of the message may pass.
    """
    data = msg.get("content", {}).get("data", {})
    method = data.get("method")
    disabled = bool(getattr(widget, "disabled", False))
    if method == "request_state":
        return msg, []
    if method == "custom":
        return (None, ["click on a disabled control"]) if disabled else (msg, [])
    if method != "update":
        return None, [f"method {method!r}"]
    state = data.get("state", {})
    if not isinstance(state, dict):
        return None, ["a malformed update"]
    refused = sorted(k for k in state if disabled or k not in USER_TRAITS)
    if not refused:
        return msg, []
    kept = {k: v for k, v in state.items() if k not in refused}
    if not kept:
        return None, refused
    paths = [p for p in data.get("buffer_paths", []) if p and p[0] in kept]
    new_data = {**data, "state": kept, "buffer_paths": paths}
    return {**msg, "content": {**msg["content"], "data": new_data}}, refused


def install(role: str) -> None:
    """Screen every widget message of this kernel (idempotent; the meeting kernel only)."""
    if _installed:
        _installed["role"] = role
        return
    original = widgets.Widget._handle_msg
    _installed.update(role=role, original=original)

    def handle(self: widgets.Widget, msg: dict[str, Any]) -> None:
        passed, refused = screen(self, msg)
        if refused:
            server_log().warning(
                "refused widget message from a %s page: %s on %s (%s)",
                _installed["role"], ", ".join(refused), type(self).__name__, getattr(self, "description", "") or "-",
            )
            keys = [k for k in refused if k in self.keys]
            if keys:
                self.send_state(keys)  # the page shows the true state again
        if passed is not None:
            original(self, passed)

    widgets.Widget._handle_msg = handle


def uninstall() -> None:
    """Undo :func:`install` (for tests)."""
    if _installed:
        widgets.Widget._handle_msg = _installed["original"]
        _installed.clear()
