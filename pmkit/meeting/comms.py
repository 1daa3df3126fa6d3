"""Which comms the page may open and close: the widget front end's control channel, nothing else.

The kernel's widgets are all made by the kernel; the page only shows them. What Voila's
widget manager (ipywidgets 8, ``@voila-dashboards/widgets-manager8``) opens itself is one
comm on the ``jupyter.widget.control`` target (metadata ``version`` 1.x): it asks for every
widget's state (``request_states``) and closes that comm again. It opens no widget
(``jupyter.widget``) and closes none of the kernel's.

So, in the meeting kernel, :func:`install` lets through a ``comm_open`` only for the
control target, with at most :data:`MAX_CONTROL` of them open at a time, and a
``comm_close`` only for a comm the page itself opened. Anything else — a widget of any class
opened from the page (a Button, a Text, an Output), an unknown target, closing one of the
board's comms — is dropped before ipykernel makes a comm of it: nothing is built, nothing is
kept. The attempts are counted and logged to the server (the first few of each kind, then
one line per :data:`LOG_EVERY`), never to the page.

What this relies on in ipykernel 6-7 and comm 0.2 (check on upgrade): the kernel dispatches
shell messages through ``kernel.shell_handlers[msg_type]``, set at start to the comm
manager's ``comm_open`` / ``comm_close``; the comm manager keeps its comms in ``.comms`` by
id, each with its ``target_name``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from pmkit.errors import one_line
from pmkit.logs import server_log

__all__ = ["CONTROL_TARGET", "LOG_EVERY", "MAX_CONTROL", "install", "refusal", "uninstall"]

CONTROL_TARGET = "jupyter.widget.control"
MAX_CONTROL = 4  # the front end opens one, and closes it once it has the widgets' states
LOG_EVERY = 500
_FIRST_LOGGED = 5
_state: dict[str, Any] = {}


def refusal(msg_type: str, content: Any, comms: dict[str, Any], opened: set[str]) -> str | None:
    """Why the page may not send this ``comm_open`` / ``comm_close`` (one phrase), or None.

    ``comms`` are the kernel's comms by id; ``opened`` the ids of those the page opened."""
    if not isinstance(content, dict):
        return "a malformed message"
    comm_id = content.get("comm_id")
    if not isinstance(comm_id, str) or not comm_id:
        return "a malformed message"
    if msg_type == "comm_close":
        if comm_id in opened:
            return None
        return "closing one of the board's comms" if comm_id in comms else "closing an unknown comm"
    target = content.get("target_name")
    if target != CONTROL_TARGET:
        model = content.get("data", {}).get("state", {}).get("_model_name") if isinstance(
            content.get("data"), dict) and isinstance(content["data"].get("state"), dict) else None
        what = f" (a {one_line(str(model), 40)})" if model else ""
        return f"opening a comm on target {one_line(repr(target), 60)}{what}"
    if comm_id in comms:
        return "opening a comm whose id is taken"
    if len(opened & set(comms)) >= MAX_CONTROL:
        return f"opening more than {MAX_CONTROL} control comms"
    return None


def install(role: str = "") -> bool:
    """Screen the page's ``comm_open`` and ``comm_close`` in this kernel (idempotent).
    Returns False outside a kernel (nothing to screen)."""
    if _state:
        _state["role"] = role or _state["role"]
        return True
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipywidgets needs IPython
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    manager = getattr(kernel, "comm_manager", None)
    handlers = getattr(kernel, "shell_handlers", None)
    if manager is None or not isinstance(handlers, dict):
        return False
    opened: set[str] = set()
    counts: Counter[str] = Counter()
    _state.update(role=role, kernel=kernel, originals={k: handlers.get(k) for k in ("comm_open", "comm_close")},
                  opened=opened, counts=counts)

    def screened(msg_type: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def handle(stream: Any, ident: Any, msg: dict[str, Any]) -> Any:
            content = msg.get("content")
            why = refusal(msg_type, content, manager.comms, opened)
            if why is not None:
                _log_refusal(msg_type, why, counts)
                return None
            comm_id = content["comm_id"]  # type: ignore[index]
            if msg_type == "comm_close":
                opened.discard(comm_id)
            else:
                opened.add(comm_id)
                opened.intersection_update(set(manager.comms) | {comm_id})  # forget the closed ones
            return original(stream, ident, msg)

        return handle

    for msg_type, original in _state["originals"].items():
        if original is not None:
            handlers[msg_type] = screened(msg_type, original)
    return True


def _log_refusal(msg_type: str, why: str, counts: Counter[str]) -> None:
    """Log the first few refusals of each kind, then one line every :data:`LOG_EVERY`: a
    flood of forged messages neither fills the log nor keeps anything in memory."""
    key = f"{msg_type}: {why.split(' (')[0]}"
    counts[key] += 1
    n = counts[key]
    if n <= _FIRST_LOGGED or n % LOG_EVERY == 0:
        server_log().warning("refused %s from a %s page: %s (%d so far)", msg_type, _state.get("role") or "meeting",
                             why, n)


def refused_count() -> int:
    """How many comm messages this kernel refused (for tests)."""
    counts: Counter[str] = _state.get("counts", Counter())
    return sum(counts.values())


def uninstall() -> None:
    """Undo :func:`install` (for tests)."""
    if _state:
        handlers = _state["kernel"].shell_handlers
        for msg_type, original in _state["originals"].items():
            if original is not None:
                handlers[msg_type] = original
        _state.clear()
