"""Did a source announce anything new? One conditional GET per feed and news sitemap, before a crawl is started.

Polling every 30 seconds costs a crawl process per source per poll; most polls find nothing new. The crawl state
(``crawlers.state``) keeps the ETag and Last-Modified of each feed and sitemap from the last *finished* crawl, and
the spider sends them itself. The monitor asks the same question first, with the same validators and the crawlers'
User-Agent, and starts the crawl only when some answer is not "304 Not Modified". It never writes the crawl
state: the spider fetches the changed feed again and records its new validators as always. Sources with listing
pages or robots.txt sitemaps (which have no validators) are always crawled.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx

from crawlers.sources import Source
from crawlers.state import CrawlState

log = logging.getLogger(__name__)


def probe_urls(source: Source, spider: str) -> list[str] | None:
    """The conditional URLs the spider would fetch for ``source``, or None when a crawl cannot be skipped."""
    if spider == "feeds":
        return list(source.feeds)
    if spider == "sitemaps" and not source.robots_sitemaps:
        return list(source.news_sitemaps)
    if spider == "news" and not source.listings and not source.robots_sitemaps:
        return [*source.feeds, *source.news_sitemaps]
    return None


def unchanged(source: Source, spider: str, state_file: Path, user_agent: str, timeout: float = 15.0) -> bool:
    """True when every feed and sitemap of ``source`` answers 304 to the last finished crawl's validators."""
    urls = probe_urls(source, spider)
    if not urls or not state_file.exists():
        return False
    with CrawlState(state_file) as state:
        validators = {url: state.validators(url) for url in urls}
    if not all(etag or modified for etag, modified in validators.values()):
        return False
    with httpx.Client(timeout=timeout, headers={"User-Agent": user_agent}, follow_redirects=False) as client:
        for url, (etag, modified) in validators.items():
            headers = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", modified))
                       if value}
            try:
                answer = client.get(url, headers=headers)
            except httpx.HTTPError as exc:
                log.debug("probe of %s failed (%s); crawling", url, exc)
                return False
            if answer.status_code != 304:
                return False
    return True
