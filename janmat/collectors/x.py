"""X (Twitter) API v2 recent search: one query per topic part, paged with ``next_token``, resumed by ``since_id``.

Cursor per query: ``since_id`` (newest post of the last complete run) and, while a run pages backwards,
``pending`` = {``next_token``, ``newest_id``}. X's next_tokens do not expire, so a run cut short resumes on the
exact page where it stopped; ``since_id`` moves forward only when the paging reached the end.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from janmat.collectors.base import CollectContext, Collector, as_int, parse_time, primary_lang, rfc3339
from janmat.collectors.errors import ApiError, MalformedResponseError
from janmat.collectors.http import ApiClient, register_secret
from janmat.collectors.queries import PlatformQuery, x_account_queries, x_queries
from janmat.collectors.watchlist import Watchlist
from janmat.core.errors import explain
from janmat.core.mention import Engagement, Mention, Platform, Source, mention_id_for_post
from janmat.core.settings import JanmatSettings

log = logging.getLogger(__name__)

SEARCH_PATH = "/2/tweets/search/recent"
TWEET_FIELDS = "public_metrics,created_at,lang,conversation_id,referenced_tweets,author_id,withheld"
USER_FIELDS = "name,username,verified"
# Recent search reaches back seven days; a start_time must lie a little inside that window.
_WINDOW = timedelta(days=7) - timedelta(minutes=1)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class XUser(_Wire):
    id: str
    username: str
    name: str | None = None


class XReference(_Wire):
    type: str
    id: str


class XPost(_Wire):
    id: str
    text: str
    author_id: str | None = None
    created_at: str | None = None
    lang: str | None = None
    conversation_id: str | None = None
    public_metrics: dict[str, int] = Field(default_factory=dict)
    referenced_tweets: list[XReference] = Field(default_factory=list)
    withheld: dict[str, Any] | None = None


class XIncludes(_Wire):
    users: list[XUser] = Field(default_factory=list)


class XMeta(_Wire):
    result_count: int
    newest_id: str | None = None
    oldest_id: str | None = None
    next_token: str | None = None


class XSearchPage(_Wire):
    """One page of ``GET /2/tweets/search/recent``; ``data`` is absent when nothing matched."""

    data: list[XPost] = Field(default_factory=list)
    includes: XIncludes = Field(default_factory=XIncludes)
    meta: XMeta
    errors: list[dict[str, Any]] = Field(default_factory=list)


def post_mention(post: XPost, users: dict[str, XUser], query_key: str) -> Mention:
    """A Mention from one X post and its expanded author."""
    user = users.get(post.author_id or "")
    metrics = post.public_metrics
    parent = next((ref.id for ref in post.referenced_tweets if ref.type == "replied_to"), None)
    handle = user.username if user else None
    meta: dict[str, Any] = {"collector_query": query_key}
    if post.conversation_id:
        meta["conversation_id"] = post.conversation_id
    if metrics.get("quote_count") is not None:
        meta["quotes"] = metrics["quote_count"]
    if post.withheld:
        meta["withheld_in"] = post.withheld.get("country_codes", [])
    return Mention(
        id=mention_id_for_post(Platform.x, post.id),
        platform=Platform.x,
        source=Source(name=f"@{handle}" if handle else None, domain="x.com"),
        url=f"https://x.com/{handle or 'i/web'}/status/{post.id}",
        text=post.text,
        lang=primary_lang(post.lang),
        published_at=parse_time(post.created_at),
        author=(user.name or handle) if user else post.author_id,
        engagement=Engagement(
            likes=as_int(metrics.get("like_count")),
            shares=as_int(metrics.get("retweet_count")),
            replies=as_int(metrics.get("reply_count")),
            views=as_int(metrics.get("impression_count")),
        ),
        parent_id=mention_id_for_post(Platform.x, parent) if parent else None,
        post_id=post.id,
        meta=meta,
    )


class XCollector(Collector):
    """Recent search for every topic query and the watched accounts."""

    name = "x"
    platform = Platform.x

    def unavailable(self, settings: JanmatSettings, watchlist: Watchlist) -> str | None:
        if settings.collectors.x_bearer_token is None:
            return "x: skipped — set JANMAT_X_BEARER_TOKEN to collect from X"
        return None

    def queries(self, ctx: CollectContext) -> list[PlatformQuery]:
        """Every X query of this run: topics first, then the watched accounts."""
        limit = ctx.settings.collectors.x_query_max_chars
        found = [q for topic in ctx.topics for q in x_queries(topic, limit)]
        if ctx.watchlist.x.accounts:
            found += x_account_queries(ctx.watchlist.x.accounts, limit)
        return found

    def collect(self, ctx: CollectContext) -> None:
        token = ctx.settings.collectors.x_bearer_token.get_secret_value()  # type: ignore[union-attr]
        register_secret(token)
        with ApiClient("x", ctx.settings.collectors.x_api_base, ctx.settings,
                       headers={"Authorization": f"Bearer {token}"}) as client:
            try:
                for query in ctx.stalest_first(self.queries(ctx)):
                    self._collect_query(client, ctx, query)
            finally:
                ctx.report.requests += client.requests

    def _collect_query(self, client: ApiClient, ctx: CollectContext, query: PlatformQuery) -> None:
        cursor = {} if ctx.since else ctx.cursor(query.key)  # --since backfills instead of resuming
        since_id = cursor.get("since_id")
        pending = cursor.get("pending") or {}
        next_token, newest_id = pending.get("next_token"), pending.get("newest_id")
        # Fixed for the whole paging (and saved with it): a next_token belongs to the request that produced it.
        start_time = pending.get("start_time") or rfc3339(max(ctx.first_run_start(), datetime.now(UTC) - _WINDOW))
        while True:
            params: dict[str, Any] = {
                "query": query.text, "max_results": 100, "tweet.fields": TWEET_FIELDS,
                "expansions": "author_id", "user.fields": USER_FIELDS,
            }
            if since_id:
                params["since_id"] = since_id
            else:
                params["start_time"] = start_time
            if next_token:
                params["next_token"] = next_token
            try:
                page = self._page(client, params)
            except ApiError as exc:
                if exc.status == 400 and since_id and "since_id" in str(exc):
                    # since_id older than the 7-day window: fall back to the window's start, keep going.
                    log.warning("x: %s: saved since_id is outside the 7-day window; searching the window", query.key)
                    since_id, next_token, newest_id = None, None, None
                    start_time = rfc3339(datetime.now(UTC) - _WINDOW)
                    continue
                raise
            newest_id = newest_id or page.meta.newest_id
            users = {user.id: user for user in page.includes.users}
            mentions = [post_mention(post, users, query.key) for post in page.data]
            ctx.report.gone += sum(1 for e in page.errors if "Not Found" in str(e.get("title", "")))
            next_token = page.meta.next_token
            if next_token:
                state = {"since_id": since_id,
                         "pending": {"next_token": next_token, "newest_id": newest_id, "start_time": start_time}}
            else:
                state = {"since_id": newest_id or since_id, "pending": None}
            ctx.deliver(mentions, query.key, state)
            if not next_token:
                return

    @staticmethod
    def _page(client: ApiClient, params: dict[str, Any]) -> XSearchPage:
        body = client.get_json(SEARCH_PATH, params)
        try:
            return XSearchPage.model_validate(body)
        except ValidationError as exc:
            where = explain(exc, limit=3)
            raise MalformedResponseError(f"x: search response has an unexpected shape ({where}); "
                                    "the X API may have changed — see docs/collectors.md") from None
