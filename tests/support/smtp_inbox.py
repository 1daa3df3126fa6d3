"""A real SMTP server for the mail tests: aiosmtpd on a free loopback port, keeping every
delivered message as a parsed MIME message; it can refuse the next messages with a
temporary (4xx) or permanent (5xx) reply, to test retries and failures."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.live import free_port


@dataclass
class Inbox:
    """What the server received: one entry per accepted message."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (mail from, rcpt tos)
    refuse: list[str] = field(default_factory=list)  # replies for the next DATA commands, e.g. "451 busy"
    tries: int = 0

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}?from=pm%40example.org"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.inbox.tries += 1
        if self.inbox.refuse:
            return self.inbox.refuse.pop(0)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.inbox.messages.append(msg)
        self.inbox.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@contextmanager
def smtp_inbox() -> Iterator[Inbox]:
    """A running SMTP server on 127.0.0.1 and a free port, stopped afterwards."""
    inbox = Inbox("127.0.0.1", free_port())
    controller = Controller(_Handler(inbox), hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def body_texts(msg: EmailMessage) -> tuple[str, bytes]:
    """A delivered message's text parts (every one, joined) and its PDF attachment."""
    texts, pdf = [], b""
    for part in msg.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            texts.append(part.get_content())
        elif part.get_content_type() == "application/pdf":
            pdf = part.get_payload(decode=True)
    return "\n".join(texts), pdf
