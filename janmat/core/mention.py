"""The canonical Mention record: one piece of public text about the government, as every stage sees it.

Crawlers and collectors create a Mention, the NLP stage fills its tags, the stores index it, the API and
the notebooks read it back. No stage passes ad-hoc dicts around; see ``docs/mention.md`` for every field.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

IST = timezone(timedelta(hours=5, minutes=30), name="IST")
"""India Standard Time: Indian outlets publish in it, and naive dates from them are read as IST."""

HARYANA = "Haryana"


class Platform(StrEnum):
    """Where a mention was published."""

    news = "news"
    x = "x"
    youtube = "youtube"
    facebook = "facebook"
    telegram = "telegram"
    gnews = "gnews"
    factcheck = "factcheck"
    other = "other"


SentimentLabel = Literal["positive", "negative", "neutral"]
TextField = Literal["title", "text"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Source(_Record):
    """Who published the mention: an outlet, a channel, a page or an account."""

    name: str | None = None
    domain: str | None = None


class Engagement(_Record):
    """Public reaction counts as the platform reports them; None where the platform has no such count."""

    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    views: int | None = None
    replies: int | None = None


class Evidence(_Record):
    """Where in the mention a tag was found: the field, character offsets into it, and the matched text."""

    field: TextField = "text"
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class DistrictTag(_Record):
    """A district the mention is about (not merely a dateline or a person's home town)."""

    name: str
    state: str = HARYANA
    lgd_code: int | None = None
    place: str | None = None
    """The town, village or old name that was actually written (e.g. ``Bahadurgarh`` for Jhajjar)."""
    also_under: list[str] = Field(default_factory=list)
    """Other district keys under which the mention must stay findable, e.g. ``Hansi`` for older Hisar coverage."""
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """Canonical key: the bare English name in Haryana, ``State:District`` elsewhere."""
        return district_key(self.name, self.state)


class SchemeTag(_Record):
    """A government scheme the mention names or unambiguously describes."""

    id: str
    name: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class SchemeCandidate(_Record):
    """A named programme outside the scheme catalogue (a candidate scheme an analyst may promote into it)."""

    name: str
    """The name as written, e.g. ``कन्या सुमंगला योजना``."""
    slug: str
    """A stable key for the programme: its folded words joined by ``-``, the same for every spelling that folds
    alike."""
    evidence: list[Evidence] = Field(default_factory=list)


class Sentiment(_Record):
    """Overall tone toward the mention's main subject."""

    label: SentimentLabel
    score: float = Field(ge=0.0, le=1.0)
    """Model confidence in ``label`` (probability of the chosen class)."""
    model: str


class Entity(_Record):
    """A named person, organisation, place or office found in the text."""

    text: str
    label: Literal["PERSON", "ORG", "PLACE", "OFFICE", "MISC"]
    field: TextField = "text"
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class FactCheckRef(_Record):
    """A published fact-check that a mention's claim was matched to."""

    url: str
    claim: str | None = None
    rating: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None


MisinformationKind = Literal["matched", "suspected", "debunk"]
"""``matched``: restates a known claim; ``suspected``: reads like a rumour forward; ``debunk``: is a fact-check or
rebuttal."""


class MatchedClaim(_Record):
    """A known claim the mention restates: its id, the matcher's score, and the rebuttal's URL."""

    claim_id: str
    score: float = Field(ge=0.0, le=1.0)
    url: str | None = None
    status: str | None = None
    """The claim's status when matched: ``false``, ``misleading``, ``true`` or ``unverified``."""


class Misinformation(_Record):
    """Whether the mention reports, spreads or debunks a false claim, and why we think so."""

    flagged: bool = False
    """True when any kind fired (or a collector linked a fact-check)."""
    score: float = 0.0
    flags: list[str] = Field(default_factory=list)
    """Cues that fired, e.g. ``rumour:अफवाह``, ``forward-request``, ``claim:dc-001``."""
    matched_factcheck: FactCheckRef | None = None
    kinds: list[MisinformationKind] = Field(default_factory=list)
    """Which signals fired, in the order matched, suspected, debunk."""
    matched_claims: list[MatchedClaim] = Field(default_factory=list)
    """Known claims the mention restates, best first (at or above the matcher's threshold)."""

    @property
    def matched_claim(self) -> MatchedClaim | None:
        """The best matched claim, if any."""
        return self.matched_claims[0] if self.matched_claims else None


CorrectedField = Literal["sentiment", "districts", "schemes", "misinformation"]


class Correction(_Record):
    """An analyst's correction of one tag: who, when, and the value that replaced the machine's."""

    field: CorrectedField
    by: str
    at: datetime
    sentiment: SentimentLabel | None = None
    districts: list[str] | None = None
    """District keys (``Hisar``, ``Uttar Pradesh:Lucknow``) when ``field`` is ``districts``."""
    schemes: list[str] | None = None
    """Scheme ids when ``field`` is ``schemes``."""
    misinformation: bool | None = None
    note: str | None = None


class Mention(_Record):
    """One article, post, comment or fact-check, with everything Janmat knows about it."""

    id: str
    platform: Platform = Platform.news
    source: Source = Field(default_factory=Source)
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    text: str
    lang: str | None = None
    """``hi`` (Devanagari Hindi), ``en``, ``hi-Latn`` (romanised Hindi), ``mixed`` or another ISO 639-1 code."""
    published_at: datetime | None = None
    fetched_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    author: str | None = None
    engagement: Engagement = Field(default_factory=Engagement)
    parent_id: str | None = None
    post_id: str | None = None
    """The platform's own id of a platform item (tweet id, video or comment id, Graph id, ``channel/123``), the one
    ``id`` is derived from (``mention_id_for_post(platform, post_id)``); None for web pages and ingested rows."""
    districts: list[DistrictTag] = Field(default_factory=list)
    schemes: list[SchemeTag] = Field(default_factory=list)
    scheme_candidates: list[SchemeCandidate] = Field(default_factory=list)
    """Named programmes outside the catalogue (``schemes`` holds the catalogue's); empty on rows stored before."""
    sentiment: Sentiment | None = None
    entities: list[Entity] = Field(default_factory=list)
    near_dup_cluster: str | None = None
    misinformation: Misinformation = Field(default_factory=Misinformation)
    meta: dict[str, Any] = Field(default_factory=dict)
    text_truncated_from: int | None = None
    """The text's length in characters before it was cut to ``JANMAT_MAX_TEXT_CHARS``; None when it was not cut."""
    corrections: list[Correction] = Field(default_factory=list)
    """Analysts' corrections, oldest first; the corrected values are already the mention's tags."""

    @field_validator("published_at", "fetched_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        """Dates are always timezone-aware (a naive date from an Indian source is IST) and plausible."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=IST)
        problem = date_out_of_range(value)
        if problem:
            raise ValueError(f"{value.isoformat()} {problem}")
        return value

    @field_validator("url", "canonical_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        """Only absolute http(s) URLs: a relative, ``www.…``, ``ftp:``, ``javascript:`` or ``data:`` one is refused."""
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an absolute http(s) URL: {value[:200]!r}")
        return value.strip()

    @field_validator("text")
    @classmethod
    def _has_text(cls, value: str) -> str:
        if not value or not value.strip():
            raise ValueError("a mention needs non-empty text")
        return value

    @model_validator(mode="after")
    def _derived_fields(self) -> Mention:
        """The canonical URL defaults to the URL; an oversized text (a whole book pasted as one row) is cut at a
        word boundary and its length recorded. One validator, not two: model validators also run on every field
        assignment (each tagger's), where a second call cost as much as validating the field."""
        if self.canonical_url is None and self.url is not None:
            object.__setattr__(self, "canonical_url", self.url)
        if len(self.text) <= SHORTEST_TEXT_CAP:
            return self
        cap = _max_text_chars()
        if len(self.text) > cap:
            original = self.text_truncated_from or len(self.text)
            cut = self.text[:cap]
            space = cut.rfind(" ", cap - 200)
            object.__setattr__(self, "text", cut[:space] if space > 0 else cut)
            object.__setattr__(self, "text_truncated_from", original)
        return self

    @property
    def district_keys(self) -> list[str]:
        """Every key the mention is findable under (tags plus their ``also_under``); filters use these, counts don't."""
        keys: list[str] = []
        for tag in self.districts:
            for key in [tag.key, *tag.also_under]:
                if key not in keys:
                    keys.append(key)
        return keys

    @property
    def tagged_district_keys(self) -> list[str]:
        """The district keys the mention is counted under: its tags only, once each (no ``also_under``)."""
        return list(dict.fromkeys(tag.key for tag in self.districts))

    @property
    def scheme_ids(self) -> list[str]:
        """The ids of the schemes tagged on this mention, in tag order."""
        return [tag.id for tag in self.schemes]

    def full_text(self) -> str:
        """Title and body as one string, the way the taggers and the search index read it."""
        return f"{self.title}\n{self.text}" if self.title else self.text


EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
"""No mention Janmat handles is older than this; an earlier date is a typo or a placeholder such as 0001-01-01."""
FUTURE_SLACK = timedelta(days=2)
"""How far past now a date may lie (time zones and scheduled publishing); further is a placeholder such as 9999."""


def date_out_of_range(moment: datetime) -> str | None:
    """Why a publication or fetch date cannot be right, or None when it is plausible."""
    try:
        if moment < EARLIEST_DATE:
            return f"is before {EARLIEST_DATE.date().isoformat()}"
        if moment > datetime.now(UTC) + FUTURE_SLACK:
            return "is in the future"
    except OverflowError:  # an offset that pushes year 1 or 9999 out of range
        return "is out of range"
    return None


SHORTEST_TEXT_CAP = 1_000
"""The least ``JANMAT_MAX_TEXT_CHARS`` may be: a text no longer than this is never cut, whatever the setting."""


def _max_text_chars() -> int:
    from janmat.core.settings import get_settings  # late: settings imports nothing from here, but keep it lazy

    return get_settings().core.max_text_chars


def district_key(name: str, state: str = HARYANA) -> str:
    """Canonical district key: ``Hisar`` for Haryana, ``Uttar Pradesh:Lucknow`` elsewhere."""
    return name if state == HARYANA else f"{state}:{name}"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def mention_id_for_url(canonical_url: str) -> str:
    """Stable id of a web mention: a hash of its canonical URL, so re-crawls update instead of duplicating."""
    return _digest(canonical_url)


def mention_id_for_post(platform: Platform | str, post_id: str) -> str:
    """Stable id of a platform item (post, video, comment): a hash of platform and the platform's own id."""
    name = platform.value if isinstance(platform, Platform) else platform
    return _digest(f"{name}:{post_id}")


def mention_id_for_text(text: str, source: str | None = None) -> str:
    """Fallback id for rows that come with neither URL nor id: a hash of source and text."""
    return _digest(f"text:{source or ''}:{text}")
