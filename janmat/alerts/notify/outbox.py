"""The outbox: one row per (alert, channel) in a SQLite file, from ``enqueue`` until delivered or given up.

Written with WAL and ``synchronous=FULL``, so a row is on disk when ``add`` returns, and with a busy timeout, so
the rules engine, the monitor and ``janmat alerts deliver`` can share the file. A row is **taken** (leased) by one
sender at a time; a sender that dies leaves its lease to run out, after which another sends the row again. Rows
remember which targets (webhook URLs, chat ids) already have the alert, so a retry goes only to the others.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from janmat.alerts.model import Alert
from janmat.core.errors import ConfigError

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    alert_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    alert TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at REAL NOT NULL,
    next_attempt_at REAL NOT NULL,
    leased_until REAL,
    done_targets TEXT NOT NULL DEFAULT '[]',
    last_error TEXT,
    tried_at REAL,
    finished_at REAL,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (channel, status, next_attempt_at);
"""


@dataclass
class OutboxRow:
    """One alert waiting for (or done with) one channel."""

    alert: Alert
    channel: str
    attempts: int
    queued_at: float
    done_targets: list[str] = field(default_factory=list)
    last_error: str | None = None

    @property
    def alert_id(self) -> str:
        """The alert's id (with the channel, the row's key)."""
        return self.alert.id


@dataclass(frozen=True)
class ChannelStatus:
    """How many alerts of one channel are pending, delivered and failed, and what went wrong last."""

    channel: str
    pending: int = 0
    delivered: int = 0
    failed: int = 0
    oldest_pending: datetime | None = None
    last_error: str | None = None


