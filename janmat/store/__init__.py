"""Mention stores behind one interface; ``open_store`` picks one from a URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from janmat.core.errors import ConfigError
from janmat.store.base import FACETS, Facet, MentionQuery, MentionStore, SearchHit, SearchResult, UpsertReport

__all__ = [
    "FACETS",
    "Facet",
    "MentionQuery",
    "MentionStore",
    "SearchHit",
    "SearchResult",
    "UpsertReport",
    "open_store",
]


def open_store(url: str | None = None) -> MentionStore:
    """Open the store a URL names: ``sqlite:///PATH``, ``opensearch+http(s)://…``, ``elasticsearch+http(s)://…``."""
    from janmat.core.settings import get_settings

    url = url or get_settings().store_url
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite://")
        if not path or path == "/":
            raise ConfigError(f"store URL {url!r} has no file path; use sqlite:///PATH")
        from janmat.store.sqlite import SQLiteStore

        return SQLiteStore(path[1:] if path.startswith("//") else path)
    if scheme in {"opensearch+http", "opensearch+https", "elasticsearch+http", "elasticsearch+https"}:
        from janmat.store.engine import open_engine_store

        return open_engine_store(url)
    raise ConfigError(
        f"unknown store URL {url!r}: use sqlite:///PATH, opensearch+http(s)://HOST:PORT "
        "or elasticsearch+http(s)://HOST:PORT"
    )
