"""The in-memory claim index: each claim's profile, and an inverted index from key to claims for candidate
retrieval. Claims are added (or replaced, by id) one at a time, so analysts' new claims are matched at once."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from nlp.claims.features import TextProfile, claim_text, profile, total_weight
from nlp.claims.model import Claim

CANDIDATES = 10
"""Claims scored per mention: the ones sharing the most key weight with it."""


@dataclass(frozen=True, slots=True)
class IndexedClaim:
    """A claim with its profile."""

    claim: Claim
    profile: TextProfile


class ClaimIndex:
    """Claims by id, their profiles, and the postings of their keys."""

    def __init__(self, tagger: Callable[[str], tuple[list[str], list[str]]] | None = None) -> None:
        """``tagger`` gives (scheme ids, district keys) for a claim without its own tags."""
        self._tagger = tagger
        self._claims: dict[str, IndexedClaim] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._df: Counter[str] = Counter()
        self._totals: dict[str, float] = {}  # claim id -> total key weight, emptied when the idf changes

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._claims

    def get(self, claim_id: str) -> Claim | None:
        """The claim with this id, if indexed."""
        found = self._claims.get(claim_id)
        return found.claim if found else None

    def add(self, claim: Claim) -> None:
        """Index a claim; a claim with the same id is replaced."""
        self.remove(claim.id)
        schemes, districts = claim.schemes, claim.districts
        if (schemes is None or districts is None) and self._tagger is not None:
            tagged_schemes, tagged_districts = self._tagger(claim.text)
            schemes = tagged_schemes if schemes is None else schemes
            districts = tagged_districts if districts is None else districts
        indexed = IndexedClaim(claim, profile(claim_text(claim.text), schemes or (), districts or ()))
        self._totals.clear()
        self._claims[claim.id] = indexed
        for key in indexed.profile.keys:
            self._postings[key].add(claim.id)
            self._df[key] += 1

    def remove(self, claim_id: str) -> None:
        """Forget a claim (nothing happens if it is not indexed)."""
        known = self._claims.pop(claim_id, None)
        if known is None:
            return
        self._totals.clear()
        for key in known.profile.keys:
            self._postings[key].discard(claim_id)
            self._df[key] -= 1
            if not self._df[key]:
                del self._df[key], self._postings[key]

    def weight(self, key: str) -> float:
        """Inverse document frequency of a key over the indexed claims (a key no claim has weighs the most)."""
        return math.log((len(self._claims) + 1) / (self._df.get(key, 0) + 0.5))

    def total(self, claim_id: str) -> float:
        """The total key weight of an indexed claim (cached until the index changes)."""
        found = self._totals.get(claim_id)
        if found is None:
            found = self._totals[claim_id] = total_weight(self._claims[claim_id].profile, self.weight)
        return found

    def candidates(self, mention: TextProfile, limit: int = CANDIDATES) -> list[tuple[IndexedClaim, float]]:
        """The claims sharing the most key weight with a mention, best first, with that weight."""
        shared: dict[str, float] = defaultdict(float)
        for key, says in mention.keys.items():
            posting = self._postings.get(key)
            if posting:
                key_weight = self.weight(key)
                for claim_id in posting:
                    shared[claim_id] += key_weight * min(says, self._claims[claim_id].profile.keys[key])
        # ties broken by claim id, not by the order of a set's hashes, so a run is reproducible
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [(self._claims[claim_id], weight) for claim_id, weight in best]
