"""Which requests count as "the same", locally and across crawler processes sharing a Redis frontier.

Articles are fingerprinted by their canonical URL (``janmat.core.urls``), so the AMP copy, the ``?utm_…`` link from a
feed and the listing's link are fetched once. Discovery requests (feeds, sitemaps, listings, robots.txt) must be
fetched again every round but only once per round, so their fingerprint also carries the crawl round: every
process of one round shares it, the next round gets a new one.

With ``JANMAT_REDIS_URL`` set, scrapy-redis holds the request queue and the fingerprint set in Redis; the
dupefilter below makes it use this fingerprint instead of its own, and the spider-idle hook keeps a process
alive while other processes may still be adding work to the shared frontier.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from w3lib.url import canonicalize_url

from crawlers.context import context_of
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
