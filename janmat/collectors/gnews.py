"""Google News RSS search per topic query: headlines become ``gnews`` mentions, article URLs go to the crawler.

``GET /rss/search?q=…&hl=hi&gl=IN&ceid=IN:hi`` returns the latest ~100 matching stories. An item's link is a
news.google.com redirect; older links carry the publisher URL inside their base64 id, which is decoded here
without any network call. Links that cannot be decoded offline are queued as they are (the crawler follows the
redirect). Cursor per query: the item ids already delivered (bounded), since the feed has no paging.

After the search, the article URLs waiting in the article queue (``crawlers.article_queue``) are crawled by the
``queued-articles`` spider in a child process, through the news spider's article path and the same pipeline; the
spider acknowledges each URL once its mention is stored, so a URL is crawled until it is stored, and never after.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import feedparser

from crawlers.article_queue import LEASE_SECONDS, ArticleQueue, QueuedArticle, queue_path
from janmat.collectors.base import CollectContext, Collector
from janmat.collectors.errors import MalformedResponseError
from janmat.collectors.http import ApiClient
from janmat.collectors.queries import gnews_queries
from janmat.collectors.spider import crawl_with_report
from janmat.core.mention import Mention, Platform, Source, mention_id_for_post

log = logging.getLogger(__name__)

SEARCH_PATH = "/rss/search"
EDITION = {"hl": "hi", "gl": "IN", "ceid": "IN:hi"}
_SEEN_LIMIT = 1000


def _varint(raw: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def publisher_url(link: str, news_host: str = "news.google.com") -> str | None:
    """The publisher's article URL hidden in a Google News ``/rss/articles/<id>`` link, when it is there.

    Older ids are URL-safe base64 of a small protobuf message with the article URL as a string field; newer ids
    (starting ``AU_yqL``) are opaque and only Google can resolve them, so they give None. A link that is not a
    Google News link (on ``news.google.*`` or ``news_host``, the host searched) is returned as it is.
    """
    parts = urlsplit(link)
    if parts.netloc and "news.google." not in parts.netloc and parts.netloc != news_host:
        return link
    article_id = parts.path.rstrip("/").rsplit("/", 1)[-1]
    try:
        raw = base64.urlsafe_b64decode(article_id + "=" * (-len(article_id) % 4))
    except (binascii.Error, ValueError):
        return None
    pos = 0
    try:  # walk the protobuf fields; the first length-delimited one holding an http(s) URL is the article
        while pos < len(raw):
            key, pos = _varint(raw, pos)
            wire_type = key & 7
            if wire_type == 0:
                _, pos = _varint(raw, pos)
            elif wire_type == 2:
                length, pos = _varint(raw, pos)
                value = raw[pos:pos + length]
                pos += length
                if value.startswith((b"http://", b"https://")):
                    return value.decode("utf-8")
            else:
                return None
    except (IndexError, UnicodeDecodeError):
        return None
    return None


def _split_publisher(title: str, publisher: str | None) -> str:
    """The headline without the `` - Publisher`` suffix Google News appends."""
    if publisher and title.endswith(f" - {publisher}"):
        return title[: -len(publisher) - 3].strip()
    return title.strip()


def entry_mention(entry: Any, query_key: str, news_host: str = "news.google.com") -> tuple[Mention, str | None] | None:
    """A gnews Mention for one feed entry, plus the URL for the crawler: the publisher's, else the Google link."""
    link = entry.get("link") or ""
    guid = entry.get("id") or link
    source = entry.get("source") or {}
    publisher = source.get("title") if isinstance(source, dict) else None
    headline = _split_publisher(entry.get("title") or "", publisher)
    if not guid or not headline:
        return None
    article = publisher_url(link, news_host) if link else None
    published = entry.get("published_parsed")
    return Mention(
        id=mention_id_for_post(Platform.gnews, guid),
        platform=Platform.gnews,
        source=Source(name=publisher, domain=urlsplit(source.get("href", "")).netloc or None if source else None),
        url=article or link or None,
        title=headline,
        text=headline,
        published_at=datetime(*published[:6], tzinfo=UTC) if published else None,
        post_id=guid,
        meta={"collector_query": query_key, "google_news_url": link, "article_url": article},
    ), article or link or None


class GoogleNewsCollector(Collector):
    """Google News search per topic query; then the publisher articles it queued are crawled."""

    name = "gnews"
    platform = Platform.gnews
    needs_open_web = True
    article_lease_seconds: ClassVar[float] = LEASE_SECONDS
    """How long the article crawl holds the URLs it takes (a crawl that dies leaves them for this long)."""

    def collect(self, ctx: CollectContext) -> None:
        path = queue_path(ctx.settings.state_dir)
        client = ApiClient("gnews", ctx.settings.collectors.gnews_base, ctx.settings)
        with ArticleQueue(path) as queue, client:
            try:
                for topic in ctx.topics:
                    for query in gnews_queries(topic):
                        self._collect_query(client, ctx, queue, query.key, query.text)
            finally:
                ctx.report.requests += client.requests
            waiting = queue.counts().waiting
        if waiting:
            self._crawl_articles(ctx, path)

    def _collect_query(self, client: ApiClient, ctx: CollectContext, queue: ArticleQueue, key: str, q: str) -> None:
        response = client.get(SEARCH_PATH, {"q": q, **EDITION})
        feed = feedparser.parse(response.content)
        if feed.bozo and not feed.entries:
            raise MalformedResponseError(f"gnews: the search feed for {key} is not valid RSS "
                                    f"({feed.get('bozo_exception', 'unreadable')})")
        if "title" not in feed.feed and not feed.entries:
            raise MalformedResponseError(f"gnews: the search answer for {key} is not an RSS feed")
        cursor = ctx.cursor(key)
        seen: list[str] = cursor.get("seen", [])
        seen_set = set(seen)
        mentions: list[Mention] = []
        articles: list[QueuedArticle] = []
        for entry in feed.entries:
            built = entry_mention(entry, key, urlsplit(ctx.settings.collectors.gnews_base).netloc)
            if built is None:
                ctx.report.rejected += 1
                continue
            mention, article = built
            guid = str(mention.post_id)
            if guid in seen_set:
                continue
            mentions.append(mention)
            seen.append(guid)
            if article:
                articles.append(QueuedArticle(article, key, mention.source.name))
        queue.add(articles)
        ctx.deliver(mentions, key, {"seen": seen[-_SEEN_LIMIT:]})

    def _crawl_articles(self, ctx: CollectContext, path: Path) -> None:
        """Crawl the queued article URLs through the ``queued-articles`` spider (a child process)."""
        report = crawl_with_report(self.name, "queued-articles", ctx.settings,
                                   {"queue": str(path), "lease": str(self.article_lease_seconds)})
        left = report.get("fetch_failed", 0) + report.get("store_refused", 0) + report.get("unfinished", 0)
        ctx.report.message = (
            f"gnews: {report.get('taken', 0)} queued article(s) crawled: {report.get('stored', 0)} stored, "
            f"{report.get('not_article', 0) + report.get('dropped', 0)} not kept, "
            f"{report.get('already_crawled', 0)} crawled before; {left} to try again next run")
        log.info("%s", ctx.report.message)
