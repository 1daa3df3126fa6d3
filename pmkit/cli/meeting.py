"""The meeting-day verbs of the ``pmkit`` command line: backup, restore, serve, links, open-pages,
demo."""

from __future__ import annotations

import argparse

from pmkit import settings
from pmkit.cli.base import args, command, out, session_arg, workspace
from pmkit.cli.sessions import print_summary
from pmkit.errors import InputError
from pmkit.formats.yaml_file import read_session_file
from pmkit.i18n import N_, _, check_language
from pmkit.model import FACILITATOR, ROOM
from pmkit.resources import starter_path
from pmkit.store import Workspace
from pmkit.text import number

__all__ = ["DEMO_STARTER", "demo_session"]

DEMO_STARTER = "undisclosed-risk"


def demo_session(ws: Workspace) -> str:
    """The demo session's id, importing the demo starter the first time."""
    title = read_session_file(starter_path(DEMO_STARTER)).title
    for info in ws.sessions.all():
        if info.title == title:
            return info.id
    return ws.sessions.import_file(starter_path(DEMO_STARTER))


@command("backup", N_("back the workspace up now, into <workspace>/backups: a copy of the SQLite file, or on "
                      "PostgreSQL pmkit's dump of every pmkit table; prints the backup's path"))
def _backup(ns: argparse.Namespace) -> int:
    from pmkit.store.backups import make_backup

    out(f"backup {make_backup(ns.workspace, database=ns.database)}")
    return 0


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="source", default=None, metavar="BACKUP",
                   help=_("this backup file (default: the newest)"))


@command("restore", N_("put a backup in place of a damaged workspace file (the old file is kept beside it); on "
                       "PostgreSQL, load it into the database, which must hold no session yet"))
@args(_restore_args)
def _restore(ns: argparse.Namespace) -> int:
    from pmkit.store.backups import restore

    used, aside = restore(ns.workspace, ns.source, database=ns.database)
    out(_("restored {backup}").format(backup=used)
        + (_("; the previous file is now {path}").format(path=aside) if aside else ""))
    return 0


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("session", nargs="?", help=_("print the facilitator's link for this session"))
    p.add_argument("--host", default=None, help=_("address to bind (default 127.0.0.1)"))
    p.add_argument("--port", type=int, default=None, help=_("port (default 8866)"))
    p.add_argument("--preheat", type=int, default=None, metavar="N",
                   help=_("keep N kernels started ahead of page loads (default 2, PMKIT_PREHEAT; 0 turns it off)"))
    p.add_argument("--connection-dir", default=None, help=argparse.SUPPRESS)


@command("serve", N_("serve the meeting app (Voila) until Ctrl-C; prints the facilitator's link"))
@args(_serve_args)
def _serve(ns: argparse.Namespace) -> int:
    from pmkit.meeting.server import serve

    return serve(ns.session, host=ns.host, port=ns.port, preheat=ns.preheat, workspace=ns.workspace,
                 database=ns.database, connection_dir=ns.connection_dir, out=out)


def _links_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)
    p.add_argument("--base-url", default=None, help=_("where the app is served (default http://HOST:PORT)"))
    p.add_argument("--hours", type=float, default=None, help=_("how long the links stay valid"))
    p.add_argument("--revoke", action="store_true", help=_("revoke every earlier link first"))
    p.add_argument("--lang", dest="link_lang", metavar="[WHO=]LANG", action="append", default=[],
                   help=_("the language the links' pages speak: LANG for every link, or WHO=LANG for one (WHO: a "
                          "role, or PARTY:PARTICIPANT); repeatable; default: the session's language (the room always "
                          "speaks it)"))


def _link_languages(values: list[str], known: set[str]) -> dict[str, str]:
    """``--lang`` values as {who: language} (``*``: every link)."""
    out: dict[str, str] = {}
    for value in values:
        who, eq, lang = value.rpartition("=")
        who = who if eq else "*"
        if who != "*" and who not in known:
            raise InputError(_("--lang {value}: no link '{who}' in this session; `pmkit links SESSION` lists them")
                               .format(value=value, who=who))
        try:
            out[who] = check_language(lang)
        except ValueError as exc:
            raise InputError(_("--lang {value}: {exc}").format(value=value, exc=exc)) from None
    return out


@command("links", N_("one signed meeting link per role (facilitator, each party, room), ROLE<TAB>URL, then one per "
                     "participant, PARTY:PARTICIPANT<TAB>URL"))
@args(_links_args)
def _links(ns: argparse.Namespace) -> int:
    from pmkit.meeting.links import link_url, make_token

    if ns.hours is not None and not ns.hours > 0:  # also refuses nan
        raise InputError(_("--hours {hours}: a link must stay valid for more than 0 hours").format(
                           hours=number(ns.hours)))
    base = ns.base_url or f"http://{settings.get('host')}:{settings.get('port')}"
    with workspace(ns) as ws:
        members = ws.participants.all(ns.session)
        roles = ws.sessions.link_roles(ns.session)
        langs = _link_languages(ns.link_lang, {*roles, *(f"{p.party}:{p.participant_id}" for p in members)})
        if ns.revoke:
            ws.meeting.revoke_links(ns.session)
        for role in roles:
            lang = None if role == ROOM else langs.get(role, langs.get("*"))
            out(f"{role}\t{link_url(base, make_token(ws, ns.session, role, ttl_hours=ns.hours, lang=lang))}")
        chosen = ws.mail.languages(ns.session)  # each member's own language, where the facilitator set one
        for p in members:  # each member's own link
            who = f"{p.party}:{p.participant_id}"
            lang = langs.get(who, chosen.get(p.participant_id, langs.get(p.party, langs.get("*"))))
            token = make_token(ws, ns.session, p.party, ttl_hours=ns.hours, participant=p.participant_id, lang=lang)
            out(f"{who}\t{link_url(base, token)}")
    return 0


def _open_pages_args(p: argparse.ArgumentParser) -> None:
    session_arg(p)


@command("open-pages", N_("the meeting pages open now on this workspace's servers, per link: "
                          "LINK<TAB>PAGES<TAB>CONNECTED<TAB>OLDEST (LINK is the role, or PARTY:PARTICIPANT for a "
                          "member's own link)"))
@args(_open_pages_args)
def _open_pages(ns: argparse.Namespace) -> int:
    import time

    from pmkit.meeting.pages import open_pages

    with workspace(ns) as ws:
        ws.sessions.info(ns.session)  # a clear error for an unknown session
        rows = open_pages(ws.folder, ns.session)
    links: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        links.setdefault(f"{r['role']}:{r['participant']}" if r.get("participant") else str(r["role"]), []).append(r)
    for link, pages in sorted(links.items()):
        oldest = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(min(float(str(p["since"])) for p in pages)))
        out(f"{link}\t{len(pages)}\t{sum(bool(p['connected']) for p in pages)}\t{oldest}")
    if not links:
        out(_("no page of session {session} is open").format(session=ns.session))
    return 0


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=None, help=_("port (default 8866)"))
    p.add_argument("--no-serve", action="store_true", help=_("only import and show the demo session"))


@command("demo", N_("import the demo session (once), print every role's link and serve the app"))
@args(_demo_args)
def _demo(ns: argparse.Namespace) -> int:
    with workspace(ns) as ws:
        sid = demo_session(ws)
        if ns.no_serve:
            print_summary(ws, sid, FACILITATOR)
            return 0
    from pmkit.meeting.server import serve

    out(_("demo session {session}: open a link below; each role sees only what it may see").format(session=sid))
    return serve(sid, port=ns.port, workspace=ns.workspace, database=ns.database, all_roles=True, out=out)
