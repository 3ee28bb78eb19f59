"""Which requests count as "the same", locally and across crawler processes sharing a Redis frontier.

Articles are fingerprinted by their canonical URL (``janmat.core.urls``), so the AMP copy, the ``?utm_…`` link from a
feed and the listing's link are fetched once. Discovery requests (feeds, sitemaps, listings, robots.txt) must be
fetched again every round but only once per round, so their fingerprint also carries the crawl round: every
process of one round shares it, the next round gets a new one.

With ``JANMAT_REDIS_URL`` set, scrapy-redis holds the request queue and the fingerprint set in Redis; the
dupefilter below makes it use this fingerprint instead of its own, and the spider-idle hook keeps a process
alive while other processes may still be adding work to the shared frontier.

Either scheduler (Scrapy's own, with a JOBDIR queue on disk, or scrapy-redis') asks the crawl's ``Pacing``
(``crawlers.pacing``) about each request before handing it out: one that must wait (a retry, a paused host) is
held outside the downloader, one of a deferred source or over its source's page cap is dropped without being
marked seen, and held requests go back into the queue when the crawl closes.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.core.scheduler import Scheduler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from w3lib.url import canonicalize_url

from crawlers.context import context_of, source_of
from crawlers.pacing import Pacing, Verdict, pacing_for
from janmat.core.settings import get_settings
from janmat.core.urls import canonical_url

log = logging.getLogger(__name__)


class CanonicalFingerprinter:
    """Request fingerprint = method + canonical URL + body (+ crawl round for discovery requests)."""

    def __init__(self, crawler: Any = None) -> None:
        self._cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CanonicalFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        """The fingerprint of a request (cached per request object)."""
        cached = self._cache.get(request)
        if cached is not None:
            return cached
        context = context_of(request)
        url = context.requested_url if context else request.url
        try:
            key = canonical_url(url)
        except ValueError:
            key = canonicalize_url(url)
        digest = hashlib.sha1()
        for part in (request.method, key, hashlib.sha1(request.body or b"").hexdigest(),
                     str(context.round or "") if context else ""):
            digest.update(part.encode("utf-8") + b"\0")
        value = digest.digest()
        self._cache[request] = value
        return value


class SharedDupeFilter(RFPDupeFilter):
    """scrapy-redis' shared fingerprint set, keyed with the canonical fingerprint above.

    The set persists across runs (it is the shared "seen" memory), so a request that failed is taken out of it
    again (``forget``): a page that was down or blocked this round is tried again next round.
    """

    fingerprinter: CanonicalFingerprinter | None = None
    _by_spider: ClassVar[WeakKeyDictionary[Any, SharedDupeFilter]] = WeakKeyDictionary()

    @classmethod
    def from_spider(cls, spider: Any) -> SharedDupeFilter:
        dupefilter = super().from_spider(spider)
        dupefilter.fingerprinter = spider.crawler.request_fingerprinter
        cls._by_spider[spider] = dupefilter
        return dupefilter

    def request_fingerprint(self, request: Request) -> str:
        """Hex fingerprint stored in the shared Redis set."""
        assert self.fingerprinter is not None
        return self.fingerprinter.fingerprint(request).hex()

    @classmethod
    def forget(cls, spider: Any, request: Request) -> None:
        """Remove a failed request from the shared set (no-op without a shared frontier)."""
        dupefilter = cls._by_spider.get(spider)
        if dupefilter is not None:
            dupefilter.server.srem(dupefilter.key, dupefilter.request_fingerprint(request))


class SharedFrontierIdle:
    """Keeps a crawler sharing a Redis frontier open for a grace period after its own work runs out.

    Another process may still be parsing a feed whose article links it is about to push; closing at the first
    idle moment would leave all that work to one process.
    """

    def __init__(self, crawler: Any, grace_seconds: float) -> None:
        self.crawler = crawler
        self.grace_seconds = grace_seconds
        self.idle_since: float | None = None
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedFrontierIdle:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("no shared frontier")
        return cls(crawler, crawler.settings.getfloat("JANMAT_FRONTIER_IDLE_SECONDS",
                                                        get_settings().crawl.frontier_idle_seconds))

    def request_scheduled(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = None

    def response_received(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = None

    def spider_idle(self, *args: Any, **kwargs: Any) -> None:
        """Stay open until the shared frontier has been quiet for the grace period."""
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.grace_seconds:
            raise DontCloseSpider


class PacedScheduling:
    """Scheduler mixin: hands out only what ``Pacing`` lets go now, holds what must wait, drops what waits for the
    next run (deferred source, over the page cap), and puts held requests back into the queue on close."""

    crawler: Any
    spider: Any

    @property
    def pacing(self) -> Pacing:
        return pacing_for(self.crawler)

    def enqueue_request(self, request: Request) -> bool:
        """Refuse new requests of a deferred source; queue the rest as usual."""
        if source_of(request) in self.pacing.deferred:
            self.crawler.stats.inc_value(f"janmat/{source_of(request)}/deferred")
            return False
        return super().enqueue_request(request)  # type: ignore[misc]

    def next_request(self) -> Request | None:
        """A held request whose time has come, else the next queued one that may go now."""
        pacing = self.pacing
        while True:
            request = pacing.due() or super().next_request()  # type: ignore[misc]
            if request is None:
                return None
            verdict, detail = pacing.verdict(request)
            if verdict is Verdict.SEND:
                pacing.sent(request)
                return request
            if verdict is Verdict.HOLD:
                pacing.hold(request, float(detail or 0))
            else:
                self.drop(request, str(detail))

    def drop(self, request: Request, why: str) -> None:
        """Leave a request to the next run: counted per source, and forgotten by a shared seen-set."""
        self.crawler.stats.inc_value(f"janmat/{source_of(request)}/{why}")
        SharedDupeFilter.forget(self.spider, request)

    def has_pending_requests(self) -> bool:
        return self.pacing.held_count() > 0 or super().has_pending_requests()  # type: ignore[misc]

    def __len__(self) -> int:
        return self.pacing.held_count() + super().__len__()  # type: ignore[misc]

    def close(self, reason: str) -> Any:
        """Put held requests back into the queue (saved in a JOBDIR or Redis), then close it."""
        held = self.pacing.release()
        for request in held:
            super().enqueue_request(request.replace(dont_filter=True))  # type: ignore[misc]
        if held:
            log.info("%d waiting request(s) put back into the frontier", len(held))
        return super().close(reason)  # type: ignore[misc]


class PacedScheduler(PacedScheduling, Scheduler):
    """Scrapy's scheduler (memory queue, or a JOBDIR disk queue), paced."""


class SharedScheduler(PacedScheduling, RedisScheduler):
    """scrapy-redis' scheduler (one frontier in Redis shared by every crawler process), paced."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler
