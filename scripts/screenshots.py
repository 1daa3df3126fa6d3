"""Screenshots of the demo session for the README and docs/: the facilitator's page on a laptop
(1366×768), the customer's on a projector (1280×720), and the room screen as a projector
shows it (1280×720), from a real `pmkit serve` in headless Chromium.

    make screenshots   # or .venv/bin/python scripts/screenshots.py
                       # writes docs/board-facilitator.png, docs/board-customer.png, docs/room-screen.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.meeting import links  # noqa: E402
from pmkit.resources import starter_path  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from tests.support.live import browser, serve  # noqa: E402


def main() -> int:
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ws = Workspace(tmp / "ws")
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        with serve(ws.folder, sid, tmp) as server, browser() as b:
            for role, (width, height) in (("facilitator", (1366, 768)), ("customer", (1280, 720))):
                url = links.link_url(server.base, links.make_token(ws, sid, role))
                page = b.new_context(viewport={"width": width, "height": height}).new_page()
                page.goto(url, timeout=120_000)
                page.wait_for_selector("img.pmkit-overlap-chart", state="visible", timeout=120_000)
                page.wait_for_selector(".pmkit-ready", state="attached", timeout=60_000)
                page.evaluate("() => document.fonts.ready")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                page.screenshot(path=str(out / f"board-{role}.png"))
                page.context.close()
                print(f"wrote docs/board-{role}.png")
            page = b.new_context(viewport={"width": 1280, "height": 720}).new_page()
            page.goto(links.link_url(server.base, links.make_token(ws, sid, "room")), timeout=120_000)
            page.wait_for_selector("img.pmkit-room-chart", state="visible", timeout=120_000)
            page.evaluate("() => document.fonts.ready")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            page.screenshot(path=str(out / "room-screen.png"))
            page.context.close()
            print("wrote docs/room-screen.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
