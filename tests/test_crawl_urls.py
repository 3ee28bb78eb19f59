"""Canonical URLs: URL variants of one article collapse to one spelling and so to one Mention id."""

from __future__ import annotations

import pytest

from janmat.core.mention import mention_id_for_url
from janmat.core.urls import canonical_url, mention_id_for_page, registered_domain, same_site

ARTICLE = "https://bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html"


@pytest.mark.parametrize("variant", [
    ARTICLE,
    "http://www.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html",
    "https://m.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html",
    "https://amp.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html",
    "https://www.bhaskar.com/amp/local/haryana/rohtak/news/pgims-new-counter-133589711.html",
    "https://www.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html/",
    "https://www.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html?utm_source=whatsapp"
    "&utm_medium=social&utm_campaign=share",
    "https://www.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html?fbclid=IwAR0x&ref=home",
    "https://www.bhaskar.com/local/haryana/rohtak/news/pgims-new-counter-133589711.html#comments",
    "  https://WWW.BHASKAR.COM:443/local/haryana/rohtak/news/pgims-new-counter-133589711.html  ",
])
def test_variants_of_one_article_share_the_canonical_url_and_id(variant: str) -> None:
    assert canonical_url(variant) == ARTICLE
    assert mention_id_for_page(variant) == mention_id_for_url(ARTICLE)


def test_toi_amp_articleshow_and_ndtv_fragment_are_folded() -> None:
    assert canonical_url("https://timesofindia.indiatimes.com/city/gurgaon/x/amp_articleshow/123.cms?from=mdr") == (
        "https://timesofindia.indiatimes.com/city/gurgaon/x/articleshow/123.cms"
    )
    assert canonical_url("https://www.ndtv.com/india-news/story-3940587#pfrom=home-ndtv_topstories") == (
        "https://ndtv.com/india-news/story-3940587"
    )
    assert canonical_url("https://www.hindustantimes.com/cities/gurugram-news/a-101.html/amp") == (
        "https://hindustantimes.com/cities/gurugram-news/a-101.html"
    )


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert canonical_url("https://pib.gov.in/RssMain.aspx?Regid=3&ModId=6&utm_source=x") == (
        "https://pib.gov.in/RssMain.aspx?ModId=6&Regid=3"
    )
    assert canonical_url("https://a.example/story?id=5") != canonical_url("https://a.example/story?id=6")


def test_devanagari_paths_raw_and_percent_encoded_are_one_url() -> None:
    raw = "https://ddnews.gov.in/hi/videos/national/एक्सप्रेस-100"
    encoded = "https://ddnews.gov.in/hi/videos/national/%E0%A4%8F%E0%A4%95%E0%A5%8D%E0%A4%B8%E0%A4%AA%E0%A5%8D%E0%A4%B0%E0%A5%87%E0%A4%B8-100"
    assert canonical_url(raw) == canonical_url(encoded)


def test_local_addresses_keep_their_scheme_and_port() -> None:
    assert canonical_url("http://127.0.0.1:8080/news/a/?utm_source=x") == "http://127.0.0.1:8080/news/a"
    assert canonical_url("http://localhost:8000/") == "http://localhost:8000/"


@pytest.mark.parametrize("bad", ["/relative/path", "mailto:desk@example.com", "ftp://example.com/file"])
def test_non_web_urls_are_rejected_with_a_clear_error(bad: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        canonical_url(bad)


def test_registered_domain_uses_the_offline_public_suffix_list() -> None:
    assert registered_domain("https://m.bhaskar.com/x") == "bhaskar.com"
    assert registered_domain("https://api.livehindustan.com/feeds/rss/haryana/rssfeed.xml") == "livehindustan.com"
    assert registered_domain("https://haryana.punjabkesari.in/haryana") == "punjabkesari.in"
    assert registered_domain("https://www.pib.gov.in/") == "pib.gov.in"
    assert registered_domain("http://127.0.0.1:9000/a") == "127.0.0.1"
    assert same_site("https://www.tribuneindia.com/news/haryana/", "https://tribuneindia.com/rss")
    assert not same_site("https://bhaskar.com/", "https://amarujala.com/")
