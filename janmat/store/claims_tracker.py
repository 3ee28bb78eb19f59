"""The claim tracker: how a claim, or a near-duplicate cluster, spreads.

A claim's items are the stored mentions matched to it, plus the other members of their near-duplicate clusters
(a forward the matcher missed travels with the copies it caught). Fact-checks and rebuttals among them (a
``factcheck`` record, or a mention whose kinds include ``debunk``) are not spread: they are listed as the claim's
rebuttals, with the claim's own rebuttal link and the fact-check record it came from.

For a claim or a cluster the tracker gives: when it was first seen and by whom, each outlet or account with the
time it first carried it, platforms, districts, total engagement, a timeline (per IST hour over three days or
less, else per IST day) and the rebuttals. Every backend answers the same (``ClaimStore.sightings`` and the
mention store's cluster filter).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from janmat.core.mention import IST, Mention, Platform
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.claims import ClaimStore, StoredClaim, seen_at

HOURLY_SPAN = timedelta(hours=72)
CLUSTER_LIMIT = 10_000
SNIPPET_CHARS = 160


class Engagement(BaseModel):
    """Engagement summed over a claim's or a cluster's items (counts the platforms did not give count as 0)."""

    likes: int = 0
    shares: int = 0
    comments: int = 0
    views: int = 0
    replies: int = 0

    @property
    def total(self) -> int:
        """Likes, shares, comments and replies together (views are counted apart: they dwarf the rest)."""
        return self.likes + self.shares + self.comments + self.replies


class TrackedMention(BaseModel):
    """One item of a spread, enough to show it and link to it."""

    id: str
    at: datetime
    """Published, else fetched."""
    title: str | None = None
    snippet: str = ""
    url: str | None = None
    source: str
    """The outlet or account (source name, else domain, else author)."""
    platform: str
    lang: str | None = None
    districts: list[str] = Field(default_factory=list)
    engagement: int = 0
    score: float | None = None
    """The matcher's score; None for an item found through its near-duplicate cluster."""
    via: Literal["matched", "cluster"] = "matched"
    cluster: str | None = None


class SourceSeen(BaseModel):
    """An outlet or account that carried the claim, when it first did, and how often."""

    source: str
    platform: str
    first_at: datetime
    mentions: int


class TimelineBucket(BaseModel):
    """Items in one IST hour (or day): how many, by platform, how many outlets or accounts were new, and the
    running total."""

    start: datetime
    mentions: int
    platforms: dict[str, int]
    new_sources: int
    total: int


class Rebuttal(BaseModel):
    """A rebuttal linked to a claim: the claim's own link, its fact-check record, or a debunking mention."""

    kind: Literal["claim", "record", "debunk"]
    url: str | None = None
    title: str | None = None
    source: str | None = None
    at: datetime | None = None
    mention_id: str | None = None


class ClaimRef(BaseModel):
    """A claim linked to a cluster."""

    id: str
    text: str
    status: str
    url: str | None = None


class Spread(BaseModel):
    """What the tracker says about a set of items."""

    mentions: int
    first_seen: TrackedMention | None
    last_seen: datetime | None
    sources: list[SourceSeen]
    platforms: dict[str, int]
    districts: list[tuple[str, int]]
    engagement: Engagement
    engagement_total: int
    timeline: list[TimelineBucket]
    step: Literal["hour", "day"]
    clusters: list[tuple[str, int]]
    items: list[TrackedMention]
    rebuttals: list[Rebuttal]


class ClaimTrack(Spread):
    """A claim and its spread."""

    claim: StoredClaim


class ClusterTrack(Spread):
    """A near-duplicate cluster, the known claims its members restate, and its spread."""

    cluster: str
    claims: list[ClaimRef]
    status: str | None
    """The gravest status of its linked claims (false before misleading before unverified before true)."""


def is_rebuttal(mention: Mention) -> bool:
    """A fact-check record, or a mention that debunks."""
    return mention.platform == Platform.factcheck or "debunk" in mention.misinformation.kinds


