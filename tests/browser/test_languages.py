"""One meeting, each person in their own language: a German customer, a French sponsor and
an English facilitator open their own links, and the room speaks the meeting's language
(German here). Each page carries its language (`lang`), reads as that language writes (words
and numbers), shows no other side's numbers in any language's writing (DOM and websocket
frames), cuts nothing at 1280×720 and 1920×1080 and passes axe-core, in German and French.

One server and one browser serve the module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from pmkit.i18n import _, use
from pmkit.meeting import links
from pmkit.model import FACILITATOR
from pmkit.resources import starter_path
from pmkit.rules.permissions import Actor
from pmkit.rules.visibility import hidden_texts
from pmkit.store import Workspace
from tests.support.live import serve
from tests.support.pages import BOARD, CHART, Page, frame_text
from tests.support.screen import axe, clipped, require_axe

SHOWN_PANEL = ".widget-tab-contents > .lm-Widget:not(.lm-mod-hidden) .pmkit-ready"
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
READER = {"facilitator": "en", "customer": "de", "management": "fr"}
SCREENS = {"projector": (1280, 720), "large screen": (1920, 1080)}
OWN = 12345.75  # the customer's own walk-away: the customer's page writes it 12.345,75


class Room:
    def __init__(self, base: str, ws: Workspace, sid: str, chromium: Any) -> None:
        self.base, self.ws, self.sid, self.chromium = base, ws, sid, chromium

    def open(self, role: str, lang: str | None, size: tuple[int, int] = (1400, 1000)) -> Page:
        url = links.link_url(self.base, links.make_token(self.ws, self.sid, role, lang=lang))
        page = self.chromium.new_context(viewport={"width": size[0], "height": size[1]}).new_page()
        seen = Page(page)
        def record(payload: str | bytes) -> None:
            seen.frames.append(frame_text(payload))

        page.on("websocket", lambda w: (w.on("framereceived", record), w.on("framesent", record)))
        page.goto(url, timeout=120_000)
        page.wait_for_selector(BOARD, state="visible", timeout=120_000)
        if role != "room":
            page.wait_for_selector(CHART, state="visible", timeout=120_000)
        return seen


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory, chromium: Any) -> Iterator[Room]:
    require_axe()
    tmp = tmp_path_factory.mktemp("languages")
    ws = Workspace(tmp / "workspace")
    sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
    ws.sessions.set_titles(sid, language="de", role=FACILITATOR)
    issue = next(i for i in ws.sessions.load(sid, FACILITATOR).issues if i.audience == "joint")
    ws.items.set_position(sid, issue.id, "customer", OWN - 100, OWN, role=FACILITATOR)
    with serve(ws.folder, sid, tmp) as server:
        yield Room(server.base, ws, sid, chromium)
    ws.close()


def _settle(page: Any) -> None:
    page.evaluate(SETTLED)


def _views(page: Any) -> Iterator[int]:
    """Show every tab in turn (by position: the titles are in the page's language)."""
    count = page.locator(".lm-TabBar-tab").count()
    for n in range(count):
        page.locator(".lm-TabBar-tab").nth(n).click()
        page.wait_for_selector(SHOWN_PANEL, state="attached", timeout=60_000)
        _settle(page)
        yield n


def _in(lang: str, text: str) -> str:
    with use(lang):
        return _(text)


def test_a_german_customer_a_french_sponsor_and_an_english_facilitator_read_one_meeting(room: Room) -> None:
    pages = {role: room.open(role, lang) for role, lang in READER.items()}
    pages["room"] = room.open("room", None)
    full = room.ws.sessions.load(room.sid, FACILITATOR)
    for role, seen in pages.items():
        lang = READER.get(role, "de")  # the room: the meeting's language
        seen.page.wait_for_function("(l) => document.documentElement.lang === l", arg=lang, timeout=30_000)
        text = seen.page.inner_text("body")
        if role != "room":
            assert _in(lang, "Common ground") in text, role
        if lang != "en":
            assert "Common ground" not in text, role
        hidden = hidden_texts(full, role) if role != "room" else hidden_texts(full, "room")
        assert seen.leaks(hidden) == [], role
    customer = pages["customer"].page
    customer.locator(".lm-TabBar-tab").nth(_tab_index(customer, _in("de", "Numeric issues"))).click()
    customer.wait_for_function("() => document.body.innerText.includes('12.345,75')", timeout=30_000)
    for p in pages.values():
        p.page.context.close()


def _tab_index(page: Any, title: str) -> int:
    titles = [t.strip() for t in page.locator(".lm-TabBar-tab").all_inner_texts()]
    return titles.index(title)


@pytest.mark.parametrize(("role", "lang"), [("facilitator", "de"), ("customer", "de"), ("management", "fr"),
                                            ("facilitator", "fr")])
def test_nothing_is_cut_and_axe_finds_nothing_serious_in_german_and_french(room: Room, role: str,
                                                                           lang: str) -> None:
    seen = room.open(role, lang, SCREENS["projector"])
    page = seen.page
    page.wait_for_function("(l) => document.documentElement.lang === l", arg=lang, timeout=30_000)
    cut: list[str] = []
    serious: list[str] = []
    for view in _views(page):
        for size, (width, height) in SCREENS.items():
            page.set_viewport_size({"width": width, "height": height})
            _settle(page)
            cut += [f"{role} ({lang}) · tab {view} · {size}: {c}" for c in clipped(page)]
        serious += [f"{role} ({lang}) · tab {view}: {v['impact']} {v['id']} ({v['help']}): {v['nodes']}"
                    for v in axe(page)]
        page.set_viewport_size({"width": SCREENS["projector"][0], "height": SCREENS["projector"][1]})
    assert not cut, "text cut instead of wrapped:\n" + "\n".join(cut)
    assert not serious, "axe-core:\n" + "\n".join(serious)
    page.context.close()


def test_the_room_speaks_the_meetings_language_on_every_screen(room: Room) -> None:
    seen = room.open("room", None, SCREENS["projector"])
    page = seen.page
    page.wait_for_function("() => document.documentElement.lang === 'de'", timeout=30_000)
    for size, (width, height) in SCREENS.items():
        page.set_viewport_size({"width": width, "height": height})
        _settle(page)
        assert clipped(page) == [], size
    assert axe(page) == []
    page.context.close()


@pytest.mark.parametrize(("lang", "words"), [("de", ["Vor dem Treffen", "Meine Antworten abschicken", "Wichtigkeit"]),
                                             ("fr", ["Avant la réunion", "Envoyer mes réponses", "Importance"])])
def test_the_light_page_speaks_the_links_language_and_fits_every_screen(room: Room, lang: str,
                                                                        words: list[str]) -> None:
    sid = room.ws.sessions.import_file(starter_path("undisclosed-risk"))
    pid = room.ws.participants.add(sid, "customer", "Kai").participant_id
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    room.ws.prepare.open(sid, until, goals=["test-env", "cutover-date"], issues=["cutover-slip"])
    token = links.make_token(room.ws, sid, "customer", participant=pid, lang=lang)
    page = room.chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    page.goto(f"{room.base}/prepare?pmk={token}")
    assert page.locator("html").get_attribute("lang") == lang
    text = page.inner_text("body")
    assert all(w in text for w in words) and "Before the meeting" not in text and "Submit my answers" not in text
    for width, height in ((390, 844), *SCREENS.values()):
        page.set_viewport_size({"width": width, "height": height})
        _settle(page)
        assert clipped(page) == [], (lang, width)
        assert axe(page) == [], (lang, width)
    page.locator("#prep-goal-test-env-i").select_option("4")
    page.locator("fieldset[data-item='test-env'] .status").get_by_text(_in(lang, "Saved")).wait_for()
    # a number as the reader writes it is read so; one two languages read differently is refused
    typed = {"de": "12.345,75", "fr": "12 345,75"}[lang]
    ideal = page.locator("#prep-issue-cutover-slip-ideal")
    ideal.fill(typed)
    ideal.press("Tab")
    status = page.locator("fieldset[data-item='cutover-slip'] .status")
    status.get_by_text(_in(lang, "Saved")).wait_for()
    mine = room.ws.prepare.mine(sid, Actor("customer", pid))
    assert mine is not None and mine.answers[("issue", "cutover-slip")]["ideal"] == 12345.75
    ideal.fill("12.345")
    ideal.press("Tab")
    page.wait_for_function("() => document.querySelector(\"fieldset[data-item='cutover-slip'] .status\")"
                           ".classList.contains('error')", timeout=30_000)
    assert "12345" in status.inner_text() and "\n" not in status.inner_text()
    page.reload()
    assert page.locator("#prep-issue-cutover-slip-ideal").input_value() == typed.replace(" ", "\u202f")
    page.context.close()
