"""What goes into one day's brief, read from the store: every number the brief shows, for an IST day and
optionally one district."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, Field

from janmat.core.mention import IST, Mention, Platform
from janmat.core.settings import BriefSettings
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.claims import ClaimStore, StoredClaim
from janmat.store.claims_tracker import Rebuttal, TimelineBucket, active_claims

TONES = ("negative", "neutral", "positive")
WEEK = 7
PAGE = 500
SCAN_LIMIT = 10_000
"""Mentions of the day read to find the notable ones (the paging limit of every store)."""


class DayCount(BaseModel):
    """Mentions of one IST day, by tone."""

    day: date
    total: int
    negative: int = 0
    neutral: int = 0
    positive: int = 0


class SchemeTone(BaseModel):
    """A scheme on the day against its average day of the week before."""

    scheme: str
    mentions: int
    negative: int
    share: float | None
    """Negative share of the day (None without mentions)."""
    week_mentions: float
    """Mentions on an average day of the week before."""
    week_share: float | None

    @property
    def change(self) -> float | None:
        """The negative share's change against the week, in points (0.12 = 12 points more negative)."""
        return None if self.share is None or self.week_share is None else self.share - self.week_share


class DistrictSpike(BaseModel):
    """A district whose negative mentions of the day are far above its average day of the week before."""

    district: str
    negative: int
    mentions: int
    baseline: float
    p_value: float


class ClaimLine(BaseModel):
    """A claim repeated on the day: how often, against the day before, and its rebuttals."""

    claim: StoredClaim
    mentions: int
    day_before: int
    sources: int
    first_seen: datetime | None
    new: bool
    """First seen on this day."""
    growing: bool
    """More mentions than the day before."""
    rebuttals: list[Rebuttal]
    timeline: list[TimelineBucket]


class NotablePost(BaseModel):
    """A post or story of the day worth reading, with its link."""

    id: str
    title: str
    url: str | None
    source: str
    platform: str
    at: datetime | None
    engagement: int
    sentiment: str | None


class Brief(BaseModel):
    """One day's brief."""

    day: date
    district: str | None = None
    districts: list[str] = Field(default_factory=list)
    """The district keys the brief is limited to (a name can stand for more than one)."""
    lang: str
    generated_at: datetime
    mentions: int
    week_mentions: float
    negative_share: float | None
    week_negative_share: float | None
    days: list[DayCount]
    schemes: list[SchemeTone]
    spikes: list[DistrictSpike]
    claims: list[ClaimLine]
    notable: list[NotablePost]


def day_span(day: date) -> tuple[datetime, datetime]:
    """The first and last moment of an IST day."""
    start = datetime.combine(day, time.min, tzinfo=IST)
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


def poisson_tail(k: int, mean: float) -> float:
    """P(X ≥ k) for a Poisson count with this mean."""
    if k <= 0:
        return 1.0
    below = sum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _counts(store: MentionStore, by: str, query: MentionQuery) -> dict[str, int]:
    return dict(store.counts(by, query))  # type: ignore[arg-type]


def scheme_tones(store: MentionStore, today: MentionQuery, week: MentionQuery, limit: int) -> list[SchemeTone]:
    """The day's most mentioned schemes, with their negative share against the week before."""
    negative = {"sentiments": ["negative"]}
    counts, negatives = _counts(store, "scheme", today), _counts(store, "scheme", today.model_copy(update=negative))
    week_counts = _counts(store, "scheme", week)
    week_negatives = _counts(store, "scheme", week.model_copy(update=negative))
    rows = [SchemeTone(scheme=key, mentions=n, negative=negatives.get(key, 0), share=_share(negatives.get(key, 0), n),
                       week_mentions=week_counts.get(key, 0) / WEEK,
                       week_share=_share(week_negatives.get(key, 0), week_counts.get(key, 0)))
            for key, n in counts.items()]
    return sorted(rows, key=lambda row: (-row.mentions, row.scheme))[:limit]


def district_spikes(store: MentionStore, today: MentionQuery, week: MentionQuery,
                    settings: BriefSettings) -> list[DistrictSpike]:
    """Districts whose negative mentions of the day a Poisson count at the week's daily average would reach with
    probability at most ``spike_p_value`` (and at least ``spike_min_negative`` of them)."""
    negative = {"sentiments": ["negative"]}
    mentions = _counts(store, "district", today)
    week_negatives = _counts(store, "district", week.model_copy(update=negative))
    spikes = []
    for key, n in _counts(store, "district", today.model_copy(update=negative)).items():
        baseline = week_negatives.get(key, 0) / WEEK
        p_value = poisson_tail(n, max(baseline, 0.5 / WEEK))
        if n >= settings.spike_min_negative and p_value <= settings.spike_p_value:
            spikes.append(DistrictSpike(district=key, negative=n, mentions=mentions.get(key, n), baseline=baseline,
                                        p_value=p_value))
    return sorted(spikes, key=lambda s: (s.p_value, -s.negative, s.district))