def voice(mention: Mention) -> str:
    """Who carried a mention: its source name, else domain, else author, else its platform."""
    return mention.source.name or mention.source.domain or mention.author or mention.platform.value


def tracked(mention: Mention, score: float | None = None, via: Literal["matched", "cluster"] = "matched"
            ) -> TrackedMention:
    """A mention as a tracker item."""
    numbers = mention.engagement
    return TrackedMention(
        id=mention.id, at=seen_at(mention), title=mention.title, snippet=_snippet(mention.text), url=mention.url,
        source=voice(mention), platform=mention.platform.value, lang=mention.lang,
        districts=mention.tagged_district_keys, score=score, via=via, cluster=mention.near_dup_cluster,
        engagement=sum(n or 0 for n in (numbers.likes, numbers.shares, numbers.comments, numbers.replies)),
    )


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def rebuttal_of(mention: Mention) -> Rebuttal:
    """A fact-check record or debunking mention as a rebuttal."""
    return Rebuttal(kind="record" if mention.platform == Platform.factcheck else "debunk", url=mention.url,
                    title=mention.title or _snippet(mention.text), source=voice(mention), at=seen_at(mention),
                    mention_id=mention.id)


def spread(items: list[TrackedMention], mentions: dict[str, Mention], rebuttals: list[Rebuttal]) -> dict:
    """The tracker's summary of ``items`` (their mentions by id), as fields of a ``Spread``."""
    items = sorted(items, key=lambda item: (item.at, item.id))
    sources: dict[str, SourceSeen] = {}
    engagement = Engagement()
    for item in items:
        seen = sources.get(item.source)
        if seen is None:
            sources[item.source] = SourceSeen(source=item.source, platform=item.platform, first_at=item.at,
                                              mentions=1)
        else:
            seen.mentions += 1
        numbers = mentions[item.id].engagement
        for field in ("likes", "shares", "comments", "views", "replies"):
            setattr(engagement, field, getattr(engagement, field) + (getattr(numbers, field) or 0))
    step: Literal["hour", "day"] = "hour" if items and items[-1].at - items[0].at <= HOURLY_SPAN else "day"
    districts = Counter(key for item in items for key in item.districts)
    clusters = Counter(item.cluster for item in items if item.cluster)
    return {
        "mentions": len(items), "first_seen": items[0] if items else None,
        "last_seen": items[-1].at if items else None, "sources": list(sources.values()),
        "platforms": dict(Counter(item.platform for item in items).most_common()),
        "districts": sorted(districts.items(), key=lambda row: (-row[1], row[0])),
        "engagement": engagement, "engagement_total": engagement.total, "timeline": timeline(items, step),
        "step": step, "clusters": sorted(clusters.items(), key=lambda row: (-row[1], row[0])), "items": items,
        "rebuttals": rebuttals,
    }


def bucket_start(moment: datetime, step: str) -> datetime:
    """The IST hour or day a moment falls in."""
    local = moment.astimezone(IST)
    return local.replace(minute=0, second=0, microsecond=0) if step == "hour" else local.replace(
        hour=0, minute=0, second=0, microsecond=0)


def timeline(items: list[TrackedMention], step: str) -> list[TimelineBucket]:
    """Items per IST hour or day, every step from the first item to the last (empty steps included)."""
    if not items:
        return []
    by_bucket: dict[datetime, list[TrackedMention]] = {}
    for item in items:
        by_bucket.setdefault(bucket_start(item.at, step), []).append(item)
    start, end = bucket_start(items[0].at, step), bucket_start(items[-1].at, step)
    width = timedelta(hours=1) if step == "hour" else timedelta(days=1)
    seen: set[str] = set()
    buckets, total = [], 0
    while start <= end:
        here = by_bucket.get(start, [])
        new = {item.source for item in here} - seen
        seen |= new
        total += len(here)
        buckets.append(TimelineBucket(start=start, mentions=len(here), new_sources=len(new), total=total,
                                      platforms=dict(Counter(item.platform for item in here).most_common())))
        start = (start + width).astimezone(IST)
    return buckets


