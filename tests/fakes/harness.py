"""Test harness for the collectors: point settings at the fakes and run the real runner into a real store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pytest

from janmat.collectors.base import CollectorReport
from janmat.collectors.runner import run_collectors
from janmat.collectors.topics import Topic
from janmat.collectors.watchlist import Watchlist
from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from janmat.store import MentionQuery, open_store


def configure(monkeypatch: pytest.MonkeyPatch, **values: object) -> None:
    """Set ``JANMAT_<NAME>`` for each value (fast retries by default) and re-read the settings."""
    monkeypatch.setenv("JANMAT_COLLECTOR_RETRY_BACKOFF_SECONDS", "0.01")
    for name, value in values.items():
        monkeypatch.setenv(f"JANMAT_{name.upper()}", str(value))
    get_settings.cache_clear()


def run(platforms: Sequence[str], topics: list[Topic] | None = None, watchlist: Watchlist | None = None,
        since: datetime | None = None) -> dict[str, CollectorReport]:
    """Run collectors through the real runner into the configured store; reports by collector name."""
    reports = run_collectors(platforms, since=since, watchlist=watchlist or Watchlist(), topics=topics or [])
    return {r.collector: r for r in reports}


def stored(platform: str | None = None) -> list[Mention]:
    """Every mention in the configured store (of one platform)."""
    with open_store() as store:
        query = MentionQuery(platforms=[platform] if platform else [], limit=10_000)
        return [hit.mention for hit in store.search(query).hits]
