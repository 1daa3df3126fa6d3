"""A real `pmkit serve` and a raw websocket client that speaks the widget protocol: widget
messages with values no control offers (an index out of range, text where a number
belongs, a number where text belongs) get no traceback back, only the true state; the
server's log keeps the attempts. No browser: the page is fetched as plain HTTP."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

from pmkit.meeting import links
from pmkit.store import Workspace
from tests.support.live import serve
from tests.support.widget_protocol import KernelSocket

# what a hostile page sends for each kind of control: values no person could enter there
_BAD_VALUES: dict[str, list[Any]] = {
    "TextModel": [5, None, ["a"], {"a": 1}, True],
    "TextareaModel": [5, None, ["a"]],
    "FloatTextModel": ["x", None, [1.5], {"v": 1}],
    "BoundedIntTextModel": ["x", 10_000, -5, 2.5],
    "FloatSliderModel": ["x", 99.0, -3, None],
    "DatePickerModel": [{"year": "x"}, "tomorrow", 5],
}


def _kernel_of_page(url: str) -> str:
    """Open the page as a browser would (plain HTTP) and return its kernel's id."""
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310 - a local test server
        page = response.read().decode("utf-8")
    found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page)
    assert found, "the page names its kernel"
    return found.group(1)


def _forge(sock: KernelSocket, comm_id: str, state: dict[str, Any]) -> str:
    return sock.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                               "buffer_paths": []}})


def _invalid_updates(states: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    updates: list[tuple[str, dict[str, Any]]] = []
    for cid, st in states.items():
        model = st.get("_model_name", "")
        if "index" in st and "_options_labels" in st:  # dropdowns, lists, toggles, sliders of choices
            n = len(st["_options_labels"])
            updates += [(cid, {"index": v}) for v in (n, n + 5, 99, -1, "1", 1.5, [0], {"i": 0})]
        if model == "TabModel":
            updates += [(cid, {"selected_index": v}) for v in (len(st.get("children", [])) + 3, -1, "0")]
        for value in _BAD_VALUES.get(model, []):
            updates.append((cid, {"value": value}))
    return updates


def test_invalid_widget_values_get_no_traceback_over_the_websocket(
    workspace: Workspace, demo: str, tmp_path: Path
) -> None:
    before = workspace.sessions.load(demo, "facilitator").model_dump()
    version = workspace.sessions.version(demo)
    with serve(workspace.folder, demo, tmp_path) as server:
        url = links.link_url(server.base, links.make_token(workspace, demo, "customer"))
        sock = KernelSocket(server.base, _kernel_of_page(url))
        try:
            states = sock.states(sock.comm_ids())
            assert len(states) > 10, "the page's widgets are listed"
            # the tabs' panels are built when shown: show each, then list the widgets again
            tabs = [(cid, st) for cid, st in states.items() if st.get("_model_name") == "TabModel"]
            assert tabs, "the board has tabs"
            for cid, st in tabs:
                for index in range(len(st.get("children", []))):
                    _forge(sock, cid, {"selected_index": index})
            states = sock.states(sock.comm_ids())
            models = {st.get("_model_name") for st in states.values()}
            assert {"DropdownModel", "TextModel", "TabModel", "BoundedIntTextModel"} <= models
            updates = _invalid_updates(states)
            sock.received.clear()
            last = ""
            for cid, state in updates:
                last = _forge(sock, cid, state)
            # every message is handled in turn: once the last one's is done, all are
            done = sock.recv_until(lambda m: m["header"]["msg_type"] == "status"
                                   and m["parent_header"].get("msg_id") == last
                                   and m["content"].get("execution_state") == "idle", timeout=120)
            assert done is not None, "the kernel handled every message"
            received = list(sock.received)
        finally:
            sock.close()
        log = server.log()
    assert len(updates) > 50
    print(f"{len(updates)} widget messages with invalid values sent; {len(received)} messages came back")
    errors = [m for m in received if m["header"]["msg_type"] == "error"]
    assert errors == []
    wire = json.dumps(received)
    assert "Traceback" not in wire and "TraitError" not in wire and "site-packages" not in wire
    # the page is told the true state of what it tried to change
    assert any(m["header"]["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "update"
               for m in received)
    assert "refused widget message from a customer page: invalid index" in log
    # nothing fell through to the kernel's last line of defence
    assert "a widget message to" not in log and "an error in the meeting kernel" not in log
    assert workspace.sessions.load(demo, "facilitator").model_dump() == before
    assert workspace.sessions.version(demo) == version
