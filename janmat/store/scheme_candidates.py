"""Candidate schemes in a store: the programmes outside the catalogue that stored mentions name, counted by slug."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel, Field

from janmat.store.base import MentionQuery, MentionStore
from janmat.store.filters import MAX_RESULT_WINDOW
from nlp.scheme_candidates import get_candidate_finder

PAGE = 500


class StoredCandidate(BaseModel):
    """One candidate scheme: its slug, the names it was written with (most frequent first), how many mentions name
    it, when it was first and last seen, and a few evidence passages."""

    slug: str
    name: str
    names: list[str]
    mentions: int
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    examples: list[str] = Field(default_factory=list)


def stored_candidates(store: MentionStore, since: datetime | None = None, *,
                      examples: int = 3) -> list[StoredCandidate]:
    """Candidates named by the stored mentions published since ``since`` (newest ``MAX_RESULT_WINDOW`` mentions),
    most mentions first, then by slug; a candidate promoted into the catalogue since it was stored is left out."""
    finder = get_candidate_finder()
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    seen: dict[str, list[datetime]] = {}
    passages: dict[str, list[str]] = {}
    query = MentionQuery(since=since, sort="newest")
    offset = 0
    while offset < MAX_RESULT_WINDOW:
        hits = store.search(query.model_copy(update={"offset": offset, "limit": min(PAGE, MAX_RESULT_WINDOW - offset)}))
        for hit in hits.hits:
            for candidate in hit.mention.scheme_candidates:
                if finder.in_catalogue(candidate.name):
                    continue
                counts[candidate.slug] += 1
                names.setdefault(candidate.slug, Counter())[candidate.name] += len(candidate.evidence) or 1
                if hit.mention.published_at:
                    seen.setdefault(candidate.slug, []).append(hit.mention.published_at)
                kept = passages.setdefault(candidate.slug, [])
                if len(kept) < examples:
                    kept.append(_passage(hit.mention.full_text(), candidate.name))
        if len(hits.hits) < PAGE:
            break
        offset += PAGE
    result = []
    for slug, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        written = [name for name, _ in names[slug].most_common()]
        moments = seen.get(slug, [])
        result.append(StoredCandidate(slug=slug, name=written[0], names=written, mentions=n,
                                      first_seen=min(moments, default=None), last_seen=max(moments, default=None),
                                      examples=passages[slug]))
    return result


def _passage(text: str, name: str, around: int = 60) -> str:
    at = text.find(name)
    if at < 0:
        return text[:2 * around]
    return " ".join(text[max(0, at - around):at + len(name) + around].split())
