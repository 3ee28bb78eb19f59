"""The record of fired alerts: what makes an alert fire once, and what the cool-downs are measured against.

``claim`` is the one door an alert goes through: it is refused when the same alert (same id) was fired before,
when the rule fired for the same district / scheme (the same *series*) within its cool-down of this alert's
moment, or, for a standing query, when the same story (near-duplicate cluster) fired the rule within the story
window. The store-backed ledgers (``janmat.alerts.state``) keep the record with the data; the backtest uses
``MemoryLedger``, so both decide alike.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from janmat.alerts.model import Alert


@dataclass(frozen=True)
class Claim:
    """An alert about to fire, with what its cool-downs are measured by."""

    alert: Alert
    series: str
    """``district|scheme`` for a spike (either part may be empty); empty for a standing query (per rule)."""
    anchor: float
    """The moment it fired in data time (epoch seconds): when its window's mentions became significant, or when
    the matching mention was published."""
    cooldown: float
    """Seconds: no other alert of the rule for the same series this close to ``anchor``."""
    story_window: float | None = None
    """Seconds: no other alert of the rule for the same story (``alert.cluster``) this close to ``anchor``."""


class Ledger(ABC):
    """Fired alerts, by rule, series and story."""

    @abstractmethod
    def claim(self, claim: Claim) -> bool:
        """Record the alert and return True, unless it fired already or a cool-down holds it back (False)."""

    @abstractmethod
    def settle(self, alert: Alert) -> None:
        """Keep the alert as finally sent (with its top mentions) and mark it handed to the notification outbox."""

    @abstractmethod
    def unsettled(self) -> list[Alert]:
        """Alerts claimed but not yet handed to the outbox (the process stopped in between): to be handed again."""

    @abstractmethod
    def fired(self, since: datetime | None = None, limit: int = 100) -> list[Alert]:
        """Alerts fired since ``since`` (by ``fired_at``), newest first."""


def blocked_by(claim: Claim, series: str, rule_id: str, cluster: str | None, anchor: float) -> bool:
    """True when an earlier alert (its rule, series, cluster and anchor) holds ``claim`` back."""
    if rule_id != claim.alert.rule_id:
        return False
    if series == claim.series and abs(anchor - claim.anchor) < claim.cooldown:
        return True
    return bool(claim.story_window and cluster and cluster == claim.alert.cluster
                and abs(anchor - claim.anchor) < claim.story_window)


class MemoryLedger(Ledger):
    """A ledger in memory: the backtest's, which starts empty."""

    def __init__(self) -> None:
        self._fired: dict[str, tuple[Claim, Alert]] = {}
        self._settled: set[str] = set()

    def claim(self, claim: Claim) -> bool:
        """Record the alert unless it fired already or a cool-down holds it back."""
        if claim.alert.id in self._fired:
            return False
        for earlier, _ in self._fired.values():
            if blocked_by(claim, earlier.series, earlier.alert.rule_id, earlier.alert.cluster, earlier.anchor):
                return False
        self._fired[claim.alert.id] = (claim, claim.alert)
        return True

    def settle(self, alert: Alert) -> None:
        """Keep the final alert."""
        claim, _ = self._fired[alert.id]
        self._fired[alert.id] = (claim, alert)
        self._settled.add(alert.id)

    def unsettled(self) -> list[Alert]:
        """Alerts claimed and not settled."""
        return [alert for key, (_, alert) in self._fired.items() if key not in self._settled]

    def fired(self, since: datetime | None = None, limit: int = 100) -> list[Alert]:
        """Alerts recorded, newest first."""
        alerts = [alert for _, alert in self._fired.values() if since is None or alert.fired_at >= since]
        return sorted(alerts, key=lambda alert: alert.fired_at, reverse=True)[:limit]
