"""The docs say what the code has: the generated references (every verb, option and setting)
are what the parser and the settings table give now, the architecture's feature table names
every module of pmkit/ and only modules that exist, and the README's links resolve."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from pmkit import settings
from pmkit.cli import base, build_parser, reference

ROOT = Path(__file__).resolve().parents[3]
PKG = ROOT / "pmkit"
DOCS = ROOT / "docs"
FEATURES_HEADING = "## Features and their files"


@pytest.mark.parametrize("name", sorted(reference.pages()))
def test_the_generated_reference_is_current(name: str) -> None:
    path = DOCS / "reference" / name
    assert path.exists(), f"docs/reference/{name} is missing: run `make docs` to regenerate"
    assert path.read_text(encoding="utf-8") == reference.pages()[name], (
        f"docs/reference/{name} differs from what the code gives now: run `make docs` to regenerate"
    )


def _verbs() -> list[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert sub.choices is not None
    return list(sub.choices)


def test_every_verb_and_option_is_in_the_command_line_reference() -> None:
    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    for verb in _verbs():
        assert f"## `pmkit {verb}`" in page, f"pmkit {verb} is undocumented: run `make docs` to regenerate"
    for option in ("--preheat N", "--probe ISSUE=VALUE", "--show-colleagues {on,off}", "--affected-from DATE"):
        assert f"`{option}`" in page, f"{option} is undocumented: run `make docs` to regenerate"
    assert "## `pmkit round reveal`" in page


def test_every_setting_is_in_the_settings_reference() -> None:
    page = (DOCS / "reference" / "settings.md").read_text(encoding="utf-8")
    for s in settings.SETTINGS:
        assert f"| `{s.name}` | `{s.env}` |" in page, f"{s.name} is undocumented: run `make docs` to regenerate"
    # a default that depends on the machine is described, never this machine's value
    assert str(Path.home()) not in page


def test_a_new_verb_changes_the_generated_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a verb added to the registry is a new section of the page."""
    def setup(p: argparse.ArgumentParser) -> None:
        p.add_argument("--colour", metavar="NAME", help="the colour of the <b>|</b> thing")

    monkeypatch.setitem(base.COMMANDS, "paint", base.Command("paint", lambda ns: 0, setup, "paint a session"))
    page = reference.cli_page()
    assert "## `pmkit paint`" in page and "[`paint`](#pmkit-paint) | paint a session |" in page
    assert "- `--colour NAME`: the colour of the &lt;b&gt;|&lt;/b&gt; thing" in page
    assert page != (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")


# -- the feature table ------------------------------------------------------------------------
def feature_table() -> list[tuple[str, Path]]:
    """Each (feature, file) the architecture's feature table names: a cell's `name.py` is a
    path under its column's folder (`pmkit/` is the package itself)."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert FEATURES_HEADING in text, f"docs/architecture.md has no section {FEATURES_HEADING!r}"
    section = text.split(FEATURES_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    split = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    header, body = split[0], split[2:]
    folders = [cell.strip("`") for cell in header[1:]]
    assert folders[0] == "pmkit/" and all(f.endswith("/") for f in folders), header
    found = []
    for cells in body:
        assert len(cells) == len(header), f"row {cells[0]!r} has {len(cells)} cells, the header {len(header)}"
        for folder, cell in zip(folders, cells[1:], strict=True):
            base_dir = PKG if folder == "pmkit/" else PKG / folder
            found.extend((cells[0], base_dir / name) for name in re.findall(r"`([^`]+)`", cell))
    return found


def modules() -> set[Path]:
    """Every module of pmkit/; a package's empty __init__.py only marks the package."""
    return {p for p in PKG.rglob("*.py") if not (p.name == "__init__.py" and not p.read_text().strip())}


def test_every_file_the_feature_table_names_exists() -> None:
    missing = [f"{feature}: {path.relative_to(ROOT)}" for feature, path in feature_table() if not path.is_file()]
    assert not missing, "docs/architecture.md names files that do not exist:\n" + "\n".join(missing)


def test_every_module_is_in_the_feature_table() -> None:
    named = {path for _feature, path in feature_table()}
    absent = sorted(str(p.relative_to(ROOT)) for p in modules() - named)
    assert not absent, "modules missing from the feature table of docs/architecture.md:\n" + "\n".join(absent)


# -- links ------------------------------------------------------------------------------------
def _anchors(page: Path) -> set[str]:
    return {slugify(m, "-") for m in re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)}


def test_the_readme_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    assert any(link.startswith("docs/") for link in links)
    broken = []
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = ROOT / path
        if not target.exists() or (anchor and anchor not in _anchors(target)):
            broken.append(link)
    assert not broken, "README.md links to nothing: " + ", ".join(broken)