def cluster_members(store: MentionStore, clusters: Iterable[str], since: datetime | None = None,
                    until: datetime | None = None) -> list[Mention]:
    """The mentions of these near-duplicate clusters in the time range."""
    wanted = sorted(set(clusters))
    if not wanted:
        return []
    query = MentionQuery(clusters=wanted, since=since, until=until, sort="oldest", limit=CLUSTER_LIMIT)
    return [hit.mention for hit in store.search(query).hits]


def track_claim(claims: ClaimStore, claim: StoredClaim, since: datetime | None = None,
                until: datetime | None = None) -> ClaimTrack:
    """How one claim spread between ``since`` and ``until`` (all its history by default)."""
    mentions: dict[str, Mention] = {}
    items: list[TrackedMention] = []
    rebuttals = [Rebuttal(kind="claim", url=claim.url, source=claim.reviewer)] if claim.url else []
    found_rebuttals: dict[str, Rebuttal] = {}
    for sighting in claims.sightings([claim.id], since=since, until=until):
        mention = sighting.mention
        if is_rebuttal(mention):
            found_rebuttals[mention.id] = rebuttal_of(mention)
        elif mention.id not in mentions:
            mentions[mention.id] = mention
            items.append(tracked(mention, sighting.score))
    clusters = {item.cluster for item in items if item.cluster}
    for mention in cluster_members(claims.mentions, clusters, since, until):
        if is_rebuttal(mention):
            found_rebuttals.setdefault(mention.id, rebuttal_of(mention))
        elif mention.id not in mentions:
            mentions[mention.id] = mention
            items.append(tracked(mention, via="cluster"))
    if claim.record_id and claim.record_id not in found_rebuttals:
        record = claims.mentions.get(claim.record_id)
        if record is not None:
            found_rebuttals[record.id] = rebuttal_of(record)
    rebuttals += sorted(found_rebuttals.values(), key=lambda r: (r.at or datetime.min.replace(tzinfo=IST), r.url or ""))
    return ClaimTrack(claim=claim, **spread(items, mentions, rebuttals))


_GRAVITY = ("false", "misleading", "unverified", "true")


def track_cluster(store: MentionStore, claims: ClaimStore | None, cluster: str) -> ClusterTrack | None:
    """How one near-duplicate cluster spread, with the known claims its members restate; None if it has none."""
    members = cluster_members(store, [cluster])
    if not members:
        return None
    mentions = {m.id: m for m in members}
    items = [tracked(m, via="matched" if m.misinformation.matched_claims else "cluster")
             for m in members if not is_rebuttal(m)]
    rebuttals = [rebuttal_of(m) for m in members if is_rebuttal(m)]
    claim_ids = list(dict.fromkeys(match.claim_id for m in members for match in m.misinformation.matched_claims))
    known = claims.get_many(claim_ids) if claims is not None and claim_ids else {}
    refs = [ClaimRef(id=c.id, text=c.text, status=c.status, url=c.url) for c in (known[i] for i in claim_ids
                                                                                if i in known)]
    rebuttals = [Rebuttal(kind="claim", url=ref.url, title=ref.text) for ref in refs if ref.url] + rebuttals
    statuses = [ref.status for ref in refs]
    status = next((s for s in _GRAVITY if s in statuses), None)
    return ClusterTrack(cluster=cluster, claims=refs, status=status, **spread(items, mentions, rebuttals))


def active_claims(claims: ClaimStore, since: datetime | None = None, until: datetime | None = None,
                  limit: int = 10) -> list[ClaimTrack]:
    """The claims with the most matched mentions in the range, each with its spread in that range."""
    counts = claims.sighting_counts(since=since, until=until)[:limit]
    known = claims.get_many(claim_id for claim_id, _ in counts)
    tracks = [track_claim(claims, known[claim_id], since, until) for claim_id, _ in counts if claim_id in known]
    return sorted((t for t in tracks if t.mentions), key=lambda t: (-t.mentions, t.claim.id))
