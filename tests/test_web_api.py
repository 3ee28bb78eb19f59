"""The JSON API over a real SQLite store, through a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from janmat.core.mention import IST, DistrictTag, Mention, SchemeTag, Sentiment
from janmat.store import open_store
from tests.web_server import serve_app


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}")
    store.upsert([
        Mention(id="m1", title="हिसार में किसानों का धरना", text="हिसार में किसानों ने फसल बीमा के भुगतान में देरी पर धरना दिया।",
                published_at=datetime(2026, 3, 10, 9, tzinfo=IST), districts=[DistrictTag(name="Hisar")],
                schemes=[SchemeTag(id="pmfby", name="PM Fasal Bima Yojana")],
                sentiment=Sentiment(label="negative", score=0.8, model="t")),
        Mention(id="m2", title="Gurugram health camp", text="A free health camp for farmers was held in Gurugram.",
                published_at=datetime(2026, 3, 11, 9, tzinfo=IST), districts=[DistrictTag(name="Gurugram")],
                sentiment=Sentiment(label="positive", score=0.7, model="t")),
    ])
    with serve_app(store) as url:
        yield url
    store.close()


def test_search_returns_hindi_matches_with_highlights(base_url):
    reply = httpx.get(f"{base_url}/api/search", params={"q": "किसान"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["total"] == 1
    assert body["results"][0]["mention"]["id"] == "m1"
    assert "«किसानों»" in " ".join(body["results"][0]["highlights"])


def test_filters_and_stats(base_url):
    reply = httpx.get(f"{base_url}/api/stats", params={"by": "sentiment", "since": "2026-03-11"})
    assert reply.json()["counts"] == [["positive", 1]]
    reply = httpx.get(f"{base_url}/api/search", params={"sentiment": "negative"})
    assert [r["mention"]["id"] for r in reply.json()["results"]] == ["m1"]


def test_scheme_counts_carry_names_in_the_asked_language(base_url):
    english = httpx.get(f"{base_url}/api/stats", params={"by": "scheme"}).json()
    hindi = httpx.get(f"{base_url}/api/stats", params={"by": "scheme", "ui": "hi"}).json()
    assert english["counts"] == [["pmfby", 1]]
    assert "Fasal Bima" in english["labels"]["pmfby"]
    assert "फसल बीमा" in hindi["labels"]["pmfby"]


def test_bad_input_is_a_400_with_a_reason(base_url):
    reply = httpx.get(f"{base_url}/api/search", params={"since": "last tuesday"})
    assert reply.status_code == 400
    assert "bad date" in reply.json()["error"]
    reply = httpx.get(f"{base_url}/api/stats", params={"by": "colour"})
    assert reply.status_code == 400


def test_mention_by_id_and_404(base_url):
    assert httpx.get(f"{base_url}/api/mentions/m2").json()["title"] == "Gurugram health camp"
    assert httpx.get(f"{base_url}/api/mentions/nope").status_code == 404


def test_messages_in_hindi_and_english(base_url):
    hindi = httpx.get(f"{base_url}/api/messages", params={"lang": "hi"}).json()
    english = httpx.get(f"{base_url}/api/messages", params={"lang": "en"}).json()
    assert hindi["search"] == "खोजें" and english["search"] == "Search"
    assert set(hindi) == set(english)
