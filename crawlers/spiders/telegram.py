"""Public Telegram channels through their web preview, ``t.me/s/<channel>`` — no account, no API key.

The preview shows a channel's latest ~20 messages, oldest first, with a ``?before=<id>`` link to older ones.
The spider reads the newest page and pages back until it reaches the last message collected before (the
channel's cursor, handed in with ``-a cursors=FILE``) or, on a first run, messages older than ``since``. Items
are Mentions and go through the project's item pipeline (validate → enrich → dedupe → store).

The spider keeps no state of its own: it writes each channel's new cursor into its report (``-a report=FILE``)
only when the crawl finished with no errors, its paging reached the old cursor and every item of the channel was
stored or dropped on purpose. The Telegram collector saves those cursors after the crawl exited; a failed page
is fetched again next time instead of being skipped.

    scrapy crawl telegram -a channels=a,b [-a cursors=cursors.json] [-a since=2026-11-01] [-a report=out.json]
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response
from w3lib.html import remove_tags, replace_entities

from crawlers import signals as crawl_signals
from crawlers.context import CrawlContext
from janmat.core.mention import Engagement, Mention, Platform, Source, mention_id_for_post
from janmat.core.settings import get_settings

log = logging.getLogger(__name__)

_BR = re.compile(r"<br\s*/?>", re.I)
_COUNT = re.compile(r"^([\d.,]+)\s*([KMB]?)$", re.I)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def parse_count(text: str | None) -> int | None:
    """A preview counter (``987``, ``12.3K``, ``1.2M``) as an integer."""
    match = _COUNT.match((text or "").strip())
    if not match:
        return None
    return int(float(match.group(1).replace(",", "")) * _SCALE[match.group(2).upper()])


def _text(html: str | None) -> str:
    if not html:
        return ""
    lines = replace_entities(remove_tags(_BR.sub("\n", html))).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def message_mentions(response: Response, channel: str) -> list[tuple[int, Mention | None]]:
    """Every message on a preview page as (message id, Mention or None when it has no text), oldest first."""
    channel_title = _text(response.css(".tgme_channel_info_header_title").get()) or channel
    found: list[tuple[int, Mention | None]] = []
    for message in response.css(".tgme_widget_message[data-post]"):
        post = message.attrib["data-post"]
        try:
            message_id = int(post.rsplit("/", 1)[1])
        except (IndexError, ValueError):
            log.warning("telegram: unexpected data-post %r on %s", post, response.url)
            continue
        text = _text(message.css(".tgme_widget_message_text").get())
        if not text:
            found.append((message_id, None))  # a photo, sticker or poll without a caption
            continue
        stamp = message.css(".tgme_widget_message_date time::attr(datetime)").get()
        signature = _text(message.css(".tgme_widget_message_from_author").get()) or None
        forwarded = message.css(".tgme_widget_message_forwarded_from_name")
        reply_href = message.css("a.tgme_widget_message_reply::attr(href)").get()
        parent = None
        if reply_href:
            parts = reply_href.rstrip("/").split("/")
            if len(parts) >= 2 and parts[-1].isdigit():
                parent = mention_id_for_post(Platform.telegram, f"{parts[-2]}/{parts[-1]}")
        meta: dict[str, Any] = {"channel": channel}
        if forwarded:
            meta["forwarded_from"] = _text(forwarded.get())
            meta["forwarded_from_url"] = forwarded.attrib.get("href")
        found.append((message_id, Mention(
            id=mention_id_for_post(Platform.telegram, post),
            platform=Platform.telegram,
            source=Source(name=channel_title, domain="t.me"),
            url=f"https://t.me/{post}",
            text=text,
            published_at=datetime.fromisoformat(stamp) if stamp else None,
            author=signature or channel_title,
            engagement=Engagement(views=parse_count(message.css(".tgme_widget_message_views::text").get())),
            parent_id=parent,
            post_id=post,
            meta=meta,
        )))
    return found


class TelegramSpider(scrapy.Spider):
    """Collect new messages of public Telegram channels (``-a channels=a,b``)."""

    name = "telegram"

    def __init__(self, channels: str | None = None, cursors: str | None = None, since: str | None = None,
                 report: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.channels = [c.strip().lstrip("@") for c in (channels or "").split(",") if c.strip()]
        if not self.channels:
            raise ValueError("name the channels to collect: -a channels=a,b")
        saved = json.loads(Path(cursors).read_text(encoding="utf-8")) if cursors else {}
        self.base = settings.collectors.telegram_base.rstrip("/")
        self.since = (datetime.fromisoformat(since) if since
                      else datetime.now(UTC) - timedelta(days=settings.collectors.first_run_days))
        if self.since.tzinfo is None:
            self.since = self.since.replace(tzinfo=UTC)
        self.report_path = Path(report) if report else None
        self.last_id = {c: int(saved.get(c, 0)) for c in self.channels}
        self.complete: set[str] = set()
        self.handled: dict[str, int] = {}
        self.broken: set[str] = set()
        self.counts = {"fetched": 0, "without_text": 0, "dropped": 0}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TelegramSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.mentions_stored, signal=crawl_signals.mentions_stored)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        crawler.signals.connect(spider.write_report, signal=signals.spider_closed)
        return spider

    def _page_request(self, channel: str, url: str) -> scrapy.Request:
        context = CrawlContext(f"telegram:{channel}", "channel", url)
        return scrapy.Request(url, callback=self.parse, cb_kwargs={"channel": channel}, errback=self.page_failed,
                              meta=context.meta())

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per channel for its newest preview page."""
        for channel in self.channels:
            yield self._page_request(channel, f"{self.base}/s/{channel}")

    def parse(self, response: Response, channel: str) -> Iterator[Mention | scrapy.Request]:
        """Yield the page's new messages and follow ``?before=`` until the old cursor or ``since`` is reached."""
        messages = message_mentions(response, channel)
        if not messages and not response.css(".tgme_channel_info, .tgme_widget_message_wrap, .tgme_page"):
            log.error("telegram: %s does not look like a t.me/s preview page; has the layout changed?", response.url)
            self.broken.add(channel)
            return
        last_id = self.last_id[channel]
        reached_old = False
        for message_id, mention in messages:
            if message_id <= last_id:
                reached_old = True
                continue
            if mention is None:
                self.counts["without_text"] += 1
                self._handled(channel, message_id)
                continue
            if mention.published_at and mention.published_at < self.since and not last_id:
                reached_old = True
                continue
            self.counts["fetched"] += 1
            yield mention
        oldest = min((message_id for message_id, _ in messages), default=None)
        before = response.css("a.tme_messages_more[data-before]::attr(data-before)").get()
        if reached_old or oldest is None or oldest <= last_id + 1 or not before:
            self.complete.add(channel)
            return
        yield self._page_request(channel, f"{self.base}/s/{channel}?before={oldest}")

    def page_failed(self, failure: Any) -> None:
        """A page that could not be fetched leaves its channel's cursor where it was."""
        log.error("telegram: %s failed: %s", failure.request.url, failure.getErrorMessage())
        self.broken.add(failure.request.cb_kwargs["channel"])

    def _channel_of(self, item: Any) -> tuple[str, int] | None:
        post = (item.post_id or "") if isinstance(item, Mention) else ""
        channel, _, number = post.rpartition("/")
        return (channel, int(number)) if channel in self.last_id and number.isdigit() else None

    def _handled(self, channel: str, message_id: int) -> None:
        self.handled[channel] = max(self.handled.get(channel, 0), message_id)

    def mentions_stored(self, stored: list[Mention]) -> None:
        """The pipeline stored these mentions: their messages are collected."""
        for mention in stored:
            if found := self._channel_of(mention):
                self._handled(*found)

    def item_dropped(self, item: Any, **_: Any) -> None:
        """A pipeline stage dropped the item on purpose (invalid or duplicate): it is handled too."""
        self.counts["dropped"] += 1
        if found := self._channel_of(item):
            self._handled(*found)

    def item_failed(self, item: Any, **_: Any) -> None:
        """A pipeline stage raised or the store refused the item: keep that channel's cursor so it is tried again."""
        if found := self._channel_of(item):
            self.broken.add(found[0])

    def new_cursors(self, reason: str, errors: int) -> dict[str, int]:
        """The newest collected message id of each channel that was collected completely and stored."""
        if reason != "finished" or errors:
            return {}
        return {channel: self.handled[channel] for channel in self.channels
                if channel in self.complete and channel not in self.broken and channel in self.handled}

    def write_report(self, spider: scrapy.Spider, reason: str) -> None:
        """Write the counts and the new cursors for the collector, after the pipeline stored the last batch."""
        errors = self.crawler.stats.get_value("log_count/ERROR", 0)
        if self.report_path:
            self.report_path.write_text(json.dumps({
                **self.counts, "reason": reason, "errors": errors, "cursors": self.new_cursors(reason, errors),
                "broken": sorted(self.broken), "incomplete": sorted(set(self.channels) - self.complete),
            }), encoding="utf-8")
