"""The small surface Janmat needs from a search-engine client, so one store serves OpenSearch and Elasticsearch.

Each adapter (``janmat.store.opensearch``, ``janmat.store.elasticsearch``) wraps its official client library:
plain REST calls through the client's own transport (connection pooling, TLS, auth) and the library's
``helpers.streaming_bulk``. Both engines share the REST paths Janmat uses, except lifecycle policies
(ILM ``_ilm/policy`` vs ISM ``_plugins/_ism/policies``). Errors come out as two types: the engine answered
with an error (``EngineRequestError``), or it could not be reached (``StoreUnavailableError``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from janmat.core.errors import ConfigError, JanmatError

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class EngineRequestError(JanmatError):
    """The engine answered a request with an error status."""

    def __init__(self, status: int | None, error_type: str, reason: str) -> None:
        super().__init__(f"{error_type} ({status}): {reason}" if status else f"{error_type}: {reason}")
        self.status = status
        self.error_type = error_type
        self.reason = reason

    @property
    def retryable(self) -> bool:
        """True for overload and server errors that a later attempt may get past."""
        return self.status in RETRYABLE_STATUS


@dataclass(frozen=True)
class EngineConnection:
    """Where and how to reach an engine: parsed from a store URL plus the ``JANMAT_STORE_*`` settings."""

    kind: str
    """``opensearch`` or ``elasticsearch``."""
    base_url: str
    """``http(s)://host:port[/path]`` without credentials."""
    username: str | None = None
    password: str | None = None
    api_key: str | None = None
    ca_bundle: Path | None = None
    timeout: float = 30.0

    @classmethod
    def from_url(cls, url: str, **auth: Any) -> EngineConnection:
        """Parse ``opensearch+http(s)://HOST:PORT`` or ``elasticsearch+http(s)://HOST:PORT``."""
        parts = urlsplit(url)
        kind, _, transport = parts.scheme.partition("+")
        if kind not in ("opensearch", "elasticsearch") or transport not in ("http", "https"):
            raise ConfigError(f"not a search-engine store URL: {url!r} (use opensearch+http(s):// or elasticsearch+…)")
        if parts.username or parts.password:
            raise ConfigError(
                "put store credentials in JANMAT_STORE_USERNAME / JANMAT_STORE_PASSWORD or JANMAT_STORE_API_KEY, "
                "not in the store URL"
            )
        if not parts.hostname:
            raise ConfigError(f"store URL {url!r} names no host")
        try:
            port = parts.port or (443 if transport == "https" else 9200)
        except ValueError as exc:
            raise ConfigError(f"store URL {url!r} has a bad port: {exc}") from exc
        path = parts.path.rstrip("/")
        ca_bundle = auth.get("ca_bundle")
        if ca_bundle is not None and not Path(ca_bundle).is_file():
            raise ConfigError(f"JANMAT_STORE_CA_BUNDLE {ca_bundle} is not a file")
        return cls(kind=kind, base_url=f"{transport}://{parts.hostname}:{port}{path}", **auth)


def query_params(params: Mapping[str, Any] | None) -> dict[str, str] | None:
    """Query-string values as the engines expect them (``true``/``false``, comma-joined lists)."""
    if not params:
        return None
    out = {}
    for key, value in params.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            out[key] = ",".join(map(str, value))
        else:
            out[key] = str(value)
    return out


class EngineClient(ABC):
    """One engine, reached through its official Python client."""

    kind: str
    connection: EngineConnection

    @abstractmethod
    def request(
        self, method: str, path: str, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """One REST call; the decoded JSON object (a JSON list comes as ``{"rows": [...]}``,
        a HEAD answer as ``{"found": bool}``)."""

    @abstractmethod
    def streaming_bulk(
        self, actions: Iterable[dict[str, Any]], *, chunk_size: int, max_retries: int, initial_backoff: float
    ) -> Iterator[tuple[bool, dict[str, Any]]]:
        """The client library's ``helpers.streaming_bulk``: per-item results; items rejected with 429 are retried
        with exponential backoff; a request that fails as a whole raises EngineRequestError or
        StoreUnavailableError."""

    @abstractmethod
    def lifecycle_policy_path(self, name: str) -> str:
        """The REST path of a lifecycle policy (ILM or ISM)."""

    @abstractmethod
    def lifecycle_probe_path(self) -> str:
        """A GET path that answers only when the engine has lifecycle management."""

    def close(self) -> None:  # noqa: B027 - adapters without resources need nothing
        """Close the client's connections."""

    def exists(self, path: str) -> bool:
        """True when ``HEAD path`` finds something."""
        try:
            return bool(self.request("HEAD", path).get("found"))
        except EngineRequestError as exc:
            if exc.status == 404:
                return False
            raise


def error_details(body: Any, fallback: str) -> tuple[str, str]:
    """The error type and reason from an engine's JSON error body."""
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            root = (error.get("root_cause") or [error])[0]
            return str(error.get("type") or root.get("type") or "error"), str(
                error.get("reason") or root.get("reason") or fallback
            )
        if isinstance(error, str):
            return "error", error
    if isinstance(body, str) and body:
        return "error", body[:500]
    return "error", fallback
