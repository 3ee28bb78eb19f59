"""``/api/alerts`` and the overview's alerts panel, served by the real app under uvicorn on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from janmat.alerts.ledger import Claim
from janmat.alerts.model import Alert
from janmat.alerts.storage import open_alert_state
from janmat.core.settings import JanmatSettings, WebSettings, WebUser
from janmat.store import open_store
from janmat.web.auth import hash_password
from tests.web_server import serve_app

PASSWORDS = {"asha": "admin-pass", "ravi": "viewer-pass"}
RULE = {"name": "चिरायु हिसार", "districts": ["हिसार"], "schemes": ["Chirayu Haryana"], "sentiment": "नकारात्मक",
        "cooldown": "30m"}


@pytest.fixture
def site(tmp_path: Path):
    users = {"asha": WebUser(password_hash=hash_password(PASSWORDS["asha"]), role="admin"),
             "ravi": WebUser(password_hash=hash_password(PASSWORDS["ravi"]), role="viewer")}
    with open_store(f"sqlite:///{tmp_path / 'janmat.db'}") as store, \
            serve_app(store, settings=JanmatSettings(web=WebSettings(users=users))) as url:
        yield store, url


def as_user(name: str) -> httpx.Client:
    return httpx.Client(auth=(name, PASSWORDS[name]), timeout=30)


def test_rules_are_listed_added_by_admins_and_refused_naming_the_field(site) -> None:
    store, url = site
    with as_user("ravi") as viewer, as_user("asha") as admin:
        listed = viewer.get(f"{url}/api/alerts").json()
        assert [(r["id"], r["builtin"]) for r in listed] == [
            ("default:district", True), ("default:scheme", True), ("default:district-scheme", True)]
        assert viewer.post(f"{url}/api/alerts", json=RULE).status_code == 403
        added = admin.post(f"{url}/api/alerts", json=RULE)
        assert added.status_code == 201, added.text
        rule_id = added.json()["id"]
        assert admin.post(f"{url}/api/alerts", json=RULE).json()["id"] == rule_id
        bad = admin.post(f"{url}/api/alerts", json={**RULE, "districts": ["Atlantis"]})
        assert bad.status_code == 400 and bad.json()["error"].startswith("invalid rule: districts:")
        assert admin.post(f"{url}/api/alerts", json={**RULE, "cooldown": "soon"}).json()["error"].startswith(
            "invalid rule: cooldown:")
        assert admin.post(f"{url}/api/alerts", json=RULE, headers={"Origin": "https://evil.example"}).status_code \
            == 403
        mine = next(r for r in viewer.get(f"{url}/api/alerts").json() if r["id"] == rule_id)
        assert (mine["districts"], mine["schemes"], mine["sentiment"]) == (["Hisar"], ["chirayu_haryana"],
                                                                           ["negative"])
        assert viewer.delete(f"{url}/api/alerts/{rule_id}").status_code == 403
        assert admin.delete(f"{url}/api/alerts/{rule_id}").status_code == 200
        assert admin.delete(f"{url}/api/alerts/{rule_id}").status_code == 404
    with open_alert_state(store) as state:
        assert state.rules() == []


def test_fired_alerts_show_in_the_api_and_on_the_overview(site) -> None:
    store, url = site
    now = datetime.now(UTC).replace(microsecond=0)
    alert = Alert(id="spike-test-1", rule_id="default:district-scheme", rule_name="ज़िला × योजना", kind="spike",
                  district="Hisar", scheme="chirayu_haryana", window_start=now - timedelta(hours=1), window_end=now,
                  count=23, baseline=2.0, reason="23 mentions in 1 h against 2.0 expected", fired_at=now)
    with open_alert_state(store) as state:
        assert state.claim(Claim(alert, "Hisar|chirayu_haryana", now.timestamp(), 3600))
    with as_user("ravi") as viewer:
        fired = viewer.get(f"{url}/api/alerts/fired", params={"since": "24h"}).json()
        assert [a["id"] for a in fired] == ["spike-test-1"]
        assert viewer.get(f"{url}/api/alerts/fired", params={"limit": 0}).status_code == 400
        page = viewer.get(f"{url}/", params={"period": "today", "ui": "hi"}).text
        panel = page[page.index('id="alerts"'):page.index('id="spreading"')]
        assert "हिसार × आयुष्मान भारत-चिरायु हरियाणा: 23 उल्लेख" in panel
        assert "/search?district=Hisar&amp;scheme=chirayu_haryana" in panel
        rows = viewer.get(f"{url}/api/alerts/backtest", params={"since": "7d"}).json()
        assert rows == []  # an empty store would have fired nothing
