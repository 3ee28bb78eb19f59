"""Options several commands share, and opening the store they name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from janmat.core.errors import ConfigError
from janmat.core.i18n import t

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


def open_mentions(store_url: str | None, *, create: bool = False) -> MentionStore:
    """The store at ``store_url``, or the configured one (``JANMAT_STORE``, else the embedded SQLite file).

    A SQLite file that does not exist yet is made only with ``create`` (commands that write mentions): for the others
    a missing file is a mistyped path or a store not filled yet, and is said so instead of answering from an empty
    new store."""
    from janmat.core.settings import get_settings
    from janmat.store import open_store
    from janmat.store.backends import sqlite_path

    url = store_url or get_settings().store_url
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise ConfigError(t("no_store_yet", path=path))
    return open_store(url)


def open_engine(store_url: str | None, refusal: str) -> EngineStore:
    """Like ``open_mentions``, for commands that need a search engine; the SQLite store is refused with
    ``refusal`` (formatted with the store's ``url``)."""
    from janmat.core.settings import get_settings
    from janmat.store import open_store
    from janmat.store.backends import sqlite_path
    from janmat.store.engine import EngineStore

    url = store_url or get_settings().store_url
    if sqlite_path(url) is not None:  # refused without opening (and so without creating) the file
        raise ConfigError(refusal.format(url=url))
    store = open_store(url)
    if not isinstance(store, EngineStore):
        store.close()
        raise ConfigError(refusal.format(url=store.url))
    return store
