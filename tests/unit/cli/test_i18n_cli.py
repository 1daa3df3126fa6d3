"""The command line in German, French and the pseudo-language: help, the terminal summary,
errors (its own, argparse's and the workspace's), chosen with ``--lang`` or ``LANG``; and the
workspace's errors in German through the API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmkit.cli.base import COMMANDS
from pmkit.errors import AccessDenied, InputError, NotFound
from pmkit.formats.yaml_file import read_session_file
from pmkit.i18n import DEFAULT, PSEUDO, set_language, use
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.cli import imported, run_cli
from tests.support.i18n import unmarked, user_texts

STARTER = "undisclosed-risk"
# the environment of a German user: LANG alone names the language
GERMAN_ENV = {"LANG": "de_DE.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
_OPTION = re.compile(r"(?<![\w\[])--?[A-Za-z][\w-]*")
_METAVAR = re.compile(r"\b[A-Z][A-Z0-9_:=,/-]*(\.\w+)?\b|\{[^}]*\}")


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """``main`` sets the process's language; the next test starts in English again."""
    yield
    set_language(DEFAULT)


def _typed() -> list[str]:
    """What people typed in the starter, and its ids: the summary shows them as entered."""
    s = read_session_file(starter_path(STARTER))
    ids = [p.id for p in s.parties] + ["facilitator"]
    return user_texts(s) + ids + [i.unit for i in s.issues]


def _help_text(stdout: str) -> str:
    """Help without what is never translated: the usage line, option names and metavars,
    and the verbs' names in the list of commands."""
    body = stdout.split("\n\n", 1)[1] if "\n\n" in stdout else stdout
    # a verb's or a positional argument's name, first on its line
    body = "\n".join(re.sub(r"^\s+[a-z][\w-]*(?=\s{2,}|$)", " ", line) for line in body.splitlines())
    return _METAVAR.sub(" ", _OPTION.sub(" ", body))


