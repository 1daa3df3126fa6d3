"""Live pages: a page that looks for changes on its own, from an asyncio task on the
kernel's running loop (the meeting board and the room screen). The task waits on
``store.watch(session_id)``: a notification that the session changed (PostgreSQL), or
every ``poll_seconds`` (SQLite)."""

from __future__ import annotations

import asyncio

from pmkit.store import Workspace

__all__ = ["Polling"]


class Polling:
    """A page whose :meth:`sync` (one look: redraw if something changed) runs whenever the
    workspace says its session may have changed (at the latest every ``_interval``
    seconds) once :meth:`start_polling` is called, until :meth:`stop_polling`. Without a
    running event loop (plain scripts, tests) nothing runs: call ``sync()`` yourself."""

    store: Workspace
    session_id: str
    _interval: float
    _closed = False
    _task: asyncio.Task[None] | None = None

    def sync(self) -> bool | None:  # pragma: no cover - every page looks for its own changes
        raise NotImplementedError

    def start_polling(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = loop.create_task(self._poll())

    async def _poll(self) -> None:
        async for _ in self.store.watch(self.session_id, self._interval):
            if self._closed:
                return
            self.sync()

    def stop_polling(self) -> None:
        self._closed = True
        if self._task is not None:
            self._task.cancel()
            self._task = None
