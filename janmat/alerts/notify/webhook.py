"""Webhook channel: POST the alert as JSON to each configured URL, signed when a secret is set.

Body: ``{"alert": <the Alert record>, "message": <the AlertMessage: headline, why, names, links>}`` in UTF-8.
Headers: ``Idempotency-Key`` and ``X-Janmat-Alert-Id`` (the alert id: a receiver that keeps the ids it has seen
drops the one resend a crash between its answer and our bookkeeping can cause), and with
``JANMAT_NOTIFY_WEBHOOK_SECRET`` set, ``X-Janmat-Timestamp`` plus ``X-Janmat-Signature: sha256=<hex>``, the
HMAC-SHA256 of ``<timestamp>.<body>`` with the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx

from janmat.alerts.model import Alert
from janmat.alerts.notify.base import Refused, Unreachable
from janmat.alerts.notify.message import AlertMessage
from janmat.core.settings import JanmatSettings

_TRY_AGAIN = {401, 403, 404, 408, 425, 429}
"""Answers tried again later, like 5xx: a receiver that is busy, or not set up yet (fixing it still delivers)."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Janmat-Signature`` value of a body sent at ``timestamp`` (receivers compute the same)."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def retry_after(response: httpx.Response) -> float | None:
    """The seconds a ``Retry-After: N`` header asks for, if any (an HTTP date is left to the backoff)."""
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


class WebhookSender:
    """POSTs each alert to every URL in ``JANMAT_NOTIFY_WEBHOOK_URLS``."""

    channel = "webhook"

    def __init__(self, settings: JanmatSettings) -> None:
        notify = settings.notify
        self.targets = list(notify.webhook_urls)
        self._secret = notify.webhook_secret.get_secret_value() if notify.webhook_secret else None
        self._client = httpx.Client(timeout=notify.timeout_seconds, follow_redirects=False,
                                    headers={"User-Agent": settings.http_user_agent})

    def payload(self, alert: Alert, message: AlertMessage) -> bytes:
        """The JSON body: the alert record and what it says."""
        document = {"alert": alert.model_dump(mode="json"), "message": message.model_dump(mode="json")}
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    def send(self, target: str, message: AlertMessage, alert: Alert) -> str | None:
        """POST to one URL; a 2xx is delivered."""
        body = self.payload(alert, message)
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": alert.id,
                   "X-Janmat-Alert-Id": alert.id}
        if self._secret:
            stamp = str(int(time.time()))
            headers |= {"X-Janmat-Timestamp": stamp, "X-Janmat-Signature": signature(self._secret, stamp, body)}
        try:
            response = self._client.post(target, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise Unreachable(f"{target}: {type(exc).__name__}: {exc}") from None
        if response.is_success:
            return None
        problem = f"{target} answered {response.status_code} {response.reason_phrase}".rstrip()
        if response.status_code >= 500 or response.status_code in _TRY_AGAIN:
            raise Unreachable(problem, retry_after(response))
        raise Refused(problem)

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
