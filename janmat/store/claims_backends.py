"""Which claim store lives beside which mention store: the ``claims`` table of the SQLite file, or the
``<prefix>-claims`` index of an engine store."""

from __future__ import annotations

from janmat.core.errors import ConfigError
from janmat.store.backends import open_store
from janmat.store.base import MentionStore
from janmat.store.claims import ClaimStore
from janmat.store.claims_engine import EngineClaimStore
from janmat.store.claims_sqlite import SQLiteClaimStore
from janmat.store.engine import EngineStore
from janmat.store.sqlite import SQLiteStore


def claim_store_for(store: MentionStore) -> ClaimStore:
    """The claim store beside a mention store (the same SQLite file, or the same engine and index prefix)."""
    if isinstance(store, SQLiteStore):
        return SQLiteClaimStore(store)
    if isinstance(store, EngineStore):
        return EngineClaimStore(store)
    raise ConfigError(f"the store {store.url!r} ({type(store).__name__}) keeps no claims: use the SQLite store, "
                      "OpenSearch or Elasticsearch")


class _OwningClaimStore:
    """Closes the mention store it opened along with its claim store."""

    def __init__(self, claims: ClaimStore) -> None:
        self.claims = claims

    def __enter__(self) -> ClaimStore:
        return self.claims

    def __exit__(self, *exc: object) -> None:
        try:
            self.claims.close()
        finally:
            self.claims.mentions.close()


def open_claims(url: str | None = None) -> _OwningClaimStore:
    """``with open_claims(url) as claims``: the claims of the store at ``url`` (default ``JANMAT_STORE``); the
    mention store is opened with them (``claims.mentions``) and both are closed at the end."""
    store = open_store(url)
    try:
        return _OwningClaimStore(claim_store_for(store))
    except BaseException:
        store.close()
        raise
