"""Two `pmkit serve` behind one PostgreSQL database: a save on one server's light page shows
in the facilitator's progress and on the other server's page within a second."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import requests

from pmkit.meeting.links import make_token
from pmkit.resources import starter_path
from pmkit.store import Workspace
from tests.support.live import serve, wait_until
from tests.support.postgres import fresh_schema


def test_a_save_on_one_server_shows_on_the_other_within_a_second(postgres_url: str, tmp_path: Path) -> None:
    url = fresh_schema(postgres_url)
    folder = tmp_path / "ws"
    with Workspace(folder, database=url) as ws:
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        pid = ws.participants.add(sid, "customer", "Cara").participant_id
        ws.prepare.open(sid, (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(), goals=["test-env"])
        token = make_token(ws, sid, "customer", participant=pid)
    env = {"PMKIT_DATABASE_URL": url, "PMKIT_PREPARE_REMIND_HOURS": "0"}
    with serve(folder, sid, tmp_path / "a", env=env) as a, serve(folder, sid, tmp_path / "b", env=env) as b:
        http = requests.Session()
        page = http.get(f"{a.base}/prepare", params={"pmk": token}, timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        r = http.post(f"{a.base}/prepare/answer", params={"pmk": token}, headers={"X-XSRFToken": xsrf}, timeout=30,
                      json={"kind": "goal", "item": "test-env", "value": {"importance": 5, "stance": "oppose"}})
        assert r.status_code == 200, r.text
        saved = time.monotonic()
        with Workspace(folder, database=url) as ws:
            def shown() -> bool:
                progress = ws.prepare.progress(sid)
                other = requests.get(f"{b.base}/prepare", params={"pmk": token}, timeout=30).text
                return progress is not None and "1 of 1 answered" in [p.words for p in progress.people] and \
                    bool(re.search(r'<option value="5" selected>', other))
            wait_until(shown, 1, "the save to show in the progress and on the other server")
        assert time.monotonic() - saved < 1