class Outbox:
    """The outbox file; thread-safe (one connection behind a lock), shared safely between processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                       timeout=BUSY_TIMEOUT_SECONDS)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the alert outbox at {path}: {exc}") from exc

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that holds the file's write lock from its start."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def add(self, alert: Alert, channels: Iterable[str], now: float) -> int:
        """Queue the alert for each channel, once: a row that exists is left as it is. Returns rows added."""
        doc = alert.model_dump_json()
        with self._write() as db:
            return sum(
                db.execute(
                    "INSERT OR IGNORE INTO outbox (alert_id, channel, alert, queued_at, next_attempt_at) "
                    "VALUES (?, ?, ?, ?, ?)", (alert.id, channel, doc, now, now),
                ).rowcount
                for channel in dict.fromkeys(channels)
            )

    def take(self, channel: str, now: float, lease_seconds: float, skip: Iterable[str] = ()) -> OutboxRow | None:
        """The oldest due pending row of ``channel`` not leased by another sender, leased to the caller."""
        skip = list(skip)
        with self._write() as db:
            found = db.execute(
                "SELECT alert, attempts, queued_at, done_targets, last_error FROM outbox "
                "WHERE channel = ? AND status = 'pending' AND next_attempt_at <= ? "
                "AND (leased_until IS NULL OR leased_until <= ?) "
                f"AND alert_id NOT IN ({','.join('?' * len(skip))}) ORDER BY next_attempt_at, queued_at LIMIT 1",
                (channel, now, now, *skip),
            ).fetchone()
            if found is None:
                return None
            row = OutboxRow(Alert.model_validate_json(found[0]), channel, found[1], found[2],
                            json.loads(found[3]), found[4])
            db.execute("UPDATE outbox SET leased_until = ? WHERE alert_id = ? AND channel = ?",
                       (now + lease_seconds, row.alert_id, channel))
        return row

    def target_done(self, row: OutboxRow, target: str) -> None:
        """Record that one target has the alert (right after it accepted it)."""
        row.done_targets.append(target)
        self._update(row, done_targets=json.dumps(row.done_targets))

    def delivered(self, row: OutboxRow, now: float, note: str | None = None) -> None:
        """Every target has the alert."""
        self._update(row, status=DELIVERED, tried_at=now, finished_at=now, leased_until=None, last_error=note)

    def retry(self, row: OutboxRow, now: float, at: float, error: str) -> None:
        """A try failed; try again at ``at``."""
        self._update(row, attempts=row.attempts + 1, tried_at=now, next_attempt_at=at, leased_until=None,
                     last_error=error)

    def release(self, row: OutboxRow) -> None:
        """Give the row back untried (its channel was down this run)."""
        self._update(row, leased_until=None)

    def fail(self, row: OutboxRow, now: float, error: str, tried: bool = True) -> None:
        """Give up on the row for good, keeping why."""
        self._update(row, status=FAILED, attempts=row.attempts + int(tried), tried_at=now, finished_at=now,
                     leased_until=None, last_error=error)

    def _update(self, row: OutboxRow, **values: object) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._write() as db:
            db.execute(f"UPDATE outbox SET {columns} WHERE alert_id = ? AND channel = ?",
                       (*values.values(), row.alert_id, row.channel))

    def expired(self, channel: str, queued_before: float, now: float) -> list[OutboxRow]:
        """Pending rows of ``channel`` queued before the given time (and not leased by a live sender)."""
        with self._lock:
            found = self._db.execute(
                "SELECT alert, attempts, queued_at, done_targets, last_error FROM outbox "
                "WHERE channel = ? AND status = 'pending' AND queued_at < ? "
                "AND (leased_until IS NULL OR leased_until <= ?)", (channel, queued_before, now),
            ).fetchall()
        return [OutboxRow(Alert.model_validate_json(a), channel, n, q, json.loads(d), e) for a, n, q, d, e in found]

    def count_due(self, channel: str, now: float) -> int:
        """Pending rows of ``channel`` whose next try is due."""
        with self._lock:
            return self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE channel = ? AND status = 'pending' AND next_attempt_at <= ?",
                (channel, now),
            ).fetchone()[0]

    def requeue_failed(self, now: float) -> int:
        """Put every failed row back in the queue with a fresh count of tries (after fixing the cause)."""
        with self._write() as db:
            return db.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, queued_at = ?, next_attempt_at = ?, "
                "finished_at = NULL WHERE status = 'failed'", (now, now),
            ).rowcount

    def status(self) -> dict[str, ChannelStatus]:
        """Counts per channel and status, the oldest pending alert and the latest error of each channel."""
        with self._lock:
            counts = self._db.execute(
                "SELECT channel, status, COUNT(*), MIN(queued_at) FROM outbox GROUP BY channel, status"
            ).fetchall()
            # SQLite takes a bare column from the row holding the MAX(): the error of the latest try
            errors = {channel: error for channel, error, _ in self._db.execute(
                "SELECT channel, last_error, MAX(tried_at) FROM outbox "
                "WHERE last_error IS NOT NULL AND status != 'delivered' GROUP BY channel"
            )}
        found: dict[str, dict[str, object]] = {}
        for channel, status, count, oldest in counts:
            entry = found.setdefault(channel, {"channel": channel, "last_error": errors.get(channel)})
            entry[status] = count
            if status == PENDING:
                entry["oldest_pending"] = datetime.fromtimestamp(oldest, UTC)
        return {channel: ChannelStatus(**values) for channel, values in sorted(found.items())}  # type: ignore[arg-type]

    def rows(self, status: str | None = None, limit: int = 50) -> list[tuple[OutboxRow, str]]:
        """The latest rows (of one status), newest first, with their status."""
        with self._lock:
            found = self._db.execute(
                "SELECT alert, channel, attempts, queued_at, done_targets, last_error, status FROM outbox "
                "WHERE ? IS NULL OR status = ? ORDER BY queued_at DESC LIMIT ?", (status, status, limit),
            ).fetchall()
        return [(OutboxRow(Alert.model_validate_json(a), c, n, q, json.loads(d), e), s)
                for a, c, n, q, d, e, s in found]
