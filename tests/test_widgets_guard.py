"""The page may change values and click enabled buttons; nothing else gets through."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.logs import LOGGER_NAME
from pmkit.meeting import guard


def msg(data: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"comm_id": "x", "data": data}, "buffers": []}


def update(**state: Any) -> dict[str, Any]:
    return msg({"method": "update", "state": state, "buffer_paths": []})


@pytest.mark.parametrize(
    "widget, message, passes, refused",
    [
        (widgets.Text(), update(value="typed"), True, []),
        (widgets.Dropdown(options=["a", "b"]), update(index=1), True, []),
        (widgets.Tab(children=[widgets.HTML()]), update(selected_index=0), True, []),
        (widgets.Text(disabled=True), update(value="typed"), False, ["value"]),
        (widgets.Text(), update(disabled=False), False, ["disabled"]),
        (widgets.Dropdown(options=["a"]), update(_options_labels=["a", "hidden"]), False, ["_options_labels"]),
        (widgets.Text(), update(value="x", description="management"), True, ["description"]),
        (widgets.Button(), msg({"method": "custom", "content": {"event": "click"}}), True, []),
        (widgets.Button(disabled=True), msg({"method": "custom", "content": {"event": "click"}}), False,
         ["click on a disabled control"]),
        (widgets.Button(), msg({"method": "request_state"}), True, []),
        (widgets.Button(), msg({"method": "something"}), False, ["method 'something'"]),
    ],
)
def test_screen_lets_through_only_what_a_person_could_send(
    widget: widgets.Widget, message: dict[str, Any], passes: bool, refused: list[str]
) -> None:
    passed, why = guard.screen(widget, message)
    assert (passed is not None) == passes
    assert why == refused
    if passed is not None and passed["content"]["data"].get("method") == "update":
        assert set(passed["content"]["data"]["state"]) <= guard.USER_TRAITS


def test_installed_guard_drops_refused_parts_logs_them_and_keeps_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    guard.install("customer")
    text = widgets.Text(value="before", description="Owner")
    seen: list[str] = []
    text.observe(lambda change: seen.append(change["new"]), names="value")
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(caplog.handler)
    try:
        text._handle_msg(update(value="after", disabled=True, description="management"))
        locked = widgets.Button(description="Record", disabled=True)
        clicks: list[int] = []
        locked.on_click(lambda b: clicks.append(1))
        locked._handle_msg(msg({"method": "custom", "content": {"event": "click"}}))
    finally:
        logger.removeHandler(caplog.handler)
        guard.uninstall()
    assert text.value == "after" and seen == ["after"]
    assert text.description == "Owner" and not text.disabled
    assert clicks == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused widget message from a customer page" in logged
    assert "description, disabled" in logged and "click on a disabled control" in logged
