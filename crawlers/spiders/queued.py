"""Articles from the article queue (``crawlers.article_queue``), crawled through the news spider's article path.

    scrapy crawl queued-articles [-a queue=PATH] [-a limit=200] [-a lease=3600] [-a report=PATH]

Google News finds publisher articles that the registry's feeds may never list; its collector queues their URLs
and starts this spider. Each URL is fetched exactly as the news spider fetches an article it found in a feed:
same request, middlewares, extraction, Mention and item pipeline. A URL on a registered source's domain is
crawled as that source; any other publisher gets a source made from the queue entry (name and domain).

A URL is acknowledged only after the pipeline reports its mention stored (``crawlers.signals.mentions_stored``),
or when the page is no article, was already crawled, or a pipeline stage dropped its mention on purpose (invalid,
a duplicate). A failed fetch or a mention the store refused ends the lease without an ack, so a later crawl
takes the URL again; a crawl killed midway leaves its leases to run out. Mention ids are URL hashes, so a URL
fetched twice is still one mention.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response

from crawlers import signals as crawl_signals
from crawlers.article_queue import LEASE_SECONDS, ArticleQueue, QueuedArticle, queue_path
from crawlers.context import context_of
from crawlers.discovery import DiscoveredLink
from crawlers.extract import ExtractedPage
from crawlers.sources import Route, Source
from crawlers.spiders.news import NewsSpider
from crawlers.state import crawl_state_for
from janmat.core.mention import Mention
from janmat.core.urls import canonical_url, registered_domain

log = logging.getLogger(__name__)

VIA = "queue"


class QueuedArticleSpider(NewsSpider):
    """Take a batch of the article queue, crawl each URL as an article, acknowledge what got stored."""

    name = "queued-articles"
    discovery = ()

    def __init__(self, queue: str | None = None, limit: str | int = 200, lease: str | float = LEASE_SECONDS,
                 report: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registered = {src.key for src in self.sources}
        self.queue_arg = queue
        self.limit = int(limit)
        self.lease_seconds = float(lease)
        self.report_path = Path(report) if report else None
        self.queue: ArticleQueue | None = None
        self.open_urls: set[str] = set()
        """Taken by this crawl and neither acknowledged nor released yet."""
        self.awaiting: dict[str, set[str]] = {}
        """Queued URLs by the id of the mention they gave, until the pipeline says what became of it."""
        self.outcomes: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> QueuedArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.mentions_stored, signal=crawl_signals.mentions_stored)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider.finish, signal=signals.spider_closed)
        return spider

    # ------------------------------------------------------------------ start
    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Lease a batch of queued URLs and request each one not crawled before."""
        self.round = self._crawl_round()
        path = Path(self.queue_arg) if self.queue_arg else queue_path(self.settings.get("JANMAT_STATE_DIR"))
        self.queue = ArticleQueue(path)
        taken = self.queue.take(self.limit, self.lease_seconds)
        self.open_urls = {article.url for article in taken}
        self.outcomes["taken"] = len(taken)
        log.info("article queue %s: %d URL(s) taken for %.0fs", path, len(taken), self.lease_seconds)
        state = crawl_state_for(self.crawler)
        for article in taken:
            try:
                canonical = canonical_url(article.url)
                source = self._source_for(article)
            except ValueError as exc:
                log.warning("queued URL %s cannot be crawled: %s", article.url, exc)
                self._ack([article.url], "invalid_url")
                continue
            if state.is_seen(canonical):
                self._ack([article.url], "already_crawled")
                continue
            yield self._article_request(source, DiscoveredLink(article.url), VIA, canonical)

    def _source_for(self, article: QueuedArticle) -> Source:
        """The registered source owning the URL, else one made from the queue entry (added to the routes)."""
        owner = next((source for source in self.sources if source.owns(article.url)), None)
        if owner is not None:
            return owner
        domain = registered_domain(article.url)
        key = "publisher-" + re.sub(r"[^a-z0-9]+", "-", domain.lower()).strip("-")
        if key not in self.routes:
            parts = urlsplit(article.url)
            source = Source(key=key, name=article.publisher or domain, homepage=f"{parts.scheme}://{parts.netloc}/",
                            language="hi", domains=[domain])
            self.routes[key] = Route(source)
        return self.routes[key].source

    # ------------------------------------------------------------------ articles
    def parse_article(self, response: Response) -> Iterator[Mention]:
        """The news spider's article parsing; a page that is no article is done with at once."""
        url = self._context(response).requested_url
        found = False
        for mention in super().parse_article(response):
            found = True
            self.awaiting.setdefault(mention.id, set()).add(url)
            yield mention
        if not found:
            self._ack([url], "not_article")

    def to_mention(self, page: ExtractedPage, source: Source, response: Response, encoding: str,
                   fetched_at: datetime) -> Mention:
        """The news spider's Mention; an unregistered publisher has no region of ours to claim."""
        mention = super().to_mention(page, source, response, encoding, fetched_at)
        if source.key not in self.registered:
            mention.meta.pop("region", None)
        return mention

    def on_error(self, failure: Any) -> None:
        """A fetch that failed (or was blocked) ends the URL's lease: a later crawl tries it again."""
        super().on_error(failure)
        context = context_of(failure.request)
        if context is not None:
            self._release([context.requested_url], "fetch_failed")

    # ------------------------------------------------------------------ acknowledgements
    def _ack(self, urls: list[str], outcome: str) -> None:
        assert self.queue is not None
        self.queue.ack(urls, outcome)
        self.open_urls.difference_update(urls)
        self.outcomes[outcome] += len(urls)

    def _release(self, urls: list[str], why: str) -> None:
        assert self.queue is not None
        self.queue.release(urls)
        self.open_urls.difference_update(urls)
        self.outcomes[why] += len(urls)

    def mentions_stored(self, stored: list[Mention], failed: dict[str, str]) -> None:
        """Acknowledge the URLs whose mentions the store took; release those it refused."""
        done = [url for mention in stored for url in self.awaiting.pop(mention.id, ())]
        if done:
            self._ack(done, "stored")
        refused = [url for mention_id in failed for url in self.awaiting.pop(mention_id, ())]
        if refused:
            self._release(refused, "store_refused")

    def item_dropped(self, item: Any, **_: Any) -> None:
        """A stage dropped the mention on purpose (invalid, or a duplicate of one in this crawl): done with."""
        if isinstance(item, Mention) and (urls := self.awaiting.pop(item.id, None)):
            self._ack(sorted(urls), "dropped")

    def finish(self, spider: scrapy.Spider, reason: str) -> None:
        """Release what this crawl took and did not finish; write the report."""
        if self.queue is None:
            return
        if self.open_urls:
            self._release(sorted(self.open_urls), "unfinished")
        if self.report_path:
            self.report_path.write_text(json.dumps({"reason": reason, **self.outcomes}), encoding="utf-8")
        self.queue.close()
