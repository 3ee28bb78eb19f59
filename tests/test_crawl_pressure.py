"""The crawler under pressure: long Retry-After, SIGTERM mid-crawl, huge listing pages, per-source page caps.

Real crawls (``python -m scrapy crawl`` in a child process) against real saved pages on 127.0.0.1. Two sources in
one crawl are the same local server under two host names (``127.0.0.1`` and ``localhost``), so Scrapy keeps
separate politeness slots for them, as it would for two news sites.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from html import escape
from pathlib import Path

import pytest
from scrapy import Request
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawlers.context import CrawlContext
from crawlers.frontier import SharedScheduler
from crawlers.pacing import NOT_BEFORE, Pacing, Verdict
from janmat.demo.server import Reply
from janmat.store import MentionQuery, open_store
from tests.conftest import shared_data
from tests.local_site import REPO, SavedPagesSite, crawl_command, crawl_env, run_crawl, write_registry

_PIPELINE_LINE = re.compile(r"pipeline: (\d+) stored, (\d+) updated")


@pytest.fixture
def site():
    with SavedPagesSite(shared_data("web")) as server:
        yield server


def article_paths(site: SavedPagesSite) -> list[str]:
    """Paths of every saved article page, in index order."""
    return list(site.pages)


def rss(urls: list[str]) -> Reply:
    """An RSS feed listing ``urls``."""
    items = "".join(f"<item><title>story {n}</title><link>{escape(url)}</link></item>" for n, url in enumerate(urls))
    body = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    return Reply(200, body.encode(), {"Content-Type": "application/rss+xml; charset=utf-8"})


def local_source(key: str, base: str, **entry: object) -> dict:
    """A registry entry for pages served at ``base`` (no base_url mapping: the local URLs are the real ones)."""
    return {"key": key, "name": f"Local {key}", "homepage": f"{base}/", "language": "en", "robots_sitemaps": False,
            **entry}


def two_sources(site: SavedPagesSite, tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    """Sources ``near`` (127.0.0.1) and ``far`` (localhost) with a feed each over half of the saved articles."""
    paths = article_paths(site)
    near, far = paths[: len(paths) // 2], paths[len(paths) // 2:]
    near_base, far_base = site.base_url, f"http://localhost:{site.port}"
    site.routes["/feeds/near.xml"] = rss([near_base + path for path in near])
    site.routes["/feeds/far.xml"] = rss([far_base + path for path in far])
    registry = write_registry(tmp_path / "sources.yaml", [
        local_source("near", near_base, feeds=[f"{near_base}/feeds/near.xml"]),
        local_source("far", far_base, feeds=[f"{far_base}/feeds/far.xml"]),
    ])
    return registry, near, far


def command(registry: Path, source: str, tmp_path: Path, *settings: str, base_url: str = "") -> list[str]:
    """A ``feeds`` crawl of ``source`` into the test's store and state."""
    return crawl_command("feeds", registry, source, base_url, f"sqlite:///{tmp_path / 'store.db'}",
                         tmp_path / "state", *settings)


def stored_of(tmp_path: Path, source: str) -> int:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        return store.count(MentionQuery(sources=[f"Local {source}"]))


def report(stderr: str) -> dict[str, dict[str, int]]:
    """The per-source table of the crawl report, by source."""
    lines = stderr[stderr.index("per source:"):].splitlines()[1:]
    header = lines[0].split()[1:]
    table = {}
    for line in lines[1:]:
        cells = line.split()
        if len(cells) != len(header) + 1 or not cells[1].isdigit():
            break
        table[cells[0]] = dict(zip(header, map(int, cells[1:]), strict=True))
    return table


def next_run_lines(stderr: str) -> dict[str, str]:
    """The report's "waiting for the next run" lines, by source."""
    lines = {}
    for line in stderr[stderr.index("waiting for the next run:"):].splitlines()[1:]:
        if not line.startswith("  "):
            break
        lines[line.split()[0]] = line
    return lines


def pipeline_totals(stderr: str) -> tuple[int, int]:
    """(stored, updated) from the pipeline's closing line."""
    found = _PIPELINE_LINE.search(stderr)
    assert found, stderr[-3000:]
    return int(found[1]), int(found[2])


# -- Retry-After ----------------------------------------------------------------------------------------------


