"""Outbound mail through one SMTP server: the ``smtp_url`` setting (``PMKIT_SMTP_URL``).

``smtp://USER:PASSWORD@HOST:PORT?from=ADDRESS`` sends in plain SMTP (port 25 by default),
``&starttls=1`` upgrades the connection before logging in (port 587 by default), and
``smtps://...`` speaks SSL from the start (port 465 by default). The user and password are
optional (no login without them); ``from`` is the sender's address (default: the user when
it is an address). A password is never printed: :func:`pmkit.settings.shown` masks it.

:func:`send` delivers one message with retries: a refused connection, a dropped one or a
temporary refusal (a 4xx reply) is tried again after a pause that doubles; a permanent
refusal (5xx, a failed login) is not. It never raises for a failed delivery: it returns a
:class:`Delivery` that says what happened, and the caller journals it
(:meth:`pmkit.store.mail.Mail.record`), so no failure is lost.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from pmkit import settings
from pmkit.errors import InputError, one_line
from pmkit.i18n import _
from pmkit.store.mail import check_email

__all__ = ["ATTEMPTS", "Delivery", "SmtpServer", "send", "smtp_server"]

ATTEMPTS = 3
_PORTS = {("smtp", False): 25, ("smtp", True): 587, ("smtps", False): 465}
_YES = ("1", "yes", "true", "on")


@dataclass(frozen=True)
class SmtpServer:
    """Where and how mail is sent (the password is left out of the repr)."""

    host: str
    port: int
    sender: str
    ssl: bool = False
    starttls: bool = False
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0

    @property
    def where(self) -> str:
        return f"{'smtps' if self.ssl else 'smtp'}://{self.host}:{self.port}"


@dataclass(frozen=True)
class Delivery:
    """What became of one message to one address."""

    to: str
    ok: bool
    attempts: int
    error: str = ""


def smtp_server(url: str | None = None) -> SmtpServer:
    """The server ``url`` (else the ``smtp_url`` setting) names; a one-line error when it is
    unset or malformed."""
    raw = (url if url is not None else settings.get("smtp_url")).strip()
    if not raw:
        raise InputError(_("no mail server: set {variable}, e.g. {example}").format(
            variable="PMKIT_SMTP_URL", example="smtp://USER:PASSWORD@HOST:587?starttls=1&from=pm@example.org"))
    shown = settings.shown("smtp_url", raw)
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InputError(_("smtp_url {url} is not a mail server's URL: use {plain} or {secure} ({variable})").format(
            url=repr(shown), plain="smtp://HOST:PORT", secure="smtps://HOST:PORT", variable="PMKIT_SMTP_URL"))
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"from", "starttls"})
    if unknown:
        raise InputError(_("smtp_url {url}: unknown option {option}; the options are {first} and {second}").format(
            url=repr(shown), option=repr(unknown[0]), first="from", second="starttls"))
    starttls = query.get("starttls", "").lower() in _YES
    if starttls and parts.scheme == "smtps":
        raise InputError(_("smtp_url {url}: {secure} is SSL already; {option} goes with {plain}").format(
            url=repr(shown), secure="smtps://", option="starttls", plain="smtp://"))
    try:
        port = parts.port or _PORTS[(parts.scheme, starttls)]
    except ValueError:
        raise InputError(_("smtp_url {url}: the port is not a number from 1 to {highest}").format(
            url=repr(shown), highest=65535)) from None
    user = unquote(parts.username or "")
    sender = query.get("from") or (user if "@" in user else "")
    if not sender:
        raise InputError(_("smtp_url {url} names no sender: add {query}").format(
            url=repr(shown), query="?from=ADDRESS"))
    return SmtpServer(parts.hostname, port, check_email(sender), ssl=parts.scheme == "smtps", starttls=starttls,
                      user=user, password=unquote(parts.password or ""))


def send(server: SmtpServer, message: EmailMessage, *, attempts: int = ATTEMPTS, pause: float = 1.0) -> Delivery:
    """Deliver ``message`` (its To, From set here) to its one recipient; try again on a
    temporary failure, up to ``attempts`` times, pausing ``pause`` seconds and twice that
    each time after."""
    to = str(message["To"])
    if message["From"] is None:
        message["From"] = server.sender
    error = ""
    for n in range(1, attempts + 1):
        try:
            _deliver(server, message)
            return Delivery(to, True, n)
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as exc:
            return Delivery(to, False, n, _why(server, exc))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            error = _why(server, exc)
            if any(code >= 500 for code in codes):
                return Delivery(to, False, n, error)
        except smtplib.SMTPResponseException as exc:
            error = _why(server, exc)
            if exc.smtp_code >= 500:
                return Delivery(to, False, n, error)
        except (OSError, smtplib.SMTPException) as exc:  # refused, reset, timed out, dropped
            error = _why(server, exc)
        if n < attempts:
            time.sleep(pause * 2 ** (n - 1))
    return Delivery(to, False, attempts, error)


def _deliver(server: SmtpServer, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if server.ssl:
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    with client:
        if server.starttls:
            client.starttls(context=context)
        if server.user:
            client.login(server.user, server.password)
        client.send_message(message)


def _why(server: SmtpServer, exc: Exception) -> str:
    """One line for a failed delivery, naming the server (never its password)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
        return f"{server.where} refused {refused}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{server.where} answered {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):
        return f"cannot reach {server.where}: {exc.strerror or exc}"
    return f"{server.where}: {one_line(str(exc)) or type(exc).__name__}"


def _text(message: bytes | str) -> str:
    return one_line(message.decode("utf-8", "replace") if isinstance(message, bytes) else message)
