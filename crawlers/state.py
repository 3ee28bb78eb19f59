"""Crawl state that outlives one run: seen article URLs and the HTTP validators of feeds and sitemaps.

One SQLite file under ``state_dir`` (``<data_dir>/state/crawl.sqlite`` unless the ``JANMAT_STATE_DIR`` Scrapy
setting says otherwise). A second run skips articles it has already stored and asks feeds and sitemaps
"changed since?" with ``If-None-Match`` / ``If-Modified-Since``. Writes are buffered and committed when the
crawl closes: seen URLs after the store pipeline has flushed (so a URL is never marked seen without being
stored), validators only after a crawl that finished (so an interrupted crawl never hides a feed's items).
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from janmat.core.settings import get_settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_urls (
    canonical_url TEXT PRIMARY KEY,
    mention_id TEXT,
    source TEXT,
    kind TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS http_validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CrawlState:
    """Seen-URL store and conditional-GET validators in one SQLite file (safe for several processes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._pending_seen: dict[str, tuple[str | None, str | None, str]] = {}
        self._pending_validators: dict[str, tuple[str | None, str | None]] = {}

    def is_seen(self, canonical_url: str) -> bool:
        """True when an earlier run (or this one) already handled this article URL."""
        if canonical_url in self._pending_seen:
            return True
        with self._lock:
            row = self._db.execute("SELECT 1 FROM seen_urls WHERE canonical_url = ?", (canonical_url,)).fetchone()
        return row is not None

    def mark_seen(self, canonical_url: str, mention_id: str | None, source: str | None, kind: str = "article") -> None:
        """Remember a handled URL; written to disk by ``commit_seen``."""
        self._pending_seen[canonical_url] = (mention_id, source, kind)

    def commit_seen(self) -> int:
        """Write the pending seen URLs; returns how many."""
        rows = [(url, mid, src, kind, _now(), _now()) for url, (mid, src, kind) in self._pending_seen.items()]
        if not rows:
            return 0
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO seen_urls (canonical_url, mention_id, source, kind, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(canonical_url) DO UPDATE SET last_seen = excluded.last_seen, "
                "mention_id = COALESCE(excluded.mention_id, mention_id), kind = excluded.kind",
                rows,
            )
            self._db.execute("COMMIT")
        self._pending_seen.clear()
        return len(rows)

    def forget_pending(self, mention_ids: set[str]) -> None:
        """Do not mark these mentions' URLs seen after all (the store rejected them)."""
        self._pending_seen = {url: entry for url, entry in self._pending_seen.items() if entry[0] not in mention_ids}

    def seen_count(self, kind: str | None = None) -> int:
        """How many URLs are on record (optionally of one kind: ``article`` or ``index``)."""
        query = "SELECT COUNT(*) FROM seen_urls" + (" WHERE kind = ?" if kind else "")
        with self._lock:
            return int(self._db.execute(query, (kind,) if kind else ()).fetchone()[0])

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified a feed or sitemap sent last time (None, None when unknown)."""
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def remember_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Keep a response's validators; written to disk by ``commit_validators``."""
        if etag or last_modified:
            self._pending_validators[url] = (etag, last_modified)

    def commit_validators(self) -> int:
        """Write the pending validators; returns how many."""
        rows = [(url, etag, modified, _now()) for url, (etag, modified) in self._pending_validators.items()]
        if rows:
            with self._lock:
                self._db.executemany(
                    "INSERT INTO http_validators (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                    "checked_at = excluded.checked_at",
                    rows,
                )
        self._pending_validators.clear()
        return len(rows)

    def discard_validators(self) -> None:
        """Forget this run's validators (the crawl did not finish, so the next run must read the feeds again)."""
        self._pending_validators.clear()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_states: weakref.WeakKeyDictionary[Any, CrawlState] = weakref.WeakKeyDictionary()


def state_path(settings: Any) -> Path:
    """Where a crawler keeps its state file (the ``JANMAT_STATE_DIR`` setting, else Janmat's state dir)."""
    directory = settings.get("JANMAT_STATE_DIR") if settings is not None else None
    return Path(directory or get_settings().state_dir) / "crawl.sqlite"


def crawl_state_for(crawler: Any) -> CrawlState:
    """The one CrawlState shared by a crawler's spider, middlewares and extensions."""
    state = _states.get(crawler)
    if state is None:
        state = CrawlState(state_path(crawler.settings))
        _states[crawler] = state
    return state

