"""Fake Facebook Graph API (versioned root ``/v23.0``): ``/{page}/posts`` and ``/{post}/comments``.

``access_token`` query parameter; ``fields`` with ``from{…}``, ``reactions.summary(total_count)`` and
``comments.summary(total_count)``; ``since`` (unix time); cursor paging: ``paging.cursors.{before,after}`` and a
``paging.next`` URL (carrying the token, as Graph does) only when another page exists; ``filter=stream`` returns
replies with their ``parent``; errors in Graph's envelope (190 bad token, 100/33 missing object, 4 throttled).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.fakes.server import Answer, FakeServer, Seen

VERSION = "v23.0"


def graph_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> Answer:
    """Graph's error envelope."""
    error: dict[str, Any] = {"message": message, "type": "OAuthException" if code == 190 else "GraphMethodException",
                             "code": code, "fbtrace_id": "AbCdEfFake"}
    if subcode:
        error["error_subcode"] = subcode
    return Answer(status, {"error": error})


def _cursor(index: int) -> str:
    return base64.b64encode(f"idx:{index}".encode()).decode()


def _index(cursor: str) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1])


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class FbPost:
    """A page post."""

    id: str
    message: str | None
    created: datetime
    reactions: int = 0
    shares: int = 0
    comments: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False


class FakeGraph(FakeServer):
    """Posts and comments of public pages."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.pages: dict[str, tuple[str, list[FbPost]]] = {}

    def add_page(self, page_id: str, name: str) -> None:
        """Create a page."""
        self.pages[page_id] = (name, [])

    def add_post(self, page_id: str, message: str | None, minutes_ago: float, **extra: Any) -> FbPost:
        """Publish a post on a page."""
        posts = self.pages[page_id][1]
        post = FbPost(f"{page_id}_{1000 + len(posts)}", message, datetime.now(UTC) - timedelta(minutes=minutes_ago),
                      **extra)
        posts.append(post)
        return post

    def add_comment(self, post: FbPost, message: str, minutes_ago: float, parent: str | None = None) -> str:
        """Comment on a post (or reply to a comment); returns the comment id."""
        comment_id = f"{post.id.split('_')[1]}_{5000 + len(post.comments)}"
        post.comments.append({"id": comment_id, "message": message, "parent": parent,
                              "created": datetime.now(UTC) - timedelta(minutes=minutes_ago)})
        return comment_id

    def _post(self, post_id: str) -> tuple[str, FbPost] | None:
        for page_id, (_, posts) in self.pages.items():
            for post in posts:
                if post.id == post_id:
                    return page_id, post
        return None

    def route(self, request: Seen) -> Answer:
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != VERSION:
            return graph_error(2500, "Unknown path components")
        if request.params.get("access_token") != self.token:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        node, edge = parts[1], parts[2]
        if edge == "posts" and node in self.pages:
            return self._posts(request, node)
        found = self._post(node)
        if edge == "comments" and found and not found[1].deleted:
            return self._comments(request, found[0], found[1])
        return graph_error(100, f"Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded "
                           "due to missing permissions, or does not support this operation.", subcode=33)

    def _paged(self, request: Seen, items: list[dict[str, Any]]) -> Answer:
        size = int(request.params.get("limit", "25"))
        start = _index(request.params["after"]) + 1 if "after" in request.params else 0
        page = items[start:start + size]
        body: dict[str, Any] = {"data": page}
        if page:
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(page) - 1)}}
            if start + size < len(items):
                following = {**request.params, "after": _cursor(start + len(page) - 1)}
                body["paging"]["next"] = f"{self.url}{request.path}?{urlencode(following)}"
        return Answer(200, body)

    def _posts(self, request: Seen, page_id: str) -> Answer:
        name, posts = self.pages[page_id]
        since = int(request.params.get("since", "0"))
        fields = request.params.get("fields", "")
        visible = sorted((p for p in posts if not p.deleted and p.created.timestamp() >= since),
                         key=lambda p: p.created, reverse=True)
        items = []
        for post in visible:
            item: dict[str, Any] = {"id": post.id, "created_time": _time(post.created)}
            if post.message is not None:
                item["message"] = post.message
            if "permalink_url" in fields:
                item["permalink_url"] = f"https://www.facebook.com/{page_id}/posts/{post.id.split('_')[1]}"
            if "from" in fields:
                item["from"] = {"id": page_id, "name": name}
            if "shares" in fields and post.shares:
                item["shares"] = {"count": post.shares}
            if "reactions.summary" in fields:
                item["reactions"] = {"data": [], "summary": {"total_count": post.reactions, "viewer_reaction": "NONE"}}
            if "comments.summary" in fields:
                item["comments"] = {"data": [], "summary": {"order": "ranked", "total_count": len(post.comments),
                                                            "can_comment": False}}
            items.append(item)
        return self._paged(request, items)

    def _comments(self, request: Seen, page_id: str, post: FbPost) -> Answer:
        since = int(request.params.get("since", "0"))
        stream = request.params.get("filter") == "stream"
        chosen = [c for c in post.comments if c["created"].timestamp() >= since and (stream or not c["parent"])]
        chosen.sort(key=lambda c: c["created"], reverse=request.params.get("order") == "reverse_chronological")
        items = []
        for comment in chosen:
            item: dict[str, Any] = {"id": comment["id"], "message": comment["message"],
                                    "created_time": _time(comment["created"]),
                                    "from": {"id": "9" + comment["id"][-4:], "name": f"नागरिक {comment['id'][-2:]}"},
                                    "like_count": 1, "comment_count": 0}
            if comment["parent"]:
                item["parent"] = {"id": comment["parent"], "created_time": item["created_time"]}
            items.append(item)
        return self._paged(request, items)
