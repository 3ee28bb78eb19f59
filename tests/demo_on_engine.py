"""The demo crawled into a fresh index prefix on a real engine test node, for dashboard and notebook tests.

The nodes are ``JANMAT_TEST_OPENSEARCH_URL`` (default http://127.0.0.1:9200) and ``JANMAT_TEST_ELASTICSEARCH_URL``
(default http://127.0.0.1:9201), as in tests/store_backends.py. An unreachable node skips the test on a developer
machine and fails it when ``CI`` is set. Everything created under the prefix is deleted afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.store_backends import ENGINE_URLS, engine_http_url

ENGINES = ("opensearch", "elasticsearch")
OPENSEARCH_URL = ENGINE_URLS["opensearch"]
# Where each engine keeps the prefix's lifecycle policy (ISM on OpenSearch, ILM on Elasticsearch).
POLICY_PATHS = {"opensearch": "/_plugins/_ism/policies/{name}", "elasticsearch": "/_ilm/policy/{name}"}


@dataclass(frozen=True)
class EngineDemo:
    """Where the demo landed: the engine kind, store URL, index prefix, read alias and number of mentions."""

    kind: str
    store_url: str
    prefix: str
    alias: str
    total: int


@contextmanager
def demo_on_engine(kind: str, data_dir: Path) -> Iterator[EngineDemo]:
    """Run ``janmat demo`` into a fresh prefix on the ``kind`` test node; delete its indices and templates after."""
    url = engine_http_url(kind)
    prefix = f"janmat-test-{uuid.uuid4().hex[:8]}"
    store_url = f"{kind}+{url}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JANMAT_DATA_DIR", str(data_dir))
        env.setenv("JANMAT_INDEX_PREFIX", prefix)
        from janmat.core.settings import get_settings
        from janmat.demo.run import run_demo

        get_settings.cache_clear()
        try:
            summary = run_demo(store_url=store_url)
            httpx.post(f"{url}/{prefix}-mentions/_refresh", timeout=30).raise_for_status()
            yield EngineDemo(kind, store_url, prefix, f"{prefix}-mentions", summary.total)
        finally:
            get_settings.cache_clear()
            _delete_prefix(kind, url, prefix)


def demo_on_opensearch(data_dir: Path) -> AbstractContextManager[EngineDemo]:
    """The demo on the OpenSearch test node (see ``demo_on_engine``)."""
    return demo_on_engine("opensearch", data_dir)


def _delete_prefix(kind: str, url: str, prefix: str) -> None:
    # By concrete name: engines configured with action.destructive_requires_name refuse wildcard deletes.
    listed = httpx.get(f"{url}/_cat/indices/{prefix}-*", params={"h": "index", "format": "json",
                                                                "expand_wildcards": "all"}, timeout=30)
    for entry in listed.json() if listed.status_code == 200 else []:
        httpx.delete(f"{url}/{entry['index']}", timeout=30)
    for template_kind, key in (("_index_template", "index_templates"), ("_component_template", "component_templates")):
        answer = httpx.get(f"{url}/{template_kind}", timeout=30)
        for entry in answer.json().get(key, []) if answer.status_code == 200 else []:
            if entry["name"].startswith(prefix):
                httpx.delete(f"{url}/{template_kind}/{entry['name']}", timeout=30)
    httpx.delete(url + POLICY_PATHS[kind].format(name=f"{prefix}-mentions"), timeout=30)
