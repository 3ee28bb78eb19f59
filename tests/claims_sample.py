"""Mentions as the pipeline leaves them after matching known claims, for the claim store, tracker and brief tests.

Every text here is written for these tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from janmat.core.mention import (
    IST,
    DistrictTag,
    Engagement,
    MatchedClaim,
    Mention,
    Misinformation,
    Platform,
    SchemeTag,
    Sentiment,
    Source,
)
from janmat.store.claims import StoredClaim

T0 = datetime(2026, 3, 10, 10, 0, tzinfo=IST)
"""10:00 IST on the sample day."""

CYLINDER = StoredClaim(
    id="hghg-band", status="false", lang="hi", url="https://factcheck.example.in/hghg-band",
    text="हरियाणा सरकार ने हर घर हर गृहिणी योजना बंद कर दी है, अब 500 रुपये का गैस सिलेंडर नहीं मिलेगा",
)
BUS_PASS = StoredClaim(
    id="bus-pass", status="misleading", lang="hi", url="https://factcheck.example.in/bus-pass",
    text="रोडवेज बसों में सभी महिलाओं का सफ़र 1 अप्रैल से हमेशा के लिए मुफ़्त हो गया है",
)


def sighting(mention_id: str, claim_id: str | None, minutes: float, *, source: str = "@user",
             platform: Platform = Platform.x, cluster: str | None = None, kinds: tuple[str, ...] = ("matched",),
             district: str | None = None, likes: int | None = None, shares: int | None = None,
             text: str = "हर घर हर गृहिणी योजना बंद, अब 500 का सिलेंडर नहीं मिलेगा", score: float = 0.8,
             sentiment: str | None = None, url: str | None = None) -> Mention:
    """A stored mention ``minutes`` after ``T0``, matched to ``claim_id`` (None: matched to nothing)."""
    matched = [MatchedClaim(claim_id=claim_id, score=score, status="false")] if claim_id else []
    return Mention(
        id=mention_id, platform=platform, source=Source(name=source), text=text, published_at=T0 + timedelta(
            minutes=minutes), url=url or f"https://example.in/{mention_id}", near_dup_cluster=cluster,
        misinformation=Misinformation(flagged=bool(kinds), kinds=list(kinds), matched_claims=matched),
        districts=[DistrictTag(name=district)] if district else [],
        schemes=[SchemeTag(id="har_ghar_har_grihini")],
        engagement=Engagement(likes=likes, shares=shares),
        sentiment=Sentiment(label=sentiment, score=0.9, model="test") if sentiment else None,
    )
