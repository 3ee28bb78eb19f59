"""One call enriches one Mention; a batch call enriches many. (Placeholder until the taggers land.)"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from janmat.mention import Mention


class Enricher:
    """Fills a mention's language, district, scheme, sentiment, entity and misinformation tags."""

    def enrich_many(self, mentions: Iterable[Mention]) -> list[Mention]:
        """Tag many mentions (the fast path)."""
        return list(mentions)

    def enrich(self, mention: Mention) -> Mention:
        """Tag one mention."""
        return self.enrich_many([mention])[0]


@lru_cache(maxsize=1)
def get_enricher() -> Enricher:
    """The process-wide enricher, loaded once."""
    return Enricher()
