"""What a person sees on a real screen, measured in the page: clipped text, and axe-core.

``clipped(page)`` lists every visible element of the board whose text does not fit its box
and is cut rather than wrapped: a box whose content is wider than the box itself
(``scrollWidth`` against ``clientWidth``) and hides the rest, an ellipsis, a closed
drop-down whose chosen option is wider than the drop-down, a list box option wider than
the list, and anything that runs off the right edge of the window. Text meant for screen
readers only (``pmkit-sr-only``) is left out.

``axe(page)`` runs axe-core, installed from the npm registry by ``make setup``
(``scripts/install-axe``) into ``.tools/`` (git-ignored), in the page and returns its
violations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ROOT

AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"

SIZES = {"laptop": (1366, 768), "projector": (1280, 720), "large screen": (1920, 1080)}

CLIPPED_JS = (Path(__file__).with_name("clipped.js")).read_text(encoding="utf-8")


def clipped(page: Any) -> list[str]:
    """Every place on the board where text is cut instead of shown whole or wrapped."""
    return list(page.evaluate(CLIPPED_JS))


def require_axe() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make setup` (it installs axe-core from the npm registry)",
                    pytrace=False)
    return AXE


def axe(page: Any, impacts: tuple[str, ...] = ("critical", "serious")) -> list[dict[str, Any]]:
    """axe-core's violations in the page whose impact is one of ``impacts``: each with its
    rule, impact, help and the first few elements."""
    page.evaluate(require_axe().read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map(
              n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
        }"""
    )
    return [v for v in found if v["impact"] in impacts]
