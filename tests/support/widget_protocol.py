"""A raw client of the Jupyter kernel websocket that speaks the widget protocol, as a
hostile browser (or script) could: list the page's widgets, read their state, and send any
update or click it likes. Used to show that such messages change nothing a role may not.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import websocket  # websocket-client


class KernelSocket:
    """The legacy JSON protocol of jupyter_server's ``/api/kernels/<id>/channels``."""

    def __init__(self, base_url: str, kernel_id: str, timeout: float = 20) -> None:
        ws_url = base_url.replace("http://", "ws://").rstrip("/")
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{ws_url}/api/kernels/{kernel_id}/channels?session_id={self.session}", timeout=timeout
        )
        self.received: list[dict[str, Any]] = []

    def close(self) -> None:
        self.ws.close()

    def send(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        msg = {
            "header": {"msg_id": msg_id, "username": "probe", "session": self.session, "msg_type": msg_type,
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
        }
        self.ws.send(json.dumps(msg))
        return msg_id

    def recv_until(self, done: Callable[[dict[str, Any]], bool], timeout: float = 20) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                break
            if isinstance(raw, bytes):
                msg = _binary_message(raw)
                if msg is None:
                    continue
            else:
                msg = json.loads(raw)
            self.received.append(msg)
            if done(msg):
                return msg
        return None

    def drain(self, seconds: float) -> None:
        self.recv_until(lambda m: False, seconds)

    def settle(self, timeout: float = 60) -> None:
        """Wait until the kernel has handled every message sent so far: it answers its shell
        messages in order, so the reply to one more request comes after all of them."""
        mid = self.send("comm_info_request", {"target_name": "jupyter.widget"})
        reply = self.recv_until(lambda m: m.get("parent_header", {}).get("msg_id") == mid
                                and m["header"]["msg_type"] == "comm_info_reply", timeout)
        assert reply is not None, "the kernel did not answer"

    # -- widgets ------------------------------------------------------------------------
    def comm_ids(self) -> list[str]:
        mid = self.send("comm_info_request", {"target_name": "jupyter.widget"})
        reply = self.recv_until(lambda m: m.get("parent_header", {}).get("msg_id") == mid
                                and m["header"]["msg_type"] == "comm_info_reply")
        assert reply is not None, "no comm_info_reply"
        return list(reply["content"]["comms"])

    def states(self, comm_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Every widget's state, by asking each for it (method ``request_state``), one at a time."""
        out: dict[str, dict[str, Any]] = {}
        for cid in comm_ids:
            self.comm_msg(cid, {"method": "request_state"})
            m = self.recv_until(lambda m, cid=cid: m["header"]["msg_type"] == "comm_msg"
                                and m["content"].get("comm_id") == cid
                                and m["content"].get("data", {}).get("method") == "update", 5)
            if m is not None:
                out[cid] = dict(m["content"]["data"].get("state", {}))
        return out

    def comm_msg(self, comm_id: str, data: dict[str, Any]) -> None:
        self.send("comm_msg", {"comm_id": comm_id, "data": data})

    def update(self, comm_id: str, state: dict[str, Any]) -> None:
        self.comm_msg(comm_id, {"method": "update", "state": state, "buffer_paths": []})

    def click(self, comm_id: str) -> None:
        self.comm_msg(comm_id, {"method": "custom", "content": {"event": "click"}})


def _binary_message(raw: bytes) -> dict[str, Any] | None:
    """jupyter_server's binary frame for a message with buffers: a count, offsets, then the
    JSON message and the buffers."""
    import struct

    try:
        n = struct.unpack("!I", raw[:4])[0]
        offsets = list(struct.unpack(f"!{n}I", raw[4 : 4 + 4 * n]))
        end = offsets[1] if n > 1 else len(raw)
        msg: dict[str, Any] = json.loads(raw[offsets[0] : end].decode("utf-8"))
        return msg
    except (struct.error, ValueError, UnicodeDecodeError):
        return None


def forge_everything(sock: KernelSocket, states: dict[str, dict[str, Any]], values: list[Any]) -> int:
    """Send every kind of message a hostile page could: click every button (disabled or
    not), set every input to each of ``values`` and every index in and out of range, and
    re-enable disabled widgets. Returns how many messages were sent."""
    sent = 0
    for cid, st in states.items():
        model = st.get("_model_name", "")
        if model == "ButtonModel":
            sock.update(cid, {"disabled": False})
            sock.click(cid)
            sent += 2
            continue
        if "disabled" in st:
            sock.update(cid, {"disabled": False})
            sent += 1
        if "index" in st and "_options_labels" in st:
            n = len(st["_options_labels"])
            for i in [*range(n), n, n + 5, -1]:
                sock.update(cid, {"index": i})
                sent += 1
            sock.update(cid, {"_options_labels": [*st["_options_labels"], "facilitator", "management"]})
            sent += 1
        if "value" in st and model in ("TextModel", "TextareaModel", "DatePickerModel", "IntSliderModel",
                                       "FloatSliderModel", "HTMLModel", "ImageModel", "LabelModel"):
            for v in values:
                sock.update(cid, {"value": v})
                sent += 1
        if "description" in st:
            sock.update(cid, {"description": "management"})
            sent += 1
    return sent
