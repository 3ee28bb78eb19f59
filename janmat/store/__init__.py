"""Mention stores behind one interface; ``open_store`` picks the backend registered for a URL's scheme."""

from __future__ import annotations

from janmat.store.backends import open_store
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
