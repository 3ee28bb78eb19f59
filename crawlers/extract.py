"""Article extraction: clean text, title, author, publish date and canonical URL from one news page.

trafilatura finds the main text and htmldate searches for dates; the page's own metadata (JSON-LD
``NewsArticle``, ``og:``/``article:`` meta tags, ``rel=canonical``) is preferred wherever the publisher states
a fact outright. Two steps are ours because the libraries do not cover them on Indian sites:

* furniture removal before extraction: containers whose class or id names them as weather widgets, menus,
  share bars, related/recommended/most-read boxes (DD News' weather widget otherwise *becomes* the article);
* a tail cut after extraction: headings such as "सबसे ज्यादा पढ़े गए", "Recommended News", "Related News" end
  the story, and "यह भी पढ़ें: …" lines inside it are dropped.

``ExtractedPage`` is the extractor's result only; the spider turns it into the canonical ``Mention`` at once.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
import lxml.html
import trafilatura
from extruct.jsonld import JsonLdExtractor
from lxml import etree

from crawlers.dates import find_news_date, parse_news_date
from janmat.core.mention import IST
from janmat.core.urls import canonical_url, registered_domain

log = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting", "report", "socialmediaposting",
})
INDEX_TYPES = frozenset({"collectionpage", "itemlist", "website", "searchresultspage", "sitenavigationelement"})

# Class or id words that mark page furniture, matched as whole words inside the attribute.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(weather|wther|menu|navbar|nav|footer|sidebar|side-bar|related|share|sharing|sharebtns|social|"
    r"subscribe|subscription|newsletter|recommend\w*|trending|most-?read|mostread|most-?popular|popular|"
    r"breadcrumbs?|advert\w*|ads?|ad-slot|adslot|comments?|widget|marquee|ticker|pre_next|also-?read|"
    r"read-?more|read-?also|taboola|outbrain|promo|app-?download|follow-?us|tags|tag-list)(?:[\s_-]|$)",
    re.I,
)
_FURNITURE_TAGS = ("nav", "footer", "aside", "form", "button", "noscript", "iframe", "svg")

# Lines after which a story is over (headings of related / most-read / recommendation blocks).
_TAIL_MARKERS = re.compile(
    r"^\s*(सबसे ज्यादा पढ़े गए|सबसे ज़्यादा पढ़े गए|सबसे अधिक पढ़े गए|सबसे ज्यादा पढ़ी गई खबरें|Recommended News|"
    r"Related News|Related Stories|Related Story|Related Articles|Related|More From|More Stories|Most Read|"
    r"Trending News|Trending Now|Top News|Latest News|Also Watch|You May Also Like|You might also like|"
    r"ताज़ा खबरें|ताजा खबरें|लेटेस्ट न्यूज़|लेटेस्ट न्यूज|संबंधित खबरें|संबंधित ख़बरें|ये खबरें भी पढ़ें|"
    r"और खबरें|अन्य खबरें|ट्रेंडिंग|Follow Us|हमें फॉलो करें|Subscribe|सब्सक्राइब करें|"
    r"न्यूज़लेटर सब्सक्राइब करें|Download App|ऐप डाउनलोड करें|Article end|End of Article)\s*[:.!|]?\s*$",
    re.I,
)
_INLINE_FURNITURE = re.compile(
    r"^\s*(?:(?:(?:यह|ये|इसे|इन्हें)\s+)?(?:भी\s+)?पढ़(?:ें|े|िए)|Also Read|Read Also|Read More|Also See|"
    r"शेयर करें|Share this|Share on|Click here|यहां क्लिक करें)(?![A-Za-z\u0900-\u097f]).*$"
    r"|^\s*(?:Updated|Published|Last Updated|अपडेटेड|प्रकाशित)\s*:?[^\n]{0,50}\d{4}[^\n]{0,25}$",
    re.I,
)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_DATE_HINT = re.compile(r"date|time|publish|posted|updated|dateline|byline|timeago", re.I)

_jsonld = JsonLdExtractor()


@dataclass
class ExtractedPage:
    """What one fetched page says about itself (extractor output, converted to a Mention by the spider)."""

    url: str
    canonical_url: str
    title: str | None
    text: str
    author: str | None
    published_at: datetime | None
    date_source: str | None
    modified_at: datetime | None
    lang: str | None
    description: str | None
    section: str | None
    keywords: list[str] = field(default_factory=list)
    is_article: bool = True
    kind_reason: str = ""


@dataclass(frozen=True)
class PageHints:
    """What discovery (feed item, sitemap entry) already said about a page before it was fetched."""

    title: str | None = None
    published_at: datetime | None = None
    lang: str | None = None


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def jsonld_items(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page, ``@graph`` flattened; a broken script is skipped, not fatal."""
    items: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            found = _jsonld.extract_items(script)
        except (ValueError, TypeError) as exc:
            log.debug("unreadable JSON-LD skipped: %s", exc)
            continue
        for item in found:
            if not isinstance(item, dict):
                continue
            graph = item.get("@graph")
            if isinstance(graph, list):
                items.extend(node for node in graph if isinstance(node, dict))
            else:
                items.append(item)
    return items


def meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """``<meta property|name|itemprop=… content=…>`` as a dict (lower-cased keys, first value wins)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _first_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _first_text(value.get("name") or value.get("@id"))
    if isinstance(value, list):
        names = [name for name in (_first_text(v) for v in value) if name]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _normalize_lang(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-")
    lowered = code.lower()
    if lowered in ("hi-latn", "hi-latin"):
        return "hi-Latn"
    return lowered.split("-")[0] or None


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    return " ".join(html_lib.unescape(title).split()) or None


def remove_furniture(tree: lxml.html.HtmlElement) -> None:
    """Drop furniture containers in place, never one that holds the headline or most of the paragraph text."""

    def paragraph_chars(element: lxml.html.HtmlElement) -> int:
        return sum(len(p.text_content()) for p in element.iter("p"))

    total = paragraph_chars(tree) or 1
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head"):
            continue
        if element.getparent() is None:
            continue
        attributes = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag not in _FURNITURE_TAGS and not _FURNITURE.search(attributes):
            continue
        if element.tag in ("article", "main") or element.find(".//h1") is not None:
            continue
        if paragraph_chars(element) > 0.4 * total:
            continue
        element.drop_tree()


def cut_furniture_lines(text: str) -> str:
    """Drop "यह भी पढ़ें"-style lines and end the text at a related / most-read / recommended heading."""
    kept: list[str] = []
    for line in text.splitlines():
        if _TAIL_MARKERS.match(line) and kept:
            break
        if _INLINE_FURNITURE.match(line):
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept).strip()


def _visible_date(tree: lxml.html.HtmlElement, now: datetime) -> datetime | None:
    """The date printed near the headline: the first one after the ``<h1>``, else the last one before it.

    Headers often print today's date and related-story boxes print theirs, so document order alone misleads.
    """
    before: datetime | None = None
    seen_headline = False
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "h1":
            seen_headline = True
            continue
        attributes = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}"
        if element.tag != "time" and not (
            element.tag in ("span", "p", "div", "li", "small", "em") and _DATE_HINT.search(attributes)
        ):
            continue
        value = element.get("datetime")
        parsed = parse_news_date(value, now=now) if value else None
        if parsed is None:
            text = element.text_content()
            if len(text) <= 200:
                parsed = find_news_date(text, now=now)
        if parsed is None:
            continue
        if seen_headline:
            return parsed
        before = parsed
    return before


def _htmldate(tree: lxml.html.HtmlElement, url: str) -> datetime | None:
    try:
        found = htmldate.find_date(tree, url=url, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=IST)


def _published(
    article: dict[str, Any] | None, meta: dict[str, str], hints: PageHints, tree: lxml.html.HtmlElement,
    url: str, now: datetime,
) -> tuple[datetime | None, str | None]:
    candidates: list[tuple[str, str | None]] = []
    if article:
        candidates.append(("json-ld", _first_text(article.get("datePublished") or article.get("dateCreated"))))
    for key in ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                "publish-date", "article.published", "dc.date.issued", "parsely-pub-date", "sailthru.date",
                "published_time", "date"):
        candidates.append(("meta", meta.get(key)))
    for source, value in candidates:
        parsed = parse_news_date(value, now=now) if value else None
        if parsed is not None:
            return parsed, source
    if hints.published_at is not None:
        return hints.published_at, "discovery"
    visible = _visible_date(tree, now)
    if visible is not None:
        return visible, "visible"
    found = _htmldate(tree, url)
    return (found, "htmldate") if found else (None, None)


def _canonical(tree: lxml.html.HtmlElement, meta: dict[str, str], article: dict[str, Any] | None, url: str) -> str:
    candidates = [link.get("href") for link in tree.iter("link") if (link.get("rel") or "").lower() == "canonical"]
    candidates.append(meta.get("og:url"))
    if article:
        candidates.append(_first_text(article.get("url")))
    page_path = urlsplit(url).path.rstrip("/")
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        absolute = urljoin(url, candidate.strip())
        try:
            if registered_domain(absolute) != registered_domain(url):
                continue
            # A canonical that points an article at the home page is a site template bug, not a fact.
            if urlsplit(absolute).path.rstrip("/") == "" and page_path:
                continue
            return canonical_url(absolute)
        except ValueError:
            continue
    return canonical_url(url)


def classify_page(
    types: set[str], meta: dict[str, str], tree: lxml.html.HtmlElement, text: str
) -> tuple[bool, str]:
    """Article or index page? The publisher's own metadata decides when present; otherwise the page's shape."""
    if types & ARTICLE_TYPES:
        return True, "json-ld article type"
    og_type = meta.get("og:type", "").lower()
    if og_type == "article":
        return True, "og:type article"
    if types & INDEX_TYPES:
        return False, "json-ld listing type"
    if og_type in ("website", "section", "blog"):
        return False, f"og:type {og_type}"
    words = len(text.split())
    headline_links = sum(1 for a in tree.iter("a") if len(a.text_content().strip()) >= 30)
    linked_headings = sum(1 for h in tree.iter("h2", "h3", "h4") if h.find(".//a") is not None)
    if linked_headings >= 5:
        return False, f"{linked_headings} linked headlines"
    if words >= 150 and headline_links * 12 <= words:
        return True, f"{words} words of running text"
    return False, f"only {words} words against {headline_links} headline links"


def extract_page(
    html: str | bytes, url: str, *, fetched_at: datetime | None = None, hints: PageHints | None = None
) -> ExtractedPage:
    """Extract one page; ``url`` is its real address (relative links and the canonical resolve against it)."""
    hints = hints or PageHints()
    now = fetched_at or datetime.now(UTC)
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    meta = meta_tags(tree)
    items = jsonld_items(tree)
    article = next((item for item in items if _types(item) & ARTICLE_TYPES), None)
    types = set().union(*(_types(item) for item in items)) if items else set()
    canonical = _canonical(tree, meta, article, url)
    lang = _normalize_lang(
        (article or {}).get("inLanguage") if isinstance((article or {}).get("inLanguage"), str) else None
    ) or _normalize_lang(tree.get("lang")) or _normalize_lang(meta.get("og:locale")) or hints.lang

    published, date_source = _published(article, meta, hints, tree, url, now)
    remove_furniture(tree)
    modified = parse_news_date(
        _first_text((article or {}).get("dateModified")) or meta.get("article:modified_time"), now=now
    )
    extracted = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, favor_precision=True, include_comments=False, deduplicate=False,
    )
    body = cut_furniture_lines(extracted.text or "") if extracted else ""
    if len(body) < 200:
        article_body = _first_text((article or {}).get("articleBody"))
        if article_body and len(article_body) > len(body):
            body = cut_furniture_lines(article_body)
    h1 = next((h.text_content().strip() for h in tree.iter("h1") if h.text_content().strip()), None)
    title = _clean_title(
        _first_text((article or {}).get("headline")) or meta.get("og:title") or h1
        or (extracted.title if extracted else None) or hints.title
    )
    if title and not (article and article.get("headline")) and not meta.get("og:title"):
        title = _TITLE_SUFFIX.sub("", title)
    if title and body.startswith(title):
        body = body[len(title):].lstrip()
    author = _first_text((article or {}).get("author")) or meta.get("author") or meta.get("article:author")
    if author and author.startswith("http"):
        author = None
    author = author or (extracted.author if extracted else None)
    keywords_value = (article or {}).get("keywords") or meta.get("keywords") or meta.get("news_keywords")
    keywords = (
        [k.strip() for k in keywords_value.split(",") if k.strip()] if isinstance(keywords_value, str)
        else [str(k) for k in keywords_value] if isinstance(keywords_value, list) else []
    )
    is_article, reason = classify_page(types, meta, tree, body)
    return ExtractedPage(
        url=url,
        canonical_url=canonical,
        title=title,
        text=body,
        author=author,
        published_at=published,
        date_source=date_source,
        modified_at=modified,
        lang=lang,
        description=meta.get("og:description") or meta.get("description"),
        section=_first_text((article or {}).get("articleSection")) or meta.get("article:section"),
        keywords=keywords[:30],
        is_article=is_article and bool(body),
        kind_reason=reason if body else "no text found",
    )
