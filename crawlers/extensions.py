"""Crawl extensions: commit incremental state when a crawl closes, and report what each source gave."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from scrapy import signals

from crawlers import signals as crawl_signals
from crawlers.state import crawl_state_for
from janmat.core.mention import Mention

log = logging.getLogger(__name__)

_REPORT_COLUMNS = ("fetched", "articles", "index_pages", "skipped_seen", "not_modified", "blocked",
                   "skipped_non_html", "retried", "gave_up", "feed_problems", "failed")


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
        """Log the per-source table."""
        table = self.per_source()
        if not table:
            return
        lines = [f"{'source':28s} " + " ".join(f"{column:>12s}" for column in _REPORT_COLUMNS)]
        for source in sorted(table):
            row = table[source]
            lines.append(f"{source:28s} " + " ".join(f"{row.get(column, 0):12d}" for column in _REPORT_COLUMNS))
        log.info("crawl finished (%s); per source:\n%s", reason, "\n".join(lines))
