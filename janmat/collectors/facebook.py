"""Facebook Graph API: posts of watched public pages (``/{page-id}/posts``) and their comments.

Cursor per page: ``since`` (unix time of the newest post of the last complete run) and, while paging back,
``pending`` = {``after`` cursor, ``newest``}. Comments: cursor ``post:<id>`` with the newest comment time,
re-checked while the post is younger than the watchlist's ``comment_window_days``. Paging follows
``paging.cursors.after`` while ``paging.next`` is present; the ``next`` URL itself is never stored or logged
because Graph puts the access token in it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from janmat.collectors.base import CollectContext, Collector, parse_time
from janmat.collectors.errors import ApiError, MalformedResponseError, RateLimitedError
from janmat.collectors.http import ApiClient, register_secret
from janmat.collectors.watchlist import Watchlist
from janmat.core.errors import explain
from janmat.core.mention import Engagement, Mention, Platform, Source, mention_id_for_post
from janmat.core.settings import JanmatSettings

log = logging.getLogger(__name__)

POST_FIELDS = ("id,message,story,created_time,permalink_url,from{id,name},shares,"
               "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)")
COMMENT_FIELDS = "id,message,created_time,from{id,name},like_count,comment_count,parent{id},permalink_url"
# Graph error codes that mean "slow down": application/user/page request limits.
_THROTTLE_CODES = {4, 17, 32, 613}
# Code 100 with subcode 33: the object does not exist (deleted) or is not visible with this token.
_GONE = (100, "subcode 33")


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Author(_Wire):
    id: str | None = None
    name: str | None = None


class Cursors(_Wire):
    after: str | None = None


class Paging(_Wire):
    cursors: Cursors = Field(default_factory=Cursors)
    next: str | None = None


class Post(_Wire):
    id: str
    created_time: str
    message: str | None = None
    story: str | None = None
    permalink_url: str | None = None
    from_: Author | None = Field(default=None, alias="from")
    shares: dict[str, int] | None = None
    reactions: dict[str, Any] | None = None
    comments: dict[str, Any] | None = None


class Parent(_Wire):
    id: str


class FbComment(_Wire):
    id: str
    created_time: str
    message: str | None = None
    from_: Author | None = Field(default=None, alias="from")
    like_count: int | None = None
    comment_count: int | None = None
    parent: Parent | None = None
    permalink_url: str | None = None


class PostPage(_Wire):
    data: list[Post]
    paging: Paging | None = None


class CommentPage(_Wire):
    data: list[FbComment]
    paging: Paging | None = None


def _summary_count(edge: dict[str, Any] | None) -> int | None:
    summary = (edge or {}).get("summary") or {}
    count = summary.get("total_count")
    return count if isinstance(count, int) else None


def post_mention(post: Post, page: str) -> Mention | None:
    """A Mention from a page post, or None for a post with no text (a bare photo or video)."""
    text = (post.message or post.story or "").strip()
    if not text:
        return None
    author = post.from_.name if post.from_ else None
    return Mention(
        id=mention_id_for_post(Platform.facebook, post.id),
        platform=Platform.facebook,
        source=Source(name=author or page, domain="facebook.com"),
        url=post.permalink_url or f"https://www.facebook.com/{post.id}",
        text=text,
        published_at=parse_time(post.created_time),
        author=author,
        engagement=Engagement(likes=_summary_count(post.reactions), comments=_summary_count(post.comments),
                              shares=(post.shares or {}).get("count")),
        post_id=post.id,
        meta={"page": page},
    )


def comment_mention(comment: FbComment, post_id: str, page: str) -> Mention | None:
    """A Mention from a comment; its parent is the comment it replies to, else the post."""
    text = (comment.message or "").strip()
    if not text:
        return None
    author = comment.from_.name if comment.from_ else None
    parent = comment.parent.id if comment.parent else post_id
    return Mention(
        id=mention_id_for_post(Platform.facebook, comment.id),
        platform=Platform.facebook,
        source=Source(name=author, domain="facebook.com"),
        url=comment.permalink_url or f"https://www.facebook.com/{comment.id}",
        text=text,
        published_at=parse_time(comment.created_time),
        author=author,
        engagement=Engagement(likes=comment.like_count, replies=comment.comment_count),
        parent_id=mention_id_for_post(Platform.facebook, parent),
        post_id=comment.id,
        meta={"page": page, "on_post": post_id},
    )


def _validated(model: type[_Wire], body: Any, what: str) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        where = explain(exc, limit=3)
        raise MalformedResponseError(f"facebook: {what} response has an unexpected shape ({where}); "
                                "the Graph API may have changed — see docs/collectors.md") from None


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


class FacebookCollector(Collector):
    """Posts and comments of the watchlist's public pages."""

    name = "facebook"
    platform = Platform.facebook

    def unavailable(self, settings: JanmatSettings, watchlist: Watchlist) -> str | None:
        if settings.collectors.facebook_page_token is None:
            return "facebook: skipped — set JANMAT_FACEBOOK_PAGE_TOKEN to collect from Facebook pages"
        if not watchlist.facebook.pages:
            return "facebook: skipped — no pages under facebook.pages in the watchlist"
        return None

    def collect(self, ctx: CollectContext) -> None:
        token = ctx.settings.collectors.facebook_page_token.get_secret_value()  # type: ignore[union-attr]
        register_secret(token)
        with ApiClient("facebook", ctx.settings.collectors.facebook_graph_base, ctx.settings) as client:
            try:
                for page in ctx.watchlist.facebook.pages:
                    self._posts(client, ctx, token, page)
                self._all_comments(client, ctx, token)
            finally:
                ctx.report.requests += client.requests

    def _get(self, client: ApiClient, token: str, path: str, params: dict[str, Any]) -> Any:
        try:
            return client.get_json(path, {**params, "access_token": token})
        except ApiError as exc:
            if exc.code in _THROTTLE_CODES:
                raise RateLimitedError(f"facebook: Graph API request limit reached (code {exc.code}); "
                                  "the next run continues from the saved cursors") from None
            raise

    def _posts(self, client: ApiClient, ctx: CollectContext, token: str, page: str) -> None:
        key = f"page:{page}"
        cursor = {} if ctx.since else ctx.cursor(key)
        since = cursor.get("since") or _unix(ctx.first_run_start())
        pending = cursor.get("pending") or {}
        after, newest = pending.get("after"), pending.get("newest")
        while True:
            params: dict[str, Any] = {"fields": POST_FIELDS, "limit": 25, "since": since}
            if after:
                params["after"] = after
            result = _validated(PostPage, self._get(client, token, f"{page}/posts", params), "page posts")
            mentions = [m for post in result.data if (m := post_mention(post, page)) is not None]
            for post in result.data:
                created = parse_time(post.created_time)
                if created is not None:
                    newest = max(newest or 0, _unix(created))
                    if not ctx.cursor(f"post:{post.id}"):
                        ctx.state.put(self.name, f"post:{post.id}", {"page": page, "created": _unix(created)})
            paging = result.paging
            after = paging.cursors.after if paging and paging.next and result.data else None
            if after:
                state = {"since": since, "pending": {"after": after, "newest": newest}}
            else:
                state = {"since": (newest + 1) if newest else since, "pending": None}
            ctx.deliver(mentions, key, state)
            if not after:
                return

    def _all_comments(self, client: ApiClient, ctx: CollectContext, token: str) -> None:
        horizon = _unix(datetime.now(UTC) - timedelta(days=ctx.watchlist.facebook.comment_window_days))
        for _, key, cursor, _ in ctx.state.cursors(self.name):
            if key.startswith("post:") and not cursor.get("closed") and cursor.get("created", 0) >= horizon:
                self._comments(client, ctx, token, key.removeprefix("post:"), cursor)

    def _comments(self, client: ApiClient, ctx: CollectContext, token: str, post_id: str,
                  cursor: dict[str, Any]) -> None:
        key = f"post:{post_id}"
        since = cursor.get("comments_since")
        pending = cursor.get("pending") or {}
        after, newest = pending.get("after"), pending.get("newest")
        while True:
            # filter=stream returns replies too, each with its parent; chronological order keeps paging stable.
            params: dict[str, Any] = {"fields": COMMENT_FIELDS, "filter": "stream", "order": "chronological",
                                      "limit": 100}
            if since:
                params["since"] = since
            if after:
                params["after"] = after
            try:
                body = self._get(client, token, f"{post_id}/comments", params)
            except ApiError as exc:
                if (exc.code, exc.reason) == _GONE:
                    log.info("facebook: post %s is gone; its comments are not asked again", post_id)
                    ctx.report.gone += 1
                    ctx.state.put(self.name, key, {**cursor, "closed": "gone"})
                    return
                raise
            result = _validated(CommentPage, body, "post comments")
            page = cursor.get("page", "")
            mentions = [m for c in result.data if (m := comment_mention(c, post_id, page)) is not None]
            for comment in result.data:
                created = parse_time(comment.created_time)
                if created is not None:
                    newest = max(newest or 0, _unix(created))
            paging = result.paging
            after = paging.cursors.after if paging and paging.next and result.data else None
            if after:
                state = {**cursor, "pending": {"after": after, "newest": newest}}
            else:
                state = {**cursor, "comments_since": (newest + 1) if newest else since, "pending": None}
            ctx.deliver(mentions, key, state)
            if not after:
                return
