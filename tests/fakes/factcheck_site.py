"""A fact-checker's site on 127.0.0.1: a WordPress-style RSS feed, robots.txt and article pages.

Articles are rendered from the saved page shape ``pages/factcheck_article.html`` with a schema.org ClaimReview
JSON-LD block (``pages/claim_review.jsonld``) next to the site's ordinary Yoast ``@graph`` block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from tests.fakes.server import Answer, FakeServer, Seen

PAGES = Path(__file__).resolve().parent / "pages"


@dataclass
class Article:
    """One article: a fact-check with a ClaimReview, an explainer without one, a deleted or a robots-blocked page."""

    slug: str
    title: str
    claim: str
    rating: str = "भ्रामक"
    rating_value: int = 2
    minutes_ago: float = 60
    kind: str = "claim"  # claim | explainer | gone | private
    post_number: int = 0

    @property
    def published(self) -> datetime:
        """When the article was published."""
        return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=self.minutes_ago)

    def path(self) -> str:
        """The article's path on the site."""
        return f"/{'private' if self.kind == 'private' else 'fact-check'}/{self.slug}/"


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


class FakeFactCheckSite(FakeServer):
    """Serves /feed/, /broken-feed/, /robots.txt and the articles."""

    def __init__(self) -> None:
        super().__init__()
        self.articles: list[Article] = []

    def add(self, article: Article) -> Article:
        """Publish an article (it appears in the feed)."""
        article.post_number = 100 + len(self.articles)
        self.articles.append(article)
        return article

    def route(self, request: Seen) -> Answer:
        if request.path == "/robots.txt":
            return Answer(200, "User-agent: *\nDisallow: /private/\nDisallow: /wp-admin/\n", content_type="text/plain")
        if request.path == "/feed/":
            return Answer(200, self._feed(), content_type="application/rss+xml; charset=UTF-8")
        if request.path == "/broken-feed/":
            return Answer(200, "<html><body><h1>Maintenance</h1>", content_type="text/html")
        for article in self.articles:
            if article.path() == request.path and article.kind != "gone":
                return Answer(200, self._page(article), content_type="text/html; charset=UTF-8")
        return Answer(404, "<html><body>पेज नहीं मिला</body></html>", content_type="text/html; charset=UTF-8")

    def _feed(self) -> str:
        items = []
        for article in sorted(self.articles, key=lambda a: a.published, reverse=True):
            items.append(
                f"<item><title>{escape(article.title)}</title><link>{self.url}{article.path()}</link>"
                f"<dc:creator><![CDATA[फ़ैक्ट चेक टीम]]></dc:creator>"
                f"<pubDate>{format_datetime(article.published, usegmt=True)}</pubDate>"
                f"<category><![CDATA[फ़ैक्ट चेक]]></category>"
                f"<guid isPermaLink=\"false\">{self.url}/?p={article.post_number}</guid>"
                f"<description><![CDATA[<p>{escape(article.claim)} पड़ताल में यह दावा {article.rating} निकला।</p>]]>"
                f"</description></item>")
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" "
                "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
                "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:atom=\"http://www.w3.org/2005/Atom\">"
                f"<channel><title>फ़ैक्ट चेक डेस्क</title><link>{self.url}</link>"
                f"<atom:link href=\"{self.url}/feed/\" rel=\"self\" type=\"application/rss+xml\"/>"
                "<description>सच और झूठ की पड़ताल</description><language>hi-IN</language>"
                f"{''.join(items)}</channel></rss>")

    def _page(self, article: Article) -> str:
        values = {"TITLE": article.title, "URL": f"{self.url}{article.path()}", "SITE": self.url,
                  "PUBLISHED": article.published.isoformat(), "VERDICT": f"यह दावा {article.rating} है।",
                  "CLAIM_DATE": (article.published - timedelta(days=1)).date().isoformat(),
                  "RATING": article.rating, "RATING_VALUE": str(article.rating_value)}
        review = ""
        if article.kind != "explainer":
            # JSON-escape the claim for the JSON-LD block, plain for the HTML body.
            review = _fill((PAGES / "claim_review.jsonld").read_text(encoding="utf-8"),
                           {**values, "CLAIM": json.dumps(article.claim, ensure_ascii=False)[1:-1]})
        return _fill((PAGES / "factcheck_article.html").read_text(encoding="utf-8"),
                     {**values, "CLAIM_REVIEW": review, "CLAIM": escape(article.claim)})
