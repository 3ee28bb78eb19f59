"""The generic news spider: reads the registry, discovers articles, extracts them into Mentions.

    scrapy crawl news                                   # every enabled source
    scrapy crawl news -a source=bhaskar-haryana         # one source (comma-separate several)
    scrapy crawl feeds -a source=amarujala-haryana      # only RSS/Atom feeds (also: sitemaps, listings)
    scrapy crawl news -a source=X -a base_url=http://127.0.0.1:8000   # crawl a local copy of the source
    scrapy crawl news -a registry=path/to/sources.yaml  # another registry file

Discovery only: retries, throttling, robots.txt, blocked pages, conditional GET and the seen-URL bookkeeping
are middlewares and extensions; validation, tagging, dedup and storage are the item pipelines.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor

from crawlers.context import CrawlContext, Kind, context_of, source_of
from crawlers.discovery import DiscoveredLink, is_recent, read_feed, read_sitemap, robots_sitemaps
from crawlers.encoding import decode_html
from crawlers.extract import ExtractedPage, extract_page
from crawlers.frontier import SharedDupeFilter
from crawlers.sources import Discovery, Route, Source, load_registry
from crawlers.state import crawl_state_for
from janmat.core.mention import Mention, Platform, mention_id_for_url
from janmat.core.mention import Source as MentionSource
from janmat.core.urls import canonical_url

log = logging.getLogger(__name__)

_ALL_DISCOVERY: tuple[Discovery, ...] = ("feeds", "sitemaps", "listings")
_DISCOVERY_PRIORITY = 10  # discovery pages first, so article requests queue up early


class NewsSpider(scrapy.Spider):
    """Feeds, news sitemaps (also from robots.txt) and listing pages of registry sources, into Mentions."""

    name = "news"
    discovery: tuple[Discovery, ...] = _ALL_DISCOVERY

    def __init__(
        self,
        source: str | None = None,
        registry: str | None = None,
        base_url: str | None = None,
        round: str | None = None,  # the crawl round (-a round=ID), shadowing the builtin on purpose
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        loaded = load_registry(registry)
        if source:
            self.sources = [loaded.get(key.strip()) for key in source.split(",") if key.strip()]
        else:
            self.sources = loaded.enabled()
        if base_url and len(self.sources) != 1:
            raise ValueError("base_url needs exactly one source (-a source=KEY)")
        self.routes = {src.key: Route(src, base_url) for src in self.sources}
        self.round_arg = round

    # ------------------------------------------------------------------ start
    def _crawl_round(self) -> str:
        state = getattr(self, "state", None)  # persisted in JOBDIR, so a resumed crawl keeps its round
        if isinstance(state, dict) and state.get("janmat_round"):
            return str(state["janmat_round"])
        chosen = self.round_arg or self.settings.get("JANMAT_CRAWL_ROUND")
        if not chosen and self.settings.get("REDIS_URL"):
            # Processes sharing a frontier and started within one crawl interval share the round.
            window = 60 * min(src.crawl_interval_minutes for src in self.sources)
            chosen = f"w{int(datetime.now(UTC).timestamp()) // window}"
        chosen = chosen or uuid.uuid4().hex
        if isinstance(state, dict):
            state["janmat_round"] = chosen
        return str(chosen)

    def _discovery_request(self, source: Source, url: str, kind: Kind, callback: Any, **details: Any) -> scrapy.Request:
        """A feed, sitemap, robots.txt or listing request; ``details`` are further ``CrawlContext`` fields."""
        context = CrawlContext(source.key, kind, url, round=self.round, **details)
        return scrapy.Request(
            self.routes[source.key].fetch_url(url),
            callback=callback,
            errback=self.on_error,
            priority=_DISCOVERY_PRIORITY,
            meta=context.meta(handle_httpstatus_list=[304]) if context.conditional else context.meta(),
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Discovery requests for every selected source."""
        self.round = self._crawl_round()
        log.info("crawl round %s: %d source(s), discovery %s", self.round, len(self.sources), ",".join(self.discovery))
        for source in self.sources:
            if "feeds" in self.discovery:
                for feed in source.feeds:
                    yield self._discovery_request(source, feed, "feed", self.parse_feed, conditional=True)
            if "sitemaps" in self.discovery:
                for sitemap in source.news_sitemaps:
                    yield self._discovery_request(source, sitemap, "sitemap", self.parse_sitemap, conditional=True,
                                                  registered=True)
                if source.robots_sitemaps:
                    home = urlsplit(source.homepage)
                    robots = f"{home.scheme}://{home.netloc}/robots.txt"
                    yield self._discovery_request(source, robots, "robots", self.parse_robots)
            if "listings" in self.discovery:
                for index, listing in enumerate(source.listings):
                    yield self._discovery_request(source, listing.url, "listing", self.parse_listing, listing=index)

    # ------------------------------------------------------------------ discovery
    def _stat(self, source: str, event: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"janmat/{source}/{event}", count)

    def _source(self, response: Response) -> Source:
        return self.routes[source_of(response)].source

    @staticmethod
    def _context(response: Response) -> CrawlContext:
        context = context_of(response)
        assert context is not None, "every request the spider yields carries a CrawlContext"
        return context

    def _article_request(self, source: Source, link: DiscoveredLink, via: str, canonical: str) -> scrapy.Request:
        """The request for one article page of ``source``."""
        context = CrawlContext(source.key, "article", link.url, via=via, requested_canonical=canonical,
                               hints=link.hints)
        return scrapy.Request(self.routes[source.key].fetch_url(link.url), callback=self.parse_article,
                              errback=self.on_error, meta=context.meta())

    def _article_requests(self, source: Source, links: Iterable[DiscoveredLink], via: str) -> Iterator[scrapy.Request]:
        state = crawl_state_for(self.crawler)
        for link in links:
            if not source.owns(link.url):
                self._stat(source.key, "offsite_links")
                continue
            try:
                canonical = canonical_url(link.url)
            except ValueError:
                continue
            if state.is_seen(canonical):
                self._stat(source.key, "skipped_seen")
                continue
            yield self._article_request(source, link, via, canonical)

    def _fresh(self, response: Response) -> bool:
        if response.status == 304:
            log.info("not modified since last run: %s", self._context(response).requested_url)
            return False
        return response.status == 200

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Article requests for a feed's items (what a broken feed still yields, with the problem logged)."""
        if not self._fresh(response):
            return
        source = self._source(response)
        feed_url = self._context(response).requested_url
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        report = read_feed(response.body, feed_url, content_type)
        if report.problem:
            self._stat(source.key, "feed_problems")
            log.warning("feed %s (%s): %s; %d item(s) read", feed_url, source.key, report.problem, len(report.links))
        self._stat(source.key, "feed_items", len(report.links))
        route = self.routes[source.key]
        links = [DiscoveredLink(route.real_url(link.url), link.hints) for link in report.links]
        yield from self._article_requests(source, links, "feed")

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemap requests for the sitemaps robots.txt announces."""
        if response.status != 200:
            return
        source = self._source(response)
        route = self.routes[source.key]
        registered = {canonical_url(url) for url in source.news_sitemaps}
        for url in robots_sitemaps(response.text):
            real = route.real_url(urljoin(self._context(response).requested_url, url))
            if not source.owns(real) or canonical_url(real) in registered:
                continue
            yield self._discovery_request(source, real, "sitemap", self.parse_sitemap, conditional=True)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Child sitemaps of an index; article requests for news entries and recent plain entries."""
        if not self._fresh(response):
            return
        source = self._source(response)
        route = self.routes[source.key]
        context = self._context(response)
        sitemap_url = context.requested_url
        report = read_sitemap(response.body, sitemap_url)
        if report.problem:
            self._stat(source.key, "feed_problems")
            log.warning("sitemap %s (%s): %s", sitemap_url, source.key, report.problem)
            return
        registered = context.registered
        if report.is_index:
            for child, lastmod in report.sitemaps:
                real = route.real_url(child)
                # From robots.txt, follow only what looks like news or changed lately (not the whole archive).
                if registered or "news" in real.lower() or is_recent(lastmod, source.sitemap_max_age_days):
                    yield self._discovery_request(source, real, "sitemap", self.parse_sitemap, conditional=True,
                                                  registered=registered)
            return
        links = [
            DiscoveredLink(route.real_url(link.url), link.hints)
            for link, lastmod, is_news in report.links
            if is_news or is_recent(lastmod, source.sitemap_max_age_days) or (registered and lastmod is None)
        ]
        self._stat(source.key, "sitemap_items", len(links))
        yield from self._article_requests(source, links, "sitemap")

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Article requests for the links on a listing page that match the source's article patterns."""
        if response.status != 200:
            return
        source = self._source(response)
        context = self._context(response)
        listing = source.listings[context.listing or 0]
        route = self.routes[source.key]
        page_url = context.requested_url
        # Patterns are written for the real site, so links on a local copy are mapped back to it first.
        extractor = LinkExtractor(deny=listing.deny_patterns, unique=True)
        candidates = [route.resolve(page_url, link.url) for link in extractor.extract_links(response)]
        matcher = LinkExtractor(allow=listing.article_patterns, deny=listing.deny_patterns)
        wanted = [url for url in dict.fromkeys(candidates) if matcher.matches(url)]
        self._stat(source.key, "listing_links", len(wanted))
        requests = self._article_requests(source, (DiscoveredLink(url) for url in wanted), "listing")
        cap = self.settings.getint("JANMAT_LISTING_LINKS_MAX")  # in page order: the newest stories come first
        for followed, request in enumerate(requests):
            if cap and followed >= cap:
                over = 1 + sum(1 for _ in requests)
                self._stat(source.key, "listing_links_over_cap", over)
                log.info("%s: %d new link(s) on %s over JANMAT_LISTING_LINKS_MAX=%d wait for the next run",
                         source.key, over, page_url, cap)
                return
            yield request

    # ------------------------------------------------------------------ articles
    def parse_article(self, response: Response) -> Iterator[Mention]:
        """One Mention per article page; index pages reached through a pattern are noted and skipped."""
        source = self._source(response)
        route = self.routes[source.key]
        context = self._context(response)
        real_url = context.requested_url
        fetched_at = datetime.now(UTC)
        self._stat(source.key, "fetched")
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        html, encoding = decode_html(response.body, content_type)
        if route.base is not None:
            # A local copy names itself by its local address; put the real origin back so canonical links hold.
            base = f"{route.base.scheme}://{route.base.netloc}"
            home = urlsplit(source.homepage)
            html = html.replace(base, f"{home.scheme}://{home.netloc}")
        page = extract_page(html, real_url, fetched_at=fetched_at, hints=context.hints)
        state = crawl_state_for(self.crawler)
        if not page.is_article:
            self._stat(source.key, "index_pages")
            log.debug("not an article (%s): %s", page.kind_reason, real_url)
            state.mark_seen(context.requested_canonical or canonical_url(real_url), None, source.key, kind="index")
            return
        self._stat(source.key, "articles")
        yield self.to_mention(page, source, response, encoding, fetched_at)

    def to_mention(
        self, page: ExtractedPage, source: Source, response: Response, encoding: str, fetched_at: datetime
    ) -> Mention:
        """The canonical record for an extracted page."""
        context = self._context(response)
        meta: dict[str, Any] = {
            "source_key": source.key,
            "region": source.region,
            "discovered_via": context.via,
            "requested_canonical_url": context.requested_canonical,
            "date_source": page.date_source,
            "encoding": encoding,
        }
        if response.url != page.url:
            meta["fetched_from"] = response.url
        if page.description:
            meta["description"] = page.description
        if page.section:
            meta["section"] = page.section
        if page.keywords:
            meta["keywords"] = page.keywords
        if page.modified_at:
            meta["modified_at"] = page.modified_at.isoformat()
        return Mention(
            id=mention_id_for_url(page.canonical_url),
            platform=Platform.news,
            source=MentionSource(name=source.name, domain=source.domain),
            url=page.url,
            canonical_url=page.canonical_url,
            title=page.title,
            text=page.text,
            lang=page.lang or source.language,
            published_at=page.published_at,
            fetched_at=fetched_at,
            author=page.author,
            meta=meta,
        )

    def on_error(self, failure: Any) -> None:
        """Log a failed request with its source; the crawl goes on."""
        request = failure.request
        SharedDupeFilter.forget(self, request)  # with a shared frontier: try it again next round
        if failure.check(IgnoreRequest):
            return  # blocked or non-HTML pages: already counted and logged by their middleware
        source = source_of(request)
        self.crawler.stats.inc_value(f"janmat/{source}/failed")
        context = context_of(request)
        log.warning("%s: %s failed: %s", source, context.requested_url if context else request.url,
                    failure.getErrorMessage())


class FeedSpider(NewsSpider):
    """Only the registry's RSS/Atom feeds."""

    name = "feeds"
    discovery = ("feeds",)


class SitemapSpider(NewsSpider):
    """Only news sitemaps (registered and announced in robots.txt)."""

    name = "sitemaps"
    discovery = ("sitemaps",)


class ListingSpider(NewsSpider):
    """Only section/listing pages, with the registry's article link patterns."""

    name = "listings"
    discovery = ("listings",)
