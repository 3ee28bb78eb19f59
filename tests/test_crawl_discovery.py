"""Feeds, news sitemaps and robots.txt, read from real saved files (../shared/data/web)."""

from __future__ import annotations

import gzip
from datetime import datetime

import pytest
from lxml import etree

from crawlers.discovery import read_feed, read_sitemap, robots_sitemaps
from janmat.core.mention import IST
from tests.conftest import shared_data

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_files() -> list[str]:
    return ["newslookout_business_std_rss.xml", "newslookout_ecotimes_rss.xml", "newslookout_hindu_rss.xml",
            "newslookout_ndtv_rss.xml", "newslookout_timesofindia_rss.xml", "constructed_hi_feed.xml"]


@pytest.mark.parametrize("name", feed_files())
def test_every_item_of_a_real_feed_becomes_a_link_with_title_and_date(name: str) -> None:
    body = shared_data("web", "feeds", name).read_bytes()
    items = etree.fromstring(body).findall(".//item")
    report = read_feed(body, "https://feeds.example.org/feed.xml")
    assert report.problem is None
    assert [link.url for link in report.links] == [item.findtext("link").strip() for item in items]
    assert all(link.hints.title for link in report.links)
    with_dates = [item for item in items if item.findtext("pubDate")]
    assert sum(link.hints.published_at is not None for link in report.links) == len(with_dates)


def test_hindi_feed_keeps_devanagari_titles_and_ist_dates() -> None:
    body = shared_data("web", "feeds", "constructed_hi_feed.xml").read_bytes()
    report = read_feed(body, "https://example.org/feed.xml")
    first = report.links[0]
    assert first.hints.title == etree.fromstring(body).findtext(".//item/title")
    assert first.hints.published_at == datetime(2023, 3, 9, 19, 44, tzinfo=IST)
    assert first.hints.lang == "hi"


def test_an_html_page_posing_as_a_feed_is_reported_not_crashed_on() -> None:
    body = shared_data("web", "feeds", "newslookout_forbes_rss.xml").read_bytes()
    report = read_feed(body, "https://www.forbesindia.com/rss")
    assert report.links == []
    assert "not a feed" in report.problem


def test_a_feed_with_broken_xml_still_yields_its_items_and_names_the_problem() -> None:
    good = shared_data("web", "feeds", "newslookout_ndtv_rss.xml").read_bytes()
    expected = [item.findtext("link").strip() for item in etree.fromstring(good).findall(".//item")]
    broken = good.replace(b"</title>", b"", 2)  # two unclosed titles: a real-world kind of breakage
    report = read_feed(broken, "https://feeds.example.org/ndtv.xml")
    assert report.problem and "broken XML" in report.problem
    found = [link.url for link in report.links]
    assert len(found) >= len(expected) - 2
    assert set(found) <= set(expected)


def test_news_sitemap_gives_title_date_and_language_from_the_news_namespace() -> None:
    body = shared_data("web", "sitemaps", "constructed_hi_news_sitemap.xml").read_bytes()
    root = etree.fromstring(body)
    report = read_sitemap(body, "https://example.org/sitemap-news.xml")
    assert not report.is_index
    assert len(report.links) == len(root.findall(f"{SITEMAP}url"))
    for (link, _lastmod, is_news), node in zip(report.links, root.findall(f"{SITEMAP}url"), strict=True):
        assert is_news
        assert link.url == node.findtext(f"{SITEMAP}loc").strip()
        assert link.hints.title == node.findtext(f".//{NEWS}title").strip()
        assert link.hints.lang == node.findtext(f".//{NEWS}language").strip()
        declared = node.findtext(f".//{NEWS}publication_date")
        if declared:
            assert link.hints.published_at == datetime.fromisoformat(declared.strip())
        else:
            assert link.hints.published_at is None


def test_sitemap_index_lists_child_sitemaps_and_gzip_is_accepted() -> None:
    body = shared_data("web", "sitemaps", "trafilatura_sitemap2.xml").read_bytes()
    report = read_sitemap(gzip.compress(body), "https://www.example.com/sitemap.xml.gz")
    children = [loc.strip() for loc in etree.fromstring(body).itertext() if loc.strip().startswith("http")]
    assert report.is_index
    assert [url for url, _ in report.sitemaps] == children


def test_plain_urlset_entries_carry_their_lastmod() -> None:
    body = shared_data("web", "sitemaps", "trafilatura_sitemap.xml").read_bytes()
    report = read_sitemap(body, "https://www.sitemaps.org/sitemap.xml")
    assert len(report.links) == len(etree.fromstring(body).findall(f"{SITEMAP}url"))
    assert not any(is_news for _, _, is_news in report.links)
    assert all(lastmod is not None for _, lastmod, _ in report.links)


def test_garbage_is_not_a_sitemap() -> None:
    assert read_sitemap(b"<html><body>oops</body></html>", "https://x.example/sitemap.xml").problem


def test_robots_txt_sitemap_lines() -> None:
    robots = "User-agent: *\nDisallow: /private/\nSitemap: https://a.example/news.xml\nsitemap: https://a.example/s2.xml\n"
    assert robots_sitemaps(robots) == ["https://a.example/news.xml", "https://a.example/s2.xml"]


def test_feedburner_mirror_items_point_at_the_publishers_own_url() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
            b"<channel><title>NDTV cities</title><item><title>Gurugram story</title>"
            b"<link>https://feeds.feedburner.com/~r/ndtvnews-cities-news/~3/abc/</link>"
            b"<feedburner:origLink>https://www.ndtv.com/cities/gurugram-story-123</feedburner:origLink>"
            b"</item></channel></rss>")
    report = read_feed(body, "https://feeds.feedburner.com/ndtvnews-cities-news")
    assert [link.url for link in report.links] == ["https://www.ndtv.com/cities/gurugram-story-123"]
