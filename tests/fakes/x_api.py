"""Fake X API v2 recent search, ``GET /2/tweets/search/recent``, per the X developer documentation.

Bearer-token auth; ``query`` (≤ 512 characters), ``max_results`` 10–100, ``since_id``, ``start_time``,
``next_token``; ``tweet.fields`` / ``expansions=author_id`` / ``user.fields`` decide which fields come back;
posts newest first; ``meta`` {newest_id, oldest_id, result_count, next_token}; ``includes.users``;
``x-rate-limit-*`` headers on every answer; 429 problem JSON when rate limited. A next_token is stable: it
pins the result set of the first page, so posts arriving while a client pages do not shift later pages.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.server import Answer, FakeServer, Seen

_TERM = re.compile(r'"([^"]+)"|(\S+)')
_FILTER = re.compile(r"^-?(lang|is|has|from|to):")


@dataclass
class Post:
    """One post on the fake platform."""

    id: int
    text: str
    author_id: str
    created_at: datetime
    lang: str = "hi"
    likes: int = 0
    retweets: int = 0
    replies: int = 0
    quotes: int = 0
    impressions: int = 0
    reply_to: int | None = None
    withheld_in: list[str] = field(default_factory=list)


def problem(status: int, title: str, detail: str, kind: str = "about:blank") -> Answer:
    """An RFC 7807 problem answer, the way X reports request-level errors."""
    return Answer(status, {"title": title, "detail": detail, "type": kind, "status": status},
                  content_type="application/problem+json")


def rate_limited(reset_in: float) -> Answer:
    """A 429 whose ``x-rate-limit-reset`` lies ``reset_in`` seconds ahead."""
    reset = int(time.time() + reset_in) + 1
    answer = problem(429, "Too Many Requests", "Too Many Requests")
    answer.headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    return answer


class FakeX(FakeServer):
    """Recent search over an in-memory timeline."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.posts: list[Post] = []
        self.users: dict[str, dict[str, str]] = {}
        self.next_id = 1_790_000_000_000_000_000
        self.shape_changed = False

    def add_user(self, user_id: str, username: str, name: str) -> None:
        """Register an author."""
        self.users[user_id] = {"id": user_id, "username": username, "name": name}

    def add_post(self, text: str, author_id: str, minutes_ago: float = 10, **extra: Any) -> Post:
        """Publish a post (ids grow with each post, like snowflake ids)."""
        self.next_id += 1000
        post = Post(self.next_id, text, author_id, datetime.now(UTC) - timedelta(minutes=minutes_ago), **extra)
        self.posts.append(post)
        return post

    def delete(self, post_id: int) -> None:
        """Delete a post: it no longer appears in search."""
        self.posts = [p for p in self.posts if p.id != post_id]

    def _matches(self, post: Post, query: str) -> bool:
        terms, authors, lang = [], [], None
        for quoted, bare in _TERM.findall(query.replace("(", " ").replace(")", " ")):
            word = quoted or bare
            if word == "OR":
                continue
            if word.startswith("from:"):
                authors.append(word[5:].lower())
            elif word.startswith("lang:"):
                lang = word[5:]
            elif not _FILTER.match(word):
                terms.append(word.casefold())
        if lang and post.lang != lang:
            return False
        if authors:
            return self.users.get(post.author_id, {}).get("username", "").lower() in authors
        text = post.text.casefold()
        return any(term in text for term in terms)

    def route(self, request: Seen) -> Answer:
        if request.path != "/2/tweets/search/recent":
            return problem(404, "Not Found Error", f"no route {request.path}")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return problem(401, "Unauthorized", "Unauthorized")
        params = request.params
        query = params.get("query", "")
        if not query or len(query) > 512:
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                           "https://api.twitter.com/2/problems/invalid-request")
        size = int(params.get("max_results", "10"))
        if not 10 <= size <= 100:
            return problem(400, "Invalid Request", "The `max_results` query parameter value is not between 10 "
                           "and 100", "https://api.twitter.com/2/problems/invalid-request")
        if "next_token" in params:
            token = json.loads(base64.urlsafe_b64decode(params["next_token"]))
            upper, offset = token["upper"], token["offset"]
        else:
            upper, offset = self.next_id, 0
        since_id = int(params.get("since_id", "0") or 0)
        start = params.get("start_time")
        start_time = datetime.fromisoformat(start.replace("Z", "+00:00")) if start else None
        found = sorted((p for p in self.posts if p.id <= upper and p.id > since_id
                        and (start_time is None or p.created_at >= start_time) and self._matches(p, query)),
                       key=lambda p: p.id, reverse=True)
        page = found[offset:offset + size]
        fields = set(params.get("tweet.fields", "").split(","))
        body: dict[str, Any] = {}
        if page:
            body["data"] = [self._post_json(p, fields, params) for p in page]
            if "author_id" in params.get("expansions", ""):
                wanted = set(params.get("user.fields", "").split(",")) | {"id", "name", "username"}
                authors = dict.fromkeys(p.author_id for p in page)
                body["includes"] = {"users": [{k: v for k, v in self.users[a].items() if k in wanted}
                                              for a in authors if a in self.users]}
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = str(page[0].id), str(page[-1].id)
        if offset + size < len(found):
            meta["next_token"] = base64.urlsafe_b64encode(
                json.dumps({"upper": upper, "offset": offset + size}).encode()).decode()
        body["meta"] = meta
        if self.shape_changed:  # a platform change: renamed top-level members
            body = {"results": body.get("data", []), "info": meta}
        reset = str(int(time.time()) + 900)
        return Answer(200, body, {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449",
                                  "x-rate-limit-reset": reset})

    def _post_json(self, post: Post, fields: set[str], params: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(post.id), "text": post.text, "edit_history_tweet_ids": [str(post.id)]}
        if "author_id" in fields or "author_id" in params.get("expansions", ""):
            data["author_id"] = post.author_id
        if "created_at" in fields:
            data["created_at"] = post.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if "lang" in fields:
            data["lang"] = post.lang
        if "conversation_id" in fields:
            data["conversation_id"] = str(post.reply_to or post.id)
        if "public_metrics" in fields:
            data["public_metrics"] = {"retweet_count": post.retweets, "reply_count": post.replies,
                                      "like_count": post.likes, "quote_count": post.quotes,
                                      "bookmark_count": 0, "impression_count": post.impressions}
        if "referenced_tweets" in fields and post.reply_to:
            data["referenced_tweets"] = [{"type": "replied_to", "id": str(post.reply_to)}]
        if "withheld" in fields and post.withheld_in:
            data["withheld"] = {"copyright": False, "country_codes": post.withheld_in}
        return data
