"""Fact-checkers' feeds plus the schema.org ClaimReview markup on their articles, as ``factcheck`` records.

For each new feed entry the article page is fetched (when robots.txt allows) and its JSON-LD read with
extruct; every ClaimReview becomes one record: the claim as text, the headline as title, and
``meta.claim_review`` = {claim, rating, rating_value, best_rating, worst_rating, reviewed_by, claim_author,
claim_date, appearances, date_published, url, language} for the misinformation matcher. An entry whose page has
no ClaimReview (an explainer) is kept as a record from the feed alone, with ``meta.claim_review`` None. The
ClaimReviews also become known claims in the store (``janmat.store.claims_reviews``), malformed fields and all.
Cursor per feed: the entry ids already delivered (bounded); one broken feed does not stop the others.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import extruct
import feedparser
from protego import Protego
from w3lib.html import remove_tags, replace_entities

from janmat.collectors.base import CollectContext, Collector, parse_time, primary_lang
from janmat.collectors.errors import ApiError, CollectorError, MalformedResponseError
from janmat.collectors.http import ApiClient
from janmat.collectors.watchlist import FactCheckFeed
from janmat.core.mention import Mention, Platform, Source, mention_id_for_post
from janmat.store.claims_backends import claim_store_for
from janmat.store.claims_reviews import claims_from_records
from pipelines.store import StoreStage

log = logging.getLogger(__name__)

_SEEN_LIMIT = 2000


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object in a tree (top level, ``@graph`` members, nested values)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if value else None


def claim_reviews(html: str | bytes, url: str) -> list[dict[str, Any]]:
    """The ClaimReview objects in a page's JSON-LD, flattened into ``meta.claim_review`` dicts; a field of the
    wrong shape (a list, an object, a number where text belongs) is read as best it can be, never raised on."""
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], errors="log")
    reviews: list[dict[str, Any]] = []
    for node in _walk(data.get("json-ld", [])):
        if "ClaimReview" not in _types(node):
            continue
        rating = node.get("reviewRating") or {}
        rating = rating[0] if isinstance(rating, list) and rating else rating
        item = node.get("itemReviewed") or {}
        item = item[0] if isinstance(item, list) and item else item
        item = item if isinstance(item, dict) else {}  # malformed: kept without the claim's author and date
        appearances = item.get("appearance") or item.get("firstAppearance") or []
        appearances = appearances if isinstance(appearances, list) else [appearances]
        reviews.append({
            "claim": _name(node.get("claimReviewed")),
            "rating": _name(rating.get("alternateName")) if isinstance(rating, dict) else _name(rating),
            "rating_value": rating.get("ratingValue") if isinstance(rating, dict) else None,
            "best_rating": rating.get("bestRating") if isinstance(rating, dict) else None,
            "worst_rating": rating.get("worstRating") if isinstance(rating, dict) else None,
            "reviewed_by": _name(node.get("author")),
            "claim_author": _name(item.get("author")) if isinstance(item, dict) else None,
            "claim_date": _name(item.get("datePublished")),
            "appearances": [a.get("url") if isinstance(a, dict) else a for a in appearances if a],
            "date_published": _name(node.get("datePublished")),
            "url": _name(node.get("url")) or url,
            "language": node.get("inLanguage") if isinstance(node.get("inLanguage"), str)
            else _name(node.get("inLanguage")),
        })
    return reviews


def _plain(html: str) -> str:
    return " ".join(replace_entities(remove_tags(html or "")).split())


def _entry_time(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def records(entry: Any, feed: FactCheckFeed, reviews: list[dict[str, Any]]) -> list[Mention]:
    """The fact-check records of one feed entry: one per ClaimReview, or one from the feed alone."""
    page_url = entry.get("link") or entry.get("id")
    title = _plain(entry.get("title", "")) or None
    summary = _plain(entry.get("summary", ""))
    host = urlsplit(page_url).netloc or None
    base = {"feed": feed.name, "entry_id": entry.get("id") or page_url}
    if not reviews:
        text = summary or title
        if not text:
            return []
        return [Mention(
            id=mention_id_for_post(Platform.factcheck, page_url), post_id=page_url, platform=Platform.factcheck,
            source=Source(name=feed.name, domain=host), url=page_url, title=title, text=text,
            lang=feed.lang, published_at=_entry_time(entry), author=entry.get("author"),
            meta={**base, "claim_review": None},
        )]
    mentions = []
    for i, review in enumerate(reviews):
        text = review["claim"] or summary or title
        if not text:
            continue
        post_id = page_url if i == 0 else f"{page_url}#claim-{i + 1}"
        mentions.append(Mention(
            id=mention_id_for_post(Platform.factcheck, post_id),
            post_id=post_id,
            platform=Platform.factcheck,
            source=Source(name=review["reviewed_by"] or feed.name, domain=host),
            url=page_url, title=title, text=text,
            lang=primary_lang(review["language"]) or feed.lang,
            published_at=parse_time(review["date_published"]) or _entry_time(entry),
            author=entry.get("author"),
            meta={**base, "claim_review": review},
        ))
    return mentions


def hand_off_claims(ctx: CollectContext, mentions: list[Mention]) -> None:
    """Store the claims of the records just delivered (``janmat.store.claims_reviews``) beside the mentions, before
    the feed's cursor moves past them; a dry run (no store) keeps none."""
    store = next((stage.store for stage in ctx.flow.stages if isinstance(stage, StoreStage)), None)
    claims = claims_from_records(mentions)
    if store is None or not claims:
        return
    with claim_store_for(store) as claim_store:
        claim_store.upsert(claims)


