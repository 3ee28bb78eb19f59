"""Downloader middlewares: politeness and robustness, switched on in ``crawlers/settings.py``.

* ``BackoffRetryMiddleware`` — Scrapy's retry, plus a wait before the retry: the server's ``Retry-After`` on
  429/503 (its host is paused for that long too), exponential backoff otherwise. The wait is kept by the
  scheduler (``crawlers.pacing``), not inside the downloader. A ``Retry-After`` longer than
  ``JANMAT_RETRY_AFTER_MAX`` defers the whole source to its next run.
* ``ConditionalGetMiddleware`` — ``If-None-Match`` / ``If-Modified-Since`` on feeds and sitemaps.
* ``BlockedPageMiddleware`` — 401/403/451 and anti-bot challenge pages are logged per source and dropped; the
  crawl goes on.
* ``NonHtmlArticleMiddleware`` — an "article" link that returns a PDF, an image or a video is skipped.
"""

from __future__ import annotations

import logging
import random
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawlers.context import context_of, source_of
from crawlers.pacing import NOT_BEFORE, host_of, pacing_for, withdraw_queued
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
    """Retries 429/5xx after the server's Retry-After, or after exponential backoff with jitter, without waiting in
    the downloader; defers a source whose server asks for a longer wait than ``JANMAT_RETRY_AFTER_MAX``."""

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

    def _later(self, retry: Request, delay: float) -> Request:
        retry.meta[NOT_BEFORE] = time.time() + delay
        return retry

    def process_response(self, request: Request, response: Response) -> Request | Response:
        """Hand Scrapy's retry request back, due after the server's Retry-After (or a backoff)."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        source = source_of(request)
        advised = retry_after_seconds(response.headers.get(b"Retry-After"))
        if source != "?" and (source in pacing_for(self.crawler).deferred or (
                advised is not None and advised > self.retry_after_max)):
            self._defer(request, response, advised)
            raise IgnoreRequest(f"{source} deferred to its next run")
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            self.crawler.stats.inc_value(f"janmat/{source}/gave_up")
            return response
        delay = self.delay_for(request, response)
        self.crawler.stats.inc_value(f"janmat/{source}/retried_{response.status}")
        if response.status in (429, 503):
            self._pause_host(request, time.time() + delay)
        log.info("HTTP %s from %s; retrying in %.1fs", response.status, request.url, delay)
        return self._later(retry, delay)

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        """Network errors: retry after a backoff (Scrapy's list of retryable exceptions)."""
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        return None if retry is None else self._later(retry, self.delay_for(request, None))

    def _pause_host(self, request: Request, until: float) -> None:
        """Send nothing more to the host before ``until``: requests already waiting in its downloader queue are
        taken back and held too."""
        host = host_of(request)
        pacing = pacing_for(self.crawler)
        pacing.pause(host, until)
        for waiting in withdraw_queued(self._downloader(), lambda queued: host_of(queued) == host, "host paused"):
            pacing.hold(waiting.replace(dont_filter=True), until)

    def _defer(self, request: Request, response: Response, advised: float | None) -> None:
        """Leave the source to its next run: its waiting requests are dropped, nothing is marked seen."""
        source = source_of(request)
        stats = self.crawler.stats
        stats.inc_value(f"janmat/{source}/deferred")
        why = (f"HTTP {response.status} with Retry-After {advised:.0f} s (over JANMAT_RETRY_AFTER_MAX "
               f"{self.retry_after_max:.0f} s)" if advised is not None else f"HTTP {response.status}")
        if not pacing_for(self.crawler).defer(source, why):
            return
        stats.set_value(f"janmat/{source}/deferred_because", why)
        dropped = withdraw_queued(self._downloader(), lambda queued: source_of(queued) == source, "source deferred")
        stats.inc_value(f"janmat/{source}/deferred", len(dropped))
        log.warning("source %s deferred to its next run: %s at %s; its pending requests are dropped from this run "
                    "(nothing is marked seen), other sources go on", source, why, request.url)

    def _downloader(self) -> Any:
        return getattr(getattr(self.crawler, "engine", None), "downloader", None)


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
