"""The light preparation page from a real `pmkit serve` (no kernel): a person's link opens
their form, saves are acknowledged and kept, a reload shows them; every forged request is
refused with a 4xx and one line, and nothing is written; the other side's page and export
carry no trace of the window; a reminder through a real SMTP server reaches exactly those
who have not submitted, with nothing confidential in it; a round opened on the board shows."""

from __future__ import annotations

import datetime as dt
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from pmkit.meeting.links import make_token
from pmkit.resources import starter_path
from pmkit.rules.permissions import Actor
from pmkit.store import Workspace
from tests.support.cli import run_cli
from tests.support.live import serve, wait_until
from tests.support.smtp_inbox import body_texts, smtp_inbox

GOALS = ["test-env", "vendor-slip"]
RATING = {"importance": 4, "stance": "support"}


def _setup(folder: Path) -> dict[str, str]:
    with Workspace(folder) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        ana = ws.participants.add(sid, "management", "Anastasia Quill").participant_id
        ben = ws.participants.add(sid, "management", "Benedikt Marrow").participant_id
        ws.mail.set_email(sid, ana, "anastasia.quill@mgmt.example")
        ws.mail.set_email(sid, ben, "benedikt.marrow@mgmt.example")
        ws.mail.set_language(sid, ana, "de")  # Anastasia reads German: her reminder is in German
        until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
        ws.prepare.open(sid, until, goals=GOALS, issues=["cutover-slip"], options=["recovery-route"])
        return {"sid": sid, "ana": ana, "ben": ben, "ana_link": make_token(ws, sid, "management", participant=ana),
                "ben_link": make_token(ws, sid, "management", participant=ben),
                "ben_fr": make_token(ws, sid, "management", participant=ben, lang="fr"),
                "customer": make_token(ws, sid, "customer"), "facilitator": make_token(ws, sid, "facilitator")}


