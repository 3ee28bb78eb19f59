"""The one interface every platform adapter implements, and the context the runner gives it.

An adapter fetches a page of platform items, turns them into Mentions and calls ``ctx.deliver(mentions,
key, cursor)``: the mentions go through the pipeline (validate → enrich → dedupe → store) first, and only then
is the cursor saved. Adding a platform is one new module with one ``Collector`` subclass.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from janmat.collectors.queries import PlatformQuery
from janmat.collectors.state import CollectorState
from janmat.collectors.topics import Topic
from janmat.collectors.watchlist import Watchlist
from janmat.core.mention import Mention, Platform
from janmat.core.settings import JanmatSettings
from pipelines.flow import MentionFlow

log = logging.getLogger(__name__)

Status = Literal["ok", "skipped", "stopped", "failed"]


class CollectorReport(BaseModel):
    """What one collector did in one run."""

    collector: str
    status: Status = "ok"
    message: str = ""
    fetched: int = 0
    """Mentions built from platform items and handed to the pipeline."""
    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    gone: int = 0
    """Items the platform listed but could not return (deleted, withheld, private)."""
    requests: int = 0
    quota_units: int = 0


@dataclass
class CollectContext:
    """Everything an adapter needs for one run: settings, state, watchlist, topics and the hand-off."""

    settings: JanmatSettings
    state: CollectorState
    watchlist: Watchlist
    topics: list[Topic]
    flow: MentionFlow
    report: CollectorReport
    since: datetime | None = None

    @property
    def collector(self) -> str:
        """Name of the collector this context belongs to."""
        return self.report.collector

    def first_run_start(self) -> datetime:
        """Where a query with no cursor starts: ``--since`` or ``collect_first_run_days`` ago."""
        return self.since or datetime.now(UTC) - timedelta(days=self.settings.collectors.first_run_days)

    def cursor(self, key: str) -> dict[str, Any]:
        """The saved cursor for ``key`` of this collector."""
        return self.state.get(self.collector, key)

    def stalest_first(self, queries: list[PlatformQuery]) -> list[PlatformQuery]:
        """Queries whose cursor was saved longest ago first (never-run ones before all), so that runs cut short
        by a quota or a rate limit take turns instead of always serving the same queries."""
        saved = {key: updated for _, key, _, updated in self.state.cursors(self.collector)}
        return sorted(queries, key=lambda query: saved.get(query.key, ""))

    def deliver(
        self, mentions: Sequence[Mention], key: str | None = None, cursor: dict[str, Any] | None = None
    ) -> None:
        """Hand mentions to the pipeline, then (only then) save the cursor that covers them."""
        if mentions:
            _, flow_report = self.flow.process((mention.id, mention) for mention in mentions)
            self.report.fetched += len(mentions)
            self.report.stored += flow_report.stored
            self.report.updated += flow_report.updated
            self.report.duplicates += flow_report.duplicates
            self.report.rejected += len(flow_report.rejected)
            for where, why in flow_report.rejected:
                log.warning("%s: pipeline rejected item %s: %s", self.collector, where, why)
        if key is not None and cursor is not None:
            self.state.put(self.collector, key, cursor)


class Collector(ABC):
    """A platform adapter: fetches items and delivers them as Mentions through ``CollectContext``."""

    name: ClassVar[str]
    platform: ClassVar[Platform]
    needs_open_web: ClassVar[bool] = False
    """True for collectors that need no credentials and so run only when ``collect_open_web`` is set."""

    def unavailable(self, settings: JanmatSettings, watchlist: Watchlist) -> str | None:
        """Why this collector cannot run now (missing credentials or nothing to follow), or None."""
        if self.needs_open_web and not settings.collectors.open_web:
            return f"{self.name}: skipped — set JANMAT_COLLECT_OPEN_WEB=1 to let it fetch public pages"
        return None

    @abstractmethod
    def collect(self, ctx: CollectContext) -> None:
        """Fetch new items for every query, delivering each page through ``ctx.deliver``."""


def parse_time(value: str | None) -> datetime | None:
    """An ISO-8601 / RFC 3339 timestamp from an API (``Z`` or ``+0000`` offsets) as an aware datetime."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":  # Graph API: 2024-01-02T03:04:05+0000
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rfc3339(moment: datetime) -> str:
    """A UTC RFC 3339 timestamp with a ``Z``, as Google and X APIs expect."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_int(value: Any) -> int | None:
    """An integer count from an API value that may be a string (YouTube) or missing."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def primary_lang(code: str | None) -> str | None:
    """ISO 639-1 language from a platform tag (``hi``, ``en-IN`` → ``en``); undetermined tags become None."""
    if not code:
        return None
    primary = code.split("-")[0].split("_")[0].lower()
    return primary if len(primary) == 2 and primary not in {"un", "zx", "qm", "qc", "qh", "qs", "qt"} else None
