"""Fake ``t.me/s/<channel>`` web preview, rendered from the saved page shapes in ``pages/telegram_*.html``.

Like the real preview: the newest 20 messages, oldest first on the page, a ``tme_messages_more`` link with
``data-before`` pointing at older ones (``?before=<id>`` shows messages with smaller ids), view counters as
``987`` / ``1.2K``, forwarded-from and reply blocks, photo posts without text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from tests.fakes.server import Answer, FakeServer, Seen

PAGES = Path(__file__).resolve().parent / "pages"
PAGE_SIZE = 20


@dataclass
class Message:
    """One channel message."""

    id: int
    text: str | None
    minutes_ago: float
    views: str = "1.2K"
    forwarded_from: tuple[str, str] | None = None
    reply_to: int | None = None
    signature: str | None = None


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


class FakeTelegram(FakeServer):
    """Channels and their messages."""

    def __init__(self) -> None:
        super().__init__()
        self.channels: dict[str, tuple[str, list[Message]]] = {}
        self.now = datetime.now(UTC).replace(microsecond=0)

    def add_channel(self, name: str, title: str) -> None:
        """Create a public channel."""
        self.channels[name] = (title, [])

    def post(self, channel: str, text: str | None, minutes_ago: float, **extra: object) -> Message:
        """Post a message (ids count up per channel)."""
        messages = self.channels[channel][1]
        message = Message(100 + len(messages), text, minutes_ago, **extra)  # type: ignore[arg-type]
        messages.append(message)
        return message

    def route(self, request: Seen) -> Answer:
        if request.path == "/robots.txt":
            return Answer(200, "User-agent: *\nAllow: /\n", content_type="text/plain")
        parts = request.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != "s" or parts[1] not in self.channels:
            return Answer(302, "", {"Location": "/"}, content_type="text/html")
        channel = parts[1]
        title, messages = self.channels[channel]
        before = int(request.params.get("before", 10**9))
        older = sorted((m for m in messages if m.id < before), key=lambda m: m.id)
        page = older[-PAGE_SIZE:]
        more = ""
        if len(older) > len(page):
            more = _fill((PAGES / "telegram_more.html").read_text(encoding="utf-8"),
                         {"CHANNEL": channel, "BEFORE": str(page[0].id)})
        body = _fill((PAGES / "telegram_preview.html").read_text(encoding="utf-8"), {
            "TITLE": escape(title), "CHANNEL": channel, "ABOUT": "हरियाणा की ताज़ा ख़बरें", "SUBSCRIBERS": "48.7K",
            "MORE": more, "MESSAGES": "".join(self._message(channel, title, m) for m in page),
        })
        return Answer(200, body, content_type="text/html; charset=utf-8")

    def _message(self, channel: str, title: str, message: Message) -> str:
        when = self.now - timedelta(minutes=message.minutes_ago)
        body = ""
        if message.text is not None:
            text = "<br/>".join(escape(line) for line in message.text.split("\n"))
            body = f'                <div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>\n'
        else:
            body = ('                <a class="tgme_widget_message_photo_wrap" href="https://t.me/'
                    f'{channel}/{message.id}" style="width:800px;background-image:url(\'x.jpg\')"></a>\n')
        forwarded = ""
        if message.forwarded_from:
            name, href = message.forwarded_from
            forwarded = ('                <div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
                         f'<a class="tgme_widget_message_forwarded_from_name" href="{href}"><span dir="auto">'
                         f"{escape(name)}</span></a></div>\n")
        reply = ""
        if message.reply_to:
            reply = (f'                <a class="tgme_widget_message_reply" href="https://t.me/{channel}/'
                     f'{message.reply_to}"><div class="tgme_widget_message_author accent_color">'
                     f'<span class="tgme_widget_message_author_name" dir="auto">{escape(title)}</span></div>'
                     '<div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">पिछला संदेश</div>'
                     "</a>\n")
        signature = (f'<span class="tgme_widget_message_from_author" dir="auto">{escape(message.signature)}</span>'
                     if message.signature else "")
        return _fill((PAGES / "telegram_message.html").read_text(encoding="utf-8"), {
            "CHANNEL": channel, "ID": str(message.id), "TITLE": escape(title), "FORWARDED": forwarded,
            "REPLY": reply, "BODY": body, "VIEWS": message.views, "SIGNATURE": signature,
            "DATETIME": when.isoformat(), "CLOCK": when.strftime("%H:%M"),
        })
