"""The engine launcher and the real nodes it starts (OpenSearch 2.19 on 9200, Elasticsearch 9 on 9201).

CI starts both with ``janmat engine start opensearch|elasticsearch`` before the tests. Override the URLs with
``JANMAT_TEST_OPENSEARCH_URL`` / ``JANMAT_TEST_ELASTICSEARCH_URL``. A node that cannot be reached skips its
tests on a developer machine, and fails them when ``CI`` is set.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from janmat import engine
from janmat.core.errors import ConfigError

OPENSEARCH_URL = os.environ.get("JANMAT_TEST_OPENSEARCH_URL", "http://127.0.0.1:9200").rstrip("/")
ELASTICSEARCH_URL = os.environ.get("JANMAT_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201").rstrip("/")
HINDI_CHAIN = [
    "lowercase",
    "decimal_digit",
    "indic_normalization",
    "hindi_normalization",
    {"type": "stemmer", "language": "hindi"},
]
OPENSEARCH_PLUGINS = {
    "org.opensearch.transport.Netty4Plugin",
    "org.opensearch.analysis.common.CommonAnalysisPlugin",
    "org.opensearch.painless.PainlessPlugin",
    "org.opensearch.index.mapper.MapperExtrasPlugin",
    "org.opensearch.percolator.PercolatorPlugin",
    "org.opensearch.index.reindex.ReindexPlugin",
    "org.opensearch.join.ParentJoinPlugin",
    "org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin",
}


def _client(url: str) -> httpx.Client:
    """A client for ``url`` whose node answers cluster health, else skip (or fail under CI)."""
    client = httpx.Client(base_url=url, timeout=30.0)
    try:
        client.get("/_cluster/health").raise_for_status()
    except httpx.HTTPError as exc:
        client.close()
        message = f"no search engine at {url} ({exc.__class__.__name__}); start it with `janmat engine start`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return client


@pytest.fixture(scope="module")
def opensearch() -> Iterator[httpx.Client]:
    client = _client(OPENSEARCH_URL)
    yield client
    client.close()


@pytest.fixture(scope="module")
def elasticsearch() -> Iterator[httpx.Client]:
    client = _client(ELASTICSEARCH_URL)
    yield client
    client.close()


def _tokens(client: httpx.Client, body: dict) -> list[str]:
    response = client.post("/_analyze", json=body)
    assert response.status_code == 200, response.text
    return [token["token"] for token in response.json()["tokens"]]


# -- OpenSearch -----------------------------------------------------------------------------------------------


@pytest.mark.engine
def test_opensearch_is_a_healthy_single_node(opensearch: httpx.Client) -> None:
    health = opensearch.get("/_cluster/health", params={"wait_for_status": "yellow", "timeout": "10s"}).json()
    assert health["status"] in ("yellow", "green")
    assert health["number_of_nodes"] == 1
    nodes = opensearch.get("/_nodes/_local", params={"filter_path": "nodes.*.version"}).json()["nodes"]
    assert next(iter(nodes.values()))["version"].startswith("2.19.")


@pytest.mark.engine
def test_opensearch_loads_every_module_plugin(opensearch: httpx.Client) -> None:
    nodes = opensearch.get("/_nodes/plugins").json()["nodes"]
    loaded = {plugin["name"] for node in nodes.values() for plugin in node["plugins"]}
    assert OPENSEARCH_PLUGINS <= loaded, OPENSEARCH_PLUGINS - loaded


@pytest.mark.engine
def test_opensearch_hindi_analyzer_stems_plural_to_singular(opensearch: httpx.Client) -> None:
    plural = _tokens(opensearch, {"analyzer": "hindi", "text": "किसानों"})
    singular = _tokens(opensearch, {"analyzer": "hindi", "text": "किसान"})
    assert plural == singular
    assert len(plural) == 1 and plural[0].startswith("किस")
    assert _tokens(opensearch, {"analyzer": "hindi", "text": "सड़क"}) != plural


@pytest.mark.engine
def test_opensearch_has_the_indic_filters_of_janmats_chain(opensearch: httpx.Client) -> None:
    body = {"tokenizer": "standard", "filter": HINDI_CHAIN, "text": "किसानों ने १२३ रुपये"}
    tokens = _tokens(opensearch, body)
    assert tokens[0] == _tokens(opensearch, {"tokenizer": "standard", "filter": HINDI_CHAIN, "text": "किसान"})[0]
    assert "123" in tokens  # decimal_digit folds Devanagari digits


@pytest.mark.engine
def test_opensearch_percolator_and_zero_replica_default(opensearch: httpx.Client) -> None:
    index = f"janmat-test-percolate-{uuid.uuid4().hex[:8]}"
    mapping = {
        "mappings": {"properties": {"query": {"type": "percolator"}, "text": {"type": "text", "analyzer": "hindi"}}}
    }
    assert opensearch.put(f"/{index}", json=mapping).status_code == 200
    try:
        settings = opensearch.get(f"/{index}/_settings").json()[index]["settings"]["index"]
        assert settings["number_of_replicas"] == "0"
        stored = opensearch.put(
            f"/{index}/_doc/farmers", params={"refresh": "true"}, json={"query": {"match": {"text": "किसान"}}}
        )
        assert stored.status_code == 201, stored.text

        def matches(text: str) -> list[str]:
            body = {"query": {"percolate": {"field": "query", "document": {"text": text}}}}
            hits = opensearch.post(f"/{index}/_search", json=body).json()["hits"]["hits"]
            return [hit["_id"] for hit in hits]

        assert matches("हिसार में किसानों का धरना") == ["farmers"]
        assert matches("नई सड़क का उद्घाटन") == []
    finally:
        opensearch.delete(f"/{index}")


@pytest.mark.engine
def test_opensearch_runs_painless_scripts(opensearch: httpx.Client) -> None:
    body = {"script": {"source": "params.a * params.b", "params": {"a": 6, "b": 7}}}
    response = opensearch.post("/_scripts/painless/_execute", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == "42"


# -- Elasticsearch --------------------------------------------------------------------------------------------


@pytest.mark.engine
def test_elasticsearch_is_version_9_and_healthy(elasticsearch: httpx.Client) -> None:
    health = elasticsearch.get("/_cluster/health", params={"wait_for_status": "yellow", "timeout": "10s"})
    assert health.json()["status"] in ("yellow", "green")
    # The integ-test zip has no `GET /`; the version comes from the node info.
    response = elasticsearch.get("/_nodes/_local", params={"filter_path": "nodes.*.version"})
    assert next(iter(response.json()["nodes"].values()))["version"].startswith("9.")
    # elasticsearch-py 8/9 refuse servers that do not send this header.
    assert response.headers.get("x-elastic-product") == "Elasticsearch"


@pytest.mark.engine
def test_elasticsearch_security_is_off(elasticsearch: httpx.Client) -> None:
    index = f"janmat-test-{uuid.uuid4().hex[:8]}"
    created = elasticsearch.put(f"/{index}")  # no credentials: would be 401 with security on
    assert created.status_code == 200, created.text
    elasticsearch.delete(f"/{index}")


# -- the launcher's own bookkeeping ---------------------------------------------------------------------------


@pytest.mark.engine
@pytest.mark.parametrize(("kind", "url"), [("opensearch", OPENSEARCH_URL), ("elasticsearch", ELASTICSEARCH_URL)])
def test_status_reports_the_running_node(kind: str, url: str) -> None:
    client = _client(url)
    client.close()
    port = urlsplit(url).port
    found = engine.status(kind)
    if not found.running and not os.environ.get("CI"):
        pytest.skip(f"the {kind} node at {url} was not started by `janmat engine start` with this run dir")
    assert found.running, found
    assert found.port == port and found.healthy and found.pid
    assert found.version and found.version.split(".")[0] == ("2" if kind == "opensearch" else "9")
    assert found.rss_mb and found.rss_mb > 50


def test_unknown_engine_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        engine.status("solr")


def test_stale_pid_file_is_not_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANMAT_ENGINE_DIR", str(tmp_path))
    folder = tmp_path / "opensearch"
    folder.mkdir()
    (folder / "opensearch.pid").write_text(f"{os.getpid()}\n")  # alive, but not an engine
    (folder / "opensearch.json").write_text('{"port": 9299, "marker": "/no/such/engine/home"}')
    found = engine.status("opensearch", port=_free_port())
    assert not found.running and found.pid is None and not found.healthy
    assert engine.stop("opensearch") is False
    assert not (folder / "opensearch.pid").exists()


def test_start_refuses_a_busy_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANMAT_ENGINE_DIR", str(tmp_path))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(engine.EngineError, match="already in use"):
            engine.start("opensearch", port=busy.getsockname()[1])


@pytest.mark.engine
def test_opensearch_start_status_stop_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second OpenSearch in a fresh run dir: Maven build, start, health, a restart that reuses it, stop."""
    if not (os.environ.get("CI") or os.environ.get("JANMAT_TEST_ENGINE_LIFECYCLE")):
        pytest.skip("builds and starts a node (~20 s): runs under CI or with JANMAT_TEST_ENGINE_LIFECYCLE=1")
    monkeypatch.setenv("JANMAT_ENGINE_DIR", str(tmp_path))
    monkeypatch.setenv("JANMAT_OPENSEARCH_HEAP", "256m")
    port = _free_port()
    try:
        started = engine.start("opensearch", port=port)
        assert started.running and started.healthy and started.port == port
        assert started.version and started.version.startswith("2.19.")
        again = engine.start("opensearch", port=port)  # already running: same process
        assert again.pid == started.pid
        with pytest.raises(engine.EngineError, match="already runs"):
            engine.start("opensearch", port=port + 1)
        assert engine.stop("opensearch") is True
    finally:
        engine.stop("opensearch")
    stopped = engine.status("opensearch", port=port)
    assert not stopped.running and not stopped.healthy
    assert "closed" in (tmp_path / "opensearch" / "opensearch.log").read_text()  # clean shutdown, not a kill


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
