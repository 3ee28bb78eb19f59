"""Reading the places where sites announce new articles: RSS/Atom feeds, (news) sitemaps and robots.txt.

Pure functions over response bodies, so the spider stays thin and tests can feed them real saved files.
Feeds go through feedparser (it survives real-world broken XML and reports it as ``bozo``); sitemaps through
lxml with the same hardened parser options Scrapy's own sitemap reader uses, because we also need the
``news:`` namespace (title, publication date, language) that Scrapy's reader flattens away.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import feedparser
from lxml import etree
from protego import Protego
from scrapy.utils.gz import gunzip

from crawlers.dates import parse_news_date
from crawlers.extract import PageHints

log = logging.getLogger(__name__)

_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit for one uncompressed file


@dataclass(frozen=True)
class DiscoveredLink:
    """An article URL found in a feed, sitemap or listing, with what the announcement said about it."""

    url: str
    hints: PageHints = field(default_factory=PageHints)


@dataclass
class FeedReport:
    """The article links of one feed and, when the XML was broken, what was wrong with it."""

    links: list[DiscoveredLink]
    title: str | None = None
    problem: str | None = None


@dataclass
class SitemapReport:
    """One sitemap: either an index of further sitemaps or a list of page entries."""

    is_index: bool
    sitemaps: list[tuple[str, datetime | None]] = field(default_factory=list)
    links: list[tuple[DiscoveredLink, datetime | None, bool]] = field(default_factory=list)
    """(link, lastmod, has news: data)."""
    problem: str | None = None


def _entry_date(entry: feedparser.FeedParserDict, now: datetime) -> datetime | None:
    for parsed_key, raw_key in (("published_parsed", "published"), ("updated_parsed", "updated")):
        parsed = entry.get(parsed_key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        raw = entry.get(raw_key)
        if raw:
            found = parse_news_date(raw, now=now)
            if found is not None:
                return found
    return None


def read_feed(body: bytes, feed_url: str, content_type: str | None = None, now: datetime | None = None) -> FeedReport:
    """Article links of an RSS/Atom feed; a broken feed yields what could be read plus the problem."""
    now = now or datetime.now(UTC)
    headers = {"content-location": feed_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    problem = _feed_problem(parsed)
    if problem and not parsed.entries:
        # Second chance for broken XML (a stray "&", a mismatched tag): let lxml repair it, then read again.
        repaired = _repair_xml(body)
        if repaired is not None:
            again = feedparser.parse(repaired, response_headers=headers)
            if again.entries:
                parsed = again
    if not parsed.entries and not parsed.get("version"):
        head = body[:512].lstrip().lower()
        looks_html = head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
        problem = "not a feed: the URL returned an HTML page" if looks_html else (problem or "not an RSS/Atom feed")
    language = (parsed.feed.get("language") or "").split("-")[0].lower() or None
    links: list[DiscoveredLink] = []
    for entry in parsed.entries:
        # FeedBurner mirrors (NDTV's feeds) link to a redirector; the publisher's URL is in origLink.
        link = entry.get("feedburner_origlink") or entry.get("link") or (
            entry.get("id") if str(entry.get("id", "")).startswith("http") else None
        )
        if not link:
            continue
        hints = PageHints(title=(entry.get("title") or "").strip() or None, published_at=_entry_date(entry, now),
                          lang=language)
        links.append(DiscoveredLink(urljoin(feed_url, link.strip()), hints))
    return FeedReport(links=links, title=parsed.feed.get("title"), problem=problem)


def _feed_problem(parsed: feedparser.FeedParserDict) -> str | None:
    if not parsed.get("bozo"):
        return None
    error = parsed.get("bozo_exception")
    # Harmless notes, not broken feeds: a missing/odd Content-Type or an encoding override feedparser fixed.
    if type(error).__name__ in ("NonXMLContentType", "CharacterEncodingOverride"):
        return None
    return f"broken XML ({type(error).__name__}: {error})"


def _repair_xml(body: bytes) -> bytes | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return None
    return None if root is None else etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_sitemap(body: bytes, sitemap_url: str, now: datetime | None = None) -> SitemapReport:
    """Entries of a sitemap or sitemap index (gzip accepted), with ``news:`` title, date and language."""
    now = now or datetime.now(UTC)
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=_MAX_SITEMAP_BYTES)
    parser = etree.XMLParser(recover=True, remove_comments=True, resolve_entities=False, no_network=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(body.strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        return SitemapReport(is_index=False, problem=f"not XML: {exc}")
    if root is None:
        return SitemapReport(is_index=False, problem="empty or not XML")
    kind = _local(root.tag).lower()
    if kind == "sitemapindex":
        report = SitemapReport(is_index=True)
        for node in root:
            if _local(node.tag) != "sitemap":
                continue
            children = {_local(child.tag): child for child in node}
            loc = _text(children.get("loc"))
            if loc:
                lastmod = parse_news_date(_text(children.get("lastmod")), now)
                report.sitemaps.append((urljoin(sitemap_url, loc), lastmod))
        return report
    if kind != "urlset":
        return SitemapReport(is_index=False, problem=f"not a sitemap (root element <{kind}>)")
    report = SitemapReport(is_index=False)
    for node in root:
        if _local(node.tag) != "url":
            continue
        children = {_local(child.tag): child for child in node}
        loc = _text(children.get("loc"))
        if not loc:
            continue
        lastmod = parse_news_date(_text(children.get("lastmod")), now)
        news = node.find(f"{{{_NEWS_NS}}}news")
        hints = PageHints()
        if news is not None:
            publication = news.find(f"{{{_NEWS_NS}}}publication")
            language = _text(publication.find(f"{{{_NEWS_NS}}}language")) if publication is not None else None
            hints = PageHints(
                title=_text(news.find(f"{{{_NEWS_NS}}}title")),
                published_at=parse_news_date(_text(news.find(f"{{{_NEWS_NS}}}publication_date")), now),
                lang=(language or "").split("-")[0].lower() or None,
            )
        report.links.append((DiscoveredLink(urljoin(sitemap_url, loc), hints), lastmod, news is not None))
    return report


def robots_sitemaps(robots_txt: str) -> list[str]:
    """The sitemap URLs a robots.txt announces."""
    return list(Protego.parse(robots_txt).sitemaps)


def is_recent(moment: datetime | None, max_age_days: float, now: datetime | None = None) -> bool:
    """True when a lastmod is within the age limit (unknown dates are not recent)."""
    if moment is None:
        return False
    now = now or datetime.now(UTC)
    return now - moment <= timedelta(days=max_age_days)
