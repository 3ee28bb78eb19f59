"""Publisher article URLs found by the Google News collector, waiting for the news crawler to fetch them.

The collector ``add``s URLs; the crawler ``take``s a batch (marking them taken) and crawls them like any other
seed. A URL is queued once, however many queries find it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from janmat.collectors.state import state_path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_queue (
    url TEXT PRIMARY KEY,
    found_by TEXT NOT NULL,
    publisher TEXT,
    added_at TEXT NOT NULL,
    taken_at TEXT
);
CREATE INDEX IF NOT EXISTS article_queue_pending ON article_queue(taken_at, added_at);
"""


class ArticleQueue:
    """A durable, de-duplicated queue of article URLs for the news crawler."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else state_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def add(self, urls: Iterable[tuple[str, str, str | None]]) -> int:
        """Queue (url, found_by, publisher) triples not queued before; returns how many were new."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._db:
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO article_queue (url, found_by, publisher, added_at) VALUES (?, ?, ?, ?)",
                [(url, found_by, publisher, now) for url, found_by, publisher in urls],
            )
            return self._db.total_changes - before

    def take(self, limit: int = 500) -> list[str]:
        """The oldest pending URLs (at most ``limit``), marked taken so no other crawl takes them again."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._db:
            rows = self._db.execute(
                "SELECT url FROM article_queue WHERE taken_at IS NULL ORDER BY added_at, url LIMIT ?", (limit,)
            ).fetchall()
            urls = [row[0] for row in rows]
            self._db.executemany("UPDATE article_queue SET taken_at = ? WHERE url = ?", [(now, u) for u in urls])
        return urls

    def pending(self) -> int:
        """How many URLs wait to be crawled."""
        return int(self._db.execute("SELECT COUNT(*) FROM article_queue WHERE taken_at IS NULL").fetchone()[0])
