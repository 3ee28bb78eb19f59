"""The Alerts screen (``/alerts``): rules and recent firings, served by the real app under uvicorn on 127.0.0.1
over a real SQLite store. Rules are added through ``POST /api/alerts``, firings through the store's ledger, as
``tests/test_alerts_web.py`` does."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import lxml.html
import pytest
from babel.dates import format_datetime

from janmat.alerts.ledger import Claim
from janmat.alerts.model import Alert, AlertMention
from janmat.alerts.storage import open_alert_state
from janmat.core.i18n import MESSAGES
from janmat.core.mention import IST, DistrictTag, Mention, SchemeTag, Sentiment
from janmat.core.settings import JanmatSettings, NotifySettings, WebSettings, WebUser
from janmat.store import open_store
from janmat.web.auth import hash_password
from janmat.web.display import Words
from tests.web_server import serve_app

PASSWORDS = {"asha": "admin-pass", "ravi": "viewer-pass"}
RULE = {"name": "चिरायु हिसार", "districts": ["हिसार"], "schemes": ["Chirayu Haryana"], "sentiment": "नकारात्मक",
        "channels": ["telegram"], "cooldown": "30m"}
TEMPLATES = Path(__file__).resolve().parents[1] / "janmat" / "web" / "templates"


@pytest.fixture
def site(tmp_path: Path):
    users = {"asha": WebUser(password_hash=hash_password(PASSWORDS["asha"]), role="admin"),
             "ravi": WebUser(password_hash=hash_password(PASSWORDS["ravi"]), role="viewer")}
    # RULE's channel is set up, or adding it is refused as `janmat alerts add` refuses it
    notify = NotifySettings(telegram_bot_token="123:test-token", telegram_chat_ids=["-1001"])
    with open_store(f"sqlite:///{tmp_path / 'janmat.db'}") as store, \
            serve_app(store, settings=JanmatSettings(web=WebSettings(users=users), notify=notify)) as url:
        yield store, url


def as_user(name: str, **options: object) -> httpx.Client:
    return httpx.Client(auth=(name, PASSWORDS[name]), timeout=30, **options)  # type: ignore[arg-type]


def fire(store, alert_id: str, fired_at: datetime, **fields: object) -> Alert:
    """Record a fired alert in the store's ledger, as the evaluator does."""
    alert = Alert(id=alert_id, rule_id="r-test", rule_name="चिरायु हिसार", kind="spike",
                  window_start=fired_at - timedelta(hours=1), window_end=fired_at, fired_at=fired_at,
                  **fields)  # type: ignore[arg-type]
    with open_alert_state(store) as state:
        assert state.claim(Claim(alert, alert_id, fired_at.timestamp(), 60))
    return alert


def text_of(html: str, css_id: str) -> str:
    found = lxml.html.fromstring(html).get_element_by_id(css_id)
    return " ".join(found.text_content().split())


def test_a_stored_rule_and_a_fired_alert_are_shown_in_hindi_and_english(site) -> None:
    store, url = site
    store.upsert([Mention(id="hisar-1", title="हिसार में चिरायु कार्ड से इलाज नहीं",
                          text="हिसार के अस्पताल ने चिरायु कार्ड लौटाया।",
                          published_at=datetime.now(IST) - timedelta(hours=1), districts=[DistrictTag(name="Hisar")],
                          schemes=[SchemeTag(id="chirayu_haryana", name="Chirayu Haryana")],
                          sentiment=Sentiment(label="negative", score=0.9, model="t"))])
    now = datetime.now(UTC).replace(microsecond=0)
    fire(store, "newer", now, district="Hisar", scheme="chirayu_haryana", count=23, baseline=2.0,
         reason="23 mentions in 1 h against 2.0 expected",
         top=[AlertMention(id="hisar-1", title="हिसार में चिरायु कार्ड से इलाज नहीं", source="bhaskar")])
    fire(store, "older", now - timedelta(hours=5), district="Rohtak", count=9, baseline=None, reason="9 mentions")
    fire(store, "last-month", now - timedelta(days=8), district="Karnal", count=40, baseline=1.0, reason="old")
    with as_user("asha") as admin:
        added = admin.post(f"{url}/api/alerts", json=RULE)
        assert added.status_code == 201, added.text
        rule_id = added.json()["id"]

    with as_user("ravi") as viewer:  # viewers may read the screen
        hindi = viewer.get(f"{url}/alerts", params={"ui": "hi"})
        english = viewer.get(f"{url}/alerts", params={"ui": "en"})
    assert hindi.status_code == english.status_code == 200
    rule_hi = text_of(hindi.text, "rules-table")
    assert "चिरायु हिसार" in rule_hi and "हिसार" in rule_hi and "नकारात्मक" in rule_hi and "30m" in rule_hi
    assert "सहेजी गई खोज" in rule_hi and "टेलीग्राम" in rule_hi
    rule_en = text_of(english.text, "rules-table")
    assert "Hisar" in rule_en and "negative" in rule_en and "standing query" in rule_en and "Telegram" in rule_en
    assert f'data-rule="{rule_id}"' in hindi.text
    # a standing query is stored but no spike rule: the built-in spike rules still run, and the page says so
    assert text_of(hindi.text, "builtin-note") == MESSAGES["alerts_builtin_active"]["hi"]
    assert "default:district-scheme" in rule_en

    fired_hi, fired_en = text_of(hindi.text, "fired-table"), text_of(english.text, "fired-table")
    assert "हिसार × आयुष्मान भारत-चिरायु हरियाणा" in fired_hi and "23, सामान्यतः 2.0" in fired_hi
    month = format_datetime(now, "MMMM", tzinfo=IST, locale="hi_IN")  # the month's Hindi name, in IST
    assert Words("hi").when(now) in fired_hi and month in fired_hi and not month.isascii()
    assert "Hisar × Ayushman Bharat - Chirayu Haryana" in fired_en and "23, usually 2.0" in fired_en
    assert Words("en").when(now) in fired_en
    assert "23 mentions in 1 h against 2.0 expected" in fired_en
    assert "रोहतक" in fired_hi and "Rohtak" in fired_en
    rows = lxml.html.fromstring(english.text).cssselect("#fired-table tr.fired-row")
    assert [row.get("data-alert") for row in rows] == ["newer", "older"]  # newest first, nothing past 7 days

    page = lxml.html.fromstring(hindi.text)
    links = page.cssselect('tr[data-alert="newer"] td.c-top a')
    assert links[0].get("href") == "/mentions/hisar-1"
    assert links[1].get("href").startswith("/search?district=Hisar&scheme=chirayu_haryana&since=")
    with as_user("ravi") as viewer:
        mention = viewer.get(f"{url}{links[0].get('href')}", params={"ui": "hi"})
    assert mention.status_code == 200 and "हिसार में चिरायु कार्ड से इलाज नहीं" in mention.text


