"""Fact-check collector against a local fact-checker site: feed, robots.txt and ClaimReview article pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from janmat.collectors.watchlist import FactCheckFeed, FactCheckWatch, Watchlist
from janmat.core.mention import Platform, mention_id_for_post
from tests.fakes.factcheck_site import Article, FakeFactCheckSite
from tests.fakes.harness import configure, run, stored


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFactCheckSite]:
    fake = FakeFactCheckSite().start()
    configure(monkeypatch, collect_open_web="true")
    yield fake
    fake.stop()


def watch(site: FakeFactCheckSite, *paths: str) -> Watchlist:
    feeds = [FactCheckFeed(name=f"डेस्क {p}", url=f"{site.url}{p}", lang="hi") for p in paths]
    return Watchlist(factcheck=FactCheckWatch(feeds=feeds))


def test_claim_reviews_become_fact_check_records(site: FakeFactCheckSite) -> None:
    claim = 'हरियाणा सरकार ने "लाडो लक्ष्मी योजना" बंद कर दी है'
    checked = site.add(Article("lado-lakshmi-band", "फ़ैक्ट चेक: लाडो लक्ष्मी योजना बंद होने का दावा भ्रामक", claim,
                               rating="भ्रामक", rating_value=2, minutes_ago=120))
    explainer = site.add(Article("ppp-kaise-banaye", "परिवार पहचान पत्र कैसे बनवाएं", "परिवार पहचान पत्र की प्रक्रिया",
                                 kind="explainer", minutes_ago=90))
    site.add(Article("hataya-gaya", "हटाई गई पड़ताल", "पुराना दावा", kind="gone", minutes_ago=60))
    site.add(Article("nijee", "निजी पन्ना", "रोका गया दावा", kind="private", minutes_ago=30))

    report = run(["factcheck"], watchlist=watch(site, "/feed/"))["factcheck"]
    assert report.status == "ok", report.message
    assert report.fetched == 4 and report.gone == 1
    assert not site.requests_to("/private/"), "robots.txt disallows /private/"

    records = {m.url: m for m in stored("factcheck")}
    record = records[f"{site.url}{checked.path()}"]
    assert record.platform == Platform.factcheck
    assert record.id == mention_id_for_post(Platform.factcheck, f"{site.url}{checked.path()}")
    assert record.post_id == f"{site.url}{checked.path()}" and "post_id" not in record.meta
    assert record.text == claim and record.title == checked.title and record.lang == "hi"
    review = record.meta["claim_review"]
    assert (review["claim"], review["rating"], review["rating_value"]) == (claim, "भ्रामक", "2")
    assert review["reviewed_by"] == "फ़ैक्ट चेक डेस्क" and review["claim_author"] == "फेसबुक यूज़र"
    assert review["appearances"] == ["https://www.facebook.com/example.post/posts/1"]
    assert record.published_at is not None and abs((record.published_at - checked.published).total_seconds()) < 2
    assert records[f"{site.url}{explainer.path()}"].meta["claim_review"] is None


def test_second_run_reads_only_new_articles(site: FakeFactCheckSite) -> None:
    site.add(Article("pehla", "पहली पड़ताल", "पहला दावा", minutes_ago=100))
    assert run(["factcheck"], watchlist=watch(site, "/feed/"))["factcheck"].fetched == 1
    pages_before = len(site.requests_to("/fact-check/"))
    site.add(Article("doosra", "दूसरी पड़ताल", "दूसरा दावा", minutes_ago=5))
    second = run(["factcheck"], watchlist=watch(site, "/feed/"))["factcheck"]
    assert second.fetched == 1 and second.updated == 0
    assert len(site.requests_to("/fact-check/")) == pages_before + 1
    assert len(stored("factcheck")) == 2


def test_a_broken_feed_is_reported_and_the_other_feeds_still_collect(site: FakeFactCheckSite) -> None:
    site.add(Article("teesra", "तीसरी पड़ताल", "तीसरा दावा"))
    report = run(["factcheck"], watchlist=watch(site, "/broken-feed/", "/feed/"))["factcheck"]
    assert report.status == "failed" and "broken-feed" in report.message and "not a readable" in report.message
    assert report.fetched == 1 and len(stored("factcheck")) == 1
