"""The page may change values (to ones the control offers) and click enabled buttons;
nothing else gets through, and nothing it sends makes the kernel show a traceback."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets
import pytest

from pmkit.logs import LOGGER_NAME
from pmkit.meeting import guard
from pmkit.widgets.common import FormText


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
        (widgets.Dropdown(options=["a", "b"]), update(index=99), False, ["invalid index 99"]),
        (widgets.Text(), update(value="x", index=1), True, ["invalid index 1"]),
        (widgets.IntSlider(max=10), update(value=4), True, []),
        (widgets.SelectMultiple(options=["a", "b", "c"]), update(index=[0, 2]), True, []),
        (widgets.DatePicker(), update(value={"year": 2030, "month": 0, "date": 5}), True, []),
        # a form's box answers its button's call with a number, and nothing else
        (FormText(), update(value="typed", form_answer=3), True, []),
        (FormText(), update(form_answer="x"), False, ["invalid form_answer 'x'"]),
        (widgets.Text(), update(form_answer=3), False, ["invalid form_answer 3"]),
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


@pytest.fixture
def guarded_kernel(caplog: pytest.LogCaptureFixture) -> Any:
    """The guard installed as in a meeting kernel, with the server's log captured."""
    guard.install("customer")
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        guard.uninstall()


class Sent:
    """What a widget sends back to the page (its comm's messages)."""

    def __init__(self, widget: widgets.Widget) -> None:
        self.messages: list[dict[str, Any]] = []
        widget._send = lambda msg, buffers=None: self.messages.append(msg)  # type: ignore[method-assign]


@pytest.mark.parametrize(
    "make, trait, forged",
    [
        (lambda: widgets.Dropdown(options=["a", "b", "c"], index=1), "index", [99, -1, "1", 1.5, [0]]),
        (lambda: widgets.IntSlider(value=4, min=0, max=10), "value", ["four", None, 1000, -5, 4.5, {"v": 1}]),
        (lambda: widgets.Text(value="kept"), "value", [5, None, ["a"], {"a": 1}, True]),
        (lambda: widgets.Tab(children=[widgets.HTML(), widgets.HTML()], selected_index=1), "selected_index",
         [2, 99, -1, "0"]),
    ],
)
def test_an_invalid_value_is_refused_quietly_logged_and_the_true_state_sent_back(
    guarded_kernel: pytest.LogCaptureFixture, make: Any, trait: str, forged: list[Any]
) -> None:
    widget = make()
    true = widget.get_state(trait)[trait]
    seen: list[Any] = []
    widget.observe(lambda change: seen.append(change["new"]), names=trait)
    sent = Sent(widget)
    for value in forged:
        guarded_kernel.clear()
        widget._handle_msg(update(**{trait: value}))  # no exception escapes
        assert widget.get_state(trait)[trait] == true, value
        lines = [r.getMessage() for r in guarded_kernel.records]
        assert len(lines) == 1 and f"invalid {trait}" in lines[0], (value, lines)
        assert "refused widget message from a customer page" in lines[0]
        assert sent.messages[-1] == {"method": "update", "state": {trait: true}, "buffer_paths": []}
    assert seen == []  # no callback ran


def test_a_valid_value_still_gets_through_the_installed_guard(guarded_kernel: pytest.LogCaptureFixture) -> None:
    dropdown = widgets.Dropdown(options=["a", "b", "c"])
    dropdown._handle_msg(update(index=2))
    slider = widgets.IntSlider(value=4, max=10)
    slider._handle_msg(update(value=7))
    assert (dropdown.value, slider.value) == ("c", 7)
    assert guarded_kernel.records == []


def test_a_failing_callback_is_logged_for_the_server_and_shown_nowhere(
    guarded_kernel: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    text = widgets.Text()

    def explode(change: dict[str, Any]) -> None:
        raise RuntimeError("at /srv/secret/path")

    text.observe(explode, names="value")
    text._handle_msg(update(value="typed"))  # no exception escapes
    assert text.value == "typed"
    logged = [r for r in guarded_kernel.records if r.exc_info]
    assert logged and "secret" in str(logged[0].exc_info[1])  # type: ignore[index]
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err and "secret" not in out.out + out.err


def test_in_a_kernel_a_traceback_the_widgets_would_show_goes_to_the_server_log(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    class Shell:
        def showtraceback(self, *args: Any, **kwargs: Any) -> None:  # what would reach the page
            shown.append("traceback")

    shell = Shell()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    monkeypatch.setattr("ipywidgets.widgets.widget.get_ipython", lambda: shell)
    guard.install("customer")
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(caplog.handler)
    try:
        button = widgets.Button(description="Go")
        button.on_click(lambda b: 1 / 0)  # ipywidgets catches this and asks the shell to show it
        button._handle_msg(msg({"method": "custom", "content": {"event": "click"}}))
        widgets.Dropdown(options=["a"])._handle_msg(msg({"method": "update", "state": {"index": 0}}))
    finally:
        logger.removeHandler(caplog.handler)
        guard.uninstall()
    assert shown == []
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
    assert "showtraceback" not in vars(shell)  # uninstall puts the shell back
