"""Google News → article queue → the news spider's article path → store, end to end.

The real Google News collector (against the local Google News fake) queues a publisher's article URL and starts
the ``queued-articles`` crawl in a child process; the publisher is a saved real page served on 127.0.0.1, the
store is the test's SQLite store. Nothing is mocked.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.article_queue import ArticleQueue, QueueCounts
from janmat.collectors.base import CollectorReport
from janmat.collectors.gnews import GoogleNewsCollector
from janmat.core.mention import Mention
from janmat.core.urls import canonical_url
from tests.conftest import shared_data
from tests.fakes.gnews_feed import FakeGoogleNews, Story
from tests.fakes.harness import run, stored
from tests.local_site import SavedPagesSite
from tests.test_collect_gnews import KISAN, fake_gnews  # noqa: F401 - the fixture
from tests.test_crawl_extract import gold_text

ARTICLE = "html/ddnews_hi_3.html"  # a short path, so the fake's article id can carry its URL
HEADLINE = "पीएम किसान: अभिनेता जगदीप का निधन"  # what the search fake matches; the page is the saved one


@pytest.fixture
def publisher() -> Iterator[SavedPagesSite]:
    with SavedPagesSite(shared_data("web")) as site:
        yield site


def article_url(site: SavedPagesSite) -> str:
    """The saved article's address on the local publisher."""
    row = next(row for row in site.rows if row["file"] == ARTICLE)
    return site.base_url + site.path_of(row["url"])


def crawled_articles() -> list[Mention]:
    """The news mentions in the store (the gnews headlines are platform ``gnews``)."""
    return stored("news")


def crawl_children(spider: str) -> list[int]:
    """Process ids of this test's child processes crawling with ``spider``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and spider.encode() in command:
            found.append(int(entry.name))
    return found


def test_a_queued_article_is_stored_once_and_never_fetched_again(
        publisher: SavedPagesSite, fake_gnews: FakeGoogleNews) -> None:  # noqa: F811
    url = article_url(publisher)
    path = publisher.path_of(url)
    fake_gnews.add(Story(HEADLINE, "डीडी न्यूज़", "https://ddnews.gov.in", url, 30))

    report = run(["gnews"], [KISAN])["gnews"]
    assert report.status == "ok", report.message
    assert "1 queued article(s) crawled: 1 stored" in report.message
    [article] = crawled_articles()
    assert article.meta["discovered_via"] == "queue" and article.meta["requested_canonical_url"] == url
    row = next(row for row in publisher.rows if row["file"] == ARTICLE)
    assert article.title == gold_text(shared_data("web"), row).splitlines()[0].strip()
    assert article.source.name == "डीडी न्यूज़" and "region" not in article.meta
    assert publisher.hits[path] == 1
    with ArticleQueue() as queue:
        assert queue.outcome(url) == "stored"
        assert queue.counts() == QueueCounts(waiting=0, leased=0, done=1, given_up=0)

    # Later runs, and the same article found again under a tracking variant of its URL: no second fetch.
    fake_gnews.add(Story("PM Kisan: actor Jagdeep dies", "DD News", "https://ddnews.gov.in",
                         f"{url}?utm_source=gnews", 10))
    again = run(["gnews"], [KISAN])["gnews"]
    assert again.status == "ok", again.message
    assert "0 stored" in again.message and "1 crawled before" in again.message
    assert run(["gnews"], [KISAN])["gnews"].status == "ok"
    assert publisher.hits[path] == 1
    assert [m.id for m in crawled_articles()] == [article.id]
    with ArticleQueue() as queue:
        assert queue.outcome(f"{url}?utm_source=gnews") == "already_crawled"
        assert canonical_url(f"{url}?utm_source=gnews") == url


def test_a_crawl_killed_between_take_and_store_leaves_the_url_to_the_next_run(
        publisher: SavedPagesSite, fake_gnews: FakeGoogleNews,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # long enough that a loaded CI machine still sees the lease held after the kill (3 s ran out there once)
    monkeypatch.setattr(GoogleNewsCollector, "article_lease_seconds", 12)
    url = article_url(publisher)
    path = publisher.path_of(url)
    fake_gnews.add(Story(HEADLINE, "डीडी न्यूज़", "https://ddnews.gov.in", url, 30))
    publisher.delay_seconds = 20  # the publisher is slow: the crawl has taken the URL and waits for the page

    reports: dict[str, CollectorReport] = {}
    collector = threading.Thread(target=lambda: reports.update(run(["gnews"], [KISAN])))
    collector.start()
    deadline = time.monotonic() + 90
    while not publisher.hits[path]:
        assert collector.is_alive() and time.monotonic() < deadline, "the article was never requested"
        time.sleep(0.05)
    [child] = crawl_children("queued-articles")
    os.kill(child, signal.SIGKILL)  # the crawl dies after the take, before the store
    collector.join(60)
    killed = reports["gnews"]
    assert killed.status == "failed" and "queued-articles spider did not run" in killed.message
    assert killed.stored == 1  # the headline itself was stored before the crawl started
    assert crawled_articles() == []
    with ArticleQueue() as queue:
        assert queue.counts().leased == 1 and queue.outcome(url) is None  # taken, never acknowledged

        publisher.delay_seconds = 0
        while queue.counts().waiting != 1:  # the dead crawl's lease runs out
            assert time.monotonic() < deadline
            time.sleep(0.2)

    resumed = run(["gnews"], [KISAN])["gnews"]
    assert resumed.status == "ok", resumed.message
    assert resumed.fetched == 0 and "1 stored" in resumed.message  # no new headline; the queued URL is crawled
    assert len(crawled_articles()) == 1
    assert publisher.hits[path] == 2

    assert run(["gnews"], [KISAN])["gnews"].status == "ok"
    assert publisher.hits[path] == 2 and len(crawled_articles()) == 1
    with ArticleQueue() as queue:
        assert queue.outcome(url) == "stored"
