"""Article extraction: clean text, title, author, publish date and canonical URL from one news page.

trafilatura finds the main text and htmldate searches for dates; the page's own metadata (JSON-LD
``NewsArticle``, ``og:``/``article:`` meta tags, ``rel=canonical``) is preferred wherever the publisher states
a fact outright. Two steps are ours because the libraries do not cover them on Indian sites:

* furniture removal before extraction: containers whose class or id names them as weather widgets, menus,
  share bars, related/recommended/most-read boxes (DD News' weather widget otherwise *becomes* the article);
* a tail cut after extraction: headings such as "सबसे ज्यादा पढ़े गए", "Recommended News", "Related News" end
  the story, and "यह भी पढ़ें: …" lines inside it are dropped.

Keeping the whole body: trafilatura's precision pass sometimes drops most of a story (a paywalled or folded
container, a story split across sibling chunks or text columns). Story text a page hides until a click or a
subscription is unfolded first; the publisher's own JSON-LD ``articleBody`` (or live-blog updates) and, when the
precision text is short for the page, trafilatura's recall pass on the page with its split body joined are
candidates, and a much fuller one replaces it (furniture removal applies to every candidate alike).

``ExtractedPage`` is the extractor's result only; the spider turns it into the canonical ``Mention`` at once.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections import Counter, defaultdict
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
    r"rail|rhs|editors?-picks?|more-?news|more-?stories|read-?more|read-?also|taboola|outbrain|promo|"
    r"app-?download|follow-?us|tags|tag-list)(?:[\s_-]|$)",
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
    r"|^\s*(?:Updated|Published|Posted|Posted On|Last Updated|अपडेटेड|प्रकाशित)\s*:?[^\n]{0,50}\d{4}[^\n]{0,25}$",
    re.I,
)
# Class or id words of containers that fold, lock or hide part of a story until a click, a script or a
# subscription reveals it: paywalls, metered blocks, "read the full story" expanders.
_LOCKED = re.compile(
    r"paywall|premium|paid-?content|subscriber|metered|meter-content|obfuscat|blurred|expand|collaps|truncat|"
    r"hidden-content|restricted|(?:^|[\s_-])(?:lock|locked|plus)(?:[\s_-]|$)",
    re.I,
)
_REVEAL_ATTRIBUTES = ("class", "id", "style", "aria-hidden", "aria-expanded", "hidden")
_SIMPLE_SELECTOR = re.compile(r"^([A-Za-z][\w-]*)?((?:[.#][\w-]+)+)$")
STORY_CHARS = 200  # running text a container holds when it is (part of) a story, not a prompt or a button
CHUNK_CHARS = 80  # running text of one chunk of a story split across sibling containers
SHORT_SHARE = 0.6  # precision text below this share of the page's running text: try the fuller passes
FULLER = 1.67  # "much less": the precision text has under 60 % of the words of a candidate
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


def story_chars(element: lxml.html.HtmlElement) -> int:
    """Characters of running text in ``element``: its text outside links, or 0 when links make most of it."""
    total = len(element.text_content())
    links = sum(len(link.text_content()) for link in element.iter("a"))
    return total - links if links <= 0.3 * total else 0


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def running_text_chars(tree: lxml.html.HtmlElement) -> int:
    """Characters (spaces aside) of the page's visible text outside links, scripts and styles."""
    body = tree.body
    if body is None:
        return 0
    hidden = sum(_visible_chars(element.text_content()) for element in body.iter("a", "script", "style", "noscript"))
    return max(_visible_chars(body.text_content()) - hidden, 0)


def _selector_xpath(selector: str) -> str | None:
    """XPath for a simple CSS selector (``tag``, ``.class``, ``#id`` combined), else None."""
    match = _SIMPLE_SELECTOR.match(selector.strip())
    if match is None:
        return None
    conditions = [f"@id='{name}'" if kind == "#" else f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
                  for kind, name in re.findall(r"([.#])([\w-]+)", match.group(2))]
    return f"//{match.group(1) or '*'}[{' and '.join(conditions)}]"


def _stated_locked_parts(tree: lxml.html.HtmlElement, article: dict[str, Any] | None) -> set[Any]:
    """Elements the page's JSON-LD names as the part of the article that is not free (``hasPart.cssSelector``)."""
    parts = (article or {}).get("hasPart")
    found: set[Any] = set()
    for part in parts if isinstance(parts, list) else [parts]:
        selector = part.get("cssSelector") if isinstance(part, dict) else None
        for simple in selector.split(",") if isinstance(selector, str) else []:
            xpath = _selector_xpath(simple)
            if xpath:
                found.update(tree.xpath(xpath))
    return found


def reveal_locked_text(tree: lxml.html.HtmlElement, article: dict[str, Any] | None) -> None:
    """Unfold story text the page hides until a click or a subscription; drop the lock prompts, in place.

    A container named as a paywalled, metered or folded block, or named by the page's JSON-LD ``hasPart`` as the
    part that is not free, is part of the story when it holds running text: its hiding attributes go. One that
    holds only a line or two is the prompt ("subscribe to read on", "read the full story") and is dropped.
    """
    stated = _stated_locked_parts(tree, article)
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head") or element.getparent() is None:
            continue
        attributes = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element not in stated and not _LOCKED.search(attributes):
            continue
        if story_chars(element) >= STORY_CHARS:
            for name in _REVEAL_ATTRIBUTES:
                element.attrib.pop(name, None)
        elif len(element.text_content()) < STORY_CHARS and element.find(".//h1") is None:
            element.drop_tree()


