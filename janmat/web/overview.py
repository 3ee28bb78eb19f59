"""The overview's numbers for today / 7 / 30 days: tone per day, districts for the map, schemes, what is spreading.

Everything comes from the store's counts and ``spreading_clusters`` (any backend). Alerts and claims come from
pluggable panel sources (``janmat.web.panels``), empty until those stores exist.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from pydantic import BaseModel

from janmat.core.errors import InputError
from janmat.core.mention import IST
from janmat.core.shares import Share, wilson
from janmat.store.base import MentionQuery, MentionStore
from janmat.web.display import haryana_districts

PERIODS: dict[str, int] = {"today": 1, "7d": 7, "30d": 30}
"""Overview periods and how many IST days (today included) each covers."""
TONES = ("negative", "neutral", "positive")
SPREADING_SHOWN = 6


class DayTone(BaseModel):
    """Mentions published on one IST day, in all and by tone."""

    day: str
    total: int
    negative: int = 0
    neutral: int = 0
    positive: int = 0


class FacetRow(BaseModel):
    """A district or scheme: its mentions and their negative share (with n and a 95 % interval)."""

    key: str
    mentions: int
    negative: Share


class ClusterRow(BaseModel):
    """A near-duplicate cluster that is spreading, with its earliest mention as the example."""

    cluster: str
    mentions: int
    sources: int
    first_seen: datetime | None
    last_seen: datetime | None
    example_id: str | None = None
    example_title: str | None = None


class Overview(BaseModel):
    """Everything the overview screen shows, also served as JSON at ``/api/overview``."""

    period: str
    since: datetime
    total: int
    tone: dict[str, int]
    days: list[DayTone]
    districts: list[FacetRow]
    schemes: list[FacetRow]
    clusters: list[ClusterRow]


def period_start(period: str, now: datetime | None = None) -> datetime:
    """The first moment (IST midnight) of an overview period."""
    if period not in PERIODS:
        raise InputError(f"bad period {period!r}: use {', '.join(PERIODS)}")
    today = (now or datetime.now(IST)).astimezone(IST).date()
    return datetime.combine(today - timedelta(days=PERIODS[period] - 1), time.min, tzinfo=IST)


def build_overview(store: MentionStore, period: str = "7d", now: datetime | None = None) -> Overview:
    """The overview for a period, from a handful of store counts."""
    since = period_start(period, now)
    base = MentionQuery(since=since, limit=0)
    negative = base.model_copy(update={"sentiments": ["negative"]})
    days = {day: DayTone(day=day, total=n) for day, n in store.counts("day", base)}
    tone = {}
    for label in TONES:
        by_day = store.counts("day", base.model_copy(update={"sentiments": [label]}))
        for day, n in by_day:
            setattr(days.setdefault(day, DayTone(day=day, total=n)), label, n)
        tone[label] = sum(n for _, n in by_day)
    return Overview(
        period=period,
        since=since,
        total=sum(d.total for d in days.values()),
        tone=tone,
        days=_every_day(days, since, now),
        districts=_facet_rows(store, "district", base, negative, keep=haryana_districts()),
        schemes=_facet_rows(store, "scheme", base, negative),
        clusters=_spreading(store, base),
    )


def _every_day(days: dict[str, DayTone], since: datetime, now: datetime | None) -> list[DayTone]:
    """One entry per day of the period, zero where nothing was published."""
    last = (now or datetime.now(IST)).astimezone(IST).date()
    out, day = [], since.date()
    while day <= last:
        out.append(days.get(day.isoformat(), DayTone(day=day.isoformat(), total=0)))
        day += timedelta(days=1)
    return out


def _facet_rows(
    store: MentionStore, by: str, base: MentionQuery, negative: MentionQuery, keep: list[str] | None = None
) -> list[FacetRow]:
    """Mentions and negative share per district or scheme, most mentions first (``keep``: every listed key)."""
    totals = dict(store.counts(by, base))  # type: ignore[arg-type]
    negatives = dict(store.counts(by, negative))  # type: ignore[arg-type]
    keys = keep if keep is not None else list(totals)
    rows = [FacetRow(key=key, mentions=totals.get(key, 0), negative=wilson(negatives.get(key, 0), totals.get(key, 0)))
            for key in keys]
    return sorted(rows, key=lambda row: (-row.mentions, row.key))


def _spreading(store: MentionStore, base: MentionQuery) -> list[ClusterRow]:
    """The largest near-duplicate clusters of the period, each with its earliest mention's title."""
    rows = []
    for spread in store.spreading_clusters(base, limit=SPREADING_SHOWN):
        first = store.search(base.model_copy(update={"clusters": [spread.cluster], "sort": "oldest", "limit": 1}))
        example = first.hits[0].mention if first.hits else None
        rows.append(ClusterRow(
            **spread.model_dump(), example_id=example.id if example else None,
            example_title=(example.title or example.text[:120]) if example else None,
        ))
    return rows
