"""Mail through a real SMTP server (aiosmtpd on a loopback port): the ``smtp_url`` setting,
retries and failures that are journaled, never lost, and the minutes sent to each audience,
read back from what the server received and checked for leaks."""

from __future__ import annotations

import email.policy
import io
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmkit.errors import InputError
from pmkit.model import FACILITATOR
from pmkit.reports.mail import send_minutes
from pmkit.reports.smtp import SmtpServer, send, smtp_server
from pmkit.resources import starter_path
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from pmkit.text import renderings
from tests.support.cli import run_cli
from tests.support.live import free_port, leaks
from tests.support.smtp_inbox import body_texts, smtp_inbox

HIDDEN_WALK = 12345.75  # management's walk-away on a withheld issue: in no writing of the customer's mail


def test_the_url_names_server_port_tls_login_and_sender() -> None:
    s = smtp_server("smtp://ann%40corp.example:s3cr%2Ft@mail.corp.example?starttls=1")
    assert (s.host, s.port, s.starttls, s.ssl, s.user, s.password, s.sender) == (
        "mail.corp.example", 587, True, False, "ann@corp.example", "s3cr/t", "ann@corp.example")
    assert "s3cr" not in repr(s)
    s = smtp_server("smtps://relay.example?from=pm%40corp.example")
    assert (s.port, s.ssl, s.user, s.sender) == (465, True, "", "pm@corp.example")
    assert smtp_server("smtp://relay.example:2525?from=pm@corp.example").port == 2525


@pytest.mark.parametrize(("url", "says"), [
    ("", "no mail server: set PMKIT_SMTP_URL"),
    ("http://relay.example?from=a@b.example", "is not a mail server's URL"),
    ("smtp://relay.example", "names no sender"),
    ("smtps://relay.example?from=a@b.example&starttls=1", "SSL already"),
    ("smtp://u:hunter2@relay.example?from=a@b.example&tls=1", "unknown option 'tls'"),
    ("smtp://relay.example?from=not-an-address", "is not an email address"),
])
def test_a_bad_url_is_one_line_without_the_password(url: str, says: str) -> None:
    with pytest.raises(InputError) as err:
        smtp_server(url)
    assert says in str(err.value) and "\n" not in str(err.value) and "hunter2" not in str(err.value)


def test_settings_print_the_url_without_its_password() -> None:
    r = run_cli("settings", env={"PMKIT_SMTP_URL": "smtp://ann:hunter2@relay.example?from=a@b.example"})
    line = next(x for x in r.stdout.splitlines() if x.startswith("smtp_url\t"))
    assert "ann:***@relay.example" in line and "hunter2" not in r.stdout


