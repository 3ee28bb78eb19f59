"""The source registry: the bundled real sources, and clear errors for a bad entry."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from crawlers.sources import RegistryError, Route, load_registry, parse_registry

ENTRY = """
sources:
  - key: test-source
    name: Test
    homepage: https://www.bhaskar.com/local/haryana/
    language: hi
    feeds: [https://www.bhaskar.com/rss-v1--category-1742.xml]
{extra}
"""


def test_bundled_registry_lists_at_least_25_real_indian_sources() -> None:
    registry = load_registry()
    sources = registry.enabled()
    assert len(sources) >= 25
    domains = {source.domain for source in sources}
    for outlet in ("bhaskar.com", "amarujala.com", "jagran.com", "livehindustan.com", "punjabkesari.in",
                   "haribhoomi.com", "indiatimes.com", "india.com", "abplive.com", "aajtak.in", "ddnews.gov.in",
                   "tribuneindia.com", "hindustantimes.com", "indianexpress.com"):
        assert outlet in domains, outlet
    assert sum(source.language == "hi" for source in sources) >= 15
    assert sum(source.language == "en" for source in sources) >= 5
    assert sum(source.region == "Haryana" for source in sources) >= 20


def test_every_registered_url_is_a_real_https_url_on_the_sources_own_site() -> None:
    for source in load_registry().sources:
        urls = [source.homepage, *source.feeds, *source.news_sitemaps, *(listing.url for listing in source.listings)]
        for url in urls:
            parts = urlsplit(url)
            assert parts.scheme == "https", url
            assert not parts.hostname.endswith((".example", ".invalid", ".test", "localhost")), url
        for url in [*source.news_sitemaps, *(listing.url for listing in source.listings)]:
            assert source.owns(url), f"{source.key}: {url} is not on {source.domains}"
        assert source.feeds or source.news_sitemaps or source.listings, source.key


def test_listing_patterns_match_a_real_article_url_of_their_site() -> None:
    bhaskar = load_registry().get("bhaskar-haryana")
    article = "https://www.bhaskar.com/local/haryana/rohtak/news/pgims-opd-counter-133589711.html"
    assert any(re.search(pattern, article) for pattern in bhaskar.listings[0].article_patterns)
    section = "https://www.bhaskar.com/local/haryana/rohtak/"
    assert not any(re.search(pattern, section) for pattern in bhaskar.listings[0].article_patterns)


def test_unknown_source_key_names_the_known_ones() -> None:
    with pytest.raises(RegistryError, match=r"unknown source 'nope'.*bhaskar-haryana"):
        load_registry().get("nope")


@pytest.mark.parametrize(("extra", "message"), [
    ("    listings: [{url: 'https://www.bhaskar.com/x', article_patterns: ['([unclosed']}]",
     r"source #1 \(test-source\): listings.0.article_patterns.*invalid regular expression"),
    ("    news_sitemaps: ['/relative/sitemap.xml']", r"source #1 \(test-source\): news_sitemaps.*absolute http"),
    ("    crawl_interval_minutes: 1", r"crawl_interval_minutes.*greater than or equal to 5"),
    ("    colour: blue", r"colour.*Extra inputs are not permitted"),
])
def test_bad_entries_are_reported_with_source_and_field(extra: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(ENTRY.format(extra=extra), origin="sources.yaml")


def test_duplicate_keys_and_broken_yaml_are_clear_errors(tmp_path) -> None:
    twice = ENTRY.format(extra="") + ENTRY.format(extra="").split("sources:", 1)[1]
    with pytest.raises(RegistryError, match="'test-source' is used twice"):
        parse_registry(twice)
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources:\n  - key: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"broken\.yaml: not valid YAML"):
        load_registry(broken)
    with pytest.raises(RegistryError, match="cannot read source registry"):
        load_registry(tmp_path / "missing.yaml")


def test_route_sends_a_sources_urls_to_the_local_copy_and_maps_them_back() -> None:
    source = parse_registry(ENTRY.format(extra="")).get("test-source")
    route = Route(source, "http://127.0.0.1:8123")
    real = "https://m.bhaskar.com/local/haryana/news/x-1234567.html?a=1"
    local = route.fetch_url(real)
    assert local == "http://127.0.0.1:8123/local/haryana/news/x-1234567.html?a=1"
    assert route.real_url(local) == "https://www.bhaskar.com/local/haryana/news/x-1234567.html?a=1"
    assert route.fetch_url("https://www.amarujala.com/haryana") == "https://www.amarujala.com/haryana"
    assert Route(source).fetch_url(real) == real
