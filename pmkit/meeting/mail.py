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

:func:`send_minutes` mails each audience its own report (:mod:`pmkit.reports.mail`): a
party's minutes (management's brief) to each of its participants with an address, one
message each, and the facilitator's record to the facilitator's address. Each message is
journaled as soon as it is sent or has failed.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from pmkit import settings
from pmkit.errors import InputError, one_line
from pmkit.model import FACILITATOR
from pmkit.reports.mail import audience_minutes, minutes_message
from pmkit.store import Workspace
from pmkit.store.mail import MailRecord, check_email

__all__ = ["ATTEMPTS", "Delivery", "SmtpServer", "recipients", "send", "send_minutes", "smtp_server"]

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
        raise InputError("no mail server: set PMKIT_SMTP_URL, e.g. smtp://USER:PASSWORD@HOST:587?starttls=1"
                         "&from=pm@example.org")
    shown = settings.shown("smtp_url", raw)
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InputError(f"smtp_url {shown!r} is not a mail server's URL: use smtp://HOST:PORT or smtps://HOST:PORT "
                         "(PMKIT_SMTP_URL)")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"from", "starttls"})
    if unknown:
        raise InputError(f"smtp_url {shown!r}: unknown option {unknown[0]!r}; the options are from and starttls")
    starttls = query.get("starttls", "").lower() in _YES
    if starttls and parts.scheme == "smtps":
        raise InputError(f"smtp_url {shown!r}: smtps:// is SSL already; starttls goes with smtp://")
    try:
        port = parts.port or _PORTS[(parts.scheme, starttls)]
    except ValueError:
        raise InputError(f"smtp_url {shown!r}: the port is not a number from 1 to 65535") from None
    user = unquote(parts.username or "")
    sender = query.get("from") or (user if "@" in user else "")
    if not sender:
        raise InputError(f"smtp_url {shown!r} names no sender: add ?from=ADDRESS")
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


def recipients(ws: Workspace, session_id: str, facilitator_email: str | None = None) -> list[tuple[str, str, str]]:
    """``(role, participant id, address)`` of everyone the minutes go to, each party's in the
    order its participants were added, the facilitator's (``facilitator_email``, else the
    ``facilitator_email`` setting; participant id empty) last."""
    emails = ws.mail.emails(session_id)
    parties = [p.id for p in ws.sessions.load(session_id, FACILITATOR).parties]
    people = ws.participants.all(session_id)
    out = [(party, p.participant_id, emails[p.participant_id]) for party in parties for p in people
           if p.party == party and p.participant_id in emails]
    own = (facilitator_email if facilitator_email is not None else settings.get("facilitator_email")).strip()
    if own:
        out.append((FACILITATOR, "", check_email(own)))
    return out


def send_minutes(ws: Workspace, session_id: str, server: SmtpServer, *, facilitator_email: str | None = None,
                 attempts: int = ATTEMPTS, pause: float = 1.0) -> list[MailRecord]:
    """Mail every audience its own report (see the module); returns what became of each
    message, every one of them journaled. Nobody to mail is a one-line error."""
    to = recipients(ws, session_id, facilitator_email)
    if not to:
        raise InputError(f"nobody to mail: no participant of session '{session_id}' has an email address "
                         "(`pmkit participants SESSION --set-email ID ADDRESS`) and no facilitator address is set "
                         "(--facilitator-email or PMKIT_FACILITATOR_EMAIL)")
    done: list[MailRecord] = []
    for role in dict.fromkeys(r for r, _, _ in to):
        minutes = audience_minutes(ws, session_id, role)
        for _, participant, address in (t for t in to if t[0] == role):
            d = send(server, minutes_message(minutes, address, server.sender), attempts=attempts, pause=pause)
            record = MailRecord(_now(), role, participant, address, minutes.kind, d.ok, d.attempts, d.error)
            ws.mail.record(session_id, [record])
            done.append(record)
    return done


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
