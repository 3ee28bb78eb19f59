"""OpenSearch through opensearch-py: REST calls on its transport and its ``helpers.streaming_bulk``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson
from opensearchpy import JSONSerializer, OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import SerializationError, TransportError

from janmat.core.errors import StoreUnavailableError
from janmat.store.engine_client import EngineClient, EngineConnection, EngineRequestError, error_details, query_params


class OpenSearchClient(EngineClient):
    """An OpenSearch cluster (2.x) reached with opensearch-py."""

    kind = "opensearch"

    def __init__(self, connection: EngineConnection) -> None:
        self.connection = connection
        options: dict[str, Any] = {
            "timeout": connection.timeout, "max_retries": 0, "retry_on_timeout": False, "pool_maxsize": 4,
        }
        if connection.username is not None:
            options["http_auth"] = (connection.username, connection.password or "")
        if connection.api_key is not None:
            options["headers"] = {"Authorization": f"ApiKey {connection.api_key}"}
        if connection.ca_bundle is not None:
            options.update(ca_certs=str(connection.ca_bundle), verify_certs=True)
        self.client = OpenSearch(hosts=[connection.base_url], serializer=OrjsonSerializer(), **options)

    def request(
        self, method: str, path: str, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """One REST call through opensearch-py's transport."""
        try:
            answer = self.client.transport.perform_request(method, path, params=query_params(params), body=body)
        except OpenSearchConnectionError as exc:
            raise StoreUnavailableError(f"OpenSearch at {self.connection.base_url} is unreachable: {exc}") from exc
        except TransportError as exc:
            raise _request_error(exc) from exc
        if method == "HEAD":
            return {"found": bool(answer)}
        if isinstance(answer, list):
            return {"rows": answer}
        return answer if isinstance(answer, dict) else {}

    def streaming_bulk(
        self, actions: Iterable[dict[str, Any]], *, chunk_size: int, max_retries: int, initial_backoff: float
    ) -> Iterator[tuple[bool, dict[str, Any]]]:
        """opensearch-py's streaming_bulk; 429 items retried by the helper with backoff."""
        try:
            yield from helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=chunk_size,
                max_retries=max_retries,
                initial_backoff=initial_backoff,  # type: ignore[arg-type]
                max_backoff=max(initial_backoff * 8, 1),  # type: ignore[arg-type]
                raise_on_error=False,
                raise_on_exception=True,
            )
        except OpenSearchConnectionError as exc:
            raise StoreUnavailableError(f"OpenSearch at {self.connection.base_url} is unreachable: {exc}") from exc
        except TransportError as exc:
            raise _request_error(exc) from exc

    def lifecycle_policy_path(self, name: str) -> str:
        """ISM policies live under the index-management plugin."""
        return f"/_plugins/_ism/policies/{name}"

    def lifecycle_probe_path(self) -> str:
        """Answers only when the index-management (ISM) plugin is installed."""
        return "/_plugins/_ism/policies"

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()


class OrjsonSerializer(JSONSerializer):
    """opensearch-py's JSON serializer on orjson, which encodes a Janmat document in about half the time of the
    standard library (13 vs 26 µs); elasticsearch-py ships the same option built in."""

    def dumps(self, data: Any) -> str:
        """Encode to a str (the bulk helper measures and joins str actions); str bodies pass through.

        What orjson cannot encode (integers beyond 64 bits) goes through the standard encoder, so the engine,
        not the client, rejects that one document and the rest of its batch is indexed."""
        if isinstance(data, str):
            return data
        try:
            return orjson.dumps(data, default=self.default).decode()
        except orjson.JSONEncodeError:
            return super().dumps(data)

    def loads(self, s: str | bytes) -> Any:
        """Decode an answer."""
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as exc:
            raise SerializationError(s, exc) from exc


def _request_error(exc: TransportError) -> EngineRequestError:
    status = exc.status_code if isinstance(exc.status_code, int) else None
    error_type, reason = error_details(exc.info, str(exc.error))
    return EngineRequestError(status, error_type, reason)
