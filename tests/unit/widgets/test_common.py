"""The callback edge: a failed save shows one short line, keeps the input, and nothing of the
error (traceback, paths, internals) reaches any widget or stdout; the server log gets it."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from pmkit.errors import StorageError
from pmkit.logs import LOGGER_NAME
from pmkit.store import Workspace
from pmkit.widgets import MeetingBoard
from pmkit.widgets.common import FormButton, FormText, html_table, iter_widgets
from pmkit.widgets.edge import UNEXPECTED, Status, esc, guarded


class FailingWorkspace(Workspace):
    """A real workspace whose rating and agreement writes fail (a full disk, a bug)."""

    error: Exception = RuntimeError("disk on fire at /var/lib/secret/workspace.sqlite")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        def fail(*args: Any, **kwargs: Any) -> Any:
            raise self.error

        self.items.set_rating = self.items.add = fail  # type: ignore[method-assign]


def page_text(board: MeetingBoard) -> str:
    return "\n".join(
        repr({k: v for k, v in w.get_state().items() if not isinstance(v, (bytes, memoryview))})
        for w in iter_widgets(board.widget)
    )


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Any:
    handler = Records()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_an_unexpected_error_shows_one_line_and_no_traceback(
    workspace: Workspace, demo: str, records: Records, capsys: pytest.CaptureFixture[str]
) -> None:
    board = MeetingBoard(FailingWorkspace(workspace.folder), demo, "facilitator")
    goals = board.panel("Goals")
    goals.select.value = "test-env"  # type: ignore[attr-defined]
    goals.rows["customer"].importance.value = 1  # type: ignore[attr-defined]
    assert board.status.is_error and board.status.message == UNEXPECTED
    assert goals.rows["customer"].importance.value == 1  # the input is kept  # type: ignore[attr-defined]
    capture = board.panel("Capture")
    capture.text.value = "Kept after a failed save"  # type: ignore[attr-defined]
    capture.record.click()  # type: ignore[attr-defined]
    assert capture.text.value == "Kept after a failed save"  # type: ignore[attr-defined]
    page = page_text(board)
    for leak in ("Traceback", "disk on fire", "/var/lib/secret", "RuntimeError", 'File "'):
        assert leak not in page
    assert capsys.readouterr().out == ""
    assert records.records and records.records[0].exc_info is not None
    assert "disk on fire" in str(records.records[0].exc_info[1])
    assert workspace.sessions.load(demo, "facilitator").goals[0].ratings["customer"].importance == 5
    board.close()


def test_a_pmkit_error_shows_its_own_message(workspace: Workspace, demo: str) -> None:
    ws = FailingWorkspace(workspace.folder)
    ws.error = StorageError("the workspace is busy or locked; try again in a moment")
    board = MeetingBoard(ws, demo, "facilitator")
    board.panel("Goals").rows["customer"].importance.value = 2  # type: ignore[attr-defined]
    assert board.status.message == "the workspace is busy or locked; try again in a moment"
    assert 'role="alert"' in board.status.widget.value
    board.close()


def test_messages_are_escaped() -> None:
    status = Status()
    status.error("goal '<img src=x onerror=alert(1)>' is gone")
    assert "<img" not in status.widget.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in status.widget.value
    status.ok("Saved: <b>")
    assert "&lt;b&gt;" in status.widget.value
    assert esc('"<&>') == "&quot;&lt;&amp;&gt;"
    table = html_table(["<h>"], [["<script>x</script>"]])
    assert "<script>" not in table and "&lt;script&gt;" in table and "&lt;h&gt;" in table


class Thing:
    def __init__(self) -> None:
        self.status = Status()

    @guarded
    def fails(self, what: str) -> str:
        raise KeyError(what)

    @guarded
    def works(self, what: str) -> str:
        return what.upper()


def test_guarded_returns_the_result_or_none() -> None:
    thing = Thing()
    assert thing.works("ok") == "OK"
    assert thing.fails("x") is None
    assert thing.status.message == UNEXPECTED


def test_keyboard_interrupt_is_not_swallowed() -> None:
    class Stop:
        status = Status()

        @guarded
        def run(self) -> None:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Stop().run()


def test_a_forms_button_acts_on_a_click_from_the_page_only_once_every_box_has_answered() -> None:
    title, owner = FormText(), FormText()
    button = FormButton(fields=[title, owner], description="Add action")
    seen: list[tuple[str, str]] = []
    button.on_click(lambda _b: seen.append((title.value, owner.value)))
    title.value = "Ask the vend"
    button._handle_button_msg(button, {"event": "click"}, [])  # the page's click: a call, no action yet
    assert seen == [] and button.form_call == 1
    title.value, title.form_answer = "Ask the vendor", 1  # the rest of the keys, with the answer
    assert seen == []  # the owner's box has not answered
    owner.form_answer = 0  # an answer to an earlier call counts for nothing
    owner.form_answer = 1
    assert seen == [("Ask the vendor", "")]
    owner.form_answer = 1
    title.form_answer = 1  # answered again: the form acts once per call
    assert len(seen) == 1
    title._handle_string_msg(title, {"event": "submit"}, [])  # Enter in a box: the same call
    title.form_answer = owner.form_answer = 2
    assert len(seen) == 2
    button.disabled = True
    title._handle_string_msg(title, {"event": "submit"}, [])  # not through a disabled button
    assert button.form_call == 2
    button.click()  # a click made in the kernel acts at once
    assert len(seen) == 3
    button.close()
