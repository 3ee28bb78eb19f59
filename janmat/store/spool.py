"""A durable local spool for mentions a search engine could not take, replayed in order when it is back.

One SQLite file per engine store under ``get_settings().spool_dir``, written with ``synchronous=FULL`` so every
spooled batch is on disk (fsync) before ``upsert`` returns. Two tables:

* ``pending``: the engine was down, overloaded or refused the batch; replayed oldest first.
* ``rejected``: the engine refused one mention for good (e.g. a mapping error); kept with the reason for
  inspection and replayed only on request (``janmat spool replay --rejected``).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from janmat.core.errors import ConfigError
from janmat.core.mention import Mention

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    reason TEXT NOT NULL,
    spooled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    reason TEXT NOT NULL,
    spooled_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class SpoolEntry:
    """One spooled mention and why it was spooled."""

    seq: int
    mention: Mention
    reason: str
    spooled_at: str


@dataclass(frozen=True)
class SpoolStatus:
    """How much waits in a spool."""

    path: Path
    pending: int
    rejected: int
    oldest_pending: str | None
    last_reason: str | None


def spool_path(spool_dir: Path, store_url: str, prefix: str) -> Path:
    """The spool file of one store URL and index prefix."""
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", f"{store_url.split('://', 1)[-1]}-{prefix}").strip("-")
    return spool_dir / f"{slug}.sqlite"


class Spool:
    """Mentions waiting for a store, in arrival order. Opens its file only when something is spooled."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _open(self, create: bool) -> sqlite3.Connection | None:
        if self._db is None:
            if not create and not self.path.exists():
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
                db.executescript(_SCHEMA)
            except (OSError, sqlite3.Error) as exc:
                raise ConfigError(f"cannot open the spool at {self.path}: {exc}") from exc
            self._db = db
        return self._db

    def _write(self, table: str, mentions: Iterable[Mention], reason: str) -> int:
        rows = [(m.id, m.model_dump_json(), reason, _now()) for m in mentions]
        if not rows:
            return 0
        with self._lock:
            db = self._open(create=True)
            assert db is not None
            with db:
                db.executemany(
                    f"INSERT INTO {table} (mention_id, doc, reason, spooled_at) VALUES (?, ?, ?, ?)", rows
                )
        return len(rows)

    def add(self, mentions: Iterable[Mention], reason: str) -> int:
        """Append mentions to the pending queue; durable when this returns."""
        count = self.put(mentions, reason)
        if count:
            log.warning("spooled %d mention(s) to %s: %s", count, self.path, reason)
        return count

    def put(self, mentions: Iterable[Mention], reason: str) -> int:
        """``add`` without the warning, for a spool that is a queue by design (the monitor's crawl inbox)."""
        return self._write("pending", mentions, reason)

    def reject(self, mention: Mention, reason: str) -> None:
        """Keep a mention the engine refused for good, with the reason."""
        self._write("rejected", [mention], reason)

    def pending_count(self) -> int:
        """How many mentions wait to be replayed."""
        with self._lock:
            db = self._open(create=False)
            return 0 if db is None else db.execute("SELECT COUNT(*) FROM pending").fetchone()[0]

    def head(self, limit: int) -> list[SpoolEntry]:
        """The oldest pending mentions, in order."""
        with self._lock:
            db = self._open(create=False)
            if db is None:
                return []
            rows = db.execute(
                "SELECT seq, doc, reason, spooled_at FROM pending ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        return [SpoolEntry(seq, Mention.model_validate_json(doc), reason, at) for seq, doc, reason, at in rows]

    def done(self, seqs: Iterable[int]) -> None:
        """Drop replayed mentions from the pending queue."""
        self._move(seqs, None)

    def move_to_rejected(self, reasons: dict[int, str]) -> None:
        """Move pending mentions the engine refused for good to the rejected table."""
        for seq, reason in reasons.items():
            self._move([seq], reason)

    def _move(self, seqs: Iterable[int], reason: str | None) -> None:
        seqs = list(seqs)
        if not seqs:
            return
        with self._lock:
            db = self._open(create=True)
            assert db is not None
            with db:
                if reason is not None:
                    db.executemany(
                        "INSERT INTO rejected (mention_id, doc, reason, spooled_at) "
                        "SELECT mention_id, doc, ?, ? FROM pending WHERE seq = ?",
                        [(reason, _now(), seq) for seq in seqs],
                    )
                db.executemany("DELETE FROM pending WHERE seq = ?", [(seq,) for seq in seqs])

    def requeue_rejected(self) -> int:
        """Put every rejected mention back at the end of the pending queue (after fixing the cause)."""
        with self._lock:
            db = self._open(create=False)
            if db is None:
                return 0
            with db:
                moved = db.execute(
                    "INSERT INTO pending (mention_id, doc, reason, spooled_at) "
                    "SELECT mention_id, doc, 'requeued: ' || reason, ? FROM rejected ORDER BY seq",
                    (_now(),),
                ).rowcount
                db.execute("DELETE FROM rejected")
        return moved

    def rejected(self, limit: int = 20) -> list[SpoolEntry]:
        """The most recent mentions refused for good."""
        with self._lock:
            db = self._open(create=False)
            if db is None:
                return []
            rows = db.execute(
                "SELECT seq, doc, reason, spooled_at FROM rejected ORDER BY seq DESC LIMIT ?", (limit,)
            ).fetchall()
        return [SpoolEntry(seq, Mention.model_validate_json(doc), reason, at) for seq, doc, reason, at in rows]

    def status(self) -> SpoolStatus:
        """Counts, the oldest pending time and the latest reason."""
        with self._lock:
            db = self._open(create=False)
            if db is None:
                return SpoolStatus(self.path, 0, 0, None, None)
            pending, oldest = db.execute("SELECT COUNT(*), MIN(spooled_at) FROM pending").fetchone()
            rejected = db.execute("SELECT COUNT(*) FROM rejected").fetchone()[0]
            last = db.execute("SELECT reason FROM pending ORDER BY seq DESC LIMIT 1").fetchone()
        return SpoolStatus(self.path, pending, rejected, oldest, last[0] if last else None)

    @contextlib.contextmanager
    def replaying(self) -> Iterator[bool]:
        """Hold the spool's replay lock across processes; yields False when another process is replaying."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the spool file."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

