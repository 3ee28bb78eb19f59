"""Crawl extensions: commit incremental state when a crawl closes, report what each source gave, stop promptly."""

from __future__ import annotations

import logging
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir
from twisted.internet.task import LoopingCall

from crawlers import signals as crawl_signals
from crawlers.pacing import pacing_for, withdraw_queued
from crawlers.state import crawl_state_for
from janmat.core.mention import Mention

log = logging.getLogger(__name__)

_REPORT_COLUMNS = ("fetched", "articles", "index_pages", "skipped_seen", "not_modified", "blocked",
                   "skipped_non_html", "retried", "gave_up", "feed_problems", "failed")
_NEXT_RUN = (("deferred", "requests deferred"), ("over_cap", "requests over JANMAT_SOURCE_PAGES_MAX"),
             ("listing_links_over_cap", "listing links over JANMAT_LISTING_LINKS_MAX"))
"""Stats of work left to the next run, and how the report names them."""


class CrawlStateExtension:
    """Marks stored articles' URLs as seen and writes the crawl state after the pipeline has written its last batch.

    URLs are marked from the pipeline's ``mentions_stored`` signal (``crawlers.signals``), so a URL whose mention
    the store refused, or that never reached the store, is tried again next run. Seen URLs are committed at close;
    feed/sitemap validators only when the crawl finished (not when it was interrupted).
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.mentions_stored, signal=crawl_signals.mentions_stored)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlStateExtension:
        return cls(crawler)

    def mentions_stored(self, stored: list[Mention]) -> None:
        """Remember each stored article's canonical URL (and the URL it was requested under)."""
        state = crawl_state_for(self.crawler)
        for mention in stored:
            if not mention.canonical_url:
                continue
            source = mention.meta.get("source_key")
            state.mark_seen(mention.canonical_url, mention.id, source)
            requested = mention.meta.get("requested_canonical_url")
            if requested and requested != mention.canonical_url:
                state.mark_seen(requested, mention.id, source)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Commit seen URLs; commit validators only after a finished crawl."""
        state = crawl_state_for(self.crawler)
        written = state.commit_seen()
        if reason == "finished":
            state.commit_validators()
        else:
            state.discard_validators()
        log.info("crawl state: %d URLs marked seen (%s)", written, state.path)
        state.close()


class SourceReportExtension:
    """Logs one line per source at the end of a crawl: fetched, articles, not modified, blocked, failed…"""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SourceReportExtension:
        return cls(crawler)

    def per_source(self) -> dict[str, dict[str, int]]:
        """The ``janmat/<source>/<event>`` stats regrouped by source."""
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key, value in self.crawler.stats.get_stats().items():
            parts = key.split("/")
            if len(parts) != 3 or parts[0] != "janmat" or not isinstance(value, int):
                continue
            event = "retried" if parts[2].startswith("retried_") else parts[2]
            table[parts[1]][event] += value
        return table

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Log the per-source table, then what each source left to its next run."""
        table = self.per_source()
        if not table:
            return
        lines = [f"{'source':28s} " + " ".join(f"{column:>12s}" for column in _REPORT_COLUMNS)]
        for source in sorted(table):
            row = table[source]
            lines.append(f"{source:28s} " + " ".join(f"{row.get(column, 0):12d}" for column in _REPORT_COLUMNS))
        waiting = self.next_run(table)
        if waiting:
            lines += ["waiting for the next run:", *waiting]
        log.info("crawl finished (%s); per source:\n%s", reason, "\n".join(lines))

    def next_run(self, table: dict[str, dict[str, int]]) -> list[str]:
        """One line per source that left work to its next run: deferred, over a cap."""
        stats = self.crawler.stats
        lines = []
        for source in sorted(table):
            parts = [f"{table[source][stat]} {label}" for stat, label in _NEXT_RUN if table[source].get(stat)]
            because = stats.get_value(f"janmat/{source}/deferred_because")
            if because:
                parts.insert(0, f"deferred: {because}")
            if parts:
                lines.append(f"  {source:26s} " + "; ".join(parts))
        return lines


class PromptStop:
    """A graceful stop (SIGTERM, Ctrl-C once, the monitor's stop) waits only for pages already being transferred.

    Scrapy's own graceful stop waits for every request the downloader holds, including those queued behind a
    download delay: minutes on a slow, polite crawl. Within a quarter second of the stop, this takes those back
    into the frontier (``crawlers.pacing``), where the scheduler saves them with the queue (JOBDIR or Redis) and
    the next run sends them. Transfers end within ``DOWNLOAD_TIMEOUT``; the pipeline then stores its last batch.
    """

    interval = 0.25

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.started = False
        self.watch = LoopingCall(self.check)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> PromptStop:
        return cls(crawler)

    def spider_opened(self, spider: Any = None) -> None:
        self.watch.start(self.interval, now=False)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.watch.running:
            self.watch.stop()

    def check(self) -> None:
        """Once the engine that was running stops, take back what waits in the downloader."""
        engine = self.crawler.engine
        if engine.running:
            self.started = True
        elif self.started:
            self.watch.stop()
            self.take_back(engine.downloader)

    def take_back(self, downloader: Any) -> None:
        pacing = pacing_for(self.crawler)
        now = time.time()
        taken = withdraw_queued(downloader, lambda request: True, "crawl stopping")
        for request in taken:
            pacing.hold(request.replace(dont_filter=True), now)
        self.crawler.stats.set_value("janmat/stop_requests_taken_back", len(taken))
        transferring = sum(len(slot.transferring) for slot in downloader.slots.values())
        log.info("stopping: %d queued request(s) go back to the frontier; waiting for %d page(s) being transferred "
                 "(at most DOWNLOAD_TIMEOUT, %s s)", len(taken), transferring,
                 self.crawler.settings.get("DOWNLOAD_TIMEOUT"))


class FinishedJobReset:
    """After a crawl that finished, its JOBDIR starts the next run afresh (a new round, an empty seen-set).

    A JOBDIR is for resuming a stopped crawl. Once the crawl finished, Scrapy's seen-request file would filter the
    next run's feeds (same round) and the pages this run left to the next (deferred, over a cap), so the job's
    queue, seen-requests and spider state are removed. Seen article URLs live in the crawl state, not here.
    """

    def __init__(self, jobdir: Path) -> None:
        self.jobdir = jobdir

    @classmethod
    def from_crawler(cls, crawler: Any) -> FinishedJobReset:
        jobdir = job_dir(crawler.settings)
        if not jobdir:
            raise NotConfigured("no JOBDIR")
        extension = cls(Path(jobdir))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if reason != "finished":
            return
        state = getattr(spider, "state", None)
        if isinstance(state, dict):
            state.clear()  # in case Scrapy's SpiderState writes it after us
        (self.jobdir / "requests.seen").unlink(missing_ok=True)
        (self.jobdir / "spider.state").unlink(missing_ok=True)
        shutil.rmtree(self.jobdir / "requests.queue", ignore_errors=True)
