"""Claims in the SQLite store's file: a ``claims`` table, and ``claim_mentions``, the index of which stored mentions
restate which claim.

``claim_mentions`` is kept in step with the ``mentions`` table by triggers (a mention written, rewritten or
deleted, by any process, updates its rows), so the tracker reads an index instead of every mention's JSON. A
mention counts while it is flagged: an analyst who corrects it to "not misinformation" takes it out. The table is
filled from the mentions already stored when it is first created.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from janmat.store.claims import ClaimStore, ClaimWriteReport, Sighting, StoredClaim
from janmat.store.sqlite import SQLiteStore, utc_text
from nlp.claims.model import Claim

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_version ON claims(version);
CREATE INDEX IF NOT EXISTS claims_status ON claims(status, created_at);
CREATE TABLE IF NOT EXISTS claim_mentions (
    claim_id TEXT NOT NULL,
    mention_rowid INTEGER NOT NULL,
    score REAL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, mention_rowid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claim_mentions_seen ON claim_mentions(seen_at, claim_id);
CREATE INDEX IF NOT EXISTS claim_mentions_by_mention ON claim_mentions(mention_rowid);
"""

# The matched claims of one written mention (``new``) as claim_mentions rows; only while it is flagged.
_ROWS_OF_NEW = """
INSERT OR REPLACE INTO claim_mentions (claim_id, mention_rowid, score, seen_at)
SELECT json_extract(c.value, '$.claim_id'), new.rowid, json_extract(c.value, '$.score'),
       coalesce(new.published_at, new.fetched_at)
FROM json_each(new.doc, '$.misinformation.matched_claims') AS c
WHERE new.misinformation = 1 AND json_extract(c.value, '$.claim_id') IS NOT NULL;
"""
_TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS claim_mentions_on_insert AFTER INSERT ON mentions BEGIN {_ROWS_OF_NEW} END;
CREATE TRIGGER IF NOT EXISTS claim_mentions_on_update AFTER UPDATE ON mentions BEGIN
    DELETE FROM claim_mentions WHERE mention_rowid = old.rowid;
    {_ROWS_OF_NEW}
END;
CREATE TRIGGER IF NOT EXISTS claim_mentions_on_delete AFTER DELETE ON mentions BEGIN
    DELETE FROM claim_mentions WHERE mention_rowid = old.rowid;
END;
"""
_BACKFILL = _ROWS_OF_NEW.replace("new.", "m.").replace(
    "FROM json_each(m.doc", "FROM mentions AS m, json_each(m.doc")


class SQLiteClaimStore(ClaimStore):
    """Claims in the SQLite store's file, over a connection of their own."""

    def __init__(self, store: SQLiteStore) -> None:
        self.mentions = store
        settings = get_settings().store
        self._db = sqlite3.connect(store.path, check_same_thread=False, isolation_level=None,
                                   timeout=settings.sqlite_busy_timeout_seconds)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._transaction():
            new = not self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'claim_mentions'").fetchone()
            for statement in (_SCHEMA, _TRIGGERS):
                self._run_script(statement)
            if new:  # mentions stored before the claim tables existed
                self._db.execute(_BACKFILL)

    def _run_script(self, script: str) -> None:
        """Run statements one by one inside the open transaction (``executescript`` would commit it)."""
        for statement in _statements(script):
            self._db.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _write(self, claims: list[StoredClaim]) -> ClaimWriteReport:
        report = ClaimWriteReport()
        with self._transaction():
            version = self._db.execute("SELECT coalesce(max(version), 0) FROM claims").fetchone()[0]
            for claim in claims:
                version += 1
                exists = self._db.execute("SELECT 1 FROM claims WHERE id = ?", (claim.id,)).fetchone()
                self._db.execute(
                    "INSERT OR REPLACE INTO claims (id, doc, status, created_at, version) VALUES (?, ?, ?, ?, ?)",
                    (claim.id, claim.model_dump_json(), claim.status, utc_text(claim.created_at), version))
                report.updated += bool(exists)
                report.stored += not exists
        return report

    def get_many(self, claim_ids: Iterable[str]) -> dict[str, StoredClaim]:
        """The claims with these ids that exist, by id."""
        wanted = list(dict.fromkeys(claim_ids))
        found: dict[str, StoredClaim] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            with self._lock:
                rows = self._db.execute(
                    f"SELECT doc FROM claims WHERE id IN ({','.join('?' * len(part))})", part).fetchall()
            for (doc,) in rows:
                claim = StoredClaim.model_validate_json(doc)
                found[claim.id] = claim
        return found

    def list_claims(self, statuses: Iterable[str] = (), *, limit: int = 100,
                    offset: int = 0) -> tuple[int, list[StoredClaim]]:
        """How many claims have one of ``statuses`` and one page of them, newest first."""
        wanted = list(statuses)
        where = f"WHERE status IN ({','.join('?' * len(wanted))})" if wanted else ""
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM claims {where}", wanted).fetchone()[0]
            rows = self._db.execute(f"SELECT doc FROM claims {where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                                    [*wanted, limit, offset]).fetchall()
        return total, [StoredClaim.model_validate_json(doc) for (doc,) in rows]

    def claims_since(self, version: int) -> tuple[list[Claim], int]:
        """Claims written after ``version`` (a write counter in the file), in the order they were written."""
        with self._lock:
            rows = self._db.execute("SELECT doc, version FROM claims WHERE version > ? ORDER BY version",
                                    (version,)).fetchall()
        claims = [StoredClaim.model_validate_json(doc).as_claim() for doc, _ in rows]
        return claims, (rows[-1][1] if rows else version)

    def sightings(self, claim_ids: Iterable[str] | None = None, *, since: datetime | None = None,
                  until: datetime | None = None, limit: int = 10_000) -> list[Sighting]:
        """Matched mentions from the ``claim_mentions`` index, oldest first."""
        where, params = _range(since, until)
        if claim_ids is not None:
            wanted = list(claim_ids)
            if not wanted:
                return []
            where.append(f"cm.claim_id IN ({','.join('?' * len(wanted))})")
            params.extend(wanted)
        sql = ("SELECT cm.claim_id, cm.score, m.doc FROM claim_mentions cm JOIN mentions m "
               f"ON m.rowid = cm.mention_rowid {_where(where)} ORDER BY cm.seen_at, m.rowid LIMIT ?")
        with self._lock:
            rows = self._db.execute(sql, [*params, limit]).fetchall()
        return [Sighting(claim_id, Mention.model_validate_json(doc), score) for claim_id, score, doc in rows]

    def sighting_counts(self, *, since: datetime | None = None,
                        until: datetime | None = None) -> list[tuple[str, int]]:
        """Matched mentions per claim in the range, most first."""
        where, params = _range(since, until)
        sql = (f"SELECT cm.claim_id, COUNT(*) FROM claim_mentions cm {_where(where)} "
               "GROUP BY cm.claim_id ORDER BY COUNT(*) DESC, cm.claim_id")
        with self._lock:
            return [(claim_id, int(n)) for claim_id, n in self._db.execute(sql, params)]

    def close(self) -> None:
        """Close this claim store's connection (the mention store stays open)."""
        with self._lock:
            self._db.close()


def _range(since: datetime | None, until: datetime | None) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    if since is not None:
        where.append("cm.seen_at >= ?")
        params.append(utc_text(since))
    if until is not None:
        where.append("cm.seen_at <= ?")
        params.append(utc_text(until))
    return where, params


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _statements(script: str) -> list[str]:
    """A script's statements, keeping each trigger's body (its inner ``;``) whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    return statements
