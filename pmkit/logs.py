"""The kernel's log for the server: lines that reach the server's stderr, never the page.

Inside a meeting kernel, ``print``, ``sys.stderr`` and a root logging handler all reach
the browser (ipykernel forwards them as output). :func:`server_log` writes to a copy of the
process's original stderr instead, which only the server's log sees. Use it for every
refusal, every unexpected error and its traceback.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import TextIO

__all__ = ["LOGGER_NAME", "server_log"]

LOGGER_NAME = "pmkit.kernel"
_log = logging.getLogger(LOGGER_NAME)


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
    """The kernel's logger, writing to the server's log only (never to the page)."""
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
