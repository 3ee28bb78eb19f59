"""End-to-end crawls with real Scrapy against real saved pages served on 127.0.0.1.

Each crawl runs ``python -m scrapy crawl …`` as a subprocess (as an operator would) through the full item
pipeline into a real SQLite store; the local server counts and times every request it answers.
"""

from __future__ import annotations

import html
import json
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from janmat.core.settings import JanmatSettings
from janmat.core.urls import canonical_url, mention_id_for_page
from janmat.demo.server import Reply
from janmat.store import MentionQuery, open_store
from tests.conftest import shared_data
from tests.local_site import REPO, SavedPagesSite, crawl_command, crawl_env, hindi_rows, run_crawl, write_registry
from tests.test_crawl_extract import gold_date, gold_text, token_f1

FEED = "https://ddnews.gov.in/feeds/constructed_hi_feed.xml"
VIDEO_PAGE = "html/ddnews_hi_2.html"  # a video page: a headline and no article text, so not a mention


def saved_source(feeds: list[str] | None = None) -> dict:
    return {
        "key": "saved-hindi",
        "name": "Saved Hindi pages",
        "homepage": "https://ddnews.gov.in/",
        "language": "hi",
        "domains": ["ddnews.gov.in", "bharat.republicworld.com", "bhaskar.com", "indiatimes.com"],
        "feeds": feeds or [FEED],
        "robots_sitemaps": False,
    }


@pytest.fixture
def site():
    with SavedPagesSite(shared_data("web")) as server:
        yield server


@pytest.fixture
def crawl(tmp_path, site):
    """Run the ``feeds`` spider over the saved-pages site; returns (store_url, result) per call."""
    registry = write_registry(tmp_path / "sources.yaml", [saved_source()])
    store_url = f"sqlite:///{tmp_path / 'store.db'}"

    def run(*settings: str) -> subprocess.CompletedProcess:
        command = crawl_command("feeds", registry, "saved-hindi", site.base_url, store_url, tmp_path / "state",
                                *settings)
        return run_crawl(command)

    run.store_url = store_url  # type: ignore[attr-defined]
    return run


def stored(store_url: str) -> dict[str, object]:
    with open_store(store_url) as store:
        return {hit.mention.id: hit.mention for hit in store.search(MentionQuery(limit=1000)).hits}


def article_hits(site: SavedPagesSite) -> dict[str, int]:
    return {path: count for path, count in site.hits.items() if path in site.pages}


def test_feed_to_articles_to_store(site, crawl) -> None:
    crawl()
    web = shared_data("web")
    rows = hindi_rows(site)
    mentions = stored(crawl.store_url)
    expected = {mention_id_for_page(row["url"]): row for row in rows if row["file"] != VIDEO_PAGE}
    assert set(mentions) == set(expected)
    for mention_id, row in expected.items():
        mention = mentions[mention_id]
        assert mention.url == row["url"]
        assert mention.canonical_url == canonical_url(row["url"])
        assert mention.meta["fetched_from"].startswith(site.base_url)
        assert mention.source.name == "Saved Hindi pages"
        reference = gold_text(web, row)
        assert html.unescape(mention.title) == html.unescape(reference.splitlines()[0].strip())
        assert token_f1(f"{mention.title}\n{mention.text}", reference) >= 0.8
        assert abs(mention.published_at - gold_date(web, row)) <= timedelta(minutes=2)
    assert article_hits(site) == {site.path_of(row["url"]): 1 for row in rows}
    user_agent = JanmatSettings().http_user_agent
    assert "+http" in user_agent  # an honest bot name with a contact URL
    assert {headers["user-agent"] for path in site.pages for headers in site.request_headers.get(path, [])} == {
        user_agent
    }


