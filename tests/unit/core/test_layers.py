"""The package's layers, checked on the source: dependencies point one way (down), no
import loops, no module past 450 lines. The rules are the ones DESIGN and docs/architecture.md state:
analytics imports no storage, widgets or charts; storage imports no analytics; widgets never
run SQL; nothing imports the command line."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PKG = ROOT / "pmkit"
MAX_LINES = 450

# Layers, lowest first. A module may import its own layer and the layers listed as allowed.
BOTTOM = "bottom"
LAYERS: dict[str, set[str]] = {
    BOTTOM: set(),
    "rules": {BOTTOM},
    "formats": {BOTTOM, "rules"},
    "analytics": {BOTTOM, "rules"},
    "store": {BOTTOM, "rules", "formats"},
    "views": {BOTTOM, "rules", "formats", "analytics", "store"},
    "charts": {BOTTOM, "rules", "analytics"},
    "reports": {BOTTOM, "rules", "formats", "analytics", "store", "views", "charts"},
    "widgets": {BOTTOM, "rules", "formats", "analytics", "store", "views", "charts", "reports"},
    "meeting": {BOTTOM, "rules", "formats", "analytics", "store", "views", "charts", "reports", "widgets"},
    "cli": {BOTTOM, "rules", "formats", "analytics", "store", "views", "charts", "reports", "widgets", "meeting"},
}
# Third-party libraries a layer must not use (what keeps analytics pure and SQL in the store).
FORBIDDEN_LIBS: dict[str, set[str]] = {
    BOTTOM: {"sqlite3", "psycopg", "matplotlib", "ipywidgets", "numpy", "voila", "jinja2"},
    "rules": {"sqlite3", "psycopg", "matplotlib", "ipywidgets", "numpy", "voila", "jinja2", "IPython"},
    "formats": {"sqlite3", "psycopg", "matplotlib", "ipywidgets", "voila", "jinja2", "IPython"},
    "analytics": {"sqlite3", "psycopg", "matplotlib", "ipywidgets", "voila", "jinja2", "IPython"},
    "store": {"matplotlib", "ipywidgets", "numpy", "voila", "jinja2", "IPython"},
    "views": {"sqlite3", "psycopg", "matplotlib", "ipywidgets", "voila"},
    "charts": {"sqlite3", "psycopg", "ipywidgets", "voila", "jinja2"},
    "reports": {"sqlite3", "psycopg", "ipywidgets", "voila"},
    "widgets": {"sqlite3", "psycopg", "voila"},
    "meeting": {"sqlite3", "psycopg"},
    "cli": {"sqlite3", "psycopg"},
}
# Every module's layer, named: a package's modules share its layer; a top-level module is
# listed here. A module in neither place fails test_every_module_has_a_layer: there is no default.
TOP_LEVEL: dict[str, str] = {
    "pmkit": BOTTOM,
    "pmkit.__main__": "cli",
    "pmkit.errors": BOTTOM,
    "pmkit.logs": BOTTOM,
    "pmkit.model": BOTTOM,
    "pmkit.resources": BOTTOM,
    "pmkit.settings": BOTTOM,
    "pmkit.text": BOTTOM,
    "pmkit.i18n": BOTTOM,
}


def layer_of(module: str) -> str:
    """The layer of ``module``: its package's (``pmkit.<layer>.…``), or its entry in
    :data:`TOP_LEVEL`; ``KeyError`` for a module that names no layer."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] == "model":  # the model package: split by concept, one layer
        return BOTTOM
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS):
        if parts[1] not in LAYERS:
            raise KeyError(f"{module}: pmkit.{parts[1]} is not a layer; add it to LAYERS")
        return parts[1]
    return TOP_LEVEL[module]


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imports(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every import in the file (module level or inside functions), as absolute names."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # `from pmkit.store import backups` imports a module
                yield f"{target}.{alias.name}", node.lineno


MODULES = dict(modules())


def _resolve(name: str) -> str | None:
    """The pmkit module ``name`` refers to (a name imported from a module maps to it)."""
    while name:
        if name in MODULES:
            return name
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return None


def graph() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        deps: set[str] = set()
        for name, _line in imports(path, module):
            if name.startswith("pmkit"):
                target = _resolve(name)
                if target and target != module and not module.startswith(target + "."):
                    deps.add(target)
        out[module] = deps
    return out


def test_every_import_points_down_the_layers() -> None:
    wrong = []
    for module, path in MODULES.items():
        mine = layer_of(module)
        for name, line in imports(path, module):
            if name.startswith("pmkit"):
                target = _resolve(name)
                if target is None or target == module or module.startswith(target + "."):
                    continue
                theirs = layer_of(target)
                if theirs != mine and theirs not in LAYERS[mine]:
                    wrong.append(f"{path.relative_to(PKG.parent)}:{line} ({mine}) imports {target} ({theirs})")
            else:
                lib = name.split(".")[0]
                if lib in FORBIDDEN_LIBS[mine]:
                    wrong.append(f"{path.relative_to(PKG.parent)}:{line} ({mine}) uses {lib}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(set(wrong)))


def test_there_is_no_import_loop() -> None:
    deps = graph()
    loops: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(deps.get(m, ())):
            if state.get(d) == 1:
                loops.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(deps):
        if m not in state:
            visit(m)
    # a package importing its own modules (its __init__ re-exporting them) is not a loop
    real = [loop for loop in loops if not all(x.startswith(loop[0] + ".") or x == loop[0] for x in loop[1:-1])]
    assert not real, "import loops:\n" + "\n".join(" -> ".join(loop) for loop in real)


def test_every_module_has_a_layer() -> None:
    missing = []
    for module in MODULES:
        try:
            layer_of(module)
        except KeyError as exc:
            missing.append(str(exc))
    assert not missing, "modules without a layer:\n" + "\n".join(missing)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_450_lines(module: str) -> None:
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by concept"


def test_the_rules_catch_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: an analytics module importing the store is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from pmkit.store import Workspace\nimport sqlite3\n")
    found = list(imports(bad, "pmkit.analytics.bad"))
    assert ("pmkit.store", 1) in found and ("sqlite3", 2) in found
    assert layer_of("pmkit.analytics.bad") == "analytics"
    assert "store" not in LAYERS["analytics"] and "sqlite3" in FORBIDDEN_LIBS["analytics"]
