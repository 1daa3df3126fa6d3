"""The disclosure check: a text an audience sees that echoes an item it may not see.

Filtering by audience keeps a withheld item out of a party's process; it cannot stop the
facilitator from writing the item's words into a text everyone sees (a joint title that
names the vendor's slip, an agreement that mentions "the EDI adapter"). This check finds
such echoes in a session, for the facilitator. Pure: it takes the full session.

**Audiences.** Each party, and ``joint``: the room, what everyone sees.

**What an audience sees** (the texts checked): the title for everyone
(:attr:`~pmkit.model.Session.title_for_everyone`, never the facilitator's working title or
note), the parties' names, and of every item it may see: a goal's title and description,
an issue's title and unit, an agreement's text, an action's title and owner, a note's text.

**What it may not see** (the withheld items): every item it may not see, by its title,
description or text, and unit (an action's owner is not a secret of the action), and every
position it may not see, by its numbers (a party sees its own positions only; the room
sees none).

**Words.** A text is split into runs of letters and digits; the parts of a date ("24
November 2026", "November 24", "2026-11-24") are left out first. A *content word* is a run
with a letter in it, lower-cased, of 4 or more characters, whose word and stem are not in
:data:`STOP_WORDS` (English function words; words any project meeting uses, such as
"week", "plan", "release", "launch", "late"; and "customer", "management", "meeting",
"party", "session"); or an acronym of 2 or 3 capitals ("EDI", "ERP"; not a short word in
capitals such as "NOT"), kept as written. A plain suffix rule maps a word to its stem
(:func:`stem`): a plural ``-es`` or ``-s`` (not after ``s``, ``u`` or ``i``: "process",
"status", "analysis"), then ``-ing`` or ``-ed``, each cut only when 3 letters remain; then
a doubled last consonant is made single and a final ``e`` cut. So "slipped", "slips" and
"slip" are one word; so are "findings" and "find", "licences" and "licence".

**Distinctive.** A word that a visible text shares with a withheld item is *distinctive*
when the audience meets it in fewer of its other visible items (or the title, or a party's
name) than there are withheld items using it: vocabulary the audience already shares
("integration" in a joint goal and a joint action) does not fire, a word that only this
text and one withheld item use does. Three refinements:

* the words of the parties' names and ids never fire: everyone knows who is in the room,
  and withheld items name the parties all the time;
* the words of the units the audience sees ("percent", "kEUR", "weeks") never fire: they
  say how much, not what;
* a withheld *note* that uses a word of a goal or issue the audience sees is taken to be
  talking about that goal or issue ("raise the loyalty module last"), so it makes no echo
  of that goal's or issue's text. An agreement, action, note, unit, name or the title for
  everyone using the note's words still echoes it.

**Numbers.** A number in a visible text (``41.5``, ``1,200``, ``-3``, ``1e15``) is an
echo of a withheld position when it is one of the value's renderings or equal to it
(:func:`pmkit.text.renderings`: ``99.5`` echoes a walk-away of ``99.45``), and of a number
written in a withheld text when it is one of that number's renderings and distinctive, as
for words (a year written in several joint texts is no echo). Whole numbers 0 to 9 are
left out (too common), and so are numbers inside words ("Q3", "v2.0", "12.5k").

**Findings.** One :class:`Echo` per audience, visible text and withheld item, with every
word and number they share; the audiences in order (the parties, then ``joint``), each
audience's texts in the session's order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pmkit.i18n import DEFAULT, use
from pmkit.model import ITEM_KINDS, JOINT, Note, Session
from pmkit.rules.visibility import audience_label, may_see, position_audience
from pmkit.text import renderings

__all__ = [
    "STOP_WORDS",
    "Echo",
    "audiences",
    "content_words",
    "echo_line",
    "find_echoes",
    "item_audience",
    "numbers_in",
    "stem",
]

STOP_WORDS = frozenset({
    # English function words of 4 letters or more
    "about", "above", "across", "after", "again", "against", "along", "also", "although",
    "among", "another", "around", "because", "been", "before", "behind", "being", "below",
    "beside", "besides", "between", "beyond", "both", "cannot", "could", "does", "doing",
    "done", "down", "during", "each", "either", "else", "enough", "even", "ever", "every",
    "from", "further", "have", "having", "here", "hers", "herself", "himself", "into", "itself",
    "just", "least", "less", "many", "more", "most", "much", "must", "myself", "neither",
    "never", "next", "none", "nothing", "once", "only", "onto", "other", "others", "otherwise",
    "ours", "ourselves", "over", "same", "shall", "should", "since", "some", "something",
    "such", "than", "that", "their", "theirs", "them", "themselves", "then", "there",
    "therefore", "these", "they", "this", "those", "though", "through", "throughout", "thus",
    "till", "together", "under", "unless", "until", "upon", "very", "what", "whatever", "when",
    "whenever", "where", "whether", "which", "while", "whom", "whose", "will", "with", "within",
    "without", "would", "your", "yours", "yourself", "yourselves",
    # words any project meeting uses
    "able", "already", "best", "better", "close", "early", "first", "full", "good", "high",
    "keep", "last", "late", "launch", "make", "need", "open", "plan", "project", "release",
    "soon", "start", "still", "sure", "take", "team", "time", "today", "week", "work",
    # who is in the room
    "customer", "management", "meeting", "party", "parties", "session",
})
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december"
           "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}}\b)?"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{4}}\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w]|[.,]\d)")
_RUN = re.compile(r"[^\W_]+")
# short words written in capitals are not acronyms ("DO NOT MENTION")
_NOT_ACRONYMS = frozenset({
    "AN", "AND", "ARE", "AS", "AT", "BE", "BUT", "BY", "CAN", "DO", "FOR", "HAS", "HE", "IF",
    "IN", "IS", "ITS", "MAY", "NO", "NOT", "OF", "ON", "OR", "OUR", "SHE", "SO", "THE", "TO",
    "UP", "WAS", "WE", "WHO", "WHY", "YES", "YOU"
})
_MIN_LETTERS = 4
_STEM_LEFT = 3


@dataclass(frozen=True)
class Echo:
    """A text ``audience`` sees (``text_where``: which item and field) that shares ``shared``
    (words as written in the text, or numbers) with an item it may not see."""

    audience: str  # a party id, or "joint": the room
    text_where: str  # "title for everyone", "party customer", "goal test-env title", ...
    text: str
    item_kind: str  # goal, issue, agreement, action, note, or position
    item_id: str  # an item's id; a position's is "<issue id>/<party>"
    item_title: str
    shared: tuple[str, ...]


def stem(word: str) -> str:
    """``word`` (lower case) without a plain suffix (see the module)."""
    w = word
    for suffix in ("es", "s"):  # the plural first ...
        if w.endswith(suffix) and len(w) - len(suffix) >= _STEM_LEFT and not w.endswith(("ss", "us", "is")):
            w = w[: -len(suffix)]
            break
    for suffix in ("ing", "ed"):  # ... then the verb: "findings", "finding" and "find" are one word
        if w.endswith(suffix) and len(w) - len(suffix) >= _STEM_LEFT:
            w = w[: -len(suffix)]
            break
    if len(w) > _STEM_LEFT and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    if len(w) > _STEM_LEFT and w.endswith("e"):
        w = w[:-1]
    return w


_STOP_STEMS = frozenset(stem(w) for w in STOP_WORDS)


def content_words(text: str) -> dict[str, str]:
    """The content words of ``text``: ``{stem: the word as first written}``."""
    out: dict[str, str] = {}
    for run in _RUN.findall(_DATE.sub(" ", text)):
        if not any(c.isalpha() for c in run) or _NUMBER.fullmatch(run):  # "1e15" is a number
            continue
        if run.isalpha() and run.isupper() and 2 <= len(run) <= 3:
            if run not in _NOT_ACRONYMS:
                out.setdefault(run, run)  # an acronym
            continue
        word = run.lower()
        if len(word) >= _MIN_LETTERS and word not in STOP_WORDS:
            root = stem(word)
            if root not in _STOP_STEMS:
                out.setdefault(root, run)
    return out


def numbers_in(text: str) -> list[str]:
    """The numbers written in ``text``, as written, less whole numbers 0-9 and dates."""
    found = []
    for m in _NUMBER.finditer(_DATE.sub(" ", text)):
        plain = _plain(m.group())
        if re.fullmatch(r"-?\d", plain):
            continue
        found.append(m.group())
    return found


def _plain(shown: str) -> str:
    return shown.replace(",", "").replace("−", "-")


def _keys(value: float) -> frozenset[str]:
    """How a number is looked up: each of its renderings, and the value itself."""
    return frozenset({_plain(r) for r in renderings(value)} | {f"={value!r}"})


def _shown_keys(shown: str) -> frozenset[str]:
    plain = _plain(shown)
    return frozenset({plain, f"={float(plain)!r}"})


@dataclass(frozen=True)
class _Text:
    """A text of the session, seen by the roles that may see ``audience``."""

    audience: str
    source: str  # the item (or the title, or a party) the text belongs to
    where: str
    text: str
    words: dict[str, str]
    numbers: tuple[tuple[str, frozenset[str]], ...]  # as written, and the keys to look it up by
    agenda: bool  # a goal's or an issue's text
    unit: bool  # an issue's unit


@dataclass(frozen=True)
class _Item:
    """An item (or one number of a position), withheld from whoever may not see ``audience``."""

    audience: str
    kind: str
    item_id: str
    title: str
    words: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()  # keys of the numbers written in its text
    values: frozenset[str] = frozenset()  # keys of a position's number
    note: bool = False


def _texts(session: Session) -> Iterator[_Text]:
    def make(audience: str, source: str, where: str, text: str, agenda: bool = False) -> _Text:
        numbers = tuple((shown, _shown_keys(shown)) for shown in numbers_in(text))
        return _Text(audience, source, where, text, content_words(text), numbers, agenda, where.endswith(" unit"))

    yield make(JOINT, "title", "title for everyone", session.title_for_everyone)
    for p in session.parties:
        yield make(JOINT, f"party {p.id}", f"party {p.id}", p.name)
    for kind, (attr, _cls, _prefix) in ITEM_KINDS.items():
        for item in getattr(session, attr):
            for name in ("title", "description", "text", "unit", "owner"):
                text = getattr(item, name, None)
                if text:
                    yield make(item.audience, f"{kind} {item.id}", f"{kind} {item.id} {name}", str(text),
                               kind in ("goal", "issue", "option_issue"))
            for option in getattr(item, "options", ()):  # an option issue's labels
                yield make(item.audience, f"{kind} {item.id}", f"{kind} {item.id} option {option.id}",
                           option.label, True)


def _items(session: Session) -> Iterator[_Item]:
    for kind, (attr, _cls, _prefix) in ITEM_KINDS.items():
        for item in getattr(session, attr):
            parts = [str(getattr(item, name, "") or "") for name in ("title", "description", "text", "unit")]
            parts += [o.label for o in getattr(item, "options", ())]
            text = " ".join(p for p in parts if p)
            numbers = frozenset(k for shown in numbers_in(text) for k in _shown_keys(shown))
            yield _Item(item.audience, kind, item.id, str(getattr(item, "title", None) or getattr(item, "text", "")),
                        frozenset(content_words(text)), numbers, note=isinstance(item, Note))
    for issue in session.issues:
        for party, pos in issue.positions.items():
            audience = position_audience(issue.audience, party)
            for name, value in (("ideal", pos.ideal), ("walk-away", pos.walk_away)):
                if value is not None:
                    title = f"{session.party_name(party)}'s {name} on '{issue.title}'"
                    yield _Item(audience, "position", f"{issue.id}/{party}", title, values=_keys(value))


def _names(session: Session) -> frozenset[str]:
    """The stems of the parties' names and ids: never distinctive."""
    out: set[str] = set()
    for p in session.parties:
        out |= content_words(p.name).keys() | content_words(p.id.replace("-", " ").replace("_", " ")).keys()
    return frozenset(out)


