"""The one interface every mention store implements (embedded SQLite, OpenSearch, Elasticsearch)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from janmat.core.mention import Mention

Facet = Literal["district", "scheme", "sentiment", "day", "source", "platform", "lang"]
FACETS: tuple[str, ...] = ("district", "scheme", "sentiment", "day", "source", "platform", "lang")
SortOrder = Literal["relevance", "newest", "oldest"]
SORT_ORDERS: tuple[str, ...] = ("relevance", "newest", "oldest")


class MentionQuery(BaseModel):
    """What a user asks of the store: free text plus filters. District and scheme values are canonical keys."""

    text: str | None = None
    districts: list[str] = Field(default_factory=list)
    schemes: list[str] = Field(default_factory=list)
    sentiments: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    langs: list[str] = Field(default_factory=list)
    misinformation: bool | None = None
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    """Only mentions whose tone label has at least this probability (``sentiment.score``); mentions without a tone
    label are left out too. Analysts' corrections have probability 1."""
    clusters: list[str] = Field(default_factory=list)
    """Near-duplicate cluster ids (``Mention.near_dup_cluster``)."""
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(default=20, ge=0, le=10_000)
    offset: int = Field(default=0, ge=0)
    sort: SortOrder = "relevance"
    """``relevance`` (best first with query text, else newest first), ``newest`` or ``oldest`` (undated last)."""


class SearchHit(BaseModel):
    """One mention found, with highlighted passages where the query text matched."""

    mention: Mention
    score: float | None = None
    highlights: list[str] = Field(default_factory=list)


class SearchResult(BaseModel):
    """A page of hits and the total number of mentions that match."""

    total: int
    hits: list[SearchHit]


class ClusterSpread(BaseModel):
    """A near-duplicate cluster among the matching mentions: how many, from how many sources, over what time."""

    cluster: str
    mentions: int
    sources: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class UpsertReport(BaseModel):
    """What a batch upsert did: new mentions, updated ones, and per-item failures with their reason."""

    stored: int = 0
    updated: int = 0
    failed: dict[str, str] = Field(default_factory=dict)
    spooled: int = 0

    def merge(self, other: UpsertReport) -> None:
        """Add another report's counts to this one."""
        self.stored += other.stored
        self.updated += other.updated
        self.failed.update(other.failed)
        self.spooled += other.spooled


def order_pairs(by1: str, by2: str, pairs: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Cross-tab rows in the order ``MentionStore.counts2`` promises, whatever order the backend found them in."""
    rows = list(pairs)
    totals: dict[str, int] = {}
    for first, _, n in rows:
        totals[first] = totals.get(first, 0) + n

    def rank(facet: str, value: str, n: int) -> tuple[int, str]:
        return (0, value) if facet == "day" else (-n, value)

    return sorted(rows, key=lambda row: (*rank(by1, row[0], totals[row[0]]), *rank(by2, row[1], row[2])))


class MentionStore(ABC):
    """Stores, searches and counts mentions. Upserts are idempotent by mention id."""

    url: str

    @abstractmethod
    def upsert(self, mentions: Iterable[Mention]) -> UpsertReport:
        """Insert new mentions and replace existing ones with the same id."""

    @abstractmethod
    def get(self, mention_id: str) -> Mention | None:
        """One mention by id, or None."""

    @abstractmethod
    def search(self, query: MentionQuery) -> SearchResult:
        """Mentions matching the query, best first when there is query text, newest first otherwise."""

    @abstractmethod
    def counts(self, by: Facet, query: MentionQuery | None = None) -> list[tuple[str, int]]:
        """Number of matching mentions per district / scheme / sentiment / day (IST) / source / platform / lang.

        By district, a mention counts once under each district it is tagged with (``Mention.tagged_district_keys``),
        not under its ``also_under`` keys, though a district filter in ``query`` finds it under those too.
        """

    @abstractmethod
    def counts2(self, by1: Facet, by2: Facet, query: MentionQuery | None = None) -> list[tuple[str, str, int]]:
        """A cross-tab: matching mentions per pair of values of two different facets, as ``(value1, value2, n)``.

        A mention counts once in each pair of its values (a mention tagged with two districts and one scheme in two
        rows of district × scheme), as in ``counts``; a mention without a value of either facet is not counted.
        Rows come grouped by ``by1`` value (most mentions over its pairs first, then by value; days in date order),
        and within each by ``by2`` the same way (``order_pairs``).
        """

    @abstractmethod
    def spreading_clusters(self, query: MentionQuery | None = None, *, limit: int = 10,
                           min_size: int = 2) -> list[ClusterSpread]:
        """The largest near-duplicate clusters among the matching mentions (at least ``min_size`` each), most
        mentions first, then by cluster id; first and last ``published_at`` and distinct sources of each."""

    @abstractmethod
    def delete(self, query: MentionQuery) -> int:
        """Delete the mentions matching the query (retention); returns how many were deleted."""

    def count(self, query: MentionQuery | None = None) -> int:
        """Number of mentions matching the query."""
        return self.search((query or MentionQuery()).model_copy(update={"limit": 0, "offset": 0})).total

    def refresh(self) -> None:  # noqa: B027 - stores that write synchronously have nothing to do
        """Make every write so far visible to searches now (search engines otherwise take about a second)."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release connections."""

    def __enter__(self) -> MentionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