def test_second_run_fetches_only_what_is_new(site, crawl) -> None:
    crawl()
    first = dict(site.hits)
    feed_path = site.path_of(FEED)
    crawl()
    assert {path: count - first.get(path, 0) for path, count in site.hits.items() if path in site.pages} == {
        path: 0 for path in first if path in site.pages
    }
    assert "if-none-match" in site.request_headers[feed_path][-1]  # the unchanged feed answered 304

    # The feed gains one item: only that article is fetched.
    english = next(row for row in site.rows if row["file"] == "html/timesofindia_en_1.html")
    feed = shared_data("web", "feeds", "constructed_hi_feed.xml").read_text(encoding="utf-8")
    item = f"<item><title>TOI</title><link>{english['url']}</link></item>"
    site.routes[feed_path] = Reply(200, feed.replace("</channel>", item + "</channel>").encode(),
                                   {"Content-Type": "application/rss+xml; charset=utf-8"})
    before = dict(site.hits)
    crawl()
    new_hits = {path: count - before.get(path, 0) for path, count in site.hits.items() if path in site.pages}
    assert {path: n for path, n in new_hits.items() if n} == {site.path_of(english["url"]): 1}
    assert mention_id_for_page(english["url"]) in stored(crawl.store_url)


def test_429_and_500_are_retried_with_backoff_and_the_page_is_stored(site, crawl) -> None:
    rows = [row for row in hindi_rows(site) if row["file"] != VIDEO_PAGE]
    throttled, flaky, dead = (site.path_of(row["url"]) for row in rows[:3])
    site.faults[throttled] = [Reply(429, b"slow down", {"Retry-After": "2"})]
    site.faults[flaky] = [Reply(500, b"oops")]
    site.faults[dead] = [Reply(500, b"down")] * 10
    result = crawl()
    mentions = stored(crawl.store_url)
    assert mention_id_for_page(rows[0]["url"]) in mentions
    assert mention_id_for_page(rows[1]["url"]) in mentions
    assert mention_id_for_page(rows[2]["url"]) not in mentions
    times = site.hit_times[throttled]
    assert len(times) == 2 and times[1] - times[0] >= 1.9  # Retry-After: 2 was honoured
    assert len(site.hit_times[flaky]) == 2
    assert len(site.hit_times[dead]) == 4  # first try + RETRY_TIMES=3, then the crawl moves on
    assert len(mentions) == len(rows) - 1
    assert "Gave up retrying" in result.stderr


def test_blocked_and_non_html_pages_are_logged_per_source_and_the_crawl_goes_on(site, crawl) -> None:
    rows = [row for row in hindi_rows(site) if row["file"] != VIDEO_PAGE]
    forbidden, challenge, pdf = (site.path_of(row["url"]) for row in rows[:3])
    site.faults[forbidden] = [Reply(403, b"<html><title>403 Forbidden</title></html>", {"Content-Type": "text/html"})]
    site.faults[challenge] = [Reply(503, b"<html><head><title>Just a moment...</title></head></html>",
                                    {"Content-Type": "text/html"})]
    site.faults[pdf] = [Reply(200, b"%PDF-1.4 not a web page", {"Content-Type": "application/pdf"})]
    result = crawl()
    mentions = stored(crawl.store_url)
    assert {mention_id_for_page(row["url"]) for row in rows[3:]} <= set(mentions)
    assert not {mention_id_for_page(row["url"]) for row in rows[:3]} & set(mentions)
    assert result.stderr.count("source saved-hindi blocks the crawler") == 1
    assert "skipping non-HTML article link" in result.stderr
    assert len(site.hit_times[challenge]) == 1  # a challenge page is not retried into a ban


def test_wrong_charset_declaration_still_gives_devanagari(site, crawl) -> None:
    row = next(row for row in hindi_rows(site) if row["file"] == "html/bhaskar_hi_1.html")
    site.content_types[site.path_of(row["url"])] = "text/html; charset=iso-8859-1"
    crawl()
    mention = stored(crawl.store_url)[mention_id_for_page(row["url"])]
    assert mention.title.startswith("समस्तीपुर पुलिस")
    assert "à¤" not in mention.text
    assert mention.meta["encoding"] == "utf-8"


