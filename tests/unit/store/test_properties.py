"""Property-based tests: random input to the model, the YAML reader and the workspace's edit
methods never raises anything but a PmkitError, and valid sessions round-trip exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pmkit.errors import PmkitError
from pmkit.formats.yaml_file import dump_session, load_session
from pmkit.model import FACILITATOR, ITEM_KINDS, MAX_MAGNITUDE, Session, parse_session
from pmkit.resources import starter_path
from pmkit.store import Workspace

pytestmark = pytest.mark.slow  # property searches over generated sessions: `make test`, not `make test-fast`

# position values the model accepts: finite, within ±MAX_MAGNITUDE
bounded = st.floats(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE, allow_nan=False, width=64)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PARTIES = ["customer", "management"]
ROLES = [FACILITATOR, *PARTIES]
KINDS = list(ITEM_KINDS)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.dates()
    | st.binary(max_size=10)
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4)
    ),
    max_leaves=25,
)

# values that are often right and sometimes wrong in interesting ways
importance = st.one_of(st.integers(min_value=-2, max_value=7), st.sampled_from(["3", "high", 2.5, None, True]))
stance = st.sampled_from(["support", "neutral", "oppose", "Support", "", "against", 1])
party = st.sampled_from([*PARTIES, "vendor", "joint", "", "Customer"])
audience = st.sampled_from(["joint", "facilitator", *PARTIES, "vendor", "everyone", ""])
text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["<script>alert(1)</script>", "\x1b[31m", "{{ x }}", "a\x00b", "x" * 301, "\ud800"]),
)
rating = st.fixed_dictionaries({"importance": importance}, optional={"stance": stance, "extra": anything})


good_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40).filter(
    lambda t: t.strip() != ""
)
good_party = st.sampled_from(PARTIES)
good_audience = st.sampled_from(["joint", "facilitator", *PARTIES])
good_rating = st.fixed_dictionaries(
    {"importance": st.integers(min_value=0, max_value=5)},
    optional={"stance": st.sampled_from(["support", "neutral", "oppose"])},
)


def item_dict(kind: str, valid: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Fields of one item: well-formed when ``valid``, else often subtly wrong."""
    txt, pty, aud, rtg = (
        (good_text, good_party, good_audience, good_rating) if valid else (text, party, audience, rating)
    )
    common: dict[str, st.SearchStrategy[Any]] = {"audience": aud}
    if not valid:
        common["id"] = st.text(max_size=12)
    if kind == "goal":
        required = {"title": txt, "raised_by": pty}
        optional = {**common, "description": txt, "ratings": st.dictionaries(pty, rtg, max_size=3)}
    elif kind == "issue":
        number = (
            bounded if valid else st.one_of(st.floats(), st.text(max_size=5))
        )
        position = st.fixed_dictionaries({"ideal": number}, optional={"walk_away": st.one_of(st.none(), number)})
        required = {"title": txt}
        optional = {**common, "unit": txt, "positions": st.dictionaries(pty, position, max_size=3)}
    elif kind == "agreement":
        required = {"text": txt}
        optional = {**common, "kind": st.sampled_from(["agreement", "decision"] if valid else ["decision", "promise"])}
    elif kind == "action":
        required = {"title": txt}
        optional = {
            **common,
            "owner": txt,
            "due": st.dates() if valid else st.one_of(st.dates(), st.text(max_size=12), st.integers()),
            "status": st.sampled_from(["open", "done", "dropped"] if valid else ["done", "closed"]),
        }
    else:
        required = {"text": txt}
        optional = common
    if not valid:  # any field may hold anything, and unknown fields turn up
        optional = {**{k: v | anything for k, v in optional.items()}, "surprise": anything}
    return st.fixed_dictionaries(required, optional=optional)


