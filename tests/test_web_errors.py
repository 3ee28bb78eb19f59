"""Every API error in the documented shape (docs/web.md: a bad input is a 400 with ``{"error": <English>, "hi":
<Hindi>}``), including the ones FastAPI finds before a route runs, and the API refusing what the CLI refuses; served
by the real app under uvicorn on 127.0.0.1 over an SQLite store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from janmat.core.mention import IST, Mention, Platform
from janmat.core.settings import JanmatSettings, NotifySettings, WebSettings, WebUser
from janmat.store import open_store
from janmat.web.auth import hash_password
from tests.web_server import serve_app

REPO = Path(__file__).resolve().parents[1]
DEVANAGARI = re.compile("[\u0900-\u097f]")
ADMIN = ("asha", "admin-pass")


def serve(tmp_path: Path, notify: NotifySettings | None = None):
    users = {ADMIN[0]: WebUser(password_hash=hash_password(ADMIN[1]), role="admin")}
    settings = JanmatSettings(web=WebSettings(users=users), notify=notify or NotifySettings(webhook_urls=[]))
    store = open_store(f"sqlite:///{tmp_path / 'janmat.db'}")
    store.upsert([Mention(id="m1", platform=Platform.x, lang="hi", text="हिसार में धरना",
                          published_at=datetime(2026, 3, 1, 10, tzinfo=IST))])
    return store, serve_app(store, settings=settings)


@pytest.fixture
def api(tmp_path: Path):
    store, server = serve(tmp_path)
    with server as url, httpx.Client(base_url=url, auth=ADMIN, timeout=30) as client:
        yield client
    store.close()


def assert_documented(reply: httpx.Response, status: int = 400) -> dict[str, str]:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert set(body) == {"error", "hi"}, body
    assert body["error"] and DEVANAGARI.search(body["hi"]), body
    return body


def test_parameters_fastapi_refuses_are_400s_naming_them(api) -> None:
    body = assert_documented(api.get("/api/search", params={"limit": "abc"}))
    assert body["error"].startswith("bad value for limit 'abc': Input should be a valid integer")
    body = assert_documented(api.get("/api/alerts/backtest"))
    assert body["error"] == "missing since: this request needs it"
    assert body["hi"].startswith("एक ज़रूरी मान नहीं दिया गया")
    body = assert_documented(api.get("/api/search", params={"offset": "x", "min_confidence": "high"}))
    assert "offset 'x'" in body["error"] and "min_confidence 'high'" in body["error"]


def test_a_rule_body_that_is_not_a_json_object_is_a_400(api) -> None:
    headers = {"Content-Type": "application/json"}
    body = assert_documented(api.post("/api/alerts", content=b'{"name": "API rule", ', headers=headers))
    assert body["error"].startswith("the request body is not valid JSON")
    assert body["hi"].startswith("अनुरोध का मुख्य भाग मान्य JSON नहीं है")
    body = assert_documented(api.post("/api/alerts", content=b'["API rule"]', headers=headers))
    assert body["error"].startswith("the request body must be one JSON object")
    assert api.get("/api/alerts").json()[0]["builtin"]  # nothing was added


def test_unknown_platform_and_language_are_400s_and_known_ones_match(api) -> None:
    body = assert_documented(api.get("/api/search", params={"platform": "myspace"}))
    assert body["error"].startswith("unknown platform 'myspace': use one of news, x (twitter)")
    assert body["hi"].startswith("यह मंच नहीं पहचाना")
    body = assert_documented(api.get("/api/search", params={"lang": "klingon"}))
    assert body["error"].startswith("unknown language 'klingon': use one of hi, en, hi-Latn, mixed")
    assert body["hi"].startswith("यह भाषा नहीं पहचानी")
    for params in ({"platform": "twitter"}, {"platform": "X"}, {"lang": "HI"}, {"lang": "हिंदी"}):
        assert api.get("/api/search", params=params).json()["total"] == 1, params
    assert api.get("/api/stats", params={"by": "lang", "lang": "hindi"}).json()["counts"] == [["hi", 1]]
    body = assert_documented(api.post("/api/alerts", json={"name": "k", "langs": ["klingon"]}))
    assert body["error"].startswith("invalid rule: langs: unknown language 'klingon'")
    assert body["hi"].startswith("यह भाषा नहीं पहचानी")


def test_not_found_carries_hindi_too(api) -> None:
    body = assert_documented(api.get("/api/mentions/nope"), 404)
    assert body["error"] == "no mention 'nope'" and body["hi"].startswith("नहीं मिला")
    assert_documented(api.get("/api/no-such-route"), 404)
    assert_documented(api.delete("/api/alerts/no-such-rule"), 404)


def test_a_rule_for_a_channel_that_is_not_set_up_is_refused_like_the_cli(api, tmp_path: Path) -> None:
    rule = {"name": "API rule 2", "channels": ["webhook"]}
    body = assert_documented(api.post("/api/alerts", json=rule))
    assert body["hi"].startswith("यह अलर्ट चैनल सेट नहीं है")
    assert all(r["builtin"] for r in api.get("/api/alerts").json())  # nothing was added

    rule_file = tmp_path / "rule.json"
    rule_file.write_text(json.dumps(rule), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JANMAT_NOTIFY_")}
    env["JANMAT_STORE"] = f"sqlite:///{tmp_path / 'cli.db'}"
    cli = subprocess.run([sys.executable, "-m", "janmat", "alerts", "add", str(rule_file)], capture_output=True,
                         text=True, env=env, cwd=REPO, timeout=300)
    assert cli.returncode == 2
    assert cli.stderr.strip() == f"error: {body['error']}"
    assert body["error"] == "webhook alerts need JANMAT_NOTIFY_WEBHOOK_URLS (a JSON list of URLs), which is not set"


def test_a_rule_for_a_configured_channel_is_added(tmp_path: Path) -> None:
    store, server = serve(tmp_path, NotifySettings(webhook_urls=["https://hooks.example.in/janmat"]))
    with server as url, httpx.Client(base_url=url, auth=ADMIN, timeout=30) as client:
        added = client.post("/api/alerts", json={"name": "API rule 2", "channels": ["webhook"]})
        assert added.status_code == 201, added.text
        assert [r["channels"] for r in client.get("/api/alerts").json() if not r["builtin"]] == [["webhook"]]
    store.close()
