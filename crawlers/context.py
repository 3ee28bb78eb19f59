"""What a spider tells the middlewares and its own callbacks about a request: one typed object under one meta key.

A spider builds a ``CrawlContext`` for each request it yields (``scrapy.Request(url, meta=context.meta())``);
middlewares, extensions and callbacks read it back with ``context_of(request)`` (or of a response). Scrapy keeps
it across redirects and retries, and pickles it with the request into a JOBDIR or a shared Redis frontier.
Requests Scrapy makes on its own (robots.txt) carry none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from scrapy import Request
from scrapy.http import Response

from crawlers.extract import PageHints

META_KEY = "janmat"
"""The one request-meta key Janmat's crawl context lives under."""

Kind = Literal["feed", "sitemap", "robots", "listing", "article", "channel"]


@dataclass(frozen=True)
class CrawlContext:
    """Where a request comes from and what it is for."""

    source_key: str
    """The registry key of the source (or ``telegram:<channel>``); stats and logs are kept per source."""
    kind: Kind
    requested_url: str
    """The real URL asked for: what the source announced, before any local copy or redirect."""
    round: str | None = None
    """Discovery requests: the crawl round they belong to (fetched once per round, see ``crawlers.frontier``)."""
    conditional: bool = False
    """Send last run's ETag / Last-Modified and accept a 304 (feeds and sitemaps)."""
    registered: bool = False
    """Sitemaps: listed in the registry (not only announced in robots.txt)."""
    listing: int | None = None
    """Listing pages: the index of the listing in the source's entry."""
    via: str | None = None
    """Articles: how they were found (``feed``, ``sitemap``, ``listing``, ``queue``)."""
    requested_canonical: str | None = None
    """Articles: the canonical form of ``requested_url``."""
    hints: PageHints = field(default_factory=PageHints)
    """Articles: what the announcement already said about the page."""

    def meta(self, **scrapy_meta: Any) -> dict[str, Any]:
        """A request's ``meta``: this context, plus any of Scrapy's own keys (``handle_httpstatus_list``…)."""
        return {META_KEY: self, **scrapy_meta}


def context_of(message: Request | Response) -> CrawlContext | None:
    """The crawl context of a request (or of the request a response answers); None for Scrapy's own requests."""
    found = message.meta.get(META_KEY)
    return found if isinstance(found, CrawlContext) else None


def source_of(message: Request | Response) -> str:
    """The source key a request belongs to (``?`` for requests without a context)."""
    context = context_of(message)
    return context.source_key if context else "?"