def _signature(element: lxml.html.HtmlElement) -> str | None:
    """Tag and class words without digits: the chunks or text columns of one story share it."""
    words = sorted(word for word in (element.get("class") or "").split() if not any(c.isdigit() for c in word))
    return f"{element.tag}.{'.'.join(words)}" if words else None


def join_split_body(tree: lxml.html.HtmlElement) -> bool:
    """Wrap the richest run of same-named sibling containers of running text into one ``articleBody``, in place.

    A story split into chunks or columns is otherwise read up to its first container only. Document order is
    kept: whatever sits between the chunks (ads, "also read" boxes) moves into the wrapper too and is left to
    the furniture rules. Returns whether a run was found.
    """
    best: list[lxml.html.HtmlElement] = []
    best_chars = 0
    for parent in tree.iter():
        groups: dict[str, list[lxml.html.HtmlElement]] = defaultdict(list)
        for child in parent:
            signature = _signature(child) if child.tag in ("div", "section", "article") else None
            if signature:
                groups[signature].append(child)
        for members in (members for members in groups.values() if len(members) > 1):
            chars = [story_chars(member) for member in members]
            texty = [member for member, count in zip(members, chars, strict=True) if count >= CHUNK_CHARS]
            total = sum(count for count in chars if count >= CHUNK_CHARS)
            if len(texty) > 1 and total > best_chars and max(chars) < 0.8 * total:
                best, best_chars = texty, total
    if not best:
        return False
    parent = best[0].getparent()
    run = list(parent)[parent.index(best[0]):parent.index(best[-1]) + 1]
    wrapper = etree.Element("div", itemprop="articleBody")
    parent.insert(parent.index(best[0]), wrapper)
    wrapper.extend(run)
    return True


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str, **focus: bool) -> str:
    """Body text of one trafilatura pass (no metadata), furniture lines cut."""
    found = trafilatura.bare_extraction(tree, url=url, include_comments=False, deduplicate=False, **focus)
    return cut_furniture_lines(found.text or "") if found else ""


def _words(text: str) -> Counter[str]:
    return Counter(text.lower().split())


def _running(text: str) -> bool:
    """Whether most of ``text`` is running prose (lines of eight words or more), not a list of menu labels."""
    long_lines = sum(len(line) for line in text.splitlines() if len(line.split()) >= 8)
    return long_lines >= 0.6 * len(text)


def _prefer(text: str, candidate: str, *, stated: bool) -> bool:
    """Whether ``candidate`` should replace ``text``: it is much fuller (a heuristic pass must also hold most of
    ``text`` and read as prose), or, stated by the publisher, it is longer and ``text`` is mostly something else."""
    mine, theirs = _words(text), _words(candidate)
    overlap = (mine & theirs).total()
    if stated and theirs.total() > mine.total() and overlap < 0.5 * mine.total():
        return True
    if theirs.total() < FULLER * mine.total():
        return False
    return stated or (_running(candidate) and (mine.total() < 30 or overlap >= 0.8 * mine.total()))


def stated_body(article: dict[str, Any] | None) -> str:
    """The publisher's own body text in JSON-LD: ``articleBody``, or a live blog's updates in order."""
    if not article:
        return ""
    parts: list[str] = [_first_text(article.get("articleBody")) or ""]
    updates = article.get("liveBlogUpdate")
    for update in updates if isinstance(updates, list) else []:
        if isinstance(update, dict):
            parts.append(_first_text(update.get("articleBody")) or "")
    text = "\n".join(part for part in parts if part)
    if "<" in text:
        try:
            text = lxml.html.fragment_fromstring(text, create_parent="div").text_content()
        except (etree.ParserError, ValueError):
            pass
    return cut_furniture_lines(html_lib.unescape(text))


def full_body(tree: lxml.html.HtmlElement, url: str, precise: str, article: dict[str, Any] | None) -> str:
    """The precision text, unless JSON-LD or the recall pass (split body joined first) holds much more of it.

    The recall pass runs only when the precision text is short for the page's running text, so most pages cost
    one trafilatura pass. Joining wraps ``tree`` in place; nothing read from it later depends on its nesting.
    """
    body = precise
    stated = stated_body(article)
    if stated and (len(body) < STORY_CHARS < len(stated) or _prefer(body, stated, stated=True)):
        body = stated
    if _visible_chars(body) >= SHORT_SHARE * running_text_chars(tree):
        return body
    join_split_body(tree)
    candidate = _trafilatura_text(tree, url, favor_recall=True)
    return candidate if _prefer(body, candidate, stated=False) else body


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
    reveal_locked_text(tree, article)
    modified = parse_news_date(
        _first_text((article or {}).get("dateModified")) or meta.get("article:modified_time"), now=now
    )
    extracted = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, favor_precision=True, include_comments=False, deduplicate=False,
    )
    body = full_body(tree, url, cut_furniture_lines(extracted.text or "") if extracted else "", article)
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
