"""The language people read pmkit in: English, German or French, chosen per reader.

Every string a user reads is written in English in the code and marked for translation:
``_("Add goal")``, ``ngettext("{n} goal", "{n} goals", n).format(n=n)``, and, where the text
is defined before anyone reads it (a module's table of labels), ``N_("not rated")``, which
marks it for the catalog and is translated where it is shown, ``_(label)``. Placeholders are
named (``{title}``), never positional, so a translation may reorder them. What users type
(titles, goals, options, names) is never translated.

The catalogs are gettext catalogs managed with Babel, one domain (``pmkit``), kept in the
repository under ``pmkit/locale``: the template ``pmkit.pot`` and one ``LANG/LC_MESSAGES/pmkit.po``
per language. ``make catalogs`` extracts the strings, updates each catalog and compiles it
(``pmkit.mo``); where a compiled catalog is missing or older than its ``.po``, it is compiled
in memory when first used, so a fresh clone reads the same text.

**Who reads which language.** One language is *current* at any time: :func:`use` sets it for
a block of code (a server handler answering one person, a report rendered for one
audience), :func:`set_language` for the whole process (a meeting page's kernel serves one
person, the command line one user). Without either it is English. :data:`PSEUDO` is a
pseudo-language for the coverage tests: every marked string is rewritten (``[Ádd ĝóál]``),
so a page rendered in it shows at once which text was not marked.

Numbers and dates follow the current language too (:mod:`pmkit.text` asks :func:`locale`).
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "PSEUDO",
    "TEMPLATE_GLOBALS",
    "N_",
    "_",
    "check_language",
    "current",
    "enter",
    "from_environment",
    "locale",
    "ngettext",
    "pgettext",
    "set_language",
    "use",
]

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français"}
DEFAULT = "en"
PSEUDO = "qps"  # the pseudo-language of the coverage tests (an ISO 639 code reserved for local use)
CATALOGS = Path(__file__).resolve().parent / "locale"
DOMAIN = "pmkit"
_LOCALES = {"en": "en", "de": "de", "fr": "fr", PSEUDO: "en"}

_current: ContextVar[str | None] = ContextVar("pmkit_language", default=None)
_process = DEFAULT


def check_language(code: str | None) -> str:
    """``code`` as one of :data:`LANGUAGES` (``de``, ``de_DE.UTF-8`` and ``de-CH`` are ``de``);
    an unknown language is a :class:`ValueError` naming those there are, in one line (this
    module is below :mod:`pmkit.errors`: each caller's edge turns it into its own error)."""
    raw = str(code or "").strip()
    base = raw.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    if base in LANGUAGES or base == PSEUDO:
        return base
    raise ValueError(f"unknown language '{raw[:20]}': pmkit speaks {', '.join(LANGUAGES)}")


def from_environment(environ: dict[str, str] | None = None) -> str:
    """The language a Unix tool would use: ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
    (the first one set; ``LANGUAGE`` may list several), English when none names one of ours."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if not value:
            continue
        for part in value.split(":"):
            base = part.replace("-", "_").split(".")[0].split("_")[0].lower()
            if base in LANGUAGES:
                return base
        if name != "LANGUAGE":
            return DEFAULT  # C, POSIX or a language pmkit does not speak
    return DEFAULT


def set_language(code: str) -> None:
    """The language of the whole process (a meeting page's kernel, the command line)."""
    global _process
    _process = check_language(code)


def current() -> str:
    """The language being written in now."""
    return _current.get() or _process


def locale() -> str:
    """The Babel locale of the current language (the pseudo-language writes numbers as English)."""
    return _LOCALES[current()]


@contextmanager
def use(code: str | None) -> Iterator[str]:
    """Write in ``code`` inside the block (``None``: the current language)."""
    lang = check_language(code) if code else current()
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def enter(code: str | None) -> str:
    """Write in ``code`` from here to the end of the current context (a server request's
    task, a job run in a copy of it); ``None``: the current language. Returns it."""
    lang = check_language(code) if code else current()
    _current.set(lang)
    return lang


class _Pseudo(_gettext.NullTranslations):
    """Every marked string rewritten, placeholders and markup kept: ``[Ádd ĝóál]``."""

    _MAP = str.maketrans("aceginoruyAEIOU", "áçéĝíñóŕúýÁÉÍÓÚ")

    def gettext(self, message: str) -> str:
        return _pseudo(message, self._MAP)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _pseudo(msgid1 if n == 1 else msgid2, self._MAP)

    def pgettext(self, context: str, message: str) -> str:
        return _pseudo(message, self._MAP)


def _pseudo(message: str, table: dict[int, int]) -> str:
    out, depth = [], 0
    for ch in message:
        if ch in "{<":
            depth += 1
        if depth:
            out.append(ch)
        else:
            out.append(ch.translate(table))
        if ch in "}>" and depth:
            depth -= 1
    return "[" + "".join(out) + "]"


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == PSEUDO:
        return _Pseudo()
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    folder = CATALOGS / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if not po.exists():
        return _gettext.NullTranslations()
    return _gettext.GNUTranslations(compile_catalog(po))


def compile_catalog(po: Path) -> io.BytesIO:
    """``po`` compiled (what ``pybabel compile`` writes), in memory: fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    out.seek(0)
    return out


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translations(current()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, in the current language's plural rule."""
    return _translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, where the same English word needs two translations."""
    return _translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet (translate it with ``_``
    where it is shown)."""
    return message


# what a template calls to translate: ``{{ _("Minutes") }}``, ``{{ ngettext("{n} goal", "{n} goals", n).format(n=n) }}``
TEMPLATE_GLOBALS = {"_": _, "ngettext": ngettext, "pgettext": pgettext}
