"""One HTTP client for every platform API: retries on 5xx, waits out 429s, decodes JSON, never leaks a secret.

Secrets (tokens, API keys) are registered once; every message this module produces and every record the
``httpx``/``httpcore`` loggers emit is scrubbed of them, because some APIs take the key in the query string and
httpx logs full request URLs at INFO.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from janmat.collectors.errors import ApiError, MalformedResponseError, RateLimitedError
from janmat.core.settings import JanmatSettings

log = logging.getLogger(__name__)

_SECRETS: set[str] = set()
_MASK = "***"
# A 429 whose reset lies within the allowed wait is slept out and retried at most this many times in a row.
_MAX_RATE_LIMIT_WAITS = 3


def register_secret(secret: str) -> None:
    """Remember a secret so that ``redact`` and the HTTP loggers hide it from now on."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    """The text with every registered secret replaced by ``***``."""
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, _MASK)
    return text


class RedactSecrets(logging.Filter):
    """Logging filter that scrubs registered secrets from a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            record.msg = redact(str(record.msg))
            if record.args:
                args = record.args if isinstance(record.args, tuple) else (record.args,)
                record.args = tuple(redact(str(a)) if isinstance(a, str | httpx.URL) else a for a in args)
        return True


# httpx logs every request URL (query string included) on the "httpx" logger itself; our own messages go
# through ``redact`` before they are logged or raised.
logging.getLogger("httpx").addFilter(RedactSecrets())


class _ServerError(Exception):
    """A 5xx answer, retried by tenacity."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def _reset_wait(response: httpx.Response, now: float) -> float | None:
    """Seconds until the platform lets us call again, from ``x-rate-limit-reset`` (epoch) or ``Retry-After``."""
    reset = response.headers.get("x-rate-limit-reset")
    if reset and reset.strip().isdigit():
        return max(0.0, int(reset) - now)
    retry_after = response.headers.get("retry-after")
    if retry_after:
        if retry_after.strip().isdigit():
            return float(retry_after)
        parsed = email.utils.parsedate_to_datetime(retry_after)
        if parsed is not None:
            return max(0.0, parsed.timestamp() - now)
    return None


def error_detail(response: httpx.Response) -> tuple[str, str | None, int | None]:
    """A short human reason from a platform's JSON error body: (message, reason, code)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase, None, None
    if not isinstance(body, dict):
        return str(body)[:200], None, None
    error = body.get("error")
    if isinstance(error, dict):  # Google ({"error": {"errors": [{"reason"}]}}) and Graph ({"error": {"code"}})
        errors = error.get("errors") or [{}]
        reason = errors[0].get("reason") if isinstance(errors[0], dict) else None
        code = error.get("code") if isinstance(error.get("code"), int) else None
        if error.get("error_subcode"):
            reason = reason or f"subcode {error['error_subcode']}"
        return str(error.get("message", "")), reason, code
    if "title" in body or "detail" in body:  # X problem JSON
        detail = body.get("detail") or body.get("title")
        nested = body.get("errors")
        if isinstance(nested, list) and nested and isinstance(nested[0], dict) and nested[0].get("message"):
            detail = f"{detail} {nested[0]['message']}"
        return str(detail), body.get("type") or body.get("title"), body.get("status")
    return json.dumps(body, ensure_ascii=False)[:200], None, None


class ApiClient:
    """GET JSON or text from one platform, with retries, rate-limit waits and clear, secret-free errors."""

    def __init__(
        self,
        name: str,
        base_url: str,
        settings: JanmatSettings,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.settings = settings
        self.sleep = sleep
        self.requests = 0
        self._client = httpx.Client(
            headers={"User-Agent": settings.http_user_agent, **(headers or {})},
            timeout=settings.collectors.timeout_seconds,
            follow_redirects=True,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        """An absolute URL: ``path`` under the base URL, or ``path`` itself when it already is absolute."""
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """GET with retries on transport errors and 5xx, and waits on 429; raises ApiError on other 4xx."""
        url = self.url(path)
        where = f"{self.name}: GET {httpx.URL(url).path}"
        waits = 0
        while True:
            response = self._get_retrying(url, params, where)
            if response.status_code != 429:
                break
            wait = _reset_wait(response, time.time())
            cap = self.settings.collectors.max_wait_seconds
            if wait is None:
                wait = min(60.0, cap)
            if wait > cap or waits >= _MAX_RATE_LIMIT_WAITS:
                reset_at = datetime.fromtimestamp(time.time() + wait, UTC)
                raise RateLimitedError(
                    f"{where}: rate limited until {reset_at:%H:%M:%S} UTC (more than the {cap:.0f}s we may wait); "
                    "the next run continues from the saved cursor",
                    reset_at=reset_at,
                )
            waits += 1
            log.warning("%s: rate limited (429); sleeping %.1fs until the reset", where, wait)
            self.sleep(wait + 0.5)
        if response.is_success:
            return response
        message, reason, code = error_detail(response)
        raise ApiError(redact(f"{where} failed: HTTP {response.status_code} {message}".strip()),
                       status=response.status_code, reason=reason, code=code)

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET and decode JSON; a body that is not JSON raises MalformedResponseError (nothing is consumed)."""
        response = self.get(path, params)
        try:
            return response.json()
        except ValueError as exc:
            snippet = redact(response.text[:80]).replace("\n", " ")
            raise MalformedResponseError(
                f"{self.name}: GET {httpx.URL(self.url(path)).path} returned invalid JSON "
                f"({exc.__class__.__name__}; body starts {snippet!r})"
            ) from None

    def _get_retrying(self, url: str, params: Mapping[str, Any] | None, where: str) -> httpx.Response:
        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.settings.collectors.retry_attempts)),
            wait=wait_exponential(multiplier=self.settings.collectors.retry_backoff_seconds, max=60),
            retry=retry_if_exception_type((httpx.TransportError, _ServerError)),
            before_sleep=lambda state: log.warning(
                "%s: attempt %d failed (%s); retrying", where, state.attempt_number,
                redact(str(state.outcome.exception())) if state.outcome else "?",
            ),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self.requests += 1
                    response = self._client.get(url, params=params)
                    if response.status_code >= 500:
                        raise _ServerError(response)
                    return response
        except _ServerError as exc:
            message, reason, code = error_detail(exc.response)
            raise ApiError(redact(f"{where} failed after {self.settings.collectors.retry_attempts} attempts: "
                                  f"HTTP {exc.response.status_code} {message}".strip()),
                           status=exc.response.status_code, reason=reason, code=code) from None
        except httpx.TransportError as exc:
            raise ApiError(redact(f"{where} failed after {self.settings.collectors.retry_attempts} attempts: "
                                  f"{exc.__class__.__name__}: {exc}"), status=0) from None
        raise AssertionError("unreachable")  # pragma: no cover
