"""YouTube Data API v3: ``search.list`` per topic query, ``videos.list`` for statistics, ``commentThreads.list``.

Quota is counted in the API's units (search 100, list 1) against ``youtube_daily_quota`` per Pacific-time day,
in the durable state, before each call; when the cap (or the platform's own ``quotaExceeded``) is reached the
collector stops cleanly and the next day's run continues from the saved cursors.

Cursors: per query ``published_after`` (+ ``pending`` page while paging); per video ``video:<id>`` with the
newest comment time seen, re-checked while the video is younger than ``COMMENT_WINDOW``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from janmat.collectors.base import CollectContext, Collector, as_int, parse_time, primary_lang, rfc3339
from janmat.collectors.errors import ApiError, MalformedResponseError, QuotaExhaustedError
from janmat.collectors.http import ApiClient, register_secret
from janmat.collectors.queries import PlatformQuery, youtube_queries
from janmat.collectors.watchlist import Watchlist
from janmat.core.errors import explain
from janmat.core.mention import Engagement, Mention, Platform, Source, mention_id_for_post
from janmat.core.settings import JanmatSettings

log = logging.getLogger(__name__)

COST = {"search": 100, "videos": 1, "commentThreads": 1}
"""Quota units per call, from the YouTube Data API quota table."""
COMMENT_WINDOW = timedelta(days=7)
_PACIFIC = ZoneInfo("America/Los_Angeles")


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class SearchId(_Wire):
    kind: str
    videoId: str | None = None  # noqa: N815 - wire name


class SearchItem(_Wire):
    id: SearchId


class SearchPage(_Wire):
    items: list[SearchItem]
    nextPageToken: str | None = None  # noqa: N815


class VideoSnippet(_Wire):
    publishedAt: str  # noqa: N815
    channelId: str | None = None  # noqa: N815
    channelTitle: str | None = None  # noqa: N815
    title: str
    description: str = ""
    defaultLanguage: str | None = None  # noqa: N815
    defaultAudioLanguage: str | None = None  # noqa: N815


class Video(_Wire):
    id: str
    snippet: VideoSnippet
    statistics: dict[str, str] = Field(default_factory=dict)


class VideoPage(_Wire):
    items: list[Video]


class CommentSnippet(_Wire):
    authorDisplayName: str | None = None  # noqa: N815
    textOriginal: str | None = None  # noqa: N815
    textDisplay: str | None = None  # noqa: N815
    likeCount: int | None = None  # noqa: N815
    publishedAt: str  # noqa: N815
    parentId: str | None = None  # noqa: N815


class Comment(_Wire):
    id: str
    snippet: CommentSnippet


class ThreadSnippet(_Wire):
    videoId: str | None = None  # noqa: N815
    topLevelComment: Comment  # noqa: N815
    totalReplyCount: int | None = None  # noqa: N815


class Replies(_Wire):
    comments: list[Comment] = Field(default_factory=list)


class Thread(_Wire):
    id: str
    snippet: ThreadSnippet
    replies: Replies | None = None


class ThreadPage(_Wire):
    items: list[Thread]
    nextPageToken: str | None = None  # noqa: N815


def quota_day(now: datetime | None = None) -> str:
    """The YouTube quota day (it resets at midnight Pacific time) as ``YYYY-MM-DD``."""
    return (now or datetime.now(UTC)).astimezone(_PACIFIC).date().isoformat()


def video_mention(video: Video, query_key: str | None) -> Mention:
    """A Mention from one ``videos.list`` item."""
    snippet, stats = video.snippet, video.statistics
    meta: dict[str, Any] = {"channel_id": snippet.channelId}
    if query_key:
        meta["collector_query"] = query_key
    return Mention(
        id=mention_id_for_post(Platform.youtube, video.id),
        platform=Platform.youtube,
        source=Source(name=snippet.channelTitle, domain="youtube.com"),
        url=f"https://www.youtube.com/watch?v={video.id}",
        title=snippet.title,
        text=snippet.description if snippet.description.strip() else snippet.title or video.id,
        lang=primary_lang(snippet.defaultAudioLanguage or snippet.defaultLanguage),
        published_at=parse_time(snippet.publishedAt),
        author=snippet.channelTitle,
        engagement=Engagement(views=as_int(stats.get("viewCount")), likes=as_int(stats.get("likeCount")),
                              comments=as_int(stats.get("commentCount"))),
        post_id=video.id,
        meta=meta,
    )


def comment_mention(comment: Comment, video_id: str, parent_comment_id: str | None, replies: int | None) -> Mention:
    """A Mention from a top-level comment (parent: the video) or a reply (parent: its comment)."""
    snippet = comment.snippet
    parent = (mention_id_for_post(Platform.youtube, parent_comment_id) if parent_comment_id
              else mention_id_for_post(Platform.youtube, video_id))
    return Mention(
        id=mention_id_for_post(Platform.youtube, comment.id),
        platform=Platform.youtube,
        source=Source(name=snippet.authorDisplayName, domain="youtube.com"),
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment.id}",
        text=snippet.textOriginal or snippet.textDisplay or "",
        published_at=parse_time(snippet.publishedAt),
        author=snippet.authorDisplayName,
        engagement=Engagement(likes=snippet.likeCount, replies=replies),
        parent_id=parent,
        post_id=comment.id,
        meta={"video_id": video_id},
    )


def _validated(model: type[_Wire], body: Any, what: str) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        where = explain(exc, limit=3)
        raise MalformedResponseError(f"youtube: {what} response has an unexpected shape ({where}); "
                                "the YouTube API may have changed — see docs/collectors.md") from None


class YouTubeCollector(Collector):
    """Videos matching each topic (and from watched channels), their statistics and their comments."""

    name = "youtube"
    platform = Platform.youtube

    def unavailable(self, settings: JanmatSettings, watchlist: Watchlist) -> str | None:
        if settings.collectors.youtube_api_key is None:
            return "youtube: skipped — set JANMAT_YOUTUBE_API_KEY to collect from YouTube"
        return None

    def queries(self, ctx: CollectContext) -> list[PlatformQuery]:
        """Every search of this run: topic queries, then one per watched channel."""
        found = [q for topic in ctx.topics for q in youtube_queries(topic)]
        found += [PlatformQuery("youtube", f"channel:{channel}", "") for channel in ctx.watchlist.youtube.channels]
        return found

    def collect(self, ctx: CollectContext) -> None:
        key = ctx.settings.collectors.youtube_api_key.get_secret_value()  # type: ignore[union-attr]
        register_secret(key)
        # The key travels in the X-Goog-Api-Key header (Google's documented alternative to ?key=), so it never
        # appears in a URL.
        with ApiClient("youtube", ctx.settings.collectors.youtube_api_base, ctx.settings,
                       headers={"X-Goog-Api-Key": key}) as client:
            try:
                for query in ctx.stalest_first(self.queries(ctx)):
                    self._search(client, ctx, query)
                self._comments(client, ctx)
            finally:
                ctx.report.requests += client.requests

    # -- calls -------------------------------------------------------------------------------------------------

    def _call(self, client: ApiClient, ctx: CollectContext, method: str, params: dict[str, Any]) -> Any:
        """One API call, paid for in the durable quota counter before it is made."""
        day, cap, cost = quota_day(), ctx.settings.collectors.youtube_daily_quota, COST[method]
        used = ctx.state.quota_used(self.name, day)
        if used + cost > cap:
            raise QuotaExhaustedError(f"youtube: daily quota cap reached ({used}/{cap} units on {day} Pacific time); "
                                 "the next run after midnight Pacific continues from the saved cursors")
        ctx.state.spend_quota(self.name, day, cost)
        ctx.report.quota_units += cost
        try:
            return client.get_json(method, params)
        except ApiError as exc:
            if exc.status == 403 and exc.reason in {"quotaExceeded", "dailyLimitExceeded"}:
                ctx.state.set_quota_used(self.name, day, cap)
                raise QuotaExhaustedError(f"youtube: the API reports the project's quota is spent ({exc.reason}); "
                                     "the next run after midnight Pacific continues from the saved cursors") from None
            raise

    def _search(self, client: ApiClient, ctx: CollectContext, query: PlatformQuery) -> None:
        cursor = {} if ctx.since else ctx.cursor(query.key)
        after = cursor.get("published_after") or rfc3339(ctx.first_run_start())
        pending = cursor.get("pending") or {}
        page_token, newest = pending.get("page_token"), pending.get("newest")
        while True:
            params: dict[str, Any] = {
                "part": "snippet", "type": "video", "order": "date", "maxResults": 50,
                "publishedAfter": after, "relevanceLanguage": "hi", "regionCode": "IN",
            }
            if query.key.startswith("channel:"):
                params["channelId"] = query.key.removeprefix("channel:")
            else:
                params["q"] = query.text
            if page_token:
                params["pageToken"] = page_token
            page = _validated(SearchPage, self._call(client, ctx, "search", params), "search.list")
            video_ids = [item.id.videoId for item in page.items if item.id.videoId]
            videos = self._videos(client, ctx, video_ids)
            mentions = [video_mention(video, query.key) for video in videos]
            for mention in mentions:
                stamp = rfc3339(mention.published_at) if mention.published_at else None
                if stamp and (newest is None or stamp > newest):
                    newest = stamp
            page_token = page.nextPageToken
            if page_token:
                state = {"published_after": after, "pending": {"page_token": page_token, "newest": newest}}
            else:
                # publishedAfter is inclusive: start the next run one second after the newest video seen.
                next_after = (rfc3339(parse_time(newest) + timedelta(seconds=1))  # type: ignore[operator]
                              if newest else after)
                state = {"published_after": next_after, "pending": None}
            ctx.deliver(mentions, query.key, state)
            for video in videos:
                if not ctx.cursor(f"video:{video.id}"):
                    ctx.state.put(self.name, f"video:{video.id}", {"published_at": video.snippet.publishedAt})
            if not page_token:
                return

    def _videos(self, client: ApiClient, ctx: CollectContext, video_ids: list[str]) -> list[Video]:
        if not video_ids:
            return []
        body = self._call(client, ctx, "videos", {"part": "snippet,statistics", "id": ",".join(video_ids),
                                                  "maxResults": 50})
        videos = _validated(VideoPage, body, "videos.list").items
        ctx.report.gone += len(set(video_ids) - {video.id for video in videos})  # deleted or private since search
        return videos

    def _comments(self, client: ApiClient, ctx: CollectContext) -> None:
        horizon = datetime.now(UTC) - COMMENT_WINDOW
        for _, key, cursor, _ in ctx.state.cursors(self.name):
            if not key.startswith("video:") or cursor.get("closed"):
                continue
            published = parse_time(cursor.get("published_at"))
            if published is None or published < horizon:
                continue
            self._video_comments(client, ctx, key.removeprefix("video:"), cursor)

    def _video_comments(self, client: ApiClient, ctx: CollectContext, video_id: str, cursor: dict[str, Any]) -> None:
        key = f"video:{video_id}"
        seen_until = cursor.get("comments_until")
        pending = cursor.get("pending") or {}
        page_token, newest = pending.get("page_token"), pending.get("newest")
        while True:
            params: dict[str, Any] = {"part": "snippet,replies", "videoId": video_id, "order": "time",
                                      "maxResults": 100, "textFormat": "plainText"}
            if page_token:
                params["pageToken"] = page_token
            try:
                body = self._call(client, ctx, "commentThreads", params)
            except ApiError as exc:
                if exc.reason in {"commentsDisabled", "videoNotFound", "forbidden"} or exc.status == 404:
                    log.info("youtube: comments of %s unavailable (%s); not asked again", video_id, exc.reason)
                    ctx.report.gone += exc.status == 404
                    ctx.state.put(self.name, key, {**cursor, "closed": exc.reason or str(exc.status)})
                    return
                raise
            page = _validated(ThreadPage, body, "commentThreads.list")
            mentions: list[Mention] = []
            reached_seen = False
            for thread in page.items:
                top = thread.snippet.topLevelComment
                stamp = top.snippet.publishedAt
                if seen_until and stamp <= seen_until:
                    reached_seen = True  # order=time: everything from here on was collected before
                    break
                newest = max(newest or stamp, stamp)
                replies = thread.replies.comments if thread.replies else []
                for comment, parent, count in [(top, None, thread.snippet.totalReplyCount),
                                               *((r, r.snippet.parentId or top.id, None) for r in replies)]:
                    if (comment.snippet.textOriginal or comment.snippet.textDisplay or "").strip():
                        mentions.append(comment_mention(comment, video_id, parent, count))
            page_token = None if reached_seen else page.nextPageToken
            if page_token:
                state = {**cursor, "pending": {"page_token": page_token, "newest": newest}}
            else:
                state = {**cursor, "comments_until": newest or seen_until, "pending": None}
            ctx.deliver(mentions, key, state)
            if not page_token:
                return
