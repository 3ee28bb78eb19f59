"""The JSON API over a real SQLite store, through a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

import httpx
import pytest
from openpyxl import load_workbook

from janmat.core.mention import IST, DistrictTag, Mention, SchemeTag, Sentiment
from janmat.store import open_store
from tests.web_sample import CLUSTER, sample_mentions
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
    # m1 says किसानों; m2 says "farmers" and is found through cross-script folding, ranked below the direct match.
    assert [r["mention"]["id"] for r in body["results"]] == ["m1", "m2"]
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


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.db'}")
    store.upsert([*sample_mentions(), Mention(
        id="formula", title="=HYPERLINK(\"http://evil.example\",\"click\")", text="+cmd|' /C calc'!A0 हिसार",
        published_at=datetime.now(IST) - timedelta(days=1), districts=[DistrictTag(name="Hisar")])])
    with serve_app(store) as url:
        yield url
    store.close()


def test_overview_data_for_each_period(sample_url):
    week = httpx.get(f"{sample_url}/api/overview", params={"period": "7d"}).json()
    assert len(week["days"]) == 7 and week["total"] == 35
    hisar = next(row for row in week["districts"] if row["key"] == "Hisar")
    assert hisar["mentions"] == 14 and hisar["negative"]["n"] == 14 and 0 < hisar["negative"]["low"] < 0.5
    assert week["clusters"][0]["cluster"] == CLUSTER and week["clusters"][0]["sources"] == 3
    assert len(httpx.get(f"{sample_url}/api/overview", params={"period": "30d"}).json()["days"]) == 30
    assert httpx.get(f"{sample_url}/api/overview", params={"period": "year"}).status_code == 400


def test_search_pages_and_sorts(sample_url):
    def ids(**params):
        return [r["mention"]["id"] for r in httpx.get(f"{sample_url}/api/search", params=params).json()["results"]]

    newest = ids(limit=50, sort="newest")
    assert ids(limit=50, sort="oldest") == newest[::-1]
    assert ids(limit=5, offset=5, sort="newest") == newest[5:10]
    assert sorted(ids(cluster=CLUSTER)) == ["w0", "w1", "w2"]
    assert httpx.get(f"{sample_url}/api/search", params={"sort": "random"}).status_code == 400
    hindi = httpx.get(f"{sample_url}/api/search", params={"sentiment": "नकारात्मक", "since": "आज"})
    assert hindi.status_code == 200


def test_export_rows_equal_the_rows_on_every_page(sample_url):
    params = {"since": "30d", "sort": "oldest", "ui": "hi"}
    shown = []
    for page in (1, 2):
        html = httpx.get(f"{sample_url}/search", params={**params, "page": page}).text
        shown += re.findall(r'<tr class="hit" data-id="([^"]+)">', html)
    total = httpx.get(f"{sample_url}/api/search", params={"since": "30d"}).json()["total"]
    assert total > 20 and len(shown) == total  # two pages of 20
    rows = list(csv.reader(io.StringIO(httpx.get(f"{sample_url}/export.csv", params=params).text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["आईडी", "प्रकाशित (IST)", "शीर्षक"]
    assert [row[0] for row in rows[1:]] == shown
    book = load_workbook(io.BytesIO(httpx.get(f"{sample_url}/export.xlsx", params=params).content))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    # an empty cell reads back as None; the CSV guards the formula-like title with a quote (checked below)
    unguarded = [[value.removeprefix("'") for value in row] for row in rows]
    assert [[value or "" for value in r] for r in sheet_rows] == unguarded


def test_exports_never_turn_crawled_text_into_formulas(sample_url):
    rows = list(csv.reader(io.StringIO(httpx.get(f"{sample_url}/export.csv", params={"q": "हिसार"}).text)))
    formula_row = next(row for row in rows if row[0] == "formula")
    assert formula_row[2].startswith("'=HYPERLINK")
    book = load_workbook(io.BytesIO(httpx.get(f"{sample_url}/export.xlsx", params={"q": "हिसार"}).content))
    cells = next(row for row in book.active.iter_rows() if row[0].value == "formula")
    assert cells[2].data_type == "s" and cells[2].value.startswith("=HYPERLINK")


def test_mention_page_shows_why_cluster_and_matched_claim(sample_url):
    html = httpx.get(f"{sample_url}/mentions/w1", params={"ui": "hi"}).text
    assert "ppp-pension-cut" in html and "मेल 88%" in html and "पीपीपी से नाम कटने पर पेंशन बंद" in html
    assert "इस समूह में 3 उल्लेख" in html and f"cluster={CLUSTER}" in html
    neutral = httpx.get(f"{sample_url}/mentions/s02", params={"ui": "en"}).text
    assert "<mark>प्रधानमंत्री किसान सम्मान निधि</mark>" in neutral  # the scheme's evidence span, marked
    assert "in the text 0–" in neutral  # the district's evidence offsets
