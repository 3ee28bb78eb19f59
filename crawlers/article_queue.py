"""Article URLs waiting to be crawled: a durable work queue with leases, in one SQLite file.

The Google News collector ``add``s publisher article URLs; the ``queued-articles`` spider ``take``s a batch (each
URL leased until a deadline), crawls them through the news spider's article path, and ``ack``s a URL only once it
is done with: its mention stored, or the page found to be no article. A URL whose lease ran out without an ack
(the crawl was killed, the store refused the mention) is taken again by a later crawl; one taken
``max_attempts`` times without an ack is given up. A URL is queued once, however many queries find it.

The file is opened in WAL mode with a busy timeout, so the collector, a crawl and ``janmat collect status`` can
use it at the same time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from janmat.core.settings import get_settings

LEASE_SECONDS = 3600
"""How long a taken URL stays reserved for the crawl that took it (a crawl of a few hundred URLs at polite
rates fits well inside; a lease that runs out early costs at most one more fetch, never a second mention)."""
MAX_ATTEMPTS = 5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_queue (
    url TEXT PRIMARY KEY,
    found_by TEXT NOT NULL,
    publisher TEXT,
    added_at TEXT NOT NULL,
    leased_until TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    done_at TEXT,
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS article_queue_open ON article_queue(done_at, added_at);
"""


def _stamp(moment: datetime) -> str:
    """A UTC timestamp that sorts as text in time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def queue_path(state_dir: Path | str | None = None) -> Path:
    """Where the queue lives: ``<state_dir>/article-queue.sqlite`` (Janmat's state dir unless given)."""
    return Path(state_dir or get_settings().state_dir) / "article-queue.sqlite"


@dataclass(frozen=True)
class QueuedArticle:
    """One article URL and who found it."""

    url: str
    found_by: str
    """What found it, e.g. the Google News query key ``scheme:pm_kisan``."""
    publisher: str | None = None
    """The publisher's name as the finder gave it (``दैनिक भास्कर``)."""


@dataclass(frozen=True)
class QueueCounts:
    """How many URLs are in each state."""

    waiting: int
    """Not done, not leased (or the lease ran out): the next crawl takes them."""
    leased: int
    """Taken by a crawl that has not acknowledged them yet."""
    done: int
    given_up: int
    """Taken ``max_attempts`` times and never acknowledged."""


class ArticleQueue:
    """A durable, de-duplicated queue of article URLs with leases and acknowledgements."""

    def __init__(self, path: Path | str | None = None, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.path = Path(path) if path else queue_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_attempts = max_attempts
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> ArticleQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, articles: Iterable[QueuedArticle]) -> int:
        """Queue the articles not queued before; returns how many were new."""
        now = _stamp(datetime.now(UTC))
        rows = [(a.url, a.found_by, a.publisher, now) for a in articles]
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO article_queue (url, found_by, publisher, added_at) VALUES (?, ?, ?, ?)", rows)
            return self._db.total_changes - before

    def take(self, limit: int = 200, lease_seconds: float = LEASE_SECONDS,
             now: datetime | None = None) -> list[QueuedArticle]:
        """Lease the oldest waiting URLs (at most ``limit``) for ``lease_seconds``; oldest first.

        One statement picks and leases them, so two crawls taking at the same time never get the same URL.
        """
        moment = now or datetime.now(UTC)
        rows = self._db.execute(
            "UPDATE article_queue SET leased_until = :until, attempts = attempts + 1 WHERE url IN ("
            " SELECT url FROM article_queue WHERE done_at IS NULL AND attempts < :max"
            " AND (leased_until IS NULL OR leased_until <= :now) ORDER BY added_at, url LIMIT :limit)"
            " RETURNING url, found_by, publisher, added_at",
            {"until": _stamp(moment + timedelta(seconds=lease_seconds)), "now": _stamp(moment),
             "max": self.max_attempts, "limit": limit},
        ).fetchall()
        rows.sort(key=lambda row: (row[3], row[0]))
        return [QueuedArticle(url, found_by, publisher) for url, found_by, publisher, _ in rows]

    def ack(self, urls: Iterable[str], outcome: str) -> int:
        """Mark URLs done (``stored``, ``not_article``…) so they are never taken again; returns how many."""
        now = _stamp(datetime.now(UTC))
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            before = self._db.total_changes
            self._db.executemany(
                "UPDATE article_queue SET done_at = ?, outcome = ?, leased_until = NULL "
                "WHERE url = ? AND done_at IS NULL",
                [(now, outcome, url) for url in urls],
            )
            return self._db.total_changes - before

    def release(self, urls: Iterable[str]) -> None:
        """End the lease of URLs that were not done (the fetch failed), so the next crawl may take them."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("UPDATE article_queue SET leased_until = NULL WHERE url = ? AND done_at IS NULL",
                                 [(url,) for url in urls])

    def counts(self, now: datetime | None = None) -> QueueCounts:
        """How many URLs wait, are leased, are done and were given up."""
        row = self._db.execute(
            "SELECT"
            " COALESCE(SUM(done_at IS NULL AND attempts < :max AND (leased_until IS NULL OR leased_until <= :now)), 0),"
            " COALESCE(SUM(done_at IS NULL AND leased_until > :now), 0),"
            " COALESCE(SUM(done_at IS NOT NULL), 0),"
            " COALESCE(SUM(done_at IS NULL AND attempts >= :max AND (leased_until IS NULL OR leased_until <= :now)), 0)"
            " FROM article_queue",
            {"max": self.max_attempts, "now": _stamp(now or datetime.now(UTC))},
        ).fetchone()
        return QueueCounts(*(int(value) for value in row))

    def pending(self) -> int:
        """How many URLs are not done yet and not given up (waiting or leased)."""
        counts = self.counts()
        return counts.waiting + counts.leased

    def outcome(self, url: str) -> str | None:
        """How a URL was done with (``stored``, ``not_article``…), or None while it is not done."""
        row = self._db.execute("SELECT outcome FROM article_queue WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None
