"""Screenshots of the demo session for the README: the facilitator's and the customer's
boards, and the room screen as a projector shows it (1280x720), from a real `pmkit serve`
in headless Chromium.

    .venv/bin/python scripts/screenshots.py
    # writes docs/board-facilitator.png, docs/board-customer.png, docs/room-screen.png
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pmkit.meeting import links  # noqa: E402
from pmkit.resources import starter_path  # noqa: E402
from pmkit.store import Workspace  # noqa: E402
from tests.live import browser, serve  # noqa: E402


def main() -> int:
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ws = Workspace(tmp / "ws")
        sid = ws.import_file(starter_path("undisclosed-risk"))
        with serve(ws.folder, sid, tmp) as server, browser() as b:
            for role in ("facilitator", "customer"):
                url = links.link_url(server.base, links.make_token(ws, sid, role))
                page = b.new_context(viewport={"width": 1360, "height": 1100}).new_page()
                page.goto(url, timeout=120_000)
                page.wait_for_selector("img.pmkit-overlap-chart", state="visible", timeout=120_000)
                time.sleep(1.0)
                page.locator(".pmkit-board").screenshot(path=str(out / f"board-{role}.png"))
                page.context.close()
                print(f"wrote docs/board-{role}.png")
            page = b.new_context(viewport={"width": 1280, "height": 720}).new_page()
            page.goto(links.link_url(server.base, links.make_token(ws, sid, "room")), timeout=120_000)
            page.wait_for_selector("img.pmkit-room-chart", state="visible", timeout=120_000)
            time.sleep(1.0)
            page.screenshot(path=str(out / "room-screen.png"))
            page.context.close()
            print("wrote docs/room-screen.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