def test_long_retry_after_defers_only_that_source_and_the_crawl_finishes_quickly(site, tmp_path) -> None:
    registry, near, far = two_sources(site, tmp_path)
    site.faults[near[0]] = [Reply(429, b"slow down", {"Retry-After": "3600"})]
    jobdir = f"JOBDIR={tmp_path / 'job'}"
    began = time.monotonic()
    result = run_crawl(command(registry, "near,far", tmp_path, "CONCURRENT_REQUESTS_PER_DOMAIN=1", jobdir))
    assert time.monotonic() - began < 60  # the server's hour is not waited for, not even the 120 s cap

    assert all(site.hits[path] == 1 for path in far)  # the other source was crawled fully
    assert site.hits[near[0]] == 1  # the 429 is not retried
    rows = report(result.stderr)
    assert rows["far"]["fetched"] == len(far) and stored_of(tmp_path, "far") == rows["far"]["articles"] > 0
    assert stored_of(tmp_path, "near") == rows["near"].get("articles", 0) < len(near)
    waiting = next_run_lines(result.stderr)
    assert set(waiting) == {"near"}
    assert "deferred: HTTP 429 with Retry-After 3600 s (over JANMAT_RETRY_AFTER_MAX 120 s)" in waiting["near"]
    assert "source near deferred to its next run" in result.stderr

    # Next run (same JOBDIR, the server is friendly again): near's pages are fetched, far's are not fetched again.
    before = dict(site.hits)
    again = run_crawl(command(registry, "near,far", tmp_path, jobdir))
    assert "waiting for the next run" not in again.stderr
    fetched_now = {path: site.hits[path] - before.get(path, 0) for path in near + far}
    assert {path for path, n in fetched_now.items() if n} == {path for path in near if before.get(path, 0) == 0} | {
        near[0]}
    assert stored_of(tmp_path, "near") == report(result.stderr)["near"].get("articles", 0) + report(
        again.stderr)["near"]["articles"]


def test_retry_after_under_the_cap_waits_outside_the_downloader(site, tmp_path) -> None:
    """One request slot in all: the held retry of one host leaves it to the other host's pages meanwhile."""
    registry, near, far = two_sources(site, tmp_path)
    site.faults[near[0]] = [Reply(429, b"slow down", {"Retry-After": "6"})]
    result = run_crawl(command(registry, "near,far", tmp_path, "CONCURRENT_REQUESTS=1", "JANMAT_STORE_BATCH=50"))
    throttled_at, retried_at = site.hit_times[near[0]]
    assert retried_at - throttled_at >= 5.9  # Retry-After honoured
    far_times = [site.hit_times[path][0] for path in far]
    assert sum(throttled_at < moment < retried_at for moment in far_times) >= len(far) // 2
    near_times = [site.hit_times[path][0] for path in near[1:] if site.hit_times[path][0] > throttled_at]
    assert all(moment >= throttled_at + 5.9 for moment in near_times)  # the paused host got nothing meanwhile
    assert report(result.stderr)["near"]["retried"] == 1
    assert all(site.hits[path] == 1 for path in far) and all(site.hits[path] == 1 for path in near[1:])


# -- SIGTERM ----------------------------------------------------------------------------------------------------


