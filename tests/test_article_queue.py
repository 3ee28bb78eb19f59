"""The article queue between the Google News collector and the crawler: leases, acknowledgements, give-ups."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawlers.article_queue import ArticleQueue, QueueCounts, QueuedArticle

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def filled(path: Path, count: int) -> ArticleQueue:
    queue = ArticleQueue(path)
    queue.add(QueuedArticle(f"https://www.bhaskar.com/haryana/news/{i}.html", "scheme:pm_kisan", "दैनिक भास्कर")
              for i in range(count))
    return queue


def test_a_url_is_queued_once_however_often_it_is_found(tmp_path: Path) -> None:
    with filled(tmp_path / "q.sqlite", 3) as queue:
        again = queue.add([QueuedArticle("https://www.bhaskar.com/haryana/news/1.html", "district:hisar"),
                           QueuedArticle("https://www.amarujala.com/haryana/x.html", "district:hisar", None)])
        assert again == 1 and queue.pending() == 4


def test_a_taken_url_waits_for_its_lease_to_run_out_before_it_is_taken_again(tmp_path: Path) -> None:
    with filled(tmp_path / "q.sqlite", 3) as queue:
        first = queue.take(limit=2, lease_seconds=600, now=T0)
        assert [a.url.rsplit("/", 1)[1] for a in first] == ["0.html", "1.html"]  # oldest first
        assert first[0].found_by == "scheme:pm_kisan" and first[0].publisher == "दैनिक भास्कर"
        assert [a.url for a in queue.take(now=T0 + timedelta(seconds=599))] == [
            "https://www.bhaskar.com/haryana/news/2.html"]
        assert queue.take(now=T0 + timedelta(seconds=599)) == []
        assert queue.counts(now=T0 + timedelta(seconds=599)) == QueueCounts(waiting=0, leased=3, done=0, given_up=0)
        # The crawl that took the first two died without acknowledging them: once the lease ran out they are back.
        assert queue.take(now=T0 + timedelta(seconds=600)) == first


def test_acknowledged_urls_are_never_taken_again(tmp_path: Path) -> None:
    with filled(tmp_path / "q.sqlite", 2) as queue:
        taken = queue.take(lease_seconds=60, now=T0)
        assert queue.ack([taken[0].url], "stored") == 1
        assert queue.ack([taken[0].url], "stored") == 0  # already done
        later = T0 + timedelta(days=1)
        assert queue.take(now=later) == [taken[1]]
        assert queue.outcome(taken[0].url) == "stored" and queue.outcome(taken[1].url) is None
        assert queue.counts(now=later) == QueueCounts(waiting=0, leased=1, done=1, given_up=0)


def test_a_released_url_is_taken_by_the_next_crawl_at_once(tmp_path: Path) -> None:
    with filled(tmp_path / "q.sqlite", 1) as queue:
        taken = queue.take(lease_seconds=3600, now=T0)
        queue.release([taken[0].url])  # the fetch failed
        assert queue.take(now=T0 + timedelta(seconds=1)) == taken


def test_a_url_never_acknowledged_is_given_up_after_its_last_attempt(tmp_path: Path) -> None:
    with filled(tmp_path / "q.sqlite", 1) as queue:
        for attempt in range(queue.max_attempts):
            assert len(queue.take(lease_seconds=1, now=T0 + timedelta(seconds=10 * attempt))) == 1
        assert queue.take(now=T0 + timedelta(hours=1)) == []
        assert queue.counts(now=T0 + timedelta(hours=1)) == QueueCounts(waiting=0, leased=0, done=0, given_up=1)
        assert queue.pending() == 0


def test_crawls_taking_at_the_same_time_never_get_the_same_url(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    filled(path, 400).close()
    taken: list[list[str]] = []
    lock = threading.Lock()

    def crawl() -> None:
        with ArticleQueue(path) as own:  # its own connection, as a separate crawl process would have
            while batch := own.take(limit=7):
                with lock:
                    taken.append([a.url for a in batch])

    workers = [threading.Thread(target=crawl) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    urls = [url for batch in taken for url in batch]
    assert len(urls) == 400 and len(set(urls)) == 400