def _for_audience(audience: str, texts: list[_Text], items: list[_Item], names: frozenset[str]) -> Iterator[Echo]:
    visible = [t for t in texts if may_see(audience, t.audience)]
    withheld = [i for i in items if not may_see(audience, i.audience)]
    if not withheld:
        return
    common = names | {word for t in visible if t.unit for word in t.words}  # names and measures
    seen_in: dict[str, set[str]] = defaultdict(set)  # a stem or number key -> visible sources
    for t in visible:
        for key in (*t.words, *(k for _shown, keys in t.numbers for k in keys)):
            seen_in[key].add(t.source)
    used_by: dict[str, list[int]] = defaultdict(list)  # a stem or number key -> withheld texts
    position_of: dict[str, list[int]] = defaultdict(list)  # a number key -> withheld position numbers
    for n, item in enumerate(withheld):
        for key in (*item.words, *item.numbers):
            used_by[key].append(n)
        for key in item.values:
            position_of[key].append(n)

    def distinctive(key: str, t: _Text) -> list[int]:
        users = used_by.get(key, [])
        if len(seen_in[key] - {t.source}) >= len(users):
            return []
        return [n for n in users if not (t.agenda and withheld[n].note)]

    for t in visible:
        hits: dict[int, list[str]] = defaultdict(list)
        for word, shown in t.words.items():
            if word not in common:
                for n in distinctive(word, t):
                    hits[n].append(shown)
        for shown, keys in t.numbers:
            found = {n for k in keys for n in (*position_of.get(k, ()), *distinctive(k, t))}
            for n in found:
                hits[n].append(shown)
        for n, shared in sorted(hits.items()):
            item = withheld[n]
            yield Echo(audience, t.where, t.text, item.kind, item.item_id, item.title, tuple(dict.fromkeys(shared)))


