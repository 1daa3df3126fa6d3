"""Where pmkit's shipped files are: session starters, report templates, the Voila template
and the notebooks. Works from a source checkout and from an installed wheel."""

from __future__ import annotations

from pathlib import Path

from pmkit.errors import NotFound

__all__ = ["notebooks_dir", "starter_names", "starter_path", "templates_dir"]

_PKG = Path(__file__).resolve().parent


def _pick(packaged: str, source: str) -> Path:
    inside = _PKG / packaged
    return inside if inside.is_dir() else _PKG.parent / source


def templates_dir() -> Path:
    """The ``templates/`` folder (``pmkit/_templates`` inside a wheel)."""
    return _pick("_templates", "templates")


def notebooks_dir() -> Path:
    """The ``notebooks/`` folder (``pmkit/_notebooks`` inside a wheel)."""
    return _pick("_notebooks", "notebooks")


def starter_names() -> list[str]:
    return sorted(p.stem for p in (templates_dir() / "sessions").glob("*.yaml"))


def starter_path(name: str) -> Path:
    path = templates_dir() / "sessions" / f"{name}.yaml"
    if name not in starter_names():
        raise NotFound(f"no starter '{name}'; `pmkit templates` lists them ({', '.join(starter_names())})")
    return path
