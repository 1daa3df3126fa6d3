"""Packaging: pip and conda declare the same runtime dependencies, the distribution has its own
name, and the wheel carries the starters and works on its own."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pmkit.resources import starter_names
from tests.support.paths import ROOT
from tests.support.starters import STARTERS


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def environment() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "environment.yml").read_text())
    return data


def normalised(specs: list[str]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for spec in specs:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name not in out, f"{name} is declared twice"
        out[name] = frozenset(str(s) for s in req.specifier)
    return out


def test_conda_and_pip_declare_the_same_runtime_dependencies() -> None:
    pip_deps = normalised(pyproject()["project"]["dependencies"])
    conda = [d for d in environment()["dependencies"] if isinstance(d, str)]
    conda_deps = normalised([d for d in conda if Requirement(d).name not in ("python", "pip")])
    assert conda_deps == pip_deps
    # every runtime dependency has a lower bound: a fresh environment gets a known-good version
    assert all(any(s.startswith(">=") for s in specs) for specs in pip_deps.values())
    assert {"pydantic", "pyyaml", "numpy"} <= set(pip_deps)


def test_python_versions_agree() -> None:
    conda = [d for d in environment()["dependencies"] if isinstance(d, str)]
    (python,) = [d for d in conda if Requirement(d).name == "python"]
    assert str(Requirement(python).specifier) == pyproject()["project"]["requires-python"]


def test_the_package_installs_by_path_under_its_own_name() -> None:
    project = pyproject()["project"]
    assert project["name"] != "pmkit"  # that name on PyPI is another project
    assert project["scripts"]["pmkit"] == "pmkit.cli:main"
    pip_section = [d for d in environment()["dependencies"] if isinstance(d, dict)]
    assert pip_section and all(line.startswith("-e .") for entry in pip_section for line in entry["pip"]), (
        "environment.yml installs this repository by path"
    )
    names = [canonicalize_name(Requirement(d).name) for d in project["dependencies"]]
    names += [
        canonicalize_name(Requirement(d).name)
        for extra in project.get("optional-dependencies", {}).values()
        for d in extra
    ]
    assert "pmkit" not in names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (path,) = out.glob("*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_carries_the_starters(wheel: Path) -> None:
    assert wheel.name.startswith("pmkit_workbook-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in STARTERS:
        assert f"pmkit/_templates/sessions/{name}.yaml" in names
    assert "pmkit/cli/__init__.py" in names and "pmkit/model/__init__.py" in names
    assert not any(n.endswith((".sqlite", ".pyc")) or "/tests/" in n for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "pmkit = pmkit.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_the_unpacked_wheel_finds_its_starters_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "import pmkit.resources as r, pathlib; print(r.templates_dir()); print(','.join(r.starter_names()))"
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    folder, names = r.stdout.splitlines()
    assert Path(folder) == site / "pmkit" / "_templates"
    assert names.split(",") == starter_names()  # the negotiation cases too
