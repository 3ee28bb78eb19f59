"""What an alert says: Hindi first (English by setting), counts against the baseline, names from the catalogues,
escaped crawled text, only http(s) links, and links that open the right pages of the real web app."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from janmat.alerts.model import AlertMention
from janmat.alerts.notify.message import compose
from janmat.alerts.notify.render import TELEGRAM_MAX_CHARS, email_html, email_text, telegram_html
from janmat.core.i18n import MESSAGES
from janmat.core.mention import IST, DistrictTag, Mention, SchemeTag, Sentiment
from janmat.core.settings import get_settings
from janmat.store import open_store
from tests.fakes.alert_receivers import WINDOW_END, notify_env, sample_alert
from tests.fakes.telegram_bot_api import ALLOWED_TAGS
from tests.web_server import serve_app

FRESH = WINDOW_END + timedelta(minutes=5)
HOSTILE = AlertMention(
    id="evil/1?x=<b>", title='<script>alert("x")</script> हिसार <a href="javascript:alert(1)">क्लिक</a>',
    snippet="<img src=x onerror=alert(1)> & more", url="javascript:alert(document.cookie)", source="<b>बदमाश</b>",
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")


def _links(html: str) -> _Links:
    parsed = _Links()
    parsed.feed(html)
    return parsed


def test_spike_says_in_hindi_what_fired_with_the_counts_against_the_baseline() -> None:
    message = compose(sample_alert(), get_settings(), FRESH)
    assert message.lang == "hi"
    assert message.headline == "हिसार × आयुष्मान भारत-चिरायु हरियाणा: पिछले घंटे 23 उल्लेख, सामान्य 2"
    assert message.subject == "जनमत अलर्ट: " + message.headline
    assert message.why == "उल्लेखों में अचानक उछाल: सामान्य से 12 गुना (नियम «ज़िला × योजना»)"
    assert message.tone == "नकारात्मक हिस्सा 74%, सामान्य 20%"
    assert (message.district, message.scheme) == ("हिसार", "आयुष्मान भारत-चिरायु हरियाणा")
    assert message.window == "5 मार्च, 13:30–14:30 IST"
    assert [m.sentiment for m in message.top] == ["नकारात्मक", "नकारात्मक", None]


def test_english_by_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, language="en")
    message = compose(sample_alert(), get_settings(), FRESH)
    assert message.headline == "Hisar × Ayushman Bharat - Chirayu Haryana: 23 mentions in the last hour, usually 2"
    assert message.why.startswith("Sudden rise in mentions: 12 times the usual")
    assert "District: Hisar" in email_text(message)


def test_a_late_delivery_names_the_hour_instead_of_saying_last_hour() -> None:
    message = compose(sample_alert(), get_settings(), WINDOW_END + timedelta(hours=6))
    assert "पिछले घंटे" not in message.headline
    assert message.headline == "हिसार × आयुष्मान भारत-चिरायु हरियाणा: 5 मार्च, 13:30–14:30 IST के दौरान 23 उल्लेख, सामान्य 2"


def test_match_and_claim_alerts_and_alerts_without_a_baseline_read_right() -> None:
    settings = get_settings()
    match = compose(sample_alert(kind="match", scheme=None, baseline=None, negative_share=None,
                                 rule_name="नूंह में मनरेगा घोटाला"), settings, FRESH)
    assert match.headline == "हिसार: पिछले घंटे 23 नए उल्लेख"
    assert match.why == "नए उल्लेख सहेजी गई खोज «नूंह में मनरेगा घोटाला» से मेल खाते हैं"
    assert match.tone is None
    claim = compose(sample_alert(kind="claim", claim_id="dc-001", district=None, scheme=None), settings, FRESH)
    assert claim.headline.startswith("भ्रामक दावा फैल रहा है — ज़िला × योजना: पिछले घंटे 23 उल्लेख")
    assert "dc-001" in claim.why
    new = compose(sample_alert(baseline=0.0), settings, FRESH)
    assert new.headline.endswith("सामान्य 0") and "आम तौर पर इस समय कोई उल्लेख नहीं" in new.why
    unknown = compose(sample_alert(district="Atlantis", scheme="no-such-scheme", baseline=None), settings, FRESH)
    assert unknown.headline == "Atlantis × no-such-scheme: पिछले घंटे 23 उल्लेख"


def test_crawled_text_is_escaped_and_only_http_links_are_links() -> None:
    message = compose(sample_alert(top=[HOSTILE]), get_settings(), FRESH)
    for html in (email_html(message), telegram_html(message)):
        assert "<script" not in html and "<img" not in html and "<b>बदमाश" not in html
        assert "&lt;script&gt;" in html
        assert all(urlsplit(href).scheme in ("http", "https") for href in _links(html).hrefs)
    assert message.top[0].url is None
    assert "document.cookie" not in email_text(message)  # the bad URL is dropped, not printed as a link
    assert message.top[0].web_url.endswith("/mentions/evil%2F1%3Fx%3D%3Cb%3E")


def test_one_line_fields_cannot_break_mail_headers() -> None:
    message = compose(sample_alert(rule_name="नियम\r\nBcc: everyone@example.com"), get_settings(), FRESH)
    assert "\n" not in message.subject and "\r" not in message.subject


def test_telegram_text_uses_only_accepted_tags_and_fits_the_limit() -> None:
    long = [AlertMention(id=f"x{i}", title="शीर्षक " * 40, snippet="बहुत लंबा पाठ " * 400, url="https://e.example/x")
            for i in range(3)]
    for alert in (sample_alert(), sample_alert(top=long)):
        text = telegram_html(compose(alert, get_settings(), FRESH))
        assert len(text) <= TELEGRAM_MAX_CHARS
        assert set(_links(text).tags) <= ALLOWED_TAGS


def test_the_links_open_the_mentions_and_the_search_in_the_web_app(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    alert = sample_alert()
    tone = Sentiment(label="negative", score=0.9, model="test")
    mentions = [
        Mention(id=m.id, title=m.title, text=m.snippet or m.title or "चिरायु", url=m.url,
                published_at=WINDOW_END - timedelta(minutes=10 + i), sentiment=tone,
                districts=[DistrictTag(name="Hisar")], schemes=[SchemeTag(id="chirayu_haryana", name="Chirayu")])
        for i, m in enumerate(alert.top)
    ]
    outside = mentions[0].model_copy(update={"id": "earlier", "published_at": WINDOW_END - timedelta(hours=3)})
    store = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    store.upsert([*mentions, outside])
    with serve_app(store) as web:
        notify_env(monkeypatch, web_base_url=web + "/")
        message = compose(alert, get_settings(), FRESH)
        page = httpx.get(message.top[0].web_url)
        assert page.status_code == 200 and "मरीज़ लौटाए" in page.text
        search = httpx.get(message.search_url)
        assert search.status_code == 200
        found = {m.id for m in mentions if f'data-id="{m.id}"' in search.text or f"/mentions/{m.id}" in search.text}
        assert found == {m.id for m in mentions}
        assert "/mentions/earlier" not in search.text
    store.close()
    query = parse_qs(urlsplit(message.search_url).query)
    assert query["district"] == ["Hisar"] and query["scheme"] == ["chirayu_haryana"]
    assert query["since"] == [(WINDOW_END - timedelta(hours=1)).astimezone(IST).isoformat()]


def test_every_word_the_templates_and_messages_use_exists_in_hindi_and_english() -> None:
    notify = Path(__file__).resolve().parents[1] / "janmat" / "alerts" / "notify"
    sources = [p.read_text(encoding="utf-8") for p in [*notify.glob("templates/*"), notify / "message.py"]]
    keys = {key for text in sources for key in re.findall(r"""(?:w|word)\(\s*f?["']([a-z_{}.]+)["']""", text)}
    kinds = {"spike", "count", "match", "claim"}
    expanded = {k.replace("{kind}", kind).replace("{alert.kind}", kind) for k in keys for kind in kinds}
    assert {"notify_alert", "notify_spike_headline", "notify_why_claim", "open_original"} <= expanded
    for key in expanded - {"notify_why_count"}:
        assert set(MESSAGES[key]) >= {"hi", "en"}, key
