"""Options several commands share, and opening the store they name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from janmat.core.errors import ConfigError

if TYPE_CHECKING:
    from janmat.store import MentionStore
    from janmat.store.engine import EngineStore

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="Store URL (sqlite:///PATH, opensearch+http://…, elasticsearch+http://…); "
                 "default JANMAT_STORE or the embedded SQLite file."),
]
EngineStoreOption = Annotated[str | None, typer.Option("--store", help="Engine store URL (default JANMAT_STORE).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def open_mentions(store_url: str | None) -> MentionStore:
    """The store at ``store_url``, or the configured one (``JANMAT_STORE``, else the embedded SQLite file)."""
    from janmat.core.settings import get_settings
    from janmat.store import open_store

    return open_store(store_url or get_settings().store_url)


def open_engine(store_url: str | None, refusal: str) -> EngineStore:
    """Like ``open_mentions``, for commands that need a search engine; the SQLite store is refused with
    ``refusal`` (formatted with the store's ``url``)."""
    from janmat.store.engine import EngineStore

    store = open_mentions(store_url)
    if not isinstance(store, EngineStore):
        store.close()
        raise ConfigError(refusal.format(url=store.url))
    return store
