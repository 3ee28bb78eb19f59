"""The channels by name: whether each is configured (one line naming the missing variable if not), and its sender."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from janmat.alerts.notify.base import Sender
from janmat.alerts.notify.mail import EmailSender
from janmat.alerts.notify.telegram import TelegramSender
from janmat.alerts.notify.webhook import WebhookSender
from janmat.core.errors import ConfigError
from janmat.core.settings import JanmatSettings, NotifySettings

CHANNELS = ("webhook", "email", "telegram")

SENDERS: dict[str, Callable[[JanmatSettings], Sender]] = {
    "webhook": WebhookSender,
    "email": EmailSender,
    "telegram": TelegramSender,
}

# For each channel: (setting that must be set, how to name it) in the order a user would fix them.
_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "webhook": (("webhook_urls", "JANMAT_NOTIFY_WEBHOOK_URLS (a JSON list of URLs)"),),
    "email": (("smtp_host", "JANMAT_NOTIFY_SMTP_HOST"),
              ("smtp_to", "JANMAT_NOTIFY_SMTP_TO (a JSON list of addresses)"),
              ("smtp_from", "JANMAT_NOTIFY_SMTP_FROM or JANMAT_NOTIFY_SMTP_USERNAME")),
    "telegram": (("telegram_bot_token", "JANMAT_NOTIFY_TELEGRAM_BOT_TOKEN"),
                 ("telegram_chat_ids", "JANMAT_NOTIFY_TELEGRAM_CHAT_IDS (a JSON list of chat ids)")),
}


def problem(channel: str, notify: NotifySettings) -> str | None:
    """Why ``channel`` cannot send, as one line naming the variable to set; None when it can."""
    if channel not in SENDERS:
        return f"unknown alert channel {channel!r}: use {', '.join(CHANNELS)}"
    values = {"smtp_from": notify.smtp_from or notify.smtp_username}
    for name, variable in _NEEDS[channel]:
        if not values.get(name, getattr(notify, name)):
            return f"{channel} alerts need {variable}, which is not set"
    if channel == "email" and notify.smtp_password and not notify.smtp_username:
        return "email alerts: JANMAT_NOTIFY_SMTP_PASSWORD is set but JANMAT_NOTIFY_SMTP_USERNAME is not"
    return None


def configured(notify: NotifySettings) -> list[str]:
    """The channels that have what they need, in the order of ``CHANNELS``."""
    return [channel for channel in CHANNELS if problem(channel, notify) is None]


def check_channels(channels: Iterable[str], notify: NotifySettings) -> None:
    """Raise a one-line ``ConfigError`` for the first chosen channel that cannot send (for ``alerts add``)."""
    for channel in channels:
        why = problem(channel, notify)
        if why:
            raise ConfigError(why)


def open_sender(channel: str, settings: JanmatSettings) -> Sender:
    """The sender of a configured channel (``ConfigError`` if it is not)."""
    check_channels([channel], settings.notify)
    return SENDERS[channel](settings)
