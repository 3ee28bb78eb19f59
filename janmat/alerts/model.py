"""What an alert is, as every part sees it: the rules engine fires one, the outbox delivers it, the web shows it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AlertKind = Literal["match", "spike", "claim"]
"""``match``: a standing query matched new mentions; ``spike``: volume or negative share jumped against the
baseline; ``claim``: a known false claim started spreading."""

Channel = Literal["webhook", "email", "telegram"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AlertMention(_Record):
    """One of the mentions that made an alert fire, enough to show it and link to it."""

    id: str
    title: str | None = None
    snippet: str = ""
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    sentiment: str | None = None


class Alert(_Record):
    """One firing of one rule, with the numbers behind it and the mentions that made it."""

    id: str
    """Stable for one rule, key and window, so a re-evaluation cannot fire the same alert twice."""
    rule_id: str
    rule_name: str
    kind: AlertKind
    district: str | None = None
    """District key (``Hisar``) the alert is about, if any."""
    scheme: str | None = None
    """Scheme id (``pm-kisan``) the alert is about, if any."""
    claim_id: str | None = None
    cluster: str | None = None
    """The near-duplicate cluster (story) the alert is about, if any; one alert per rule per cluster per window."""
    window_start: datetime
    window_end: datetime
    count: int = 0
    """Mentions in the window."""
    baseline: float | None = None
    """Expected count (spike) for the same window, from the baseline."""
    negative_share: float | None = None
    baseline_negative_share: float | None = None
    reason: str = ""
    """One line, English: what fired and why (the message templates say it in Hindi)."""
    top: list[AlertMention] = Field(default_factory=list)
    """Up to three mentions, most relevant first."""
    channels: list[Channel] = Field(default_factory=list)
    fired_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
