"""Telegram channel: ``POST {base}/bot<token>/sendMessage`` with ``chat_id``, ``text`` and ``parse_mode=HTML`` to
each configured chat, as the Bot API documents it.

``{"ok": false, "error_code": 429, "parameters": {"retry_after": N}}`` and 5xx answers are tried again later (not
before ``retry_after``); 401/403/404 (a wrong token, a bot not in the chat) too, since fixing the setting should
still deliver what waits; other 4xx (``chat not found``, bad markup) are refused for good. The token is part of the
URL, so it is scrubbed from every error and from the ``httpx`` logger's request lines.
"""

from __future__ import annotations

import logging
import re

import httpx

from janmat.alerts.model import Alert
from janmat.alerts.notify.base import Refused, Unreachable
from janmat.alerts.notify.message import AlertMessage, one_line
from janmat.alerts.notify.render import telegram_html
from janmat.core.settings import JanmatSettings

_TOKEN_IN_PATH = re.compile(r"/bot[^/\s]+")
_TRY_AGAIN = {401, 403, 404, 408, 429}


def scrub(text: str) -> str:
    """The text with any ``/bot<token>`` path hidden."""
    return _TOKEN_IN_PATH.sub("/bot***", text)


class _ScrubToken(logging.Filter):
    """Hides bot tokens in the request lines httpx logs (at INFO, with the full URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(scrub(str(a)) if isinstance(a, str | httpx.URL) else a for a in args)
        return True


logging.getLogger("httpx").addFilter(_ScrubToken())


class TelegramSender:
    """Posts each alert to every chat in ``JANMAT_NOTIFY_TELEGRAM_CHAT_IDS``."""

    channel = "telegram"

    def __init__(self, settings: JanmatSettings) -> None:
        notify = settings.notify
        self.targets = list(notify.telegram_chat_ids)
        token = notify.telegram_bot_token.get_secret_value() if notify.telegram_bot_token else ""
        self._url = f"{notify.telegram_api_base.rstrip('/')}/bot{token}/sendMessage"
        self._client = httpx.Client(timeout=notify.timeout_seconds, headers={"User-Agent": settings.http_user_agent})

    def send(self, target: str, message: AlertMessage, alert: Alert) -> str | None:
        """One ``sendMessage`` call; ``{"ok": true}`` is delivered."""
        chat_id: int | str = int(target) if re.fullmatch(r"-?\d+", target) else target
        body = {"chat_id": chat_id, "text": telegram_html(message), "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True}}
        try:
            response = self._client.post(self._url, json=body)
        except httpx.HTTPError as exc:
            raise Unreachable(scrub(f"Telegram: {type(exc).__name__}: {exc}")) from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise Unreachable(f"Telegram answered {response.status_code} without the Bot API's JSON")
        if response.is_success and answer.get("ok") is True:
            return None
        code = answer.get("error_code") if isinstance(answer.get("error_code"), int) else response.status_code
        parameters = answer.get("parameters") if isinstance(answer.get("parameters"), dict) else {}
        problem = scrub(f"Telegram chat {target}: {code} {one_line(str(answer.get('description', '')))}").strip()
        if code == 429 or code >= 500 or code in _TRY_AGAIN:
            wait = parameters.get("retry_after")
            raise Unreachable(problem, float(wait) if isinstance(wait, int | float) and wait > 0 else None)
        if parameters.get("migrate_to_chat_id"):
            moved = parameters["migrate_to_chat_id"]
            problem += f"; the group is now chat {moved}: update JANMAT_NOTIFY_TELEGRAM_CHAT_IDS"
        raise Refused(problem)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
