"""Where rules and fired alerts live: with the mentions, in the store the URL names.

``open_alert_state(store)`` gives the store's ``AlertState``: tables in the SQLite store file
(``state_sqlite``), or indices next to the mention indices of OpenSearch / Elasticsearch (``state_engine``:
standing queries in a percolator index on OpenSearch).
"""

from __future__ import annotations

from janmat.alerts.state import AlertState
from janmat.core.errors import ConfigError
from janmat.store.base import MentionStore


def open_alert_state(store: MentionStore) -> AlertState:
    """The rules and fired alerts kept with ``store``."""
    from janmat.store.engine import EngineStore
    from janmat.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from janmat.alerts.state_sqlite import SQLiteAlertState

        return SQLiteAlertState(store.path)
    if isinstance(store, EngineStore):
        from janmat.alerts.state_engine import EngineAlertState

        return EngineAlertState(store)
    raise ConfigError(f"alert rules cannot be kept in the store {store.url!r}: use the SQLite store or a search "
                      "engine")