def test_killed_crawl_resumes_where_it_stopped(site, tmp_path) -> None:
    site.delay_seconds = 0.5
    registry = write_registry(tmp_path / "sources.yaml", [saved_source()])
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    command = crawl_command("feeds", registry, "saved-hindi", site.base_url, store_url, tmp_path / "state",
                            f"JOBDIR={tmp_path / 'job'}", "CONCURRENT_REQUESTS=1", "JANMAT_STORE_BATCH=1")
    child = subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while sum(article_hits(site).values()) < 2:
        assert child.poll() is None and time.monotonic() < deadline, "crawl ended before it could be interrupted"
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)  # what Ctrl-C does: a graceful stop that saves the queue in JOBDIR
    _, stderr = child.communicate(timeout=60)
    interrupted = sum(article_hits(site).values())
    assert interrupted < len(hindi_rows(site)), "the crawl finished before the interrupt; nothing to resume"
    assert "shutdown" in stderr

    run_crawl(command)
    assert article_hits(site) == {site.path_of(row["url"]): 1 for row in hindi_rows(site)}
    assert site.hits[site.path_of(FEED)] == 1  # the resumed crawl continued the queue, it did not start over
    expected = {mention_id_for_page(row["url"]) for row in hindi_rows(site) if row["file"] != VIDEO_PAGE}
    assert set(stored(store_url)) == expected


def test_scrapy_list_works_from_the_repo_root() -> None:
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, env=crawl_env(), capture_output=True,
                            text=True, check=True)
    assert {"news", "feeds", "sitemaps", "listings"} <= set(listed.stdout.split())


def test_unknown_source_is_one_clear_error(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=no-such-source"],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "unknown source 'no-such-source'" in result.stderr


def test_report_shows_each_sources_counts(site, crawl) -> None:
    result = crawl()
    report = result.stderr[result.stderr.index("per source:"):]
    header, row = report.splitlines()[1:3]
    counts = dict(zip(header.split()[1:], map(int, row.split()[1:]), strict=True))
    assert row.split()[0] == "saved-hindi"
    assert counts["fetched"] == len(hindi_rows(site))
    assert counts["articles"] == len(hindi_rows(site)) - 1
    assert counts["index_pages"] == 1
    json.dumps(counts)


def test_pages_over_the_size_cap_are_dropped_and_the_crawl_goes_on(site, crawl) -> None:
    rows = [row for row in hindi_rows(site) if row["file"] != VIDEO_PAGE]
    web = shared_data("web")
    sizes = {row["url"]: (web / row["file"]).stat().st_size for row in rows}
    cap = sorted(sizes.values())[len(sizes) // 2]  # about half the pages are larger than this
    assert any(size > cap for size in sizes.values())
    result = crawl(f"DOWNLOAD_MAXSIZE={cap}")
    mentions = stored(crawl.store_url)
    assert {mention_id_for_page(url) for url, size in sizes.items() if size <= cap} == set(mentions)
    assert f"larger than download max size ({cap})" in result.stderr


def test_bundled_registry_crawl_reports_every_source_without_touching_the_network(tmp_path) -> None:
    from crawlers.sources import load_registry

    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-s", 'DOWNLOAD_HANDLERS={"http": null, "https": null}',
               "-s", f"JANMAT_STORE=sqlite:///{tmp_path / 'store.db'}", "-s", f"JANMAT_STATE_DIR={tmp_path}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"]
    result = run_crawl(command, timeout=300)
    report = result.stderr[result.stderr.index("per source:"):].splitlines()[2:]
    reported = {line.split()[0]: int(line.split()[-1]) for line in report if line and line[0].isalpha()
                and len(line.split()) == 12}
    assert set(reported) == {source.key for source in load_registry().enabled()}
    assert all(failed >= 1 for failed in reported.values())  # every discovery URL was tried, and failed offline