class FactCheckCollector(Collector):
    """Every enabled feed in the watchlist's ``factcheck.feeds``."""

    name = "factcheck"
    platform = Platform.factcheck
    needs_open_web = True

    def collect(self, ctx: CollectContext) -> None:
        failed: list[str] = []
        self._robots: dict[str, Protego | None] = {}
        with ApiClient("factcheck", "", ctx.settings) as client:
            try:
                for feed in ctx.watchlist.factcheck.feeds:
                    if not feed.enabled:
                        continue
                    try:
                        self._feed(client, ctx, feed)
                    except CollectorError as exc:  # one broken feed must not stop the others
                        log.error("factcheck: %s", exc)
                        failed.append(f"{feed.name} ({exc})")
            finally:
                ctx.report.requests += client.requests
        if failed:
            raise CollectorError(f"factcheck: {len(failed)} feed(s) failed: " + "; ".join(failed))

    def _feed(self, client: ApiClient, ctx: CollectContext, feed: FactCheckFeed) -> None:
        response = client.get(feed.url)
        parsed = feedparser.parse(response.content)
        if not parsed.entries and (parsed.bozo or "title" not in parsed.feed):
            raise MalformedResponseError(f"{feed.name}: {feed.url} is not a readable RSS/Atom feed "
                                    f"({parsed.get('bozo_exception', 'no entries')})")
        key = f"feed:{feed.url}"
        seen: list[str] = ctx.cursor(key).get("seen", [])
        seen_set = set(seen)
        entries = [e for e in parsed.entries if (e.get("id") or e.get("link")) and e.get("link")]
        entries.sort(key=lambda e: _entry_time(e) or datetime.min.replace(tzinfo=UTC))
        for entry in entries:
            entry_id = entry.get("id") or entry.get("link")
            if entry_id in seen_set:
                continue
            mentions = records(entry, feed, self._reviews(client, ctx, entry["link"]))
            ctx.deliver(mentions)
            hand_off_claims(ctx, mentions)
            seen.append(entry_id)
            seen_set.add(entry_id)
            ctx.deliver([], key, {"seen": seen[-_SEEN_LIMIT:]})

    def _reviews(self, client: ApiClient, ctx: CollectContext, url: str) -> list[dict[str, Any]]:
        if not self._allowed(client, ctx, url):
            log.info("factcheck: robots.txt disallows %s; keeping the feed entry only", url)
            return []
        try:
            page = client.get(url)
        except ApiError as exc:
            if 400 <= exc.status < 500:
                log.info("factcheck: %s is unavailable (HTTP %d); keeping the feed entry only", url, exc.status)
                ctx.report.gone += 1
                return []
            raise
        return claim_reviews(page.text, str(page.url))

    def _allowed(self, client: ApiClient, ctx: CollectContext, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                text = client.get(f"{origin}/robots.txt").text
                self._robots[origin] = Protego.parse(text)
            except ApiError:
                self._robots[origin] = None  # no robots.txt (or unreadable): allowed
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(url, ctx.settings.http_user_agent)
