"""Why a collector stopped: typed errors raised near the cause, reported as one line by the runner."""

from __future__ import annotations

from datetime import datetime

from janmat.core.errors import JanmatError


class CollectorError(JanmatError):
    """A collector could not finish; what it already handed to the store stays stored."""


class ApiError(CollectorError):
    """The platform answered with an error status."""

    def __init__(self, message: str, status: int, reason: str | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.code = code


class MalformedResponseError(CollectorError):
    """The platform answered 2xx with a body that is not the JSON/XML we expected (invalid or a changed shape)."""


class RateLimitedError(CollectorError):
    """The platform asked us to wait longer than we are allowed to sleep; the next run picks up the rest."""

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class QuotaExhaustedError(CollectorError):
    """The daily quota (ours or the platform's) is spent; the next run after the reset continues."""