def _message(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["To"], msg["Subject"] = to, "hello"
    msg.set_content("hello")
    return msg


def test_a_temporary_refusal_is_tried_again_and_delivered() -> None:
    with smtp_inbox() as inbox:
        inbox.refuse = ["451 4.3.0 try later", "421 4.7.0 busy"]
        d = send(smtp_server(inbox.url), _message("ann@corp.example"), pause=0)
    assert (d.ok, d.attempts, d.error) == (True, 3, "")
    assert inbox.tries == 3 and [m["To"] for m in inbox.messages] == ["ann@corp.example"]
    assert inbox.messages[0]["From"] == "pm@example.org"


def test_a_permanent_refusal_is_not_retried_and_says_why() -> None:
    with smtp_inbox() as inbox:
        inbox.refuse = ["554 5.7.1 rejected by policy"]
        d = send(smtp_server(inbox.url), _message("ann@corp.example"), pause=0)
    assert not d.ok and d.attempts == 1 and inbox.tries == 1
    assert "554" in d.error and "rejected by policy" in d.error and "\n" not in d.error


def test_an_unreachable_server_fails_after_every_attempt() -> None:
    server = SmtpServer("127.0.0.1", free_port(), "pm@example.org", timeout=5)
    d = send(server, _message("ann@corp.example"), attempts=3, pause=0)
    assert (d.ok, d.attempts) == (False, 3) and d.error.startswith(f"cannot reach smtp://127.0.0.1:{server.port}")


# -- the minutes, to each audience ---------------------------------------------------------
@pytest.fixture
def meeting(workspace: Workspace) -> tuple[str, dict[str, str]]:
    """The starter with withheld items, a hidden walk-away, two people per side with addresses."""
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    workspace.items.set_position(sid, "overtime-budget", "management", 20000, HIDDEN_WALK, role=FACILITATOR)
    addresses = {"cara@customer.example": "customer", "carl@customer.example": "customer",
                 "mia@corp.example": "management", "max@corp.example": "management"}
    for address, party in addresses.items():
        p = workspace.participants.add(sid, party, address.split("@")[0].title())
        workspace.mail.set_email(sid, p.participant_id, address)
    return sid, addresses


def _text(msg: EmailMessage) -> str:
    """Everything a reader of the message can see: its headers' values, the text and HTML
    parts decoded, the PDF's text."""
    texts, pdf = body_texts(msg)
    pdf_words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    headers = [f"{k}: {v}" for k, v in msg.items() if k not in ("Date", "Message-ID")]
    return "\n".join([*headers, texts, pdf_words])


@pytest.mark.slow  # renders three PDFs
def test_each_audience_gets_its_own_report_and_nothing_more(
        workspace: Workspace, meeting: tuple[str, dict[str, str]]) -> None:
    sid, addresses = meeting
    with smtp_inbox() as inbox:
        sent = send_minutes(workspace, sid, smtp_server(inbox.url), facilitator_email="fac@pm.example", pause=0)
    assert all(r.ok for r in sent) and len(sent) == 5
    assert sorted(m["To"] for m in inbox.messages) == sorted([*addresses, "fac@pm.example"])
    assert all(rcpt == [m["To"]] for m, (_, rcpt) in zip(inbox.messages, inbox.envelopes, strict=True))
    full = workspace.sessions.load(sid, FACILITATOR)
    for msg in inbox.messages:
        role = addresses.get(str(msg["To"]), FACILITATOR)
        texts, pdf = body_texts(msg)
        assert pdf.startswith(b"%PDF") and "<html" in texts.lower()
        assert str(msg["Subject"]).strip().startswith({"customer": "Minutes", "management": "Management brief",
                                          FACILITATOR: "Facilitator's record"}[role])
        seen = _text(msg)
        if role == "customer":  # every hidden text and every rendering of every hidden number
            assert leaks(seen, [*hidden_texts(full, role), *renderings(HIDDEN_WALK)]) == []
        elif role == "management":  # the customer's small private numbers (0, 2) are on every page as dates
            assert leaks(seen, [t for t in hidden_texts(full, role) if not re.fullmatch(r"[\d.,]+", t)]) == []
        others = [a for a in [*addresses, "fac@pm.example"] if a != msg["To"]]
        raw = msg.as_string(policy=email.policy.default)
        assert [a for a in others if a in seen or a in raw] == []  # no colleague's, no other side's address
    withheld = "Integration vendor is six weeks late on the EDI adapter"  # management's own: in its brief
    assert withheld in " ".join(_text(inbox.to("mia@corp.example")[0]).split())
    assert withheld in hidden_texts(full, "customer")


def test_every_message_is_journaled_for_the_facilitator_alone(
        workspace: Workspace, meeting: tuple[str, dict[str, str]]) -> None:
    sid, addresses = meeting
    with smtp_inbox() as inbox:
        inbox.refuse = ["550 5.1.1 no such mailbox"]
        sent = send_minutes(workspace, sid, smtp_server(inbox.url), facilitator_email="", pause=0)
    assert [r.ok for r in sent] == [False, True, True, True]
    log = workspace.mail.log(sid)
    assert [(r.audience, r.to, r.ok) for r in log] == [(r.audience, r.to, r.ok) for r in sent]
    assert "550" in log[0].error and log[0].what == "minutes" and log[2].what == "brief"
    for party in ("customer", "management"):
        history = repr(workspace.journal.history(sid, party))
        assert not [a for a in addresses if a in history] and "mail" not in {e.op for e in
                                                                                workspace.journal.history(sid, party)}
    before = [e for e in workspace.journal.history(sid) if e.op != "mail"][-1]  # undo passes over the mail
    assert workspace.journal.undo(sid).seq == before.seq


def test_the_command_sends_reports_a_failure_and_lists_the_log(
        _isolated_workspace: Path, meeting: tuple[str, dict[str, str]]) -> None:
    sid, _ = meeting
    with smtp_inbox() as inbox:
        inbox.refuse = ["554 5.7.1 no"]
        r = run_cli("send-minutes", sid, env={"PMKIT_SMTP_URL": inbox.url})
    assert r.returncode == 2
    assert r.stdout.splitlines()[0].startswith("failed\tcustomer\tcara@customer.example\t")
    assert r.stdout.splitlines()[1:] == ["sent\tcustomer\tcarl@customer.example", "sent\tmanagement\tmia@corp.example",
                                         "sent\tmanagement\tmax@corp.example"]
    assert r.stderr.count("\n") == 1 and "1 of 4 messages were not delivered" in r.stderr
    log = run_cli("send-minutes", sid, "--log").stdout.splitlines()
    assert [line.split("\t")[1:4] for line in log][:2] == [["failed", "customer", "cara@customer.example"],
                                                           ["sent", "customer", "carl@customer.example"]]


def test_without_a_server_or_anyone_to_mail_nothing_is_sent(
        _isolated_workspace: Path, workspace: Workspace) -> None:
    sid = workspace.sessions.import_file(starter_path("undisclosed-risk"))
    r = run_cli("send-minutes", sid, env={"PMKIT_SMTP_URL": ""})
    assert r.returncode == 2 and "no mail server" in r.stderr
    with smtp_inbox() as inbox:
        r = run_cli("send-minutes", sid, env={"PMKIT_SMTP_URL": inbox.url})
    assert r.returncode == 2 and "nobody to mail" in r.stderr and inbox.tries == 0
