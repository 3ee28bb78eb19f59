"""Opening each real store backend for tests: an SQLite file, or a fresh index prefix on a real engine node.

Engine URLs come from ``JANMAT_TEST_OPENSEARCH_URL`` (default http://127.0.0.1:9200) and
``JANMAT_TEST_ELASTICSEARCH_URL`` (default http://127.0.0.1:9201); start the nodes with
``janmat engine start opensearch|elasticsearch``. An unreachable node skips the test on a developer machine and
fails it when ``CI`` is set. Every engine store gets its own random index prefix and is removed afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from janmat.store import MentionStore, open_store

BACKENDS = ("sqlite", "opensearch", "elasticsearch")
ENGINE_URLS = {
    "opensearch": os.environ.get("JANMAT_TEST_OPENSEARCH_URL", "http://127.0.0.1:9200").rstrip("/"),
    "elasticsearch": os.environ.get("JANMAT_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201").rstrip("/"),
}


def engine_http_url(kind: str) -> str:
    """The test node's ``http://host:port`` when it answers cluster health; else skip (fail under CI)."""
    url = ENGINE_URLS[kind]
    try:
        httpx.get(f"{url}/_cluster/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        message = f"no {kind} node at {url} ({exc.__class__.__name__}); start it with `janmat engine start {kind}`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def store_url(kind: str, tmp_path: Path) -> str:
    """A store URL for one backend."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'janmat-{uuid.uuid4().hex[:6]}.db'}"
    return f"{kind}+{engine_http_url(kind)}"


def use_fresh_prefix(monkeypatch: pytest.MonkeyPatch) -> str:
    """Point JANMAT_INDEX_PREFIX at a new random prefix (settings re-read); return it."""
    from janmat.core.settings import get_settings

    prefix = f"t{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("JANMAT_INDEX_PREFIX", prefix)
    monkeypatch.setenv("JANMAT_STORE_RETRY_BACKOFF_SECONDS", "0.05")
    get_settings.cache_clear()
    return prefix


def remove_store(store: MentionStore) -> None:
    """Close a store; for an engine store, delete its indices, templates and policy first."""
    from janmat.store.engine import EngineStore

    try:
        if isinstance(store, EngineStore):
            store.remove_everything()
    finally:
        store.close()


@pytest.fixture
def open_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], MentionStore]]:
    """A factory: ``open_backend("opensearch")`` gives a fresh, empty store; all are removed after the test."""
    opened: list[MentionStore] = []

    def open_one(kind: str) -> MentionStore:
        url = store_url(kind, tmp_path)
        if kind != "sqlite":
            use_fresh_prefix(monkeypatch)
        store = open_store(url)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        remove_store(store)
