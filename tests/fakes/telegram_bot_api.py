"""Fake Telegram Bot API: ``POST /bot<token>/sendMessage`` as https://core.telegram.org/bots/api documents it.

Takes a JSON body with ``chat_id``, ``text`` and ``parse_mode``; answers ``{"ok": true, "result": <Message>}``, or
``{"ok": false, "error_code": N, "description": "…"}`` like the real API: 401 for a wrong token, 400 ``chat not
found``, 400 ``can't parse entities`` for a tag outside the HTML subset Telegram accepts or an unclosed one, 400
``message is too long`` past 4096 characters, and (scripted) 429 with ``parameters.retry_after``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import count
from typing import Any

from tests.fakes.server import Answer, FakeServer, Seen

# https://core.telegram.org/bots/api#html-style
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
                "tg-spoiler", "tg-emoji", "blockquote"}
MAX_TEXT = 4096


@dataclass
class Sent:
    """One message the bot posted: the request as sent and the text as a reader sees it."""

    chat_id: int | str
    html: str
    text: str
    links: list[str] = field(default_factory=list)
    body: dict[str, Any] = field(default_factory=dict)


class _Entities(HTMLParser):
    """Parses ``parse_mode=HTML`` text the way the Bot API checks it: known tags only, every tag closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.open: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problem = self.problem or f'Unsupported start tag "{tag}"'
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problem = self.problem or f'Unexpected end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def error(code: int, description: str, **parameters: Any) -> Answer:
    """An error answer in the Bot API's shape."""
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Answer(code, body)


def too_many_requests(retry_after: int) -> Answer:
    """The flood-control answer: HTTP 429 with ``parameters.retry_after`` seconds."""
    return error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


class FakeBotApi(FakeServer):
    """One bot (``token``) that may post to ``chats``; records what it posted per chat."""

    def __init__(self, token: str, chats: list[int | str]) -> None:
        super().__init__()
        self.token = token
        self.chats = {str(chat) for chat in chats}
        self.sent: list[Sent] = []
        self._ids = count(1)

    def route(self, request: Seen) -> Answer:
        if request.method != "POST" or not request.path.endswith("/sendMessage"):
            return error(404, "Not Found")
        if request.path != f"/bot{self.token}/sendMessage":
            return error(401, "Unauthorized")
        try:
            body = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return error(400, "Bad Request: message text is empty")
        chat_id, html = body.get("chat_id"), body.get("text") or ""
        if str(chat_id) not in self.chats:
            return error(400, "Bad Request: chat not found")
        if not html.strip():
            return error(400, "Bad Request: message text is empty")
        parsed = _Entities()
        if body.get("parse_mode") == "HTML":
            parsed.feed(html)
            parsed.close()
            if parsed.open and not parsed.problem:
                parsed.problem = f'Can\'t find end tag corresponding to start tag "{parsed.open[-1]}"'
            if parsed.problem:
                return error(400, f"Bad Request: can't parse entities: {parsed.problem}")
        text = "".join(parsed.text) if body.get("parse_mode") == "HTML" else html
        if len(text) > MAX_TEXT:
            return error(400, "Bad Request: message is too long")
        with self.lock:
            self.sent.append(Sent(chat_id, html, text, parsed.links, body))
        message = {"message_id": next(self._ids), "date": 1_770_000_000, "text": text,
                   "chat": {"id": chat_id, "type": "group"}}
        return Answer(200, {"ok": True, "result": message})

    def to(self, chat_id: int | str) -> list[Sent]:
        """The messages posted to one chat, in order."""
        return [s for s in self.sent if str(s.chat_id) == str(chat_id)]
