"""Public Telegram channels through their web preview, ``t.me/s/<channel>`` — no account, no API key.

The preview shows a channel's latest ~20 messages, oldest first, with a ``?before=<id>`` link to older ones.
The spider reads the newest page and pages back until it reaches the last message collected before (the
cursor in the collectors' state) or, on a first run, messages older than ``since``. Items are Mentions and go
through the project's ITEM_PIPELINES (validate → enrich → dedupe → store). A channel's cursor moves forward
only when the crawl finished with no errors and its paging reached the old cursor, so a failed page is fetched
again next time instead of being skipped.
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

from janmat.collectors.state import CollectorState
from janmat.collectors.watchlist import load_watchlist
from janmat.core.mention import Engagement, Mention, Platform, Source, mention_id_for_post
from janmat.core.settings import get_settings

log = logging.getLogger(__name__)

COLLECTOR = "telegram"
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
        meta: dict[str, Any] = {"post_id": post, "channel": channel}
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
            meta=meta,
        )))
    return found


class TelegramSpider(scrapy.Spider):
    """Collect new messages of public Telegram channels (``-a channels=a,b``; default: the watchlist's)."""

    name = "telegram"

    def __init__(self, channels: str | None = None, since: str | None = None, report: str | None = None,
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        names = channels.split(",") if channels else load_watchlist().telegram.channels
        self.channels = [c.strip().lstrip("@") for c in names if c.strip()]
        self.base = settings.collectors.telegram_base.rstrip("/")
        self.backfill = since is not None
        self.since = (datetime.fromisoformat(since) if since
                      else datetime.now(UTC) - timedelta(days=settings.collectors.first_run_days))
        if self.since.tzinfo is None:
            self.since = self.since.replace(tzinfo=UTC)
        self.report_path = Path(report) if report else None
        self.state = CollectorState()
        self.last_id = {c: 0 if self.backfill else int(self.state.get(COLLECTOR, f"channel:{c}").get("last_id", 0))
                        for c in self.channels}
        self.complete: set[str] = set()
        self.handled: dict[str, int] = {}
        self.broken: set[str] = set()
        self.counts = {"fetched": 0, "without_text": 0, "dropped": 0}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TelegramSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.item_handled, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        crawler.signals.connect(spider.save_cursors, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per channel for its newest preview page."""
        for channel in self.channels:
            yield scrapy.Request(f"{self.base}/s/{channel}", callback=self.parse, cb_kwargs={"channel": channel},
                                 errback=self.page_failed, meta={"channel": channel})

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
                self.handled[channel] = max(self.handled.get(channel, 0), message_id)
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
        yield response.follow(f"{self.base}/s/{channel}?before={oldest}", callback=self.parse,
                              cb_kwargs={"channel": channel}, errback=self.page_failed, meta={"channel": channel})

    def page_failed(self, failure: Any) -> None:
        """A page that could not be fetched leaves its channel's cursor where it was."""
        channel = failure.request.meta.get("channel")
        log.error("telegram: %s failed: %s", failure.request.url, failure.getErrorMessage())
        if channel:
            self.broken.add(channel)

    def _channel_of(self, item: Any) -> tuple[str, int] | None:
        post = item.meta.get("post_id", "") if isinstance(item, Mention) else ""
        channel, _, number = post.rpartition("/")
        return (channel, int(number)) if channel in self.last_id and number.isdigit() else None

    def item_handled(self, item: Any, **_: Any) -> None:
        """An item made it through every pipeline stage."""
        if found := self._channel_of(item):
            self.handled[found[0]] = max(self.handled.get(found[0], 0), found[1])

    def item_dropped(self, item: Any, **_: Any) -> None:
        """A pipeline stage dropped the item on purpose (invalid or duplicate): it is handled too."""
        self.counts["dropped"] += 1
        self.item_handled(item)

    def item_failed(self, item: Any, **_: Any) -> None:
        """A pipeline stage raised: keep that channel's cursor so the item is tried again."""
        if found := self._channel_of(item):
            self.broken.add(found[0])

    def save_cursors(self, spider: scrapy.Spider, reason: str) -> None:
        """Advance each fully collected channel's cursor, after the pipelines stored its items."""
        errors = self.crawler.stats.get_value("log_count/ERROR", 0)
        saved = []
        for channel in self.channels:
            ok = reason == "finished" and not errors and channel in self.complete and channel not in self.broken
            if ok and channel in self.handled:
                newest = max(self.handled[channel], int(self.state.get(COLLECTOR, f"channel:{channel}")
                                                        .get("last_id", 0)))
                self.state.put(COLLECTOR, f"channel:{channel}", {"last_id": newest})
                saved.append(channel)
        if self.report_path:
            self.report_path.write_text(json.dumps({
                **self.counts, "reason": reason, "errors": errors, "saved": saved,
                "broken": sorted(self.broken), "incomplete": sorted(set(self.channels) - self.complete),
            }), encoding="utf-8")
        self.state.close()
