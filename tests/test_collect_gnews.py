"""Google News collector against a local fake of the Google News RSS search (only the base URL differs).

After the search the collector crawls the queued article URLs in a child process; here they all point at the
fake (a page that is gone, Google's own redirect page), so nothing leaves 127.0.0.1. The articles themselves
being crawled and stored is ``tests/test_gnews_articles.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawlers.article_queue import ArticleQueue, QueueCounts
from janmat.collectors.gnews import publisher_url
from janmat.collectors.topics import Topic
from tests.fakes.gnews_feed import FakeGoogleNews, Story, article_id
from tests.fakes.harness import configure, run, stored

KISAN = Topic("scheme", "pm_kisan", ("पीएम किसान", "PM Kisan"))


@pytest.fixture
def fake_gnews(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogleNews]:
    fake = FakeGoogleNews().start()
    configure(monkeypatch, gnews_base=fake.url, collect_open_web="true")
    yield fake
    fake.stop()


def test_publisher_urls_are_decoded_offline_when_the_id_carries_them() -> None:
    url = "https://www.bhaskar.com/local/haryana/hisar/news/pm-kisan-kist-133.html"
    assert publisher_url(f"https://news.google.com/rss/articles/{article_id(url, '')}?oc=5") == url
    assert publisher_url(f"https://news.google.com/rss/articles/{article_id(None, 'AU_yqLxyz')}?oc=5") is None
    assert publisher_url("https://www.amarujala.com/haryana/x.html") == "https://www.amarujala.com/haryana/x.html"


def test_headlines_are_stored_and_article_urls_queued_for_the_crawler(fake_gnews: FakeGoogleNews) -> None:
    decoded = fake_gnews.add(Story("पीएम किसान की 21वीं किस्त जारी, हिसार के किसानों को लाभ", "दैनिक भास्कर",
                                   "https://www.bhaskar.com", f"{fake_gnews.url}/haryana/news/kist-21.html", 90))
    fake_gnews.add(Story("PM Kisan: e-KYC deadline extended", "The Tribune", "https://www.tribuneindia.com", None, 60))
    fake_gnews.add(Story("हरियाणा में मौसम साफ़", "अमर उजाला", "https://www.amarujala.com", None, 10))

    report = run(["gnews"], [KISAN])["gnews"]
    assert report.status == "ok", report.message
    assert report.fetched == 2
    request = fake_gnews.requests_to("/rss/search")[0]
    assert (request.params["hl"], request.params["gl"], request.params["ceid"]) == ("hi", "IN", "IN:hi")
    by_title = {m.title: m for m in stored("gnews")}
    bhaskar = by_title[decoded.headline]  # the " - publisher" suffix is gone
    assert bhaskar.url == decoded.url and bhaskar.source.name == "दैनिक भास्कर"
    assert bhaskar.source.domain == "www.bhaskar.com" and bhaskar.published_at.tzinfo is not None
    assert bhaskar.post_id == bhaskar.meta["google_news_url"].split("/")[-1].split("?")[0]
    tribune = by_title["PM Kisan: e-KYC deadline extended"]
    assert tribune.url.startswith(f"{fake_gnews.url}/rss/articles/") and tribune.meta["article_url"] is None

    # Both URLs went to the crawler once: Google's redirect page is no article (done with); the publisher's page
    # is gone (404), so it waits for the next run.
    assert len(fake_gnews.requests_to("/rss/articles/")) == 1 and len(fake_gnews.requests_to("/haryana/")) == 1
    with ArticleQueue() as queue:
        assert queue.outcome(tribune.url) == "not_article"
        assert queue.counts() == QueueCounts(waiting=1, leased=0, done=1, given_up=0)
        assert [article.url for article in queue.take()] == [decoded.url]
    assert "2 queued article(s) crawled: 0 stored" in report.message


def test_second_run_neither_repeats_headlines_nor_requeues_urls(fake_gnews: FakeGoogleNews) -> None:
    fake_gnews.add(Story("पीएम किसान योजना में नए नाम जुड़े", "हरिभूमि", "https://www.haribhoomi.com",
                         f"{fake_gnews.url}/state/haryana/news/1.html", 100))
    assert run(["gnews"], [KISAN])["gnews"].fetched == 1
    fake_gnews.add(Story("पीएम किसान: अपात्रों से वसूली", "हरिभूमि", "https://www.haribhoomi.com",
                         f"{fake_gnews.url}/state/haryana/news/2.html", 5))
    second = run(["gnews"], [KISAN])["gnews"]
    assert second.fetched == 1 and second.updated == 0
    assert len(stored("gnews")) == 2
    with ArticleQueue() as queue:
        assert queue.pending() == 2


def test_open_web_collectors_stay_offline_unless_enabled(fake_gnews: FakeGoogleNews,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, collect_open_web="false")
    report = run(["gnews"], [KISAN])["gnews"]
    assert report.status == "skipped" and "JANMAT_COLLECT_OPEN_WEB" in report.message
    assert fake_gnews.seen == []
