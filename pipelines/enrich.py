"""Stage 2: the NLP stage tags language, districts, schemes, sentiment, entities and misinformation cues."""

from __future__ import annotations

from typing import Any

from janmat.core.mention import Mention
from nlp.enrich import Enricher, get_enricher


class EnrichPipeline:
    """Runs the shared Enricher on each mention (the model and gazetteer load once per process)."""

    def __init__(self, enricher: Enricher | None = None) -> None:
        self.enricher = enricher or get_enricher()

    @classmethod
    def from_crawler(cls, crawler: Any) -> EnrichPipeline:
        return cls()

    def process_item(self, item: Mention) -> Mention:
        """Return the mention with its tags filled in."""
        return self.enricher.enrich(item)
