"""Settings as one declarative table: name, default, environment variable and help.

The command line maps its options onto these; ``pmkit settings`` prints them.
Values come from, in order: an explicit argument, the environment variable, the default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pmkit import text
from pmkit.errors import InputError

__all__ = ["SETTINGS", "Setting", "database_url", "get", "number", "shown", "workspace_dir"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    env: str
    help: str
    # how the default reads in the docs when it depends on the machine (else the default itself)
    doc_default: str = ""


def _default_workspace() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "pmkit")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "workspace",
        _default_workspace(),
        "PMKIT_WORKSPACE",
        "Folder holding the workspace file (workspace.sqlite), backups, secrets and exports.",
        "$XDG_DATA_HOME/pmkit, else ~/.local/share/pmkit",
    ),
    Setting(
        "database_url",
        "",
        "PMKIT_DATABASE_URL",
        "A PostgreSQL database for the sessions (postgresql://USER@HOST/DB), shared by several servers; "
        "empty: the SQLite file in the workspace folder.",
    ),
    Setting(
        "link_ttl_hours",
        "12",
        "PMKIT_LINK_TTL_HOURS",
        "How long a role's meeting link stays valid, in hours.",
    ),
    Setting(
        "cull_idle_seconds",
        "600",
        "PMKIT_CULL_IDLE_SECONDS",
        "A meeting kernel with no open page for this long is shut down; 0 never shuts it down.",
    ),
    Setting(
        "board_wait_seconds",
        "300",
        "PMKIT_BOARD_WAIT_SECONDS",
        "How long the server waits for a meeting kernel to hand over a page's board; raise it on a slow machine.",
    ),
    Setting(
        "preheat",
        "2",
        "PMKIT_PREHEAT",
        "Meeting kernels `pmkit serve` keeps started ahead of page loads (about 100 MB each; a page takes "
        "one and the pool starts another); 0 starts a kernel when a page opens.",
    ),
    Setting(
        "pages_per_link",
        "3",
        "PMKIT_PAGES_PER_LINK",
        "Open meeting pages (kernels) one link may have at once; more get HTTP 429 and no kernel. The "
        "facilitator's link has no limit. Give each member their own link (`pmkit participants`) rather than "
        "raising it.",
    ),
    Setting(
        "kernels_per_server",
        "40",
        "PMKIT_KERNELS_PER_SERVER",
        "Open meeting pages (kernels) `pmkit serve` runs at once, the facilitator's not counted; more get "
        "HTTP 503 and no kernel.",
    ),
    Setting(
        "page_gone_seconds",
        "4",
        "PMKIT_PAGE_GONE_SECONDS",
        "A page's kernel whose page has had no connection for this long (closed, crashed, the device "
        "gone) is shut down; a page that never connects gets 30 s more.",
    ),
    Setting(
        "revoke_check_seconds",
        "1",
        "PMKIT_REVOKE_CHECK_SECONDS",
        "How often an open page and the server check whether the page's link was revoked.",
    ),
    Setting("host", "127.0.0.1", "PMKIT_HOST", "Address `pmkit serve` binds to."),
    Setting("port", "8866", "PMKIT_PORT", "Port `pmkit serve` listens on."),
    Setting(
        "backup_minutes",
        "10",
        "PMKIT_BACKUP_MINUTES",
        "While serving, back the workspace up this often (and once at start); 0 turns it off.",
    ),
    Setting(
        "poll_seconds",
        "0.5",
        "PMKIT_POLL_SECONDS",
        "How often an open meeting page looks for changes made on other pages.",
    ),
    Setting(
        "settle_proposals",
        "3",
        "PMKIT_SETTLE_PROPOSALS",
        "Proposals the facilitator may make to improve one recorded agreement; each tells a party at most "
        "whether every side accepted it.",
    ),
    Setting(
        "plan_warn_days",
        "14",
        "PMKIT_PLAN_WARN_DAYS",
        "The risk read-out warns about a withheld item whose customer-affected date is this many days away or less.",
    ),
    Setting(
        "calendar_ttl_days",
        "180",
        "PMKIT_CALENDAR_TTL_DAYS",
        "How long a role's calendar feed URL (`pmkit calendar`) stays valid, in days.",
    ),
    Setting(
        "smtp_url",
        "",
        "PMKIT_SMTP_URL",
        "The mail server pmkit sends through: smtp://USER:PASSWORD@HOST:PORT?from=ADDRESS (add &starttls=1 "
        "to upgrade the connection), or smtps://... for SSL from the start; empty: pmkit sends no mail.",
    ),
    Setting(
        "facilitator_email",
        "",
        "PMKIT_FACILITATOR_EMAIL",
        "Where `pmkit send-minutes` sends the facilitator's record (one address); empty: the record is not mailed.",
    ),
    Setting(
        "prepare_remind_hours",
        "24",
        "PMKIT_PREPARE_REMIND_HOURS",
        "While `pmkit serve` runs, the people who have not submitted a preparation window are reminded by email "
        "this many hours before its deadline (once per window); 0: no automatic reminder.",
    ),
    Setting(
        "base_url",
        "",
        "PMKIT_BASE_URL",
        "The address people reach `pmkit serve` at, for the links in reminders (default: http://HOST:PORT).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The current value of setting ``name`` (environment first, then the default)."""
    setting = _BY_NAME[name]
    value = os.environ.get(setting.env, "").strip()
    return value or setting.default


def number(name: str, low: float, high: float) -> float:
    """Setting ``name`` as a number from ``low`` to ``high``; a clear one-line error otherwise."""
    raw = get(name)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # also refuses nan
        raise InputError(f"{name} = {raw!r}: use a number from {text.number(low)} to {text.number(high)} "
                         f"({_BY_NAME[name].env})")
    return value


def database_url(explicit: str | None = None) -> str | None:
    """The PostgreSQL URL of the workspace's database (``explicit``, else
    ``$PMKIT_DATABASE_URL``), or None for the SQLite file in the workspace folder."""
    url = (explicit if explicit is not None else get("database_url")).strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise InputError(
            f"database_url {shown('database_url', url)!r} is not a PostgreSQL URL: use postgresql://USER@HOST/DB "
            "(PMKIT_DATABASE_URL or --database), or leave it empty for the SQLite file in the workspace folder"
        )
    return url


def shown(name: str, value: str) -> str:
    """A setting's value as printed: a URL's password replaced by ``***``."""
    if name in ("database_url", "smtp_url"):
        value = re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", value)
        return re.sub(r"(password=)[^&\s]*", r"\1***", value)
    return value


def workspace_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder: ``explicit``, else ``$PMKIT_WORKSPACE``, else the default."""
    return Path(explicit if explicit is not None else get("workspace")).expanduser()
