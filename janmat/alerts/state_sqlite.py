"""Rules and fired alerts in the SQLite store file itself (tables ``alert_rules`` and ``fired_alerts``).

A claim checks the cool-downs and inserts in one write transaction (``BEGIN IMMEDIATE``), so two processes
evaluating at once (the monitor and a ``janmat ingest``) still fire an alert once.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from janmat.alerts.ledger import Claim, blocked_by
from janmat.alerts.model import Alert
from janmat.alerts.rules import STORED, AlertRule
from janmat.alerts.state import AlertState
from janmat.core.errors import ConfigError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alert_rules (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    doc TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fired_alerts (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL,
    series TEXT NOT NULL,
    cluster TEXT,
    anchor REAL NOT NULL,
    fired_at TEXT NOT NULL,
    queued INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fired_alerts_series ON fired_alerts(rule_id, series, anchor);
CREATE INDEX IF NOT EXISTS fired_alerts_story ON fired_alerts(rule_id, cluster, anchor) WHERE cluster IS NOT NULL;
CREATE INDEX IF NOT EXISTS fired_alerts_time ON fired_alerts(fired_at);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteAlertState(AlertState):
    """Rules and the fired-alert ledger in the store file, on a connection of their own."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot keep alert rules in {path}: {exc}") from exc
        self._lock = threading.Lock()

    def add_rule(self, rule: AlertRule) -> AlertRule:
        """Store (or replace) the rule."""
        rule = rule.with_id()
        with self._lock:
            self._db.execute(
                "INSERT INTO alert_rules (id, kind, doc, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, doc = excluded.doc",
                (rule.id, rule.kind, rule.model_dump_json(), _now()),
            )
        return rule

    def rules(self) -> list[AlertRule]:
        """Every stored rule, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT doc FROM alert_rules ORDER BY rowid").fetchall()
        return [AlertRule.model_validate_json(doc, context=STORED) for (doc,) in rows]

    def remove_rule(self, rule_id: str) -> bool:
        """Delete one rule."""
        with self._lock:
            return self._db.execute("DELETE FROM alert_rules WHERE id = ?", (rule_id,)).rowcount > 0

    def claim(self, claim: Claim) -> bool:
        """Check the cool-downs and record the alert in one write transaction."""
        reach = max(claim.cooldown, claim.story_window or 0)
        alert = claim.alert
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                exists = self._db.execute("SELECT 1 FROM fired_alerts WHERE id = ?", (alert.id,)).fetchone()
                nearby = self._db.execute(
                    "SELECT series, cluster, anchor FROM fired_alerts WHERE rule_id = ? AND anchor > ? AND anchor < ? "
                    "AND (series = ? OR cluster = ?)",
                    (alert.rule_id, claim.anchor - reach, claim.anchor + reach, claim.series, alert.cluster),
                ).fetchall()
                allowed = not exists and not any(
                    blocked_by(claim, series, alert.rule_id, cluster, anchor) for series, cluster, anchor in nearby)
                if allowed:
                    self._db.execute(
                        "INSERT INTO fired_alerts (id, rule_id, series, cluster, anchor, fired_at, doc) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (alert.id, alert.rule_id, claim.series, alert.cluster, claim.anchor,
                         alert.fired_at.astimezone(UTC).isoformat(), alert.model_dump_json()),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return allowed

    def settle(self, alert: Alert) -> None:
        """Keep the final alert and mark it queued for notification."""
        with self._lock:
            self._db.execute("UPDATE fired_alerts SET doc = ?, queued = 1 WHERE id = ?",
                             (alert.model_dump_json(), alert.id))

    def unsettled(self) -> list[Alert]:
        """Alerts claimed but never handed to the outbox."""
        with self._lock:
            rows = self._db.execute("SELECT doc FROM fired_alerts WHERE queued = 0 ORDER BY anchor").fetchall()
        return [Alert.model_validate_json(doc) for (doc,) in rows]

    def fired(self, since: datetime | None = None, limit: int = 100) -> list[Alert]:
        """Fired alerts, newest first."""
        bound = since.astimezone(UTC).isoformat() if since else ""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc FROM fired_alerts WHERE fired_at >= ? ORDER BY fired_at DESC, id LIMIT ?", (bound, limit)
            ).fetchall()
        return [Alert.model_validate_json(doc) for (doc,) in rows]

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()