def _ok(*args: str, env: dict[str, str] | None = None) -> str:
    r = run_cli(*args, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _flat(text: str) -> str:
    """Help as one line (argparse wraps it to the terminal's width)."""
    return " ".join(text.split())


def _error(*args: str, env: dict[str, str] | None = None) -> str:
    r = run_cli(*args, env=env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmkit: error: ") and "Traceback" not in r.stderr
    return lines[0].removeprefix("pmkit: error: ")


# -- help --------------------------------------------------------------------------------------
def test_help_speaks_german_and_french() -> None:
    de = _flat(_ok("--lang", "de", "--help"))
    assert "Aufruf:" in de and "Positionsargumente" in de and "diese Hilfe anzeigen und beenden" in de
    assert "die Sitzungen auflisten: ID<TAB>VERSION<TAB>UPDATED<TAB>TITLE" in de
    assert "list the sessions" not in de and "show this help message" not in de
    fr = _flat(_ok("--lang", "fr", "show", "--help"))
    assert "usage : pmkit show" in fr and "afficher cette aide et quitter" in fr
    assert "un résumé d'une session dans le terminal, tel que ROLE la voit" in fr
    assert "un objet JSON par ligne" in fr and "one JSON object per line" not in fr


def test_help_follows_lang_from_the_environment() -> None:
    out = _flat(_ok("links", "--help", env=GERMAN_ENV))
    assert "ein signierter Sitzungslink pro Rolle" in out and "Standard: die Sprache der Sitzung" in out
    assert "one signed meeting link" not in out


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_every_verbs_help_is_marked(verb: str) -> None:
    out = _ok("--lang", PSEUDO, verb, "--help")
    assert unmarked([_help_text(out)]) == [], out


def test_the_verbs_list_is_marked() -> None:
    out = _ok("--lang", PSEUDO, "--help")
    assert unmarked([_help_text(out)]) == [], out


# -- the terminal summary ----------------------------------------------------------------------
def test_show_in_the_pseudo_language_leaves_nothing_unmarked() -> None:
    sid = imported(STARTER)
    out = _ok("--lang", PSEUDO, "show", sid)
    assert "[álíĝñméñt" in out
    assert unmarked(out.splitlines(), _typed()) == []


def test_show_in_german_with_german_numbers_and_dates() -> None:
    sid = imported(STARTER)
    out = _ok("--lang", "de", "show", sid)
    for words in ("Übereinstimmung", "gemeinsame Basis", "blinde Flecken", "Konflikte", "Verhandlungspunkte",
                  "Maßnahmen", "Idealwert", "Schmerzgrenze", "dafür", "gemeinsame Priorität", "verantwortlich"):
        assert words in out, words
    assert "Idealwert 5,5" in out and "Schmerzgrenze 118,25" in out  # 5.5 and 118.25 as German writes them
    assert "30. Nov. 2026" in out and "2026-11-30" not in out
    for english in ("alignment", "common ground", "blind spots", "walk-away", "ideal ", " support", "  owner "):
        assert english not in out, english


def test_show_follows_lang_and_french() -> None:
    sid = imported(STARTER)
    de = _ok("show", sid, env=GERMAN_ENV)
    assert "gemeinsame Basis" in de and "common ground" not in de
    fr = _ok("--lang", "fr", "show", sid)
    assert "terrain d'entente" in fr and "angles morts" in fr and "valeur idéale 5,5" in fr
    assert "seuil de rupture 118,25" in fr and "common ground" not in fr


def test_the_records_stay_as_they_are() -> None:
    """``list`` and ``--json`` are for machines: the same fields in every language."""
    sid = imported(STARTER)
    assert _ok("--lang", "de", "list") == _ok("list")
    assert _ok("--lang", "fr", "show", sid, "--json") == _ok("show", sid, "--json")


# -- errors ------------------------------------------------------------------------------------
def test_an_unknown_session_in_german_and_french() -> None:
    de = _error("--lang", "de", "show", "nosuch")
    assert de.startswith("keine Sitzung 'nosuch' in ") and "`pmkit list` zeigt die Sitzungen" in de
    fr = _error("--lang", "fr", "show", "nosuch")
    assert fr.startswith("aucune session 'nosuch' dans ")
    assert _error("show", "nosuch", env=GERMAN_ENV).startswith("keine Sitzung 'nosuch'")


def test_bad_input_in_german_and_french() -> None:
    sid = imported(STARTER)
    de = _error("--lang", "de", "rate", sid, "--as", "customer", "g1", "9", "support")
    assert de == "Wichtigkeit muss eine ganze Zahl von 0 bis 5 sein, erhalten: '9'"
    fr = _error("--lang", "fr", "decide", sid, "x", "--as", "customer", "maybe")
    assert fr == "décision 'maybe' : utilisez now, by AAAA-MM-JJ, never ou undecided"
    missing = _error("--lang", "de", "show")
    assert missing == "die folgenden Argumente fehlen: session (siehe `pmkit --help`)"
    unknown = _error("--lang", "fr", "list", "--bogus")
    assert unknown == "arguments non reconnus : --bogus (voir `pmkit --help`)"


def test_links_errors_in_german() -> None:
    sid = imported(STARTER)
    who = _error("--lang", "de", "links", sid, "--lang", "nowhere=de")
    assert who == "--lang nowhere=de: kein Link 'nowhere' in dieser Sitzung; `pmkit links SESSION` listet sie auf"
    hours = _error("links", sid, "--lang", "de", "--hours", "-1.5", env=GERMAN_ENV)
    assert hours == "--hours -1,5: ein Link muss länger als 0 Stunden gültig sein"


def test_links_for_german_readers_still_print_records() -> None:
    sid = imported(STARTER)
    lines = _ok("--lang", "de", "links", sid, "--lang", "de").splitlines()
    assert lines and all(len(line.split("\t")) == 2 and "://" in line for line in lines)


def test_errors_in_the_pseudo_language_leave_nothing_unmarked() -> None:
    sid = imported(STARTER)
    lines = [
        _error("--lang", PSEUDO, "show", "nosuch"),
        _error("--lang", PSEUDO, "rate", sid, "--as", "customer", "g1", "9", "support"),
        _error("--lang", PSEUDO, "decide", sid, "x", "--as", "customer", "maybe"),
        _error("--lang", PSEUDO, "links", sid, "--lang", "nowhere=de"),
        _error("--lang", PSEUDO, "round", "reveal", sid),
        _error("--lang", PSEUDO, "show"),
    ]
    # what the user typed and the names of things (ids, options, the workspace's path) are not text
    plain = [_OPTION.sub(" ", re.sub(r"'[^']*'|`[^`]*`|/\S+", " ", line)) for line in lines]
    assert unmarked(plain, [sid, "session", "nosuch"]) == [], lines


# -- the workspace's errors through the API -----------------------------------------------------
def test_workspace_errors_in_german(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        sid = ws.sessions.import_file(starter_path(STARTER))
        with use("de"):
            with pytest.raises(AccessDenied) as denied:
                ws.mail.emails(sid, role="customer")
            assert str(denied.value) == "nur die Moderation darf die E-Mail-Adressen der Teilnehmenden lesen"
            with pytest.raises(AccessDenied) as role:
                ws.sessions.load(sid, "nobody")
            assert str(role.value).startswith("unbekannte Rolle 'nobody'; die Rollen dieser Sitzung sind ")
            with pytest.raises(InputError) as empty:
                ws.rounds.open(sid, [], [])
            assert str(empty.value).startswith("eine Runde braucht mindestens ein Ziel, einen Verhandlungspunkt")
            with pytest.raises(NotFound) as gone:
                ws.journal.history("nosuch")
            assert str(gone.value).startswith("keine Sitzung 'nosuch' in ")
        with use("fr"), pytest.raises(AccessDenied) as fr:
            ws.mail.log(sid, role="customer")
        assert str(fr.value) == "seul le facilitateur peut lire le journal des envois"
        with pytest.raises(AccessDenied) as en:  # and English once the block is over
            ws.mail.emails(sid, role="customer")
        assert str(en.value) == "only the facilitator may read participants' email addresses"


def test_an_invalid_value_in_german(tmp_path: Path) -> None:
    """:func:`pmkit.errors.invalid`'s own words follow the language; pydantic's stay its own."""
    with Workspace(tmp_path / "ws") as ws:
        sid = ws.sessions.import_file(starter_path(STARTER))
        goal = ws.sessions.load(sid, "customer").goals[0].id
        with use("de"), pytest.raises(InputError) as bad:
            ws.items.rate(sid, goal, "customer", 3, "maybe", role="customer")
        text = str(bad.value)
        assert text.startswith(f"Bewertung des Ziels '{goal}' durch customer (Wichtigkeit muss 0-5 sein")
        assert "(erhalten: 3, 'maybe')" in text
