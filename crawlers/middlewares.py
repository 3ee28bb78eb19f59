"""Downloader middlewares: politeness and robustness, switched on in ``crawlers/settings.py``.

* ``BackoffRetryMiddleware`` — Scrapy's retry, plus waiting before the retry: the server's ``Retry-After`` on
  429/503, exponential backoff otherwise; the domain's download slot is slowed down too.
* ``ConditionalGetMiddleware`` — ``If-None-Match`` / ``If-Modified-Since`` on feeds and sitemaps.
* ``BlockedPageMiddleware`` — 401/403/451 and anti-bot challenge pages are logged per source and dropped; the
  crawl goes on.
* ``NonHtmlArticleMiddleware`` — an "article" link that returns a PDF, an image or a video is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawlers.context import context_of, source_of
from crawlers.state import crawl_state_for
from janmat.core.settings import get_settings

log = logging.getLogger(__name__)

_CHALLENGE_MARKERS = re.compile(
    rb"<title>\s*(?:Just a moment\.\.\.|Attention Required! \| Cloudflare|Access Denied|Request Rejected|"
    rb"Are you a robot\??|Pardon Our Interruption|Security Check)\s*</title>"
    rb"|cf-browser-verification|cf_chl_opt|/cdn-cgi/challenge-platform/|_Incapsula_Resource|"
    rb"Request unsuccessful\. Incapsula|g-recaptcha|hcaptcha\.com/1/api|errors\.edgesuite\.net",
    re.I,
)
_BLOCK_STATUSES = frozenset({401, 403, 451})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries 429/5xx after the server's Retry-After, or after exponential backoff with jitter."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        defaults = get_settings().crawl
        self.backoff_base = settings.getfloat("JANMAT_RETRY_BACKOFF_BASE", defaults.retry_backoff_base)
        self.backoff_max = settings.getfloat("JANMAT_RETRY_BACKOFF_MAX", defaults.retry_backoff_max)
        self.retry_after_max = settings.getfloat("JANMAT_RETRY_AFTER_MAX", defaults.retry_after_max)

    def delay_for(self, request: Request, response: Response | None) -> float:
        """How long to wait before retrying this request."""
        if response is not None:
            advised = retry_after_seconds(response.headers.get(b"Retry-After"))
            if advised is not None:
                return min(advised, self.retry_after_max)
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_max, self.backoff_base * (2**attempt)) * random.uniform(0.8, 1.2)

    def _slow_down_domain(self, request: Request, delay: float) -> None:
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and delay > slot.delay:
            slot.delay = min(delay, self.retry_after_max)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        """Wait as the server asked (or back off), then hand Scrapy's retry request back."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            self.crawler.stats.inc_value(f"janmat/{source_of(request)}/gave_up")
            return response
        delay = self.delay_for(request, response)
        self.crawler.stats.inc_value(f"janmat/{source_of(request)}/retried_{response.status}")
        if response.status in (429, 503):
            self._slow_down_domain(request, delay)
        log.info("HTTP %s from %s; retrying in %.1fs", response.status, request.url, delay)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        """Network errors: back off, then retry (Scrapy's list of retryable exceptions)."""
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            delay = self.delay_for(request, None)
            if delay > 0:
                await asyncio.sleep(delay)
        return retry


class ConditionalGetMiddleware:
    """Sends the validators a feed or sitemap gave last time; a 304 reaches the spider as "not modified"."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalGetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Add If-None-Match / If-Modified-Since to discovery requests that ask for it."""
        context = context_of(request)
        if context is None or not context.conditional:
            return
        etag, last_modified = crawl_state_for(self.crawler).validators(context.requested_url)
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        """Remember the validators of a fresh 200; count a 304."""
        context = context_of(request)
        if context is None or not context.conditional:
            return response
        if response.status == 304:
            self.crawler.stats.inc_value(f"janmat/{source_of(request)}/not_modified")
        elif response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            crawl_state_for(self.crawler).remember_validators(
                context.requested_url,
                etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
            )
        return response


class BlockedPageMiddleware:
    """Logs a source's 401/403/451 or anti-bot challenge page once per source, counts it, and drops it."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlockedPageMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Pass ordinary responses; drop blocked ones with a per-source warning."""
        context = context_of(request)
        if context is not None and context.kind == "robots":
            return response
        blocked = response.status in _BLOCK_STATUSES
        if not blocked and response.status in (200, 202, 429, 503):
            blocked = bool(_CHALLENGE_MARKERS.search(response.body[:20_000]))
        if not blocked:
            return response
        source = source_of(request)
        self.crawler.stats.inc_value(f"janmat/{source}/blocked")
        if source not in self.warned:
            self.warned.add(source)
            log.warning(
                "source %s blocks the crawler (HTTP %s at %s); its other pages are still tried, the crawl goes on",
                source, response.status, request.url,
            )
        raise IgnoreRequest(f"blocked by {source} (HTTP {response.status})")


class NonHtmlArticleMiddleware:
    """Article requests answered with something other than HTML (PDF, image, video) are skipped."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> NonHtmlArticleMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Drop a non-HTML answer to an article request."""
        context = context_of(request)
        if context is None or context.kind != "article" or response.status != 200:
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        looks_like_markup = content_type.startswith("text/") and response.body.lstrip()[:1] == b"<"
        if not content_type or content_type in ("text/html", "application/xhtml+xml") or looks_like_markup:
            return response
        self.crawler.stats.inc_value(f"janmat/{source_of(request)}/skipped_non_html")
        log.info("skipping non-HTML article link %s (%s)", request.url, content_type)
        raise IgnoreRequest(f"not HTML: {content_type}")
