"""The demo crawled into a fresh index prefix on the real OpenSearch test node, for dashboard and notebook tests.

The node is ``JANMAT_TEST_OPENSEARCH_URL`` (default http://127.0.0.1:9200). An unreachable node skips the test on
a developer machine and fails it when ``CI`` is set. Everything created under the prefix is deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

OPENSEARCH_URL = os.environ.get("JANMAT_TEST_OPENSEARCH_URL", "http://127.0.0.1:9200").rstrip("/")


@dataclass(frozen=True)
class EngineDemo:
    """Where the demo landed: the store URL, the index prefix and the read alias."""

    store_url: str
    prefix: str
    alias: str
    total: int


def require_opensearch() -> None:
    """Skip (or, under CI, fail) when the OpenSearch test node does not answer."""
    try:
        httpx.get(f"{OPENSEARCH_URL}/_cluster/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        message = (f"no OpenSearch node at {OPENSEARCH_URL} ({exc.__class__.__name__}); "
                   "start it with `janmat engine start opensearch`")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def demo_on_opensearch(data_dir: Path) -> Iterator[EngineDemo]:
    """Run ``janmat demo`` into a fresh index prefix on the test node; delete its indices and templates after."""
    require_opensearch()
    prefix = f"janmat-test-{uuid.uuid4().hex[:8]}"
    store_url = f"opensearch+{OPENSEARCH_URL}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JANMAT_DATA_DIR", str(data_dir))
        env.setenv("JANMAT_INDEX_PREFIX", prefix)
        from janmat.demo.run import run_demo
        from janmat.settings import get_settings

        get_settings.cache_clear()
        try:
            summary = run_demo(store_url=store_url)
            httpx.post(f"{OPENSEARCH_URL}/{prefix}-mentions/_refresh", timeout=30).raise_for_status()
            yield EngineDemo(store_url, prefix, f"{prefix}-mentions", summary.total)
        finally:
            get_settings.cache_clear()
            _delete_prefix(prefix)


def _delete_prefix(prefix: str) -> None:
    # By concrete name: engines configured with action.destructive_requires_name refuse wildcard deletes.
    listed = httpx.get(f"{OPENSEARCH_URL}/_cat/indices/{prefix}-*", params={"h": "index", "format": "json",
                                                                         "expand_wildcards": "all"}, timeout=30)
    for entry in listed.json() if listed.status_code == 200 else []:
        httpx.delete(f"{OPENSEARCH_URL}/{entry['index']}", timeout=30)
    for kind, key in (("_index_template", "index_templates"), ("_component_template", "component_templates")):
        answer = httpx.get(f"{OPENSEARCH_URL}/{kind}", timeout=30)
        for entry in answer.json().get(key, []) if answer.status_code == 200 else []:
            if entry["name"].startswith(prefix):
                httpx.delete(f"{OPENSEARCH_URL}/{kind}/{entry['name']}", timeout=30)
    for path in (f"/_plugins/_ism/policies/{prefix}-mentions",):
        httpx.delete(f"{OPENSEARCH_URL}{path}", timeout=30)
