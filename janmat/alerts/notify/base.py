"""What every channel (webhook, e-mail, Telegram) is: a sender with targets, and the three ways a send fails."""

from __future__ import annotations

from typing import Protocol

from janmat.alerts.model import Alert
from janmat.alerts.notify.message import AlertMessage


class SendError(Exception):
    """A send failed; the message says why in one line, with no secret in it."""


class Unreachable(SendError):  # noqa: N818 - it names the state of the target
    """The target did not answer (refused, timed out, 5xx, rate-limited): try it again later, and skip it for the
    rest of this run. ``retry_after`` is the wait the target asked for, if any."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Refused(SendError):  # noqa: N818
    """The target answered that it will never take this message (e.g. 400 chat not found): give up now."""


class Sender(Protocol):
    """One configured channel."""

    channel: str
    targets: list[str]
    """Where each alert goes (URLs, chat ids; one entry for e-mail's recipient list); a retry skips those done."""

    def send(self, target: str, message: AlertMessage, alert: Alert) -> str | None:
        """Deliver the alert's message to one target or raise a ``SendError``; may return a note (e.g. recipients
        the mail server refused)."""
        ...

    def close(self) -> None:
        """Free connections."""
        ...
