"""Elasticsearch through elasticsearch-py 9: REST calls on its client and its ``helpers.streaming_bulk``.

elasticsearch-py refuses servers that are not Elasticsearch, which is why OpenSearch has its own adapter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, SerializationError, TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.serializer import JsonSerializer, OrjsonSerializer

from janmat.core.errors import StoreUnavailableError
from janmat.store.engine_client import EngineClient, EngineConnection, EngineRequestError, error_details, query_params

_JSON = {"accept": "application/json", "content-type": "application/json"}


class ElasticsearchClient(EngineClient):
    """An Elasticsearch cluster (8.x/9.x) reached with elasticsearch-py 9."""

    kind = "elasticsearch"

    def __init__(self, connection: EngineConnection) -> None:
        self.connection = connection
        options: dict[str, Any] = {
            "request_timeout": connection.timeout, "max_retries": 0, "retry_on_timeout": False,
            "connections_per_node": 4,
        }
        if connection.username is not None:
            options["basic_auth"] = (connection.username, connection.password or "")
        if connection.api_key is not None:
            options["api_key"] = connection.api_key
        if connection.ca_bundle is not None:
            options["ca_certs"] = str(connection.ca_bundle)
        # orjson encodes bulk documents in about half the time of the standard library (see janmat.store.opensearch)
        self.client = Elasticsearch(hosts=[connection.base_url], serializer=_Serializer(), **options)

    def request(
        self, method: str, path: str, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """One REST call through elasticsearch-py's client."""
        headers = _JSON if body is not None else {"accept": "application/json"}
        try:
            answer = self.client.perform_request(
                method, path, params=query_params(params), headers=headers, body=body
            ).body
        except (TransportConnectionError, ConnectionTimeout) as exc:
            raise StoreUnavailableError(
                f"Elasticsearch at {self.connection.base_url} is unreachable: {exc}"
            ) from exc
        except ApiError as exc:
            raise _request_error(exc) from exc
        except TransportError as exc:
            raise StoreUnavailableError(f"Elasticsearch at {self.connection.base_url} failed: {exc}") from exc
        if method == "HEAD":
            return {"found": bool(answer)}
        if isinstance(answer, list):
            return {"rows": answer}
        return answer if isinstance(answer, dict) else {}

    def streaming_bulk(
        self, actions: Iterable[dict[str, Any]], *, chunk_size: int, max_retries: int, initial_backoff: float
    ) -> Iterator[tuple[bool, dict[str, Any]]]:
        """elasticsearch-py's streaming_bulk; 429 items retried by the helper with backoff."""
        try:
            yield from helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=chunk_size,
                max_retries=max_retries,
                initial_backoff=initial_backoff,
                max_backoff=max(initial_backoff * 8, 1),
                raise_on_error=False,
                raise_on_exception=True,
            )
        except (TransportConnectionError, ConnectionTimeout) as exc:
            raise StoreUnavailableError(
                f"Elasticsearch at {self.connection.base_url} is unreachable: {exc}"
            ) from exc
        except ApiError as exc:
            raise _request_error(exc) from exc
        except TransportError as exc:
            raise StoreUnavailableError(f"Elasticsearch at {self.connection.base_url} failed: {exc}") from exc

    def lifecycle_policy_path(self, name: str) -> str:
        """ILM policies (x-pack)."""
        return f"/_ilm/policy/{name}"

    def lifecycle_probe_path(self) -> str:
        """Answers only when the ILM module is installed."""
        return "/_ilm/status"

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()


class _Serializer(OrjsonSerializer):
    """orjson, and the standard encoder for what orjson cannot encode (integers beyond 64 bits), so the engine,
    not the client, rejects that one document and the rest of its batch is indexed."""

    def dumps(self, data: Any) -> bytes:
        """Encode a request body."""
        try:
            return super().dumps(data)
        except SerializationError:
            return JsonSerializer().dumps(data)


def _request_error(exc: ApiError) -> EngineRequestError:
    error_type, reason = error_details(exc.body, exc.message)
    return EngineRequestError(exc.status_code, error_type, reason)