def test_sigterm_stops_within_seconds_and_the_resumed_crawl_stores_each_remaining_article_once(site, tmp_path) -> None:
    """A slow, polite crawl (3 s between requests, a slow server, a held 429 retry) stops at once on SIGTERM."""
    paths = article_paths(site)
    base = site.base_url
    site.routes["/feeds/all.xml"] = rss([base + path for path in paths])
    registry = write_registry(tmp_path / "sources.yaml", [local_source("slow", base, feeds=[f"{base}/feeds/all.xml"])])
    throttled = paths[1]
    site.faults[throttled] = [Reply(429, b"slow down", {"Retry-After": "12"})]
    site.delay_seconds = 1.0
    jobdir = f"JOBDIR={tmp_path / 'job'}"
    polite = command(registry, "slow", tmp_path, jobdir, "DOWNLOAD_DELAY=3", "JANMAT_STORE_BATCH=50")
    child = subprocess.Popen(polite, cwd=REPO, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 90
    while sum(site.hits[path] for path in paths) < 4:
        assert child.poll() is None and time.monotonic() < deadline, "crawl ended before it could be stopped"
        time.sleep(0.05)
    assert site.hit_times[throttled], "the 429 should have come before the stop"
    child.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    _, first = child.communicate(timeout=60)
    stopped_in = time.monotonic() - signalled
    print(f"SIGTERM to exit: {stopped_in:.1f} s")  # shown with -s / -rP: the measured stop time
    assert child.returncode == 0, first[-3000:]
    assert stopped_in < 30, f"took {stopped_in:.1f}s to stop"
    assert "Closing spider (shutdown)" in first and "go back to the frontier" in first
    fetched_before = {path for path in paths if site.hits[path]}
    assert len(fetched_before) < len(paths) - 5, "too little left to resume"

    site.delay_seconds = 0
    resumed = run_crawl(command(registry, "slow", tmp_path, jobdir, "JANMAT_STORE_BATCH=50"))
    assert site.hits["/feeds/all.xml"] == 1  # the queue was resumed, not rebuilt from the feed
    assert {path: site.hits[path] for path in paths if path != throttled} == {p: 1 for p in paths if p != throttled}
    throttled_at, retried_at = site.hit_times[throttled]
    assert retried_at - throttled_at >= 11.9  # the held retry kept its Retry-After across the restart
    stored_first, updated_first = pipeline_totals(first)
    stored_then, updated_then = pipeline_totals(resumed.stderr)
    assert updated_first == updated_then == 0  # no article stored twice
    assert stored_first + stored_then == stored_of(tmp_path, "slow")
    articles = sum(report(text)["slow"]["articles"] for text in (first, resumed.stderr))
    assert stored_of(tmp_path, "slow") == articles > len(paths) - 5


# -- caps -------------------------------------------------------------------------------------------------------


def test_a_listing_page_with_10000_links_follows_at_most_the_cap(site, tmp_path) -> None:
    base = site.base_url
    links = "".join(f'<li><a href="/big/story-{n}.html">story {n}</a></li>' for n in range(10_000))
    site.routes["/big/"] = Reply(200, f"<html><body><ul>{links}</ul></body></html>".encode(),
                                 {"Content-Type": "text/html; charset=utf-8"})
    listing = {"url": f"{base}/big/", "article_patterns": [r"/big/story-\d+\.html$"]}
    registry = write_registry(tmp_path / "sources.yaml", [local_source("big", base, listings=[listing])])
    began = time.monotonic()
    result = run_crawl(crawl_command("listings", registry, "big", "", f"sqlite:///{tmp_path / 'store.db'}",
                                     tmp_path / "state", "JANMAT_LISTING_LINKS_MAX=25"))
    followed = sum(count for path, count in site.hits.items() if path.startswith("/big/story-"))
    assert followed == 25
    assert time.monotonic() - began < 90
    assert "9975 listing links over JANMAT_LISTING_LINKS_MAX" in next_run_lines(result.stderr)["big"]


def test_pages_over_the_source_cap_wait_for_the_next_run(site, tmp_path) -> None:
    paths = article_paths(site)[:12]
    base = site.base_url
    site.routes["/feeds/some.xml"] = rss([base + path for path in paths])
    registry = write_registry(tmp_path / "sources.yaml", [local_source("capped", base,
                                                                       feeds=[f"{base}/feeds/some.xml"])])
    first = run_crawl(command(registry, "capped", tmp_path, "JANMAT_SOURCE_PAGES_MAX=5"))
    assert sum(site.hits[path] for path in paths) == 4  # the feed is one of the 5 pages
    assert "8 requests over JANMAT_SOURCE_PAGES_MAX" in next_run_lines(first.stderr)["capped"]

    run_crawl(command(registry, "capped", tmp_path, "JANMAT_SOURCE_PAGES_MAX=0"))
    assert {path: site.hits[path] for path in paths} == dict.fromkeys(paths, 1)  # the rest now, nothing twice


def test_the_shared_scheduler_is_scrapy_redis_scheduler_paced() -> None:
    assert issubclass(SharedScheduler, RedisScheduler)


# -- the pacing rules on their own ------------------------------------------------------------------------------


def _request(url: str, source: str, **meta: object) -> Request:
    return Request(url, meta=CrawlContext(source, "article", url).meta(**meta))


def test_pacing_holds_until_due_and_releases_in_order() -> None:
    pacing = Pacing()
    later = _request("http://a.example/1", "a", **{NOT_BEFORE: 1_000.0})
    assert pacing.verdict(later, now=900.0) == (Verdict.HOLD, 1_000.0)
    assert pacing.verdict(later, now=1_000.0) == (Verdict.SEND, None)
    pacing.pause("b.example", 2_000.0)
    paused = _request("http://b.example/1", "b")
    assert pacing.verdict(paused, now=1_500.0) == (Verdict.HOLD, 2_000.0)
    pacing.hold(paused, 2_000.0)
    pacing.hold(later, 1_000.0)
    assert pacing.due(now=999.0) is None
    assert pacing.due(now=1_000.0) is later and pacing.held_count() == 1
    assert pacing.release() == [paused] and pacing.held_count() == 0


def test_pacing_drops_a_deferred_source_and_pages_over_the_cap_but_not_retries() -> None:
    pacing = Pacing(pages_max=2)
    for n in range(2):
        request = _request(f"http://a.example/{n}", "a")
        assert pacing.verdict(request)[0] is Verdict.SEND
        pacing.sent(request)
    assert pacing.verdict(_request("http://a.example/3", "a")) == (Verdict.DROP, "over_cap")
    assert pacing.verdict(_request("http://a.example/0", "a", retry_times=1))[0] is Verdict.SEND
    assert pacing.verdict(_request("http://c.example/0", "c"))[0] is Verdict.SEND  # another source's own budget
    assert pacing.defer("c", "HTTP 429") and not pacing.defer("c", "again")
    assert pacing.verdict(_request("http://c.example/1", "c")) == (Verdict.DROP, "deferred")