class Person:
    """A browser-like client of one link: opens the page (the XSRF cookie), posts answers."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token, self.http = base, token, requests.Session()
        self.xsrf = ""

    def open(self) -> requests.Response:
        r = self.http.get(f"{self.base}/prepare", params={"pmk": self.token}, timeout=30)
        found = re.search(r'name="_xsrf" value="([^"]+)"', r.text)
        self.xsrf = found.group(1) if found else ""
        return r

    def post(self, path: str, body: Any, xsrf: str | None = None, raw: bytes | None = None) -> requests.Response:
        data = raw if raw is not None else json.dumps(body).encode()
        return self.http.post(f"{self.base}/prepare/{path}", params={"pmk": self.token}, data=data, timeout=30,
                              headers={"X-XSRFToken": self.xsrf if xsrf is None else xsrf,
                                       "Content-Type": "application/json"})


def _answers(folder: Path, sid: str, actor: Actor) -> dict[tuple[str, str], Any]:
    with Workspace(folder) as ws:
        mine = ws.prepare.mine(sid, actor)
        return dict(mine.answers) if mine else {}


def _refused(r: requests.Response, status: int) -> None:
    assert r.status_code == status, r.text
    message = r.json()["error"]
    assert message and "\n" not in message


def test_save_reload_forgeries_privacy_and_reminders(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    s = _setup(folder)
    sid = s["sid"]
    ana_actor = Actor("management", s["ana"])
    with smtp_inbox() as inbox, serve(folder, sid, tmp_path, env={"PMKIT_SMTP_URL": inbox.url,
                                                                  "PMKIT_PREPARE_REMIND_HOURS": "0"}) as server:
        ana = Person(server.base, s["ana_link"])
        page = ana.open()
        assert page.status_code == 200 and '<html lang="en">' in page.text and ana.xsrf
        assert "Integration vendor is six weeks late" in page.text  # management's own goal, asked of management
        ok = ana.post("answer", {"kind": "goal", "item": "test-env", "value": RATING})
        assert ok.status_code == 200 and ok.json()["saved"] is True
        assert _answers(folder, sid, ana_actor) == {("goal", "test-env"): RATING}
        again = ana.open()  # a reload shows what was saved
        assert re.search(r'name="importance">.*?<option value="4" selected>', again.text, re.S)

        customer = Person(server.base, s["customer"])
        customer.open()
        before = _answers(folder, sid, Actor("customer"))
        forged = [
            (customer.post("answer", {"kind": "goal", "item": "vendor-slip", "value": RATING}), 404),  # other side's
            (customer.post("answer", {"kind": "goal", "item": "data-cleansing", "value": RATING}), 404),  # not asked
            (customer.post("answer", {"kind": "goal", "item": "test-env", "value": RATING}, xsrf=""), 403),
            (customer.post("answer", {"kind": "goal", "item": "test-env", "value": RATING}, xsrf=ana.xsrf), 403),
            (customer.post("answer", {"kind": "goal", "item": "test-env", "value": RATING,
                                      "participant": s["ana"]}), 400),  # another person
            (customer.post("answer", {"kind": "goal", "item": "test-env",
                                      "value": {"importance": 9, "stance": "support"}}), 400),
            (customer.post("answer", {}, raw=b"{" + b" " * 5000 + b"}"), 413),
            (Person(server.base, s["facilitator"]).post("answer", {"kind": "goal", "item": "test-env"}), 403),
        ]
        for r, status in forged:
            _refused(r, status)
        assert _answers(folder, sid, Actor("customer")) == before == {}

        # the other side's page and export: no count, no name, no address of the window's people
        other = customer.open().text
        exported = ""
        for fmt in ("yaml", "html"):
            assert run_cli("-w", str(folder), "export", sid, "--as", "customer", "-f", fmt, "-o",
                           str(tmp_path / f"c.{fmt}")).returncode == 0
            exported += (tmp_path / f"c.{fmt}").read_text()
        for text in (other, exported):
            for secret in ("Anastasia", "Benedikt", "mgmt.example", "of 4 answered", "not opened", s["ana"]):
                assert secret not in text

        # a reminder reaches exactly those who have not submitted; nothing confidential in it
        assert Person(server.base, s["ben_link"]).open().status_code == 200
        ben = Person(server.base, s["ben_link"])
        ben.open()
        assert ben.post("submit", {}).status_code == 200
        status = run_cli("-w", str(folder), "prepare", "status", sid, "--json")
        people = [json.loads(line) for line in status.stdout.splitlines()[1:]]
        assert {p["name"]: p["words"] for p in people if p["party"] == "management"} == {
            "Anastasia Quill": "1 of 4 answered", "Benedikt Marrow": "submitted"}
        assert all("support" not in line for line in status.stdout.splitlines())
        assert run_cli("-w", str(folder), "prepare", "remind", sid, env={"PMKIT_SMTP_URL": inbox.url}).returncode == 0
        assert [rcpts for _f, rcpts in inbox.envelopes] == [["anastasia.quill@mgmt.example"]]
        text, html = body_texts(inbox.messages[0])
        mail = text + html.decode() + str(inbox.messages[0]["Subject"])
        assert "ERP integration: test environment and cutover" in mail and "/prepare?pmk=" in mail
        assert str(inbox.messages[0]["Subject"]).startswith("Bitte vorbereiten:")
        assert '<html lang="de">' in text and "Bitte bereiten Sie sich" in text  # both parts, joined
        for word in ("Undisclosed risk", "vendor", "Benedikt", "overtime", "Integration vendor"):
            assert word not in mail

        # the board's button asks the server, which sends within seconds
        with Workspace(folder) as ws:
            ws.prepare.ask_reminder(sid)
        wait_until(lambda: len(inbox.messages) == 2, 20, "the server to send the reminder asked for")

        # a revoked link, then a closed window: refused, nothing written
        with Workspace(folder) as ws:
            ws.participants.revoke_link(sid, s["ana"])
        _refused(ana.post("answer", {"kind": "goal", "item": "test-env", "value": {"importance": 1,
                                                                                    "stance": "oppose"}}), 403)
        assert _answers(folder, sid, ana_actor) == {("goal", "test-env"): RATING}
        assert run_cli("-w", str(folder), "prepare", "close", sid).returncode == 0
        _refused(ben.post("answer", {"kind": "goal", "item": "test-env", "value": RATING}), 409)
        closed = ben.open().text
        assert "The preparation window is closed" in closed

        # a round opened on the board: the page's state changes, and the page answers it
        with Workspace(folder) as ws:
            round_id = ws.rounds.open(sid, goals=["cutover-date"]).round_id
        state = ben.http.get(f"{server.base}/prepare/state", params={"pmk": s["ben_link"]}, timeout=30).json()
        assert state["round"] == round_id
        ben.open()
        french = Person(server.base, s["ben_fr"]).open().text  # the same person's page, in French
        assert '<html lang="fr">' in french and "Tour ouvert pendant la réunion" in french
        assert "Round open in the meeting" not in french and "Saving" not in french
        r = ben.post("round", {"kind": "goal", "item": "cutover-date", "value": {"importance": 2, "stance": "oppose"}})
        assert r.status_code == 200, r.text
        with Workspace(folder) as ws:
            mine = ws.rounds.current(sid, "management", s["ben"])
            assert mine is not None and mine.answers
            assert not ws.rounds.current(sid, "customer") or not ws.rounds.current(sid, "customer").answers  # type: ignore[union-attr]

        # a burst from one link, faster than the bucket refills (60 at once, then 10 a second)
        with ThreadPoolExecutor(16) as pool:
            limited = list(pool.map(lambda _: customer.post("answer", {"kind": "goal", "item": "test-env",
                                                                       "value": RATING}), range(200)))
        refused = [r for r in limited if r.status_code == 429]
        assert refused and all(r.status_code in (409, 429) for r in limited)
