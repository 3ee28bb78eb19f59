"""A live local news site for the monitor's tests and ``benchmarks/freshness.py``: sources whose feeds grow.

``LiveNewsSite`` serves ``N`` sources on 127.0.0.1, each under ``/sNN/``: an RSS feed of its newest articles
(with ETag and Last-Modified, answering conditional GETs with 304 like a real publisher) and the article pages,
each a NewsArticle with JSON-LD, Open Graph tags and a few Hindi paragraphs. ``publish()`` puts a new article in
a source's feed at once and returns when it did, so a caller can time publication → searchable.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

from janmat.demo.server import Reply, SiteServer

FEED_SIZE = 30
"""Articles a feed lists, newest first (publishers list their latest 20–50)."""

_PARAGRAPHS = (
    "{district} जिले में {scheme} के लाभार्थियों की संख्या पिछले महीने बढ़ी है। जिला प्रशासन के अनुसार "
    "गांवों में विशेष शिविर लगाए गए और लोगों के आवेदन मौके पर ही भरे गए।",
    "उपायुक्त ने बताया कि {scheme} के तहत पात्र परिवारों की सूची पंचायतों में लगाई गई है। किसी भी "
    "शिकायत के लिए खंड कार्यालय में सहायता केंद्र खोला गया है, जहां सुबह दस से शाम पांच बजे तक कर्मचारी रहेंगे।",
    "कुछ ग्रामीणों ने कहा कि आवेदन की प्रक्रिया लंबी है और दस्तावेज़ जुटाने में समय लगता है। अधिकारियों ने "
    "भरोसा दिलाया कि अगले सप्ताह से हर खंड में अतिरिक्त कर्मचारी तैनात होंगे।",
    "{district} के किसानों और मजदूरों ने शिविर की सराहना की। योजना की पूरी जानकारी सरकारी पोर्टल पर "
    "उपलब्ध है और हेल्पलाइन नंबर पर भी पूछताछ की जा सकती है।",
)


@dataclass(frozen=True)
class Story:
    """One published article: where it lives and when it appeared in its feed."""

    source: int
    number: int
    title: str
    district: str
    scheme: str
    published: datetime
    published_monotonic: float

    @property
    def path(self) -> str:
        """The article's URL path."""
        return f"/s{self.source:02d}/news/story-{self.number:05d}.html"


