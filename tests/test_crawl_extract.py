"""Extraction on real saved pages (with reference texts) and on the project's sample site."""

from __future__ import annotations

import csv
import html
import json
from datetime import datetime, timedelta

import lxml.html
import pytest

from crawlers.encoding import decode_html
from crawlers.extract import cut_furniture_lines, extract_page
from janmat.core.mention import IST
from janmat.demo.server import SITE_DIR
from tests.conftest import shared_data
from tests.reference_pages import gold_date, gold_text, token_f1

FURNITURE = ("यह भी पढ़ें", "सबसे ज्यादा पढ़े गए", "Recommended News", "Related News", "शेयर करें",
             "सब्सक्राइब", "WhatsApp चैनल")
DEMO_BASE = "http://127.0.0.1:8000"


def gold_rows() -> list[dict[str, str]]:
    index = shared_data("web", "index.csv")
    with index.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["has_gold_text"] == "yes"]


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[dict[str, str], object]]:
    web = shared_data("web")
    return {row["file"]: (row, extract_page((web / row["file"]).read_bytes(), row["url"])) for row in gold_rows()}


def test_text_matches_the_reference_texts(extracted) -> None:
    web = shared_data("web")
    scores = {
        name: token_f1(f"{page.title}\n{page.text}", gold_text(web, row)) for name, (row, page) in extracted.items()
    }
    hindi = [score for name, score in scores.items() if extracted[name][0]["language"] == "hi"]
    assert len(scores) == 20 and len(hindi) == 7
    assert min(scores.values()) >= 0.6, scores
    assert sum(scores.values()) / len(scores) >= 0.92, scores
    assert sum(hindi) / len(hindi) >= 0.88, scores


def test_titles_match_the_reference_titles(extracted) -> None:
    web = shared_data("web")
    matched = 0
    for row, page in extracted.values():
        reference = gold_text(web, row).strip().splitlines()[0]
        matched += " ".join(html.unescape(reference).split()) == " ".join(html.unescape(page.title or "").split())
    assert matched >= 17


def test_publish_dates_match_wherever_the_page_shows_one() -> None:
    web = shared_data("web")
    checked = 0
    with shared_data("web", "index.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            expected = gold_date(web, row) if row["kind"] == "article" else None
            if expected is None:
                continue
            page = extract_page((web / row["file"]).read_bytes(), row["url"])
            assert page.published_at is not None, row["file"]
            assert abs(page.published_at - expected) <= timedelta(minutes=2), (row["file"], page.published_at)
            assert page.published_at.utcoffset() == timedelta(hours=5, minutes=30)
            checked += 1
    assert checked >= 18


def test_ddnews_weather_widget_does_not_become_the_article(extracted) -> None:
    _, page = extracted["html/ddnews_hi_1.html"]
    assert "Forecast" not in page.text and "Max Temp" not in page.text
    assert "निर्मल उद्यान" in page.text


def test_seed_article_tail_furniture_is_cut() -> None:
    seed = shared_data("seed", "punjabkesari_2020-10-16_haryana_dipr_social_media.txt").read_text(encoding="utf-8")
    cleaned = cut_furniture_lines(seed)
    for phrase in ("सबसे ज्यादा पढ़े गए", "Recommended News", "Related News", "static", "Shivam"):
        assert phrase not in cleaned
    last_story_line = "जिसमें सभी जिला स्तर के अधिकारियों को प्रशिक्षण भी दिलाया जाएगा।"
    assert cleaned.rstrip().endswith(last_story_line)


def demo_page(path: str) -> str:
    return (SITE_DIR / path.lstrip("/")).read_text(encoding="utf-8").replace("{{BASE_URL}}", DEMO_BASE)


def test_sample_site_articles_keep_body_and_lose_furniture() -> None:
    manifest = json.loads((SITE_DIR / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest:
        source = demo_page(entry["path"])
        page = extract_page(source, DEMO_BASE + entry["path"])
        assert page.is_article, entry["path"]
        assert page.title == entry["title"]
        assert page.author == entry["author"]
        assert page.published_at == datetime.fromisoformat(entry["published_at"])
        for phrase in FURNITURE:
            assert phrase not in page.text, (entry["path"], phrase)
        tree = lxml.html.fromstring(source)
        paragraphs = [p.text_content().strip() for p in tree.xpath("//div[contains(@class,'story-body')]/p")]
        assert paragraphs and all(paragraph in page.text for paragraph in paragraphs), entry["path"]


def test_sample_site_listing_pages_are_not_articles() -> None:
    listings = sorted(SITE_DIR.rglob("index.html"))
    assert len(listings) >= 10
    for index in listings:
        folder = index.relative_to(SITE_DIR).parent
        path = "/" if str(folder) == "." else f"/{folder}/"
        page = extract_page(demo_page(str(index.relative_to(SITE_DIR))), DEMO_BASE + path)
        assert not page.is_article, (path, page.kind_reason)


def test_amp_copy_points_to_the_normal_article() -> None:
    amp = next(SITE_DIR.glob("amp/haryana/*/*.html"))
    relative = "/" + str(amp.relative_to(SITE_DIR))
    page = extract_page(demo_page(relative), DEMO_BASE + relative)
    assert page.canonical_url == DEMO_BASE + relative.removeprefix("/amp")


def test_canonical_to_home_page_or_other_site_is_ignored() -> None:
    body = "<p>" + "किसानों ने धरना दिया। " * 60 + "</p>"
    url = "https://www.bhaskar.com/local/haryana/news/x-1234567.html?utm_source=fb"
    for canonical in ("https://www.bhaskar.com/", "https://spam.example.com/other"):
        source = f'<html><head><link rel="canonical" href="{canonical}"></head><body>{body}</body></html>'
        page = extract_page(source, url)
        assert page.canonical_url == "https://bhaskar.com/local/haryana/news/x-1234567.html"


def test_broken_json_ld_falls_back_to_meta_tags() -> None:
    source = (
        '<html lang="hi"><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<meta property="og:type" content="article"><meta property="og:title" content="रोहतक में नई बस सेवा">'
        '<meta property="article:published_time" content="2025-01-05T09:30:00+05:30"></head><body><article>'
        + "<p>रोहतक से दिल्ली के लिए नई बस सेवा शुरू हुई है और यात्रियों को राहत मिली है।</p>" * 20
        + "</article></body></html>"
    )
    page = extract_page(source, "https://example.in/rohtak/bus-1234567.html")
    assert page.is_article
    assert page.title == "रोहतक में नई बस सेवा"
    assert page.published_at == datetime(2025, 1, 5, 9, 30, tzinfo=IST)
    assert page.lang == "hi"


def test_hindi_page_declared_latin1_decodes_as_utf8() -> None:
    raw = shared_data("web", "html", "bhaskar_hi_1.html").read_bytes()
    text, encoding = decode_html(raw, "text/html; charset=iso-8859-1")
    assert encoding == "utf-8"
    assert text == raw.decode("utf-8")
    legacy = "<p>café crème</p>".encode("cp1252")
    assert decode_html(legacy, "text/html; charset=windows-1252")[0] == "<p>café crème</p>"
