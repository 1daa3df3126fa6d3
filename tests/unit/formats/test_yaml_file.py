"""YAML in and out: lossless, stable round trips, and untrusted text that cannot hurt."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pmkit.errors import InputError, InvalidSession
from pmkit.formats.yaml_file import (
    MAX_BYTES,
    MAX_DEPTH,
    dump_session,
    load_session,
    load_yaml,
    read_session_file,
)
from pmkit.model import parse_session
from tests.support.starters import STARTERS, starter

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
title: *g
"""


@pytest.mark.parametrize("name", STARTERS)
def test_starter_round_trips_without_loss(name: str) -> None:
    s = starter(name)
    text = dump_session(s)
    again = load_session(text)
    assert again == s
    assert dump_session(again) == text  # stable: the same text twice


def test_dump_is_readable_yaml_in_model_order() -> None:
    s = parse_session(
        {
            "title": "T",
            "description": "line one\nline two\n",
            "issues": [
                {
                    "id": "b",
                    "title": "Budget",
                    "positions": {"customer": {"ideal": 10.0, "walk_away": 12.5}},
                }
            ],
        }
    )
    text = dump_session(s)
    assert text.startswith("title: T\n")
    assert "description: |-\n  line one\n  line two\n" in text
    assert "ideal: 10\n" in text  # whole numbers print as integers
    assert "walk_away: 12.5\n" in text
    assert "!!" not in text  # plain YAML only
    assert "date" not in text  # None is left out
    assert load_session(text) == s


def test_unicode_and_markup_are_kept_verbatim() -> None:
    title = "Überprüfung <script>alert('x')</script> — «ok» & {{ name }} ${HOME}"
    s = parse_session({"title": title, "notes": [{"text": "<img src=x onerror=alert(1)>"}]})
    text = dump_session(s)
    assert title in text  # allow_unicode: no \\u escapes
    back = load_session(text)
    assert back.title == title
    assert back.notes[0].text == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (BILLION_LAUGHS, "anchors and aliases"),
        ("title: &t hi\ndescription: *t\n", "anchors and aliases"),
        (
            "title: !!python/object/apply:os.system ['echo hacked']\n",
            "could not determine a constructor",
        ),
        ("title: !!python/name:os.system\n", "could not determine a constructor"),
        ("title: !custom x\n", "could not determine a constructor"),
        (
            "title: x\n" + "n: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
            "nesting deeper",
        ),
        ("[" * 100_000 + "]" * 100_000, "nesting deeper"),
        ("title: [1, 2\n", "line 2, column 1"),
        ("title: x\n\tdescription: y\n", "not valid YAML"),
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("---\ntitle: a\n---\ntitle: b\n", "2 YAML documents"),
        ("title: a\x00b\n", "NUL byte"),
        ("title: x\ndate: 2026-13-45\n", "month must be in 1..12"),
    ],
)
def test_hostile_or_broken_yaml_is_a_one_line_input_error(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        load_session(text, "file.yaml")
    message = str(info.value)
    assert message.startswith("file.yaml")
    assert fragment in message
    assert "\n" not in message and len(message) <= 400


def test_python_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(InputError):
        load_yaml(text)
    with pytest.raises(InputError):
        load_yaml(text.encode())
    assert not marker.exists()


def test_size_limits_hold_for_text_bytes_and_files(tmp_path: Path) -> None:
    big = "title: " + "x" * MAX_BYTES + "\n"
    with pytest.raises(InputError, match="larger than"):
        load_yaml(big)
    with pytest.raises(InputError, match="larger than"):
        load_yaml(big.encode())
    path = tmp_path / "big.yaml"
    path.write_text(big)
    with pytest.raises(InputError, match="big.yaml: .* bytes is larger than"):
        read_session_file(path)


def test_a_title_that_fits_the_file_but_not_the_model_names_the_field() -> None:
    with pytest.raises(InvalidSession, match="title = 'xxx.*at most 300 characters"):
        load_session("title: " + "x" * 100_000 + "\n")


def test_bytes_must_be_utf8() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        load_yaml(b"title: \xff\xfe\n")


def test_load_session_errors_name_the_source_and_keep_the_problem_list() -> None:
    text = "title: t\ngoals:\n  - {title: a, raised_by: nobody}\n  - {title: b, raised_by: nobody}\n"
    with pytest.raises(InvalidSession) as info:
        load_session(text, "meeting.yaml")
    assert str(info.value).startswith("meeting.yaml: goals[1] \"a\": raised_by 'nobody'")
    assert len(info.value.problems) == 2  # type: ignore[attr-defined]


def test_read_session_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.yaml: no such file"):
        read_session_file(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a folder"):
        read_session_file(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n")
    with pytest.raises(InputError, match=r"bad\.yaml: line"):
        read_session_file(bad)


def test_yaml_core_scalars_are_data_not_code() -> None:
    data = load_yaml("title: '1'\nn: 1.5\nd: 2026-01-02\nb: yes\nz: ~\nbin: !!binary aGk=\n")
    assert data == {
        "title": "1",
        "n": 1.5,
        "d": __import__("datetime").date(2026, 1, 2),
        "b": True,
        "z": None,
        "bin": b"hi",
    }


def test_loader_is_a_safe_loader() -> None:
    from pmkit.formats.yaml_file import _Loader

    assert issubclass(_Loader, yaml.SafeLoader)