def day_counts(store: MentionStore, since: datetime, until: datetime, base: MentionQuery) -> list[DayCount]:
    """Mentions per IST day by tone, every day from ``since`` to ``until``."""
    query = base.model_copy(update={"since": since, "until": until})
    days = {day: DayCount(day=date.fromisoformat(day), total=n) for day, n in store.counts("day", query)}
    for tone in TONES:
        for day, n in store.counts("day", query.model_copy(update={"sentiments": [tone]})):
            setattr(days.setdefault(day, DayCount(day=date.fromisoformat(day), total=n)), tone, n)
    first, last = since.astimezone(IST).date(), until.astimezone(IST).date()
    return [days.get(d.isoformat(), DayCount(day=d, total=0))
            for d in (first + timedelta(days=i) for i in range((last - first).days + 1))]


def claim_lines(claims: ClaimStore, day: date, districts: list[str], limit: int) -> list[ClaimLine]:
    """The claims repeated on the day (in the districts, if given), new ones first, then growing, then most
    repeated."""
    start, end = day_span(day)
    before = dict(claims.sighting_counts(since=start - timedelta(days=1), until=start - timedelta(microseconds=1)))
    lines = []
    for track in active_claims(claims, since=start, until=end, limit=limit * 3):
        if districts and not (set(track.claim.districts) & set(districts)
                              or any(set(item.districts) & set(districts) for item in track.items)):
            continue
        new = not claims.sightings([track.claim.id], until=start - timedelta(microseconds=1), limit=1)
        lines.append(ClaimLine(claim=track.claim, mentions=track.mentions, day_before=before.get(track.claim.id, 0),
                               sources=len(track.sources), first_seen=track.first_seen.at if track.first_seen else None,
                               new=new, growing=track.mentions > before.get(track.claim.id, 0),
                               rebuttals=track.rebuttals, timeline=track.timeline))
    lines.sort(key=lambda line: (not line.new, not line.growing, -line.mentions, line.claim.id))
    return lines[:limit]


def _day_mentions(store: MentionStore, query: MentionQuery) -> Iterator[Mention]:
    offset = 0
    while offset < SCAN_LIMIT:
        hits = store.search(query.model_copy(update={"limit": PAGE, "offset": offset, "sort": "newest"})).hits
        yield from (hit.mention for hit in hits)
        if len(hits) < PAGE:
            return
        offset += PAGE


def engagement_of(mention: Mention) -> int:
    """Likes, shares, comments and replies together, plus one per hundred views."""
    numbers = mention.engagement
    return sum(n or 0 for n in (numbers.likes, numbers.shares, numbers.comments, numbers.replies)) + (
        numbers.views or 0) // 100


def notable_posts(store: MentionStore, today: MentionQuery, limit: int) -> list[NotablePost]:
    """The day's most engaging posts and stories; when few have engagement, the newest negative news fill in."""
    found = [m for m in _day_mentions(store, today) if m.platform != Platform.factcheck]
    engaging = sorted((m for m in found if engagement_of(m) > 0), key=lambda m: (-engagement_of(m), m.id))
    picked = {m.id for m in engaging}
    negative = [m for m in found if m.sentiment and m.sentiment.label == "negative" and m.id not in picked]
    return [NotablePost(id=m.id, title=" ".join((m.title or m.text).split())[:160], url=m.url,
                        source=m.source.name or m.source.domain or m.author or m.platform.value,
                        platform=m.platform.value, at=m.published_at, engagement=engagement_of(m),
                        sentiment=m.sentiment.label if m.sentiment else None)
            for m in (engaging + negative)[:limit]]


def build_brief(store: MentionStore, claims: ClaimStore | None, day: date, settings: BriefSettings,
                districts: list[str] | None = None, district: str | None = None) -> Brief:
    """The brief for one IST day, limited to ``districts`` (keys) when given; ``district`` is the name asked for."""
    keys = list(districts or [])
    start, end = day_span(day)
    base = MentionQuery(districts=keys, limit=0)
    today = base.model_copy(update={"since": start, "until": end})
    week = base.model_copy(update={"since": start - timedelta(days=WEEK), "until": start - timedelta(microseconds=1)})
    days = day_counts(store, start - timedelta(days=WEEK), end, base)
    this_day, past = days[-1], days[:-1]
    week_total = sum(d.total for d in past)
    return Brief(
        day=day, district=district, districts=keys, lang=settings.language, generated_at=datetime.now(UTC),
        mentions=this_day.total, week_mentions=week_total / WEEK,
        negative_share=_share(this_day.negative, this_day.total),
        week_negative_share=_share(sum(d.negative for d in past), week_total), days=days,
        schemes=scheme_tones(store, today, week, settings.schemes),
        spikes=district_spikes(store, today, week, settings),
        claims=claim_lines(claims, day, keys, settings.claims) if claims is not None else [],
        notable=notable_posts(store, today, settings.notable),
    )