class LiveNewsSite(SiteServer):
    """``sources`` news sites on one local server; ``publish`` adds an article to a source's feed."""

    def __init__(self, sources: int, root: Path | None = None) -> None:
        super().__init__(root or Path(__file__).parent)
        self.sources = sources
        self.stories: dict[int, list[Story]] = {n: [] for n in range(sources)}
        self._by_path: dict[str, Story] = {}
        self._publish_lock = threading.Lock()
        self._next_number = 10000
        self.delay_seconds = 0.0
        """How long each article page takes to answer (a slow site, so a crawl can be interrupted mid-way)."""
        self.fetched: dict[str, list[float]] = {}
        """When each article path was answered (monotonic clock)."""
        self._feed_times: dict[int, list[float]] = {}

    def source_key(self, source: int) -> str:
        """The registry key of source ``source``."""
        return f"live-{source:02d}"

    def feed_url(self, source: int) -> str:
        """The feed of source ``source``."""
        return f"{self.base_url}/s{source:02d}/feed.xml"

    def url_of(self, story: Story) -> str:
        """The article's URL on this server."""
        return self.base_url + story.path

    def publish(self, source: int, title: str | None = None, district: str = "हिसार",
                scheme: str = "आयुष्मान भारत योजना") -> Story:
        """Put a new article at the top of the source's feed now, and return it."""
        with self._publish_lock:
            self._next_number += 1
            number = self._next_number
            story = Story(source, number, title or f"{district} में {scheme} पर विशेष शिविर, खबर {number}",
                          district, scheme, datetime.now(UTC), time.monotonic())
            self.stories[source].insert(0, story)
            self._by_path[story.path] = story
        return story

    def feed_times(self, source: int) -> list[float]:
        """When the feed of ``source`` was requested (monotonic clock), in order."""
        with self._publish_lock:
            return list(self._feed_times.get(source, ()))

    def registry_entries(self, interval_minutes: int = 5) -> list[dict]:
        """Registry entries (``crawlers/sources.yaml`` shape) for every source, feeds only."""
        return [{"key": self.source_key(n), "name": f"Live sample {n:02d} (नमूना)",
                 "homepage": f"{self.base_url}/s{n:02d}/", "language": "hi", "feeds": [self.feed_url(n)],
                 "robots_sitemaps": False, "crawl_interval_minutes": interval_minutes}
                for n in range(self.sources)]

    def write_registry(self, path: Path, interval_minutes: int = 5) -> Path:
        """Write the registry file (JSON is valid YAML) and return its path."""
        path.write_text(json.dumps({"sources": self.registry_entries(interval_minutes)}, ensure_ascii=False),
                        encoding="utf-8")
        return path

    # ------------------------------------------------------------------ pages
    def respond(self, path: str, request_headers: dict[str, str]) -> Reply:
        """robots.txt, feeds and articles; 404 for anything else."""
        if path == "/robots.txt":
            return Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain; charset=utf-8"})
        if path.endswith("/feed.xml") and path.startswith("/s"):
            with self._publish_lock:
                self._feed_times.setdefault(int(path[2:4]), []).append(time.monotonic())
            return self._feed(int(path[2:4]), request_headers)
        story = self._by_path.get(path)
        if story is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain; charset=utf-8"})
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        with self._publish_lock:
            self.fetched.setdefault(path, []).append(time.monotonic())
        return Reply(200, self._article(story).encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    def _feed(self, source: int, request_headers: dict[str, str]) -> Reply:
        with self._publish_lock:
            stories = list(self.stories.get(source, ())[:FEED_SIZE])
        items = "".join(
            f"<item><title>{escape(s.title)}</title><link>{self.url_of(s)}</link><guid>{self.url_of(s)}</guid>"
            f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate></item>" for s in stories)
        body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Live {source:02d}</title>'
                f"<link>{self.base_url}/s{source:02d}/</link>{items}</channel></rss>").encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = format_datetime(stories[0].published if stories else datetime(2026, 1, 1, tzinfo=UTC),
                                   usegmt=True)
        if request_headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag, "Last-Modified": modified})
        return Reply(200, body, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag,
                                 "Last-Modified": modified})

    def _article(self, story: Story) -> str:
        url = self.url_of(story)
        when = story.published.isoformat()
        paragraphs = "".join(f"<p>{html.escape(p.format(district=story.district, scheme=story.scheme))}</p>"
                             for p in _PARAGRAPHS)
        body_text = " ".join(p.format(district=story.district, scheme=story.scheme) for p in _PARAGRAPHS)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
                         "url": url, "datePublished": when, "inLanguage": "hi", "articleBody": body_text,
                         "author": {"@type": "Person", "name": "संवाददाता"}}, ensure_ascii=False)
        title = html.escape(story.title)
        return (f'<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8"><title>{title}</title>'
                f'<link rel="canonical" href="{url}"><meta property="og:type" content="article">'
                f'<meta property="og:title" content="{title}"><meta property="article:published_time" '
                f'content="{when}"><script type="application/ld+json">{ld}</script></head><body>'
                f"<article><h1>{title}</h1>{paragraphs}</article></body></html>")


def test_a_published_story_is_in_its_feed_and_the_feed_answers_conditional_gets() -> None:
    with LiveNewsSite(2) as site:
        first = httpx.get(site.feed_url(0))
        assert first.status_code == 200 and "<item>" not in first.text
        unchanged = httpx.get(site.feed_url(0), headers={"If-None-Match": first.headers["ETag"]})
        assert unchanged.status_code == 304
        story = site.publish(0, district="रोहतक")
        changed = httpx.get(site.feed_url(0), headers={"If-None-Match": first.headers["ETag"]})
        assert changed.status_code == 200 and site.url_of(story) in changed.text
        assert "<item>" not in httpx.get(site.feed_url(1)).text
        page = httpx.get(site.url_of(story))
        assert page.status_code == 200 and '"NewsArticle"' in page.text and "रोहतक" in page.text
