"""The facilitator's Export tab sends the minutes by email (a real SMTP server on a loopback
port); a party's tab has no such button, and its panel refuses to send."""

from __future__ import annotations

import pytest

from pmkit.model import FACILITATOR
from pmkit.store import Workspace
from pmkit.widgets.context import BoardContext
from pmkit.widgets.panels.export import ExportPanel
from tests.support.smtp_inbox import body_texts, smtp_inbox


def test_the_button_mails_each_address_and_says_so(workspace: Workspace, demo: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pid = workspace.participants.add(demo, "customer", "Cara").participant_id
    workspace.mail.set_email(demo, pid, "cara@customer.example")
    panel = ExportPanel(BoardContext(workspace, demo, FACILITATOR))
    assert panel.mail_button is not None
    with smtp_inbox() as inbox:
        monkeypatch.setenv("PMKIT_SMTP_URL", inbox.url)
        monkeypatch.setenv("PMKIT_FACILITATOR_EMAIL", "")
        panel.mail_button.click()
    assert [m["To"] for m in inbox.messages] == ["cara@customer.example"]
    assert body_texts(inbox.messages[0])[1].startswith(b"%PDF")
    assert panel.status.message == "Sent the minutes: 1 message, each journaled." and not panel.status.is_error
    assert [(r.to, r.ok) for r in workspace.mail.log(demo)] == [("cara@customer.example", True)]


def test_a_failure_is_on_the_status_line(workspace: Workspace, demo: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMKIT_SMTP_URL", "")
    panel = ExportPanel(BoardContext(workspace, demo, FACILITATOR))
    panel.send()
    assert panel.status.is_error and "no mail server" in panel.status.message


def test_a_party_has_no_button_and_cannot_send(workspace: Workspace, demo: str) -> None:
    panel = ExportPanel(BoardContext(workspace, demo, "management"))
    assert panel.mail_button is None
    panel.send()  # as a forged message would call it
    assert panel.status.is_error and "only the facilitator" in panel.status.message
    assert workspace.mail.log(demo) == []
