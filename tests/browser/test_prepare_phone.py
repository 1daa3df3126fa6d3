"""A person prepares on a phone-sized browser from their own link, with no kernel: each
answer is saved as they go ("Saved"), Submit says done, a reload shows what was saved; the
page passes axe-core, cuts no text and works with the keyboard alone, on two phones, a tablet
and a laptop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pmkit.meeting.links import make_token
from pmkit.resources import starter_path
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace
from tests.support.live import kernel_pids, serve
from tests.support.screen import axe, clipped

SCREENS = ((360, 640), (390, 844), (768, 1024), (1366, 768))  # two phones, a tablet, a laptop


def test_prepare_on_a_phone_save_submit_reload_axe_keyboard(tmp_path: Path, chromium: Any) -> None:
    folder = tmp_path / "ws"
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        pid = ws.participants.add(sid, "customer", "Cara").participant_id
        until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
        ws.prepare.open(sid, until, goals=["test-env", "cutover-date"], issues=["cutover-slip"])
        token = make_token(ws, sid, "customer", participant=pid)
    with serve(folder, sid, tmp_path) as server:
        url = f"{server.base}/prepare?pmk={token}"
        for width, height in SCREENS:
            context = chromium.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500)
            page = context.new_page()
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == "en"
            assert axe(page) == [] and clipped(page) == []
            page.keyboard.press("Tab")  # the keyboard alone: to the first question's importance
            focused = page.evaluate("document.activeElement.name")
            assert focused == "importance"
            for key in ("Home", "ArrowDown", "ArrowDown"):  # "not rated", then 0, then 1: a change at every size
                page.keyboard.press(key)
            first = page.locator("fieldset.q").first
            first.locator(".status").get_by_text("Saved").wait_for()
            page.locator("#prep-issue-cutover-slip-ideal").fill(str(width))  # a new value at each size
            page.locator("#prep-issue-cutover-slip-ideal").press("Tab")
            page.locator("fieldset[data-item='cutover-slip'] .status").get_by_text("Saved").wait_for()
            page.locator("#submit").focus()
            page.keyboard.press("Enter")
            page.locator("#submitted").get_by_text("Done").wait_for()
            page.reload()
            assert page.locator("#prep-goal-test-env-i").input_value() != ""
            assert page.locator("#prep-issue-cutover-slip-ideal").input_value() == str(width)
            assert "Done: submitted" in page.locator("#submitted").inner_text()
            assert axe(page) == []
            context.close()
        assert kernel_pids(server.connection_dir) == []  # no kernel served any of it
    with Workspace(folder) as ws:
        mine = ws.prepare.mine(sid, Actor("customer", pid))
        assert mine is not None and mine.submitted_at and ("issue", "cutover-slip") in mine.answers
