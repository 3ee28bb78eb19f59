"""Durable collector state in one SQLite file: cursors per collector and query, and daily quota counters.

A cursor is written only after the items it covers were handed to the store, so a crash between the two
re-fetches at most one page (whose upserts are idempotent) and never skips one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from janmat.core.settings import get_settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cursors (
    collector TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (collector, key)
);
CREATE TABLE IF NOT EXISTS quota (
    collector TEXT NOT NULL,
    day TEXT NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (collector, day)
);
"""


def state_path() -> Path:
    """Where the collectors' state lives: ``<state_dir>/collectors.db``."""
    return get_settings().state_dir / "collectors.db"


class CollectorState:
    """Cursors (JSON per collector and key) and quota counters, committed on every write."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else state_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> CollectorState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, collector: str, key: str) -> dict[str, Any]:
        """The cursor saved for this collector and key, or an empty dict."""
        row = self._db.execute(
            "SELECT value FROM cursors WHERE collector = ? AND key = ?", (collector, key)
        ).fetchone()
        return json.loads(row[0]) if row else {}

    def put(self, collector: str, key: str, value: dict[str, Any]) -> None:
        """Save (replace) the cursor for this collector and key, durably."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO cursors (collector, key, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (collector, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (collector, key, json.dumps(value, ensure_ascii=False, sort_keys=True), now),
            )

    def cursors(self, collector: str | None = None) -> list[tuple[str, str, dict[str, Any], str]]:
        """All saved cursors as (collector, key, value, updated_at), optionally for one collector."""
        sql = "SELECT collector, key, value, updated_at FROM cursors"
        rows = (self._db.execute(sql + " WHERE collector = ? ORDER BY key", (collector,)) if collector
                else self._db.execute(sql + " ORDER BY collector, key"))
        return [(c, k, json.loads(v), u) for c, k, v, u in rows]

    def quota_used(self, collector: str, day: str) -> int:
        """Units spent by a collector on a quota day."""
        row = self._db.execute("SELECT used FROM quota WHERE collector = ? AND day = ?", (collector, day)).fetchone()
        return int(row[0]) if row else 0

    def spend_quota(self, collector: str, day: str, units: int) -> int:
        """Add spent units for the day and return the new total."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO quota (collector, day, used) VALUES (?, ?, ?) "
                "ON CONFLICT (collector, day) DO UPDATE SET used = used + excluded.used",
                (collector, day, units),
            )
        return self.quota_used(collector, day)

    def set_quota_used(self, collector: str, day: str, used: int) -> None:
        """Record that the day's quota stands at ``used`` (e.g. full, when the platform says it is spent)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO quota (collector, day, used) VALUES (?, ?, ?) "
                "ON CONFLICT (collector, day) DO UPDATE SET used = MAX(used, excluded.used)",
                (collector, day, used),
            )