def any_item(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(item_dict(kind, valid=True), item_dict(kind))


session_like = st.fixed_dictionaries(
    {"title": text},
    optional={
        "description": text,
        "date": st.one_of(st.dates(), st.text(max_size=12)),
        "parties": st.lists(st.fixed_dictionaries({"id": party, "name": text}), min_size=0, max_size=4),
        "goals": st.lists(item_dict("goal"), max_size=4),
        "issues": st.lists(item_dict("issue"), max_size=3),
        "agreements": st.lists(item_dict("agreement"), max_size=2),
        "actions": st.lists(item_dict("action"), max_size=2),
        "notes": st.lists(item_dict("note"), max_size=2),
    },
)


def yaml_texts() -> st.SearchStrategy[str | bytes]:
    dumped = st.one_of(anything, session_like, valid_session).map(
        lambda d: yaml.safe_dump(d, allow_unicode=True) if _dumpable(d) else "title: x\n"
    )
    return st.one_of(st.text(max_size=300), st.binary(max_size=300), dumped)


def _dumpable(d: Any) -> bool:
    try:
        yaml.safe_dump(d)
    except yaml.YAMLError:
        return False
    return True


# -- valid sessions round-trip exactly ----------------------------------------------------
valid_text = st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(
    lambda t: t.strip() == t and t != ""
)
valid_rating = st.builds(
    lambda i, s: {"importance": i, "stance": s},
    st.integers(min_value=0, max_value=5),
    st.sampled_from(["support", "neutral", "oppose"]),
)
finite = bounded
valid_session = st.builds(
    lambda title, goals, issues, date: {"title": title, "goals": goals, "issues": issues, "date": date},
    valid_text,
    st.lists(
        st.builds(
            lambda t, by, aud, r: {"title": t, "raised_by": by, "audience": aud, "ratings": r},
            valid_text,
            st.sampled_from(PARTIES),
            st.sampled_from(["joint", "facilitator", *PARTIES]),
            st.dictionaries(st.sampled_from(PARTIES), valid_rating),
        ),
        max_size=5,
    ),
    st.lists(
        st.builds(
            lambda t, pos: {"title": t, "positions": pos},
            valid_text,
            st.dictionaries(
                st.sampled_from(PARTIES),
                st.builds(lambda a, b: {"ideal": a, "walk_away": b}, finite, st.none() | finite),
            ),
        ),
        max_size=3,
    ),
    st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
)


@SETTINGS
@given(yaml_texts())
def test_load_session_raises_only_pmkit_errors(source: str | bytes) -> None:
    try:
        s = load_session(source, "random.yaml")
    except PmkitError as exc:
        event(f"refused: {type(exc).__name__}")
        assert str(exc).startswith("random.yaml")
        assert "\n" not in str(exc)
        return
    assert load_session(dump_session(s)) == s


@SETTINGS
@given(valid_session)
def test_valid_sessions_round_trip_through_yaml(data: dict[str, Any]) -> None:
    s = parse_session(data)
    text = dump_session(s)
    assert load_session(text) == s
    assert dump_session(load_session(text)) == text


@SETTINGS
@given(st.one_of(anything, session_like, valid_session))
def test_parse_session_raises_only_pmkit_errors(data: Any) -> None:
    try:
        s = parse_session(data)
    except PmkitError as exc:
        event(f"refused: {type(exc).__name__}")
        assert "\n" not in str(exc) and len(str(exc)) <= 400
        return
    event("accepted")
    assert isinstance(s, Session)
    assert Session.model_validate(s.model_dump()) == s


# -- the workspace's edit methods -----------------------------------------------------------
@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str]]:
    folder: Path = tmp_path_factory.mktemp("prop-ws")
    ws = Workspace(folder)
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    yield ws, sid
    ws.close()


def _known_ids(ws: Workspace, sid: str) -> list[str]:
    s = ws.sessions.load(sid, FACILITATOR)
    return [i.id for field, _c, _p in ITEM_KINDS.values() for i in getattr(s, field)]


