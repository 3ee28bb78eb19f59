"""Claim matching: which known claims a mention restates, best first, at or above the operating threshold."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import NamedTuple

from nlp.claims.features import TextProfile, pair_features, profile, total_weight
from nlp.claims.index import ClaimIndex
from nlp.claims.model import Claim, ClaimSource
from nlp.claims.scorer import Scorer, default_scorer


class ClaimMatch(NamedTuple):
    """One matched claim and the scorer's probability for the pair."""

    claim_id: str
    score: float


def tag_claim_text(text: str) -> tuple[list[str], list[str]]:
    """Scheme ids and district keys of a claim's text, from Janmat's own taggers."""
    from nlp.districts import get_district_tagger
    from nlp.schemes import get_scheme_tagger

    return ([tag.id for tag in get_scheme_tagger().tag(text)],
            list(dict.fromkeys(tag.key for tag in get_district_tagger().tag(text))))


class ClaimMatcher:
    """An in-memory claim index plus the scorer. ``add`` takes a claim in at once; ``refresh`` takes in what a
    ``ClaimSource`` added since the last call."""

    def __init__(self, claims: Iterable[Claim] = (), scorer: Scorer | None = None, threshold: float | None = None,
                 tag_claims: bool = True) -> None:
        """``threshold`` overrides the scorer's operating threshold; ``tag_claims`` tags claims that come without
        scheme and district tags with Janmat's taggers."""
        self.scorer = scorer or default_scorer()
        self.threshold = self.scorer.threshold if threshold is None else threshold
        self.index = ClaimIndex(tag_claim_text if tag_claims else None)
        self._source: ClaimSource | None = None
        self._version = 0
        self._lock = threading.Lock()
        for claim in claims:
            self.index.add(claim)

    @classmethod
    def from_source(cls, source: ClaimSource, **options) -> ClaimMatcher:
        """A matcher that reads its claims from ``source`` (now, and at every ``refresh``)."""
        matcher = cls(**options)
        matcher._source = source
        matcher.refresh()
        return matcher

    def __len__(self) -> int:
        return len(self.index)

    def add(self, claim: Claim) -> None:
        """Index one more claim (or a new version of one)."""
        with self._lock:
            self.index.add(claim)

    def refresh(self) -> int:
        """Index the claims the source added since the last refresh; how many."""
        if self._source is None:
            return 0
        with self._lock:
            claims, self._version = self._source.claims_since(self._version)
            for claim in claims:
                self.index.add(claim)
        return len(claims)

    def claim(self, claim_id: str) -> Claim | None:
        """An indexed claim by id."""
        return self.index.get(claim_id)

    def candidate_features(self, mention: TextProfile) -> list[tuple[Claim, list[float]]]:
        """The retrieved candidate claims of a mention's profile, each with the pair's features."""
        candidates = self.index.candidates(mention)
        weights = [weight for _, weight in candidates]
        mention_total = total_weight(mention, self.index.weight)
        return [(candidate.claim, pair_features(mention, candidate.profile, self.index.weight,
                                                max(weights[:rank] + weights[rank + 1:], default=0.0),
                                                (mention_total, self.index.total(candidate.claim.id))))
                for rank, (candidate, _) in enumerate(candidates)]

    def scored(self, text: str, schemes: Iterable[str] = (), districts: Iterable[str] = ()) -> list[ClaimMatch]:
        """Every candidate claim with its score, best first, whatever the threshold."""
        found = [ClaimMatch(claim.id, round(self.scorer.probability(features), 4))
                 for claim, features in self.candidate_features(profile(text, schemes, districts))]
        return sorted(found, key=lambda match: (-match.score, match.claim_id))

    def match(self, text: str, schemes: Iterable[str] = (), districts: Iterable[str] = ()) -> list[ClaimMatch]:
        """The claims a text restates, best first, at or above the threshold. ``schemes`` and ``districts`` are the
        text's scheme ids and district keys when already tagged."""
        return [match for match in self.scored(text, schemes, districts) if match.score >= self.threshold]
