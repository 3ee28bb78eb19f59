"""Access and hardening of the web app over a real HTTP server: accounts and roles, CSRF on form posts, the
security headers, size and rate limits, escaping of hostile crawled strings, and `janmat serve`'s refusal to
listen beyond loopback without accounts."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import unquote

import httpx
import pytest

from janmat.core.errors import ConfigError
from janmat.core.settings import JanmatSettings, WebSettings, WebUser
from janmat.store import open_store
from janmat.web.auth import check_exposure, hash_password
from tests.web_sample import HOSTILE_ID, sample_mentions
from tests.web_server import serve_app

PASSWORDS = {"vinod": "viewer-pass", "asha": "analyst-pass", "ravi": "admin-pass"}
ROLES = {"vinod": "viewer", "asha": "analyst", "ravi": "admin"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('access') / 'access.db'}")
    opened.upsert(sample_mentions())
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def secured(store, tmp_path_factory):
    users = {name: WebUser(password_hash=hash_password(PASSWORDS[name]), role=ROLES[name]) for name in PASSWORDS}
    web = WebSettings(users=users, audit_log=tmp_path_factory.mktemp("audit") / "audit.jsonl")
    with serve_app(store, settings=JanmatSettings(web=web)) as url:
        yield url


def client(url: str, user: str | None = None) -> httpx.Client:
    return httpx.Client(base_url=url, auth=(user, PASSWORDS[user]) if user else None, timeout=30)


def post_correction(http: httpx.Client, mention_id: str, **form: str) -> httpx.Response:
    http.get(f"/mentions/{mention_id}")
    token = http.cookies.get("janmat_csrf")
    return http.post(f"/mentions/{mention_id}/corrections", data={"csrf_token": token, **form})


def test_every_route_needs_a_login_when_accounts_exist(secured):
    for path in ("/", "/search", "/api/search", "/docs", "/static/style.css", "/export.csv"):
        reply = client(secured).get(path)
        assert reply.status_code == 401, path
        assert reply.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(f"{secured}/", auth=("asha", "wrong")).status_code == 401
    assert client(secured, "vinod").get("/").status_code == 200


def test_a_viewer_reads_but_may_not_correct_and_an_analyst_may(secured):
    with client(secured, "vinod") as viewer:
        assert "केवल विश्लेषक" in viewer.get("/mentions/s00?ui=hi").text
        assert post_correction(viewer, "s00", sentiment="positive").status_code == 403
        assert viewer.get("/api/corrections.jsonl").status_code == 403
    with client(secured, "asha") as analyst:
        reply = post_correction(analyst, "s01", sentiment="positive", note="धन्यवाद संदेश है")
        assert reply.status_code == 303 and reply.headers["location"] == "/mentions/s01?saved=1"
        assert analyst.get("/api/mentions/s01").json()["corrections"][0]["by"] == "asha"


def test_form_posts_without_the_csrf_token_or_from_another_site_are_refused(secured):
    with client(secured, "ravi") as admin:
        admin.get("/mentions/s02")
        assert admin.post("/mentions/s02/corrections", data={"sentiment": "positive"}).status_code == 403
        token = admin.cookies.get("janmat_csrf")
        forged = admin.post("/mentions/s02/corrections", data={"csrf_token": "x" * 43, "sentiment": "positive"})
        assert forged.status_code == 403
        cross_site = admin.post("/mentions/s02/corrections", data={"csrf_token": token, "sentiment": "positive"},
                                headers={"Origin": "https://evil.example"})
        assert cross_site.status_code == 403
        assert admin.get("/api/mentions/s02").json()["corrections"] == []


def test_security_headers_on_pages_and_api(secured):
    with client(secured, "vinod") as viewer:
        for path in ("/", "/search?q=पेंशन", "/api/search"):
            headers = viewer.get(path).headers
            csp = headers["content-security-policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
            assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
            assert headers["x-content-type-options"] == "nosniff"
    with client(secured, "vinod") as fresh:
        cookie = fresh.get("/").headers["set-cookie"]
        assert cookie.startswith("janmat_csrf=") and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_oversized_and_unsized_bodies_are_refused(secured):
    with client(secured, "asha") as analyst:
        analyst.get("/mentions/s03")
        token = analyst.cookies.get("janmat_csrf")
        big = analyst.post("/mentions/s03/corrections", data={"csrf_token": token, "note": "क" * 70_000})
        assert big.status_code == 413
        assert big.json()["hi"].startswith("अनुरोध बहुत बड़ा है") and big.json()["error"]

        def chunks():
            yield b"csrf_token=" + token.encode()

        assert analyst.post("/mentions/s03/corrections", content=chunks(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 411


def test_too_many_requests_get_429(store):
    with serve_app(store, settings=JanmatSettings(web=WebSettings(rate_limit="5/minute"))) as url:
        replies = [httpx.get(f"{url}/api/health") for _ in range(7)]
    assert [reply.status_code for reply in replies] == [200] * 5 + [429, 429]
    assert replies[-1].json()["hi"].startswith("बहुत अधिक अनुरोध") and replies[-1].headers["Retry-After"] == "60"


def test_hostile_crawled_strings_are_escaped_and_never_links(store):
    with serve_app(store) as url:
        for path in (f"/mentions/{HOSTILE_ID}", "/search?q=धरना", "/search?district=Hisar"):
            html = httpx.get(f"{url}{path}").text
            assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
            assert 'href="javascript:' not in html.lower() and 'href="data:' not in html.lower()
            assert "&lt;script&gt;alert" in html or "&lt;img src=x" in html


def test_language_switch_remembers_the_choice_and_stays_on_this_site(store):
    with serve_app(store) as url, httpx.Client(base_url=url) as http:
        reply = http.get("/lang/en", params={"next": "/search?q=पेंशन"})
        assert reply.status_code == 303 and unquote(reply.headers["location"]) == "/search?q=पेंशन"
        assert http.get("/search?q=पेंशन").text.count("Search mentions") == 1
        assert http.get("/lang/hi", params={"next": "https://evil.example/"}).headers["location"] == "/"
        assert http.get("/lang/hi", params={"next": "//evil.example/"}).headers["location"] == "/"
        assert "उल्लेख खोजें" in http.get("/search").text


def test_ui_language_default_comes_from_janmat_ui_lang(store, monkeypatch):
    from janmat.core.settings import get_settings

    monkeypatch.setenv("JANMAT_UI_LANG", "hi")
    get_settings.cache_clear()
    with serve_app(store) as url:
        assert '<html lang="hi">' in httpx.get(f"{url}/").text
        assert '<html lang="en">' in httpx.get(f"{url}/?ui=en").text


def test_docs_are_served_offline_from_local_assets(store):
    with serve_app(store) as url:
        html = httpx.get(f"{url}/docs").text
        assert "cdn" not in html.lower() and "https://" not in html
        assert httpx.get(f"{url}/static/swagger/swagger-ui-bundle.js").status_code == 200
        assert httpx.get(f"{url}/openapi.json").json()["paths"]["/api/search"]
        assert httpx.get(f"{url}/static/../app.py").status_code == 404
    with serve_app(store, settings=JanmatSettings(web=WebSettings(docs=False))) as url:
        assert httpx.get(f"{url}/docs").status_code == 404


def test_exposure_needs_accounts_beyond_loopback():
    for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"):
        check_exposure(host, WebSettings())
    with pytest.raises(ConfigError, match="JANMAT_WEB_USERS"):
        check_exposure("0.0.0.0", WebSettings())
    check_exposure("0.0.0.0", WebSettings(users={"a": WebUser(password_hash=hash_password("p"), role="admin")}))


def test_janmat_serve_refuses_a_public_address_without_accounts(tmp_path):
    env = {**os.environ, "JANMAT_DATA_DIR": str(tmp_path)}
    env.pop("JANMAT_WEB_USERS", None)
    run = subprocess.run([sys.executable, "-m", "janmat", "serve", "--host", "0.0.0.0", "--port", "9"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 2
    assert "refusing to listen on 0.0.0.0" in run.stderr


def test_roles_are_ordered_viewer_analyst_admin():
    from janmat.web.auth import User

    assert User("a", "admin").may("analyst") and User("a", "analyst").may("viewer")
    assert not User("v", "viewer").may("analyst") and not User("a", "analyst").may("admin")