def test_the_language_cookie_and_the_default_language_choose_hindi(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'janmat.db'}") as store:
        fire(store, "a1", datetime.now(UTC).replace(microsecond=0), district="Hisar", count=5, baseline=1.0,
             reason="5 mentions")
        with serve_app(store) as url:
            cookie = httpx.get(f"{url}/alerts", cookies={"janmat_lang": "hi"}, timeout=30).text
            plain = httpx.get(f"{url}/alerts", timeout=30).text
        settings = JanmatSettings.model_validate({"core": {"ui_lang": "hi"}})
        with serve_app(store, settings=settings) as url:
            default_hi = httpx.get(f"{url}/alerts", timeout=30).text
    assert "हिसार" in text_of(cookie, "fired-table") and "हिसार" in text_of(default_hi, "fired-table")
    assert "Hisar" in text_of(plain, "fired-table")


def test_a_fresh_store_says_the_builtin_rules_are_active(site) -> None:
    _, url = site
    with as_user("ravi") as viewer:
        hindi = viewer.get(f"{url}/alerts", params={"ui": "hi"}).text
        english = viewer.get(f"{url}/alerts", params={"ui": "en"}).text
    assert text_of(english, "builtin-note") == ("No alert rules are stored: the built-in spike rules watch every "
                                                "district, every scheme and every district × scheme.")
    assert text_of(hindi, "builtin-note") == MESSAGES["alerts_no_rules"]["hi"]
    rules = lxml.html.fromstring(english).cssselect("#rules-table tr.rule-row")
    assert [row.get("data-rule") for row in rules] == ["default:district", "default:scheme",
                                                       "default:district-scheme"]
    assert "each district separately" in text_of(english, "rules-table")
    assert text_of(english, "fired-none") == "No alert fired in the last 7 days."
    assert text_of(hindi, "fired-none") == "पिछले 7 दिनों में कोई अलर्ट नहीं आया।"


def test_the_navigation_and_the_overview_link_to_the_alerts_screen(site) -> None:
    _, url = site
    with as_user("ravi") as viewer:
        for path in ("/", "/search", "/claims"):
            nav = lxml.html.fromstring(viewer.get(f"{url}{path}", params={"ui": "hi"}).text).cssselect("header nav a")
            assert ("/alerts", "अलर्ट") in [(a.get("href"), a.text_content()) for a in nav], path
        alerts = lxml.html.fromstring(viewer.get(f"{url}/alerts", params={"ui": "en"}).text)
        assert alerts.cssselect('header nav a[href="/alerts"]')[0].get("aria-current") == "page"
        overview = lxml.html.fromstring(viewer.get(f"{url}/", params={"ui": "en"}).text)
        link = overview.cssselect("#alerts a#all-alerts")[0]
        assert (link.get("href"), link.text_content()) == ("/alerts", "all alerts")
    assert httpx.get(f"{url}/alerts", timeout=30).status_code == 401  # the app's own login still applies


def test_every_word_of_the_alerts_screen_exists_in_hindi_and_english() -> None:
    sources = [(TEMPLATES / name).read_text(encoding="utf-8") for name in ("alerts.html", "base.html",
                                                                              "overview.html")]
    keys = {key for text in sources for key in re.findall(r"""w\(\s*["']([a-z_]+)["']\s*[,)]""", text)}
    keys |= {f"alerts_kind_{k}" for k in ("match", "spike")}
    keys |= {f"alerts_builtin_{k}" for k in ("district", "scheme", "district-scheme")}
    keys |= {f"alerts_channel_{c}" for c in ("webhook", "email", "telegram")}
    keys |= {"alerts_each_district", "alerts_each_scheme", "alerts_channels_configured", "alerts_cooldown_default",
             "alerts_count_baseline", "notify_why_spike", "notify_why_spike_new", "notify_why_match",
             "notify_why_claim"}
    assert {"nav_alerts", "alerts_page_title", "alerts_all", "alerts_fired_none"} <= keys
    for key in keys:
        assert set(MESSAGES[key]) >= {"hi", "en"}, key
