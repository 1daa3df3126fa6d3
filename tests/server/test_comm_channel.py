"""The widget channel, as a hostile page uses it over the raw kernel websocket: opening
widgets of any class, comms on unknown targets, closing the board's own comms, and a flood
of large forged comm_opens. On every role's page, the room's included: none of it is
accepted, the kernel does not grow, the server's log keeps the attempts and the page is
told nothing. The widget front end's own control comm still works."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from pmkit.meeting import links
from pmkit.store import Workspace
from tests.support.live import kernel_pids, rss_mb, serve
from tests.support.widget_protocol import KernelSocket

_WIDGET_VERSION = {"version": "2.1.0"}  # ipywidgets 8's widget protocol: accepted before the guard


def _kernel_of_page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310 - a local test server
        page = response.read().decode("utf-8")
    found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page)
    assert found, "the page names its kernel"
    return found.group(1)


def _pid_of_kernel(connection_dir: Path, kernel_id: str) -> int:
    for pid in kernel_pids(connection_dir):
        if kernel_id in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return pid
    raise AssertionError(f"no process for kernel {kernel_id}")


def _send(sock: KernelSocket, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> str:
    """A shell message with its own metadata (KernelSocket.send sends none)."""
    msg_id = uuid.uuid4().hex
    sock.ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "probe", "session": sock.session, "msg_type": msg_type,
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell", "buffers": [],
    }))
    return msg_id


def _widget_state(model: str, view: str, **extra: Any) -> dict[str, Any]:
    return {"_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0", "_model_name": model,
            "_view_module": "@jupyter-widgets/controls", "_view_module_version": "2.0.0", "_view_name": view,
            **extra}


def _open_widget(sock: KernelSocket, state: dict[str, Any]) -> str:
    return _send(sock, "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                                     "data": {"state": state, "buffer_paths": []}}, _WIDGET_VERSION)


def _all_comms(sock: KernelSocket) -> dict[str, Any]:
    mid = sock.send("comm_info_request", {})
    reply = sock.recv_until(lambda m: m.get("parent_header", {}).get("msg_id") == mid
                            and m["header"]["msg_type"] == "comm_info_reply", 60)
    assert reply is not None, "no comm_info_reply"
    return dict(reply["content"]["comms"])


FORGED = [
    _widget_state("ButtonModel", "ButtonView", description="Approve the budget"),
    _widget_state("TextModel", "TextView", value="forged text"),
    {**_widget_state("OutputModel", "OutputView"), "_model_module": "@jupyter-widgets/output",
     "_model_module_version": "1.0.0", "_view_module": "@jupyter-widgets/output", "_view_module_version": "1.0.0"},
]


def _attack(sock: KernelSocket) -> None:
    """Every kind of comm message the page may not send; returns once the kernel handled them."""
    board = _all_comms(sock)
    for state in FORGED:
        _open_widget(sock, state)
    _send(sock, "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "pmkit.anything", "data": {}})
    _send(sock, "comm_open", {"comm_id": next(iter(board)), "target_name": "jupyter.widget.control", "data": {}},
          {"version": "1.0.0"})  # a control comm with a board comm's id
    for comm_id in board:
        sock.send("comm_close", {"comm_id": comm_id, "data": {}})
    sock.settle()


def _control_comm_works(sock: KernelSocket) -> bool:
    """What the widget front end does on connect: open a control comm, ask for every state, close it."""
    cid = uuid.uuid4().hex
    _send(sock, "comm_open", {"comm_id": cid, "target_name": "jupyter.widget.control", "data": {}},
          {"version": "1.0.0"})
    sock.comm_msg(cid, {"method": "request_states"})
    reply = sock.recv_until(lambda m: m["header"]["msg_type"] == "comm_msg" and m["content"].get("comm_id") == cid
                            and m["content"]["data"].get("method") == "update_states", 60)
    sock.send("comm_close", {"comm_id": cid, "data": {}})
    sock.settle()
    return reply is not None and len(reply["content"]["data"]["states"]) > 5


@pytest.mark.timeout(900)  # five pages on a shared machine
def test_no_page_opens_or_closes_a_comm_but_the_front_ends_own(workspace: Workspace, demo: str,
                                                                tmp_path: Path) -> None:
    member = workspace.participants.add(demo, "customer", "Cora Buyer").participant_id
    with serve(workspace.folder, demo, tmp_path) as server:
        pages = {role: links.link_url(server.base, links.make_token(workspace, demo, role))
                 for role in workspace.sessions.link_roles(demo)}
        pages["member"] = links.link_url(server.base, links.make_token(workspace, demo, "customer",
                                                                       participant=member))
        assert {"facilitator", "customer", "management", "room", "member"} <= set(pages)
        for who, url in pages.items():
            sock = KernelSocket(server.base, _kernel_of_page(url), timeout=60)
            try:
                before = _all_comms(sock)
                assert len(before) > 5, f"the {who} page's widgets are listed"
                sock.received.clear()
                _attack(sock)
                received = list(sock.received)
                after = _all_comms(sock)
                # no widget was made, no board comm was closed, nothing on another target
                assert after == before, f"the {who} page's comms changed"
                # the board still answers for its widgets
                assert len(sock.states(list(before)[:3])) == 3
                assert _control_comm_works(sock), f"the {who} page's widget front end cannot load"
                assert _all_comms(sock) == before
            finally:
                sock.close()
            wire = json.dumps(received)
            assert "refused" not in wire and "Traceback" not in wire
            assert not [m for m in received if m["header"]["msg_type"] in ("error", "stream")]
        log = server.log()
    for role in ("facilitator", "customer", "management", "room"):
        assert f"refused comm_open from a {role} page: opening a comm on target 'jupyter.widget' (a ButtonModel)" \
            in log
        assert f"refused comm_close from a {role} page: closing one of the board's comms" in log
    assert "opening a comm on target 'pmkit.anything'" in log
    assert "opening a comm whose id is taken" in log
    assert "Approve the budget" not in log  # the log names the attempt, not what it carried


@pytest.mark.timeout(900)  # 300 MB through the websocket
def test_a_flood_of_large_forged_comm_opens_does_not_grow_the_rooms_kernel(
    workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    with serve(workspace.folder, demo, tmp_path) as server:
        kernel_id = _kernel_of_page(links.link_url(server.base, links.make_token(workspace, demo, "room")))
        pid = _pid_of_kernel(server.connection_dir, kernel_id)
        sock = KernelSocket(server.base, kernel_id, timeout=120)
        try:
            before_comms = _all_comms(sock)
            for n in range(50):  # the kernel's own allocations for this kind of message settle first
                _open_widget(sock, _widget_state("TextModel", "TextView", value=f"{n}" + "x" * 100_000))
            sock.settle(120)
            before = rss_mb(pid)
            for n in range(3000):
                _open_widget(sock, _widget_state("TextModel", "TextView", value=f"{n}" + "x" * 100_000))
                if n % 200 == 199:
                    sock.drain(0.01)  # keep reading the kernel's status messages
            sock.settle(300)
            after = rss_mb(pid)
            assert _all_comms(sock) == before_comms
        finally:
            sock.close()
        log = server.log()
    print(f"room kernel: {before:.0f} MB before 3,000 forged comm_opens of 100 kB, {after:.0f} MB after")
    assert after - before < 30, f"the kernel grew from {before:.0f} MB to {after:.0f} MB"
    # logged, but not 3,000 times
    refusals = log.count("refused comm_open from a room page")
    assert 5 <= refusals < 20, refusals
    assert "(3000 so far)" in log
