"""Fake YouTube Data API v3: ``search``, ``videos`` and ``commentThreads`` list methods, per Google's reference.

API key as ``key`` parameter or ``X-Goog-Api-Key`` header; quota units per call (search 100, list 1) against a
daily limit, answering 403 ``quotaExceeded`` when spent; ``pageToken``/``nextPageToken`` paging; statistics as
strings; a video removed after indexing still shows in search but not in ``videos.list``; ``commentsDisabled``
(403) and ``videoNotFound`` (404) errors in Google's error envelope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import Answer, FakeServer, Seen

COST = {"search": 100, "videos": 1, "commentThreads": 1}
_TERM = re.compile(r'"([^"]+)"|([^|"]+)')


def google_error(status: int, reason: str, message: str, domain: str = "youtube.quota") -> Answer:
    """Google's JSON error envelope."""
    return Answer(status, {"error": {"code": status, "message": message,
                                     "errors": [{"message": message, "domain": domain, "reason": reason}]}})


@dataclass
class FakeComment:
    """A top-level comment with its replies."""

    id: str
    text: str
    author: str
    published: datetime
    likes: int = 0
    replies: list[FakeComment] = field(default_factory=list)


@dataclass
class FakeVideo:
    """A video on the fake platform."""

    id: str
    title: str
    description: str
    channel_id: str
    channel_title: str
    published: datetime
    views: int = 0
    likes: int = 0
    removed: bool = False
    comments_disabled: bool = False
    comments: list[FakeComment] = field(default_factory=list)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeYouTube(FakeServer):
    """The three list methods over in-memory videos and comments."""

    def __init__(self, key: str, daily_limit: int = 10_000) -> None:
        super().__init__()
        self.key = key
        self.daily_limit = daily_limit
        self.used = 0
        self.videos: list[FakeVideo] = []

    def add_video(self, title: str, minutes_ago: float = 60, **extra: Any) -> FakeVideo:
        """Publish a video."""
        video = FakeVideo(id=f"vid{len(self.videos):08d}", title=title, description=extra.pop("description", ""),
                          channel_id=extra.pop("channel_id", "UCharyanaNews000000000"),
                          channel_title=extra.pop("channel_title", "हरियाणा न्यूज़"),
                          published=datetime.now(UTC) - timedelta(minutes=minutes_ago), **extra)
        self.videos.append(video)
        return video

    def add_comment(self, video: FakeVideo, text: str, minutes_ago: float, replies: tuple[str, ...] = ()) -> None:
        """Add a top-level comment (and replies) under a video."""
        number = sum(1 + len(c.replies) for v in self.videos for c in v.comments)
        when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        comment = FakeComment(f"Ugz{video.id}c{number}", text, f"@viewer{number}", when, likes=number % 5)
        comment.replies = [FakeComment(f"{comment.id}.r{i}", reply, f"@replier{i}", when + timedelta(minutes=1 + i))
                           for i, reply in enumerate(replies)]
        video.comments.append(comment)

    def route(self, request: Seen) -> Answer:
        method = request.path.rsplit("/", 1)[-1]
        if method not in COST or not request.path.startswith("/youtube/v3/"):
            return google_error(404, "notFound", "Not Found", "global")
        if request.params.get("key", request.headers.get("x-goog-api-key")) != self.key:
            return google_error(403, "forbidden", "The request is missing a valid API key.", "global")
        if self.used + COST[method] > self.daily_limit:
            return google_error(403, "quotaExceeded", "The request cannot be completed because you have exceeded "
                                "your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.")
        self.used += COST[method]
        return getattr(self, f"_{method}")(request.params)

    @staticmethod
    def _page(items: list[Any], params: dict[str, str], default: int) -> tuple[list[Any], str | None]:
        size = int(params.get("maxResults", default))
        offset = int(params.get("pageToken", "CAAQAA").removeprefix("CAAQAA") or 0)
        following = f"CAAQAA{offset + size}" if offset + size < len(items) else None
        return items[offset:offset + size], following

    def _search(self, params: dict[str, str]) -> Answer:
        terms = [(q or b).strip().casefold() for q, b in _TERM.findall(params.get("q", ""))]
        terms = [t for t in terms if t]
        after = datetime.fromisoformat(params["publishedAfter"].replace("Z", "+00:00")) \
            if "publishedAfter" in params else None
        found = [v for v in self.videos
                 if (after is None or v.published >= after)
                 and (params.get("channelId") in (None, v.channel_id))
                 and (not terms or any(t in f"{v.title} {v.description}".casefold() for t in terms))]
        found.sort(key=lambda v: v.published, reverse=True)
        page, following = self._page(found, params, 5)
        body: dict[str, Any] = {
            "kind": "youtube#searchListResponse", "etag": "e", "regionCode": params.get("regionCode", "IN"),
            "pageInfo": {"totalResults": len(found), "resultsPerPage": len(page)},
            "items": [{"kind": "youtube#searchResult", "etag": "e",
                       "id": {"kind": "youtube#video", "videoId": v.id},
                       "snippet": {"publishedAt": _stamp(v.published), "channelId": v.channel_id, "title": v.title,
                                   "description": v.description[:160], "channelTitle": v.channel_title,
                                   "liveBroadcastContent": "none", "publishTime": _stamp(v.published)}}
                      for v in page],
        }
        if following:
            body["nextPageToken"] = following
        return Answer(200, body)

    def _videos(self, params: dict[str, str]) -> Answer:
        wanted = params.get("id", "").split(",")
        items = [{"kind": "youtube#video", "etag": "e", "id": v.id,
                  "snippet": {"publishedAt": _stamp(v.published), "channelId": v.channel_id, "title": v.title,
                              "description": v.description, "channelTitle": v.channel_title,
                              "defaultAudioLanguage": "hi"},
                  "statistics": {"viewCount": str(v.views), "likeCount": str(v.likes), "favoriteCount": "0",
                                 "commentCount": str(sum(1 + len(c.replies) for c in v.comments))}}
                 for v in self.videos if v.id in wanted and not v.removed]
        return Answer(200, {"kind": "youtube#videoListResponse", "etag": "e", "items": items,
                            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}})

    def _comment_json(self, comment: FakeComment, video: FakeVideo, parent: str | None) -> dict[str, Any]:
        snippet = {"channelId": video.channel_id, "videoId": video.id, "textDisplay": comment.text,
                   "textOriginal": comment.text, "authorDisplayName": comment.author,
                   "authorChannelId": {"value": "UC" + comment.author}, "canRate": True, "viewerRating": "none",
                   "likeCount": comment.likes, "publishedAt": _stamp(comment.published),
                   "updatedAt": _stamp(comment.published)}
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": "e", "id": comment.id, "snippet": snippet}

    def _commentThreads(self, params: dict[str, str]) -> Answer:  # noqa: N802 - the API's method name
        video = next((v for v in self.videos if v.id == params.get("videoId") and not v.removed), None)
        if video is None:
            return google_error(404, "videoNotFound", "The video identified by the videoId parameter could not "
                                "be found.", "youtube.commentThread")
        if video.comments_disabled:
            return google_error(403, "commentsDisabled", "The video identified by the videoId parameter has "
                                "disabled comments.", "youtube.commentThread")
        threads = sorted(video.comments, key=lambda c: c.published, reverse=True)
        page, following = self._page(threads, params, 20)
        items = []
        for comment in page:
            thread: dict[str, Any] = {
                "kind": "youtube#commentThread", "etag": "e", "id": comment.id,
                "snippet": {"channelId": video.channel_id, "videoId": video.id,
                            "topLevelComment": self._comment_json(comment, video, None), "canReply": True,
                            "totalReplyCount": len(comment.replies), "isPublic": True},
            }
            if comment.replies and "replies" in params.get("part", ""):
                thread["replies"] = {"comments": [self._comment_json(r, video, comment.id) for r in comment.replies]}
            items.append(thread)
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": "e", "items": items,
                                "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}}
        if following:
            body["nextPageToken"] = following
        return Answer(200, body)
