"""The reader's language: numbers and dates as each locale writes and reads them, the
language chosen per process, per block, per link and from the environment, and the
catalogs: complete, with the placeholders of their English text."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pmkit import i18n
from pmkit.i18n import CATALOGS, LANGUAGES, PSEUDO, check_language, from_environment, use
from pmkit.text import count, day, moment, number, percent, read_number, renderings, share

# reference values: what a German and a French reader write (Babel's CLDR data)
WRITTEN = [
    ("en", 12345.75, "12345.75"), ("de", 12345.75, "12.345,75"), ("fr", 12345.75, "12\u202f345,75"),
    ("en", -0.5, "-0.5"), ("de", -0.5, "-0,5"), ("fr", -0.5, "-0,5"),
    ("de", 1234.0, "1.234"), ("fr", 480.0, "480"), ("de", 2.5e-7, "2,5e-7"), ("de", 1e15, "1e15"),
]


@pytest.mark.parametrize(("lang", "value", "text"), WRITTEN)
def test_a_value_is_written_as_the_readers_language_writes_it(lang: str, value: float, text: str) -> None:
    with use(lang):
        assert number(value) == text


def test_computed_numbers_counts_percentages_and_days_follow_the_language() -> None:
    when = dt.datetime(2026, 12, 11, 14, 5)
    expected = {
        "en": ("+0.10", "12,345", "26%", "2026-12-11", "2026-12-11 14:05"),
        "de": ("+0,10", "12.345", "26\u00a0%", "11. Dez. 2026", "11. Dez. 2026, 14:05"),
        "fr": ("+0,10", "12\u202f345", "26\u00a0%", "11 déc. 2026", "11 déc. 2026, 14:05"),
    }
    for lang, (gain, things, pct, when_day, when_moment) in expected.items():
        with use(lang):
            assert (share(0.1, signed=True), count(12345), percent(0.255), day(when.date()), moment(when)) == \
                (gain, things, pct, when_day, when_moment)


READ = [
    ("en", "12345.75", 12345.75), ("en", "12,345.75", 12345.75), ("en", "12.345", 12.345),
    ("de", "12.345,75", 12345.75), ("de", "12345,75", 12345.75), ("de", "12,5", 12.5), ("de", "12.5", 12.5),
    ("de", "1.234.567", 1234567.0), ("de", "−3", -3.0),
    ("fr", "12 345,75", 12345.75), ("fr", "12\u202f345,75", 12345.75), ("fr", "12\u00a0345", 12345.0),
    ("fr", "0,25", 0.25), ("de", "", None), ("de", "2,5e-7", 2.5e-7),
]


@pytest.mark.parametrize(("lang", "typed", "value"), READ)
def test_a_number_is_read_as_the_reader_types_it(lang: str, typed: str, value: float | None) -> None:
    with use(lang):
        assert read_number(typed) == value


@pytest.mark.parametrize(("lang", "typed", "reason"), [
    ("de", "12.345", "kann 12345 oder 12,345 bedeuten"), ("fr", "12.345", "peut signifier 12345 ou 12,345"),
    ("en", "12,345", "may mean 12345 or 12.345"), ("de", "12,345.75", "keine Zahl in der hier üblichen Schreibweise"),
    ("de", "1.2.3", "schreiben Sie sie wie 12.345,75"), ("fr", "douze", "n'est pas un nombre"),
    ("de", "1e999", "keine endliche Zahl"), ("en", "12 345,75", "is not a number as written here"),
])
def test_input_two_languages_read_differently_is_refused_in_one_line(lang: str, typed: str, reason: str) -> None:
    with use(lang), pytest.raises(ValueError, match=re.escape(reason)) as caught:
        read_number(typed)
    assert "\n" not in str(caught.value)


def test_the_leak_search_knows_every_languages_rendering_of_a_hidden_number() -> None:
    forms = renderings(12345.75)
    assert forms[0] == "12345.75"
    for written in ("12,345.75", "12.345,75", "12 345,75", "12\u00a0345,75", "12\u202f345,75"):
        assert written in forms
    for lang in LANGUAGES:  # whatever language the page is in, its own writing is searched for
        with use(lang):
            assert number(12345.75) in renderings(12345.75)
            assert number(4.125) in renderings(4.125)


def test_the_language_is_chosen_per_block_and_per_process() -> None:
    assert i18n.current() == "en"
    with use("de"):
        assert i18n.current() == "de" and i18n.locale() == "de"
        with use("fr"):
            assert i18n.current() == "fr"
        assert i18n.current() == "de"
    assert i18n.current() == "en"
    try:
        i18n.set_language("fr")
        assert i18n.current() == "fr"
        with use("de"):
            assert i18n.current() == "de"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "de_DE.UTF-8"}, "de"), ({"LC_ALL": "fr_CH.UTF-8", "LANG": "de_DE.UTF-8"}, "fr"),
    ({"LANGUAGE": "it:fr", "LANG": "de_DE"}, "fr"), ({"LANG": "C.UTF-8"}, "en"), ({"LANG": "it_IT"}, "en"),
    ({}, "en"), ({"LC_MESSAGES": "de", "LANG": "fr_FR"}, "de"),
])
def test_the_command_lines_language_comes_from_the_environment_like_any_unix_tool(env: dict[str, str],
                                                                                   lang: str) -> None:
    assert from_environment(env) == lang


def test_an_unknown_language_is_one_line_naming_those_there_are() -> None:
    assert check_language("de_DE.UTF-8") == "de" and check_language("fr-CH") == "fr"
    with pytest.raises(ValueError, match="unknown language 'tlh': pmkit speaks en, de, fr"):
        check_language("tlh")


def test_the_pseudo_language_rewrites_marked_text_and_keeps_placeholders_and_markup() -> None:
    with use(PSEUDO):
        out = i18n._("Round {number} is <b>open</b>")
    assert out.startswith("[") and out.endswith("]") and "{number}" in out and "<b>" in out and "</b>" in out
    assert "Round" not in out
    assert out.format(number=3).count("3") == 1


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (CATALOGS / lang / "LC_MESSAGES" / "pmkit.po").open("rb") as fh:
        return read_po(fh)


_FIELD = re.compile(r"\{[^{}]*\}")


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_catalog_is_complete_and_keeps_each_placeholder(lang: str) -> None:
    with (CATALOGS / "pmkit.pot").open("rb") as fh:
        template = read_po(fh)
    catalog = _catalog(lang)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    missing, broken = [], []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        sources = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
        if m.fuzzy or not all(strings):
            missing.append(sources[0])
            continue
        wanted = set(_FIELD.findall(sources[-1]))
        if any(set(_FIELD.findall(s)) != wanted for s in strings):
            broken.append(sources[0])
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} >= ids, "catalog behind the template"
    assert missing == [], f"{len(missing)} untranslated in {lang}, e.g. {missing[:5]}"
    assert broken == [], f"placeholders differ in {lang}: {broken[:5]}"


def test_the_template_holds_every_marked_string_of_the_code(tmp_path: Path) -> None:
    """`make catalogs` was run after the last change to a marked string."""
    root = CATALOGS.parent.parent
    out = tmp_path / "now.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(root / "babel.cfg"),
                    "--omit-header", "-o", str(out), "."], cwd=root, check=True)
    with out.open("rb") as fh:
        now = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    with (CATALOGS / "pmkit.pot").open("rb") as fh:
        kept = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert sorted(now - kept) == [], "marked but not in the catalogs: run `make catalogs`"
    assert sorted(kept - now) == [], "in the catalogs but no longer marked: run `make catalogs`"


def test_a_catalog_compiles_in_memory_when_its_compiled_file_is_missing(tmp_path: Path) -> None:
    for lang in ("de", "fr"):
        compiled = i18n.compile_catalog(CATALOGS / lang / "LC_MESSAGES" / "pmkit.po")
        assert compiled.getvalue()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # a gettext .mo


def test_no_message_is_marked_inside_an_f_string() -> None:
    """The extractor does not look inside f-strings: a `_()` there is translated by no catalog."""
    root = CATALOGS.parent
    found = []
    for path in sorted(root.rglob("*.py")):
        with path.open("rb") as fh:
            for tok in tokenize.tokenize(fh.readline):
                prefix = tok.string[: len(tok.string) - len(tok.string.lstrip("rRbBfFuU"))]
                if tok.type == tokenize.STRING and "f" in prefix.lower() and re.search(
                        r"(?<![\w.])(_|N_|ngettext|pgettext)\(\s*['\"]", tok.string):
                    found.append(f"{path.relative_to(root.parent)}:{tok.start[0]}")
    assert found == [], "mark the message outside the f-string: " + ", ".join(found)
