"""The demo: the sample site served on 127.0.0.1 is crawled through the whole pipeline into the store."""

from __future__ import annotations

import json
import re

import pytest

from janmat.demo.run import run_demo
from janmat.demo.server import SITE_DIR, SiteServer


def test_demo_stores_every_sample_article_once_and_a_rerun_updates_instead_of_duplicating(tmp_path) -> None:
    manifest = json.loads((SITE_DIR / "manifest.json").read_text(encoding="utf-8"))
    store_url = f"sqlite:///{tmp_path / 'demo.db'}"

    first = run_demo(store_url, progress=False)
    assert first.total == len(manifest) >= 20
    assert first.with_district >= 5 and first.with_scheme >= 3
    assert sum(count for _, count in first.counts["lang"]) == first.total
    assert {lang for lang, _ in first.counts["lang"]} == {entry["lang"] for entry in manifest}
    for entry in manifest:
        assert first.fetched_paths.get(entry["path"]) == 1, entry["path"]
    assert not any(path.startswith(("/private/", "/amp/")) for path in first.fetched_paths)  # robots.txt, AMP dedup
    assert first.seconds < 60

    second = run_demo(store_url, progress=False)
    assert second.total == first.total


def test_demo_server_fills_the_base_url_placeholder_and_answers_conditional_gets() -> None:
    import urllib.error
    import urllib.request

    with SiteServer() as server:
        with urllib.request.urlopen(f"{server.base_url}/rss/haryana.xml") as response:
            body = response.read().decode("utf-8")
            etag = response.headers["ETag"]
        assert "{{BASE_URL}}" not in body and f"{server.base_url}/haryana/" in body
        request = urllib.request.Request(f"{server.base_url}/rss/haryana.xml", headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(request)
            raise AssertionError("expected 304 Not Modified")
        except urllib.error.HTTPError as answer:
            assert answer.code == 304
        with urllib.request.urlopen(f"{server.base_url}/haryana/") as response:
            assert b"<html" in response.read()[:500].lower()
        try:
            urllib.request.urlopen(f"{server.base_url}/../../etc/passwd")
            raise AssertionError("expected 404")
        except urllib.error.HTTPError as answer:
            assert answer.code == 404
        assert server.hits["/rss/haryana.xml"] == 2


def _expected_by_discovery(spider: str) -> set[str]:
    """Article paths each discovery mode should find, read straight from the site's files with lxml."""
    import lxml.etree
    import lxml.html

    article = re.compile(r"-\d{5}\.html$")
    if spider == "feeds":
        links = [link for feed in ("haryana.xml", "english.xml")
                 for link in lxml.etree.parse(str(SITE_DIR / "rss" / feed)).xpath("//item/link/text()")]
    elif spider == "sitemaps":
        links = lxml.etree.parse(str(SITE_DIR / "sitemap-news.xml")).xpath("//*[local-name()='loc']/text()")
    else:
        links = [href for folder in ("", "haryana", "english", "blog", "rajya")
                 for href in lxml.html.parse(str(SITE_DIR / folder / "index.html")).xpath("//a/@href")]
    paths = {re.sub(r"^\{\{BASE_URL\}\}", "", link).split("?")[0] for link in links}
    return {path.removeprefix("/amp") for path in paths if article.search(path)}


@pytest.mark.parametrize("spider", ["feeds", "sitemaps", "listings"])
def test_each_discovery_mode_finds_its_articles_on_the_sample_site(tmp_path, spider) -> None:
    from janmat.demo.run import DEMO_REGISTRY, DEMO_SOURCE_KEY
    from janmat.store import MentionQuery, open_store
    from tests.local_site import crawl_command, run_crawl

    expected = _expected_by_discovery(spider)
    assert expected
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    with SiteServer() as server:
        run_crawl(crawl_command(spider, DEMO_REGISTRY, DEMO_SOURCE_KEY, server.base_url, store_url,
                                tmp_path / "state"))
        fetched = {path for path in server.hits if re.search(r"-\d{5}\.html$", path)}
    with open_store(store_url) as store:
        stored = {hit.mention.url.removeprefix("https://samachar.janmat.example")
                  for hit in store.search(MentionQuery(limit=500)).hits}
    assert stored == expected
    assert fetched == expected
