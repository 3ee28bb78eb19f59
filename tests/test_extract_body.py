"""Extraction keeps the whole body on hard layouts, measured on the gold set in tests/data/extraction."""

from __future__ import annotations

import html
import json
from copy import deepcopy

import lxml.html
import pytest
import trafilatura

from crawlers.extract import (
    extract_page,
    join_split_body,
    jsonld_items,
    remove_furniture,
    reveal_locked_text,
    stated_body,
)
from tests.extraction_gold import GoldPage, gold_pages
from tests.reference_pages import token_f1

PROJECT = gold_pages(collections=("sample", "demo"))
SAMPLES = [page for page in PROJECT if page.collection == "sample"]
HARD_LAYOUTS = ("paywall", "wrapper", "columns", "chunks", "liveblog", "jsonld", "amp")


def by_file(name: str) -> GoldPage:
    return next(page for page in SAMPLES if page.file == f"pages/{name}.html")


def score(page: GoldPage) -> float:
    extracted = extract_page(page.html, page.url)
    return token_f1(f"{extracted.title}\n{extracted.text}", page.gold)


def prepared_tree(page: GoldPage) -> tuple[lxml.html.HtmlElement, dict | None]:
    """The page as the extractor hands it to trafilatura: furniture removed, locked text unfolded."""
    tree = lxml.html.document_fromstring(page.html)
    article = next((item for item in jsonld_items(tree) if "articleBody" in item or "headline" in item), None)
    remove_furniture(tree)
    reveal_locked_text(tree, article)
    return tree, article


def normalized(text: str) -> str:
    return " ".join(html.unescape(text).split())


def test_gold_set_covers_every_hard_layout_in_hindi_and_english() -> None:
    assert len(PROJECT) >= 40
    for layout in HARD_LAYOUTS:
        languages = {page.language for page in SAMPLES if page.layout == layout}
        assert languages == {"hi", "en"}, layout


@pytest.mark.parametrize("page", SAMPLES, ids=lambda page: page.file)
def test_gold_text_is_on_its_page(page: GoldPage) -> None:
    tree = lxml.html.document_fromstring(page.html)
    visible = normalized(tree.body.text_content())
    stated = normalized(stated_body(next(iter(jsonld_items(tree)), None)))
    for line in page.gold.splitlines():
        assert normalized(line) in (stated if page.layout == "jsonld" and line != page.gold.splitlines()[0]
                                    else visible), line


@pytest.mark.parametrize("page", SAMPLES, ids=lambda page: page.file)
def test_hard_layout_keeps_its_body(page: GoldPage) -> None:
    assert score(page) >= 0.9


def test_project_gold_set_scores_at_least_097_on_average() -> None:
    scores = [score(page) for page in PROJECT]
    assert sum(scores) / len(scores) >= 0.97


def test_body_only_the_recall_pass_finds_is_rescued() -> None:
    page = by_file("columns-hi-yamunanagar-plywood")  # two text columns with different class names
    tree, article = prepared_tree(page)
    precise = trafilatura.bare_extraction(tree, favor_precision=True, include_comments=False)
    recall = trafilatura.bare_extraction(deepcopy(tree), favor_recall=True, include_comments=False)
    assert token_f1(precise.text, page.gold) < 0.8
    assert token_f1(recall.text, page.gold) >= 0.9
    assert not join_split_body(deepcopy(tree)) and not stated_body(article)
    assert score(page) >= 0.95


def test_story_split_in_nested_chunks_is_joined_in_order() -> None:
    page = by_file("chunks-hi-gurugram-underpass")
    tree, _ = prepared_tree(page)
    assert join_split_body(tree)
    text = extract_page(page.html, page.url).text
    paragraphs = page.gold.splitlines()[1:]
    positions = [text.find(paragraph) for paragraph in paragraphs]
    assert -1 not in positions and positions == sorted(positions)


def test_locked_part_named_only_by_json_ld_is_unfolded() -> None:
    free = "<p>" + "सिरसा में नहर की सफाई का काम शुरू हुआ और किसानों ने राहत की सांस ली। " * 4 + "</p>"
    locked = "".join(f"<p>बंद हिस्से का अनुच्छेद {n}: " + "विभाग ने बताया कि काम दस दिन में पूरा होगा। " * 4 + "</p>"
                     for n in range(5))
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "नहर की सफाई",
          "isAccessibleForFree": False,
          "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".story-rest"}}
    source = (f'<html lang="hi"><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
              f'<article><h1>नहर की सफाई</h1>{free}<div class="story-rest" style="display:none">{locked}</div>'
              f'</article></body></html>')
    page = extract_page(source, "https://example.in/sirsa/nahar-123456.html")
    assert "बंद हिस्से का अनुच्छेद 4" in page.text
    assert "किसानों ने राहत की सांस ली" in page.text


def test_publisher_stated_body_replaces_teasers_on_a_script_rendered_page() -> None:
    for name in ("jsonld-hi-faridabad-signals", "jsonld-en-chandigarh-ebus"):
        page = by_file(name)
        assert score(page) >= 0.95, name


@pytest.mark.parametrize("page", SAMPLES, ids=lambda page: page.file)
def test_rescued_bodies_carry_no_furniture(page: GoldPage) -> None:
    text = normalized(extract_page(page.html, page.url).text)
    tree = lxml.html.document_fromstring(page.html)
    # related, most-read and "also read" headlines with their teasers; comments; paywall and newsletter prompts
    links = tree.xpath("//a[contains(@href, '/story/') or contains(@href, '/release/')]")
    furniture = [link.text_content() for link in links]
    furniture += [teaser.text_content() for link in links for teaser in link.getparent().iter("p")]
    furniture += [text for box in tree.xpath(
        "//*[contains(@class, 'comment ') or @class='comment' or contains(@class, 'paywallCta')"
        " or contains(@class, 'lock-prompt') or contains(@class, 'subscribe-wall') or contains(@class, 'newsletter')"
        " or contains(@class, 'share')]") for text in box.itertext() if len(text.strip()) >= 12]
    for phrase in furniture:
        phrase = normalized(phrase)
        assert not phrase or phrase[:60] not in text, phrase