def audiences(session: Session) -> list[str]:
    """The audiences checked: each party, then ``joint`` (the room)."""
    return [*session.party_ids, JOINT]


def find_echoes(session: Session) -> tuple[Echo, ...]:
    """Every echo in ``session`` (the full session: the facilitator's), audience by audience
    (the parties, then the room), each audience's texts in the session's order."""
    names = _names(session)
    texts, items = list(_texts(session)), list(_items(session))
    return tuple(e for audience in audiences(session) for e in _for_audience(audience, texts, items, names))


def echo_line(echo: Echo, session: Session) -> str:
    """``echo<TAB>AUDIENCE<TAB>WHERE<TAB>WORDS<TAB>WITHHELD ITEM``: one finding on one line,
    the withheld item with its kind, id, title and who may see it."""
    return "\t".join(["echo", echo.audience, echo.text_where, ", ".join(echo.shared),
                      f"{echo.item_kind} {echo.item_id} \"{' '.join(echo.item_title.split())}\" "
                      f"({_english_label(item_audience(echo, session), session)})"])


def _english_label(audience: str, session: Session) -> str:
    """Who may see an item, as the TSV record writes it in every language (machine output)."""
    with use(DEFAULT):
        return audience_label(audience, session)


def item_audience(echo: Echo, session: Session) -> str:
    """Who may see the withheld item of ``echo``."""
    if echo.item_kind == "position":
        issue_id, _sep, party = echo.item_id.rpartition("/")
        issue = next(i for i in session.issues if i.id == issue_id)
        return position_audience(issue.audience, party)
    attr = ITEM_KINDS[echo.item_kind][0]
    return str(next(i.audience for i in getattr(session, attr) if i.id == echo.item_id))