def _check_invariants(ws: Workspace, sid: str) -> None:
    for role in ROLES:
        s = ws.sessions.load(sid, role)  # still loads and validates for every role
        if role != FACILITATOR:
            for field, _c, _p in ITEM_KINDS.values():
                assert all(i.audience in ("joint", role) for i in getattr(s, field))
            assert all(set(i.positions) <= {role} for i in s.issues)
    history = ws.journal.history(sid)
    assert [e.version for e in history] == list(range(1, len(history) + 1))


kind = st.sampled_from([*KINDS, "position", "widget", ""])
role = st.sampled_from([*ROLES, "vendor", "joint"])


@SETTINGS
@given(st.data())
def test_add_item_raises_only_pmkit_errors(shared: tuple[Workspace, str], data: st.DataObject) -> None:
    ws, sid = shared
    k = data.draw(kind)
    item = data.draw(any_item(k) | anything if k in ITEM_KINDS else anything)
    who = data.draw(
        st.sampled_from([FACILITATOR, FACILITATOR, item.get("raised_by") if isinstance(item, dict) else ""]) | role
    )
    try:
        new_id = ws.items.add(sid, k, item, role=str(who))
    except PmkitError as exc:
        event(f"refused: {type(exc).__name__}")
    else:
        event("added")
        assert new_id in _known_ids(ws, sid)
    _check_invariants(ws, sid)


FIELDS = ["title", "text", "description", "audience", "raised_by", "ratings", "status", "due", "owner", "unit", "kind"]


@SETTINGS
@given(st.data())
def test_update_item_raises_only_pmkit_errors(shared: tuple[Workspace, str], data: st.DataObject) -> None:
    ws, sid = shared
    s = ws.sessions.load(sid, FACILITATOR)
    known = [(k, i.id) for k, (field, _c, _p) in ITEM_KINDS.items() for i in getattr(s, field)]
    k, item_id = data.draw(st.sampled_from(known) | st.tuples(kind, st.text(max_size=10)))
    if data.draw(st.booleans()):  # fields of the item's own kind, well-formed
        fields = data.draw(item_dict(k, valid=True)) if k in ITEM_KINDS else {}
        changes = {f: v for f, v in fields.items() if data.draw(st.booleans())}
    else:
        changes = data.draw(
            st.dictionaries(
                st.sampled_from([*FIELDS, "id", "positions", "colour"]), st.one_of(text, audience, anything), max_size=3
            )
        )
    base_rev = data.draw(st.none() | st.integers(min_value=-1, max_value=50))
    who = data.draw(st.sampled_from([FACILITATOR, FACILITATOR]) | role)
    try:
        ws.items.update(sid, k, item_id, changes, role=who, base_rev=base_rev)
        event("updated")
    except PmkitError as exc:
        event(f"refused: {type(exc).__name__}")
    _check_invariants(ws, sid)


@SETTINGS
@given(st.data())
def test_set_rating_raises_only_pmkit_errors(shared: tuple[Workspace, str], data: st.DataObject) -> None:
    ws, sid = shared
    goals = [g.id for g in ws.sessions.load(sid, FACILITATOR).goals]
    goal_id = data.draw(st.sampled_from(goals) | st.text(max_size=10))
    who = data.draw(good_party | party)
    imp = data.draw(st.one_of(importance, st.floats(), st.none()))
    st_value = data.draw(stance)
    acting = data.draw(st.sampled_from([FACILITATOR, who]) | role)
    try:
        ws.items.set_rating(sid, goal_id, who, imp, st_value, role=acting)  # type: ignore[arg-type]
    except PmkitError as exc:
        event(f"refused: {type(exc).__name__}")
    else:
        event("rated")
        g = next(g for g in ws.sessions.load(sid, FACILITATOR).goals if g.id == goal_id)
        if imp is None:
            assert who not in g.ratings
        else:
            assert 0 <= g.ratings[who].importance <= 5
    _check_invariants(ws, sid)
