"""Fake Google News RSS search: ``GET /rss/search?q=…&hl=hi&gl=IN&ceid=IN:hi``.

Answers an RSS 2.0 feed shaped like Google News's: ``title`` "headline - publisher", ``link`` a
``<this server>/rss/articles/<id>?oc=5`` redirect link, ``guid`` the id, ``pubDate`` in GMT, an HTML
``description`` and ``<source url="publisher home">``. Older-style ids embed the publisher URL in a small
protobuf (base64url); newer ones (``AU_yqL…``) are opaque. ``GET /rss/articles/<id>`` answers, as Google does,
with a page whose script leads the browser on: no article on it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from tests.fakes.server import Answer, FakeServer, Seen

_TERM = re.compile(r'"([^"]+)"|(\S+)')
_REDIRECT_PAGE = ("<!doctype html><html lang=\"hi\"><head><title>Google News</title></head><body>"
                  "<c-wiz jsrenderer=\"a\" data-n-a-sg=\"AU_yqL\"><div>Opening…</div></c-wiz>"
                  "<script>/* the article URL is fetched by script */</script></body></html>")


def article_id(url: str | None, opaque: str) -> str:
    """A Google News article id: protobuf {1: 19, 4: url, 26: ""} in base64url, or an opaque one."""
    if url is None:
        payload = b"\x08\x13\x22" + bytes([len(opaque)]) + opaque.encode()
    else:
        raw = url.encode()
        payload = b"\x08\x13\x22" + bytes([len(raw)]) + raw + b"\xd2\x01\x00"
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


@dataclass
class Story:
    """One story in the index."""

    headline: str
    publisher: str
    home: str
    url: str | None
    minutes_ago: float = 30

    @property
    def published(self) -> datetime:
        """Publication time."""
        return datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=self.minutes_ago)


class FakeGoogleNews(FakeServer):
    """RSS search over in-memory stories."""

    def __init__(self) -> None:
        super().__init__()
        self.stories: list[Story] = []

    def add(self, story: Story) -> Story:
        """Index a story."""
        self.stories.append(story)
        return story

    def route(self, request: Seen) -> Answer:
        if request.path.startswith("/rss/articles/"):
            return Answer(200, _REDIRECT_PAGE, content_type="text/html; charset=utf-8")
        if request.path != "/rss/search":
            return Answer(404, "<html>404</html>", content_type="text/html")
        params = request.params
        terms = [(q or b).casefold() for q, b in _TERM.findall(params.get("q", "")) if (q or b) != "OR"]
        found = [s for s in self.stories if any(t in s.headline.casefold() for t in terms)]
        found.sort(key=lambda s: s.published, reverse=True)
        items = []
        for index, story in enumerate(found[:100]):
            story_id = article_id(story.url, f"AU_yqLopaque{index:04d}{len(story.headline)}")
            link = f"{self.url}/rss/articles/{story_id}?oc=5"
            title = f"{story.headline} - {story.publisher}"
            description = (f'<a href="{link}" target="_blank">{escape(story.headline)}</a>&nbsp;&nbsp;'
                           f'<font color="#6f6f6f">{escape(story.publisher)}</font>')
            items.append(
                f"<item><title>{escape(title)}</title><link>{link}</link>"
                f"<guid isPermaLink=\"false\">{story_id}</guid>"
                f"<pubDate>{format_datetime(story.published, usegmt=True)}</pubDate>"
                f"<description>{escape(description)}</description>"
                f"<source url={quoteattr(story.home)}>{escape(story.publisher)}</source></item>")
        query = escape(params.get("q", ""))
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>"
                "<generator>NFE/5.0</generator>"
                f"<title>\"{query}\" - Google समाचार</title>"
                f"<link>https://news.google.com/search?q={query}&amp;hl=hi&amp;gl=IN&amp;ceid=IN:hi</link>"
                "<language>hi</language><webMaster>news-webmaster@google.com</webMaster>"
                f"<lastBuildDate>{format_datetime(datetime.now(UTC), usegmt=True)}</lastBuildDate>"
                "<description>Google समाचार</description>"
                f"{''.join(items)}</channel></rss>")
        return Answer(200, body, content_type="application/xml; charset=utf-8")
