"""Stage 2: the NLP stage tags language, districts, schemes, sentiment, entities and misinformation cues."""

from __future__ import annotations

from janmat.core.mention import Mention
from nlp.enrich import Enricher, get_enricher
from pipelines.stage import FlowReport, Labelled, Stage, StageContext


class EnrichStage(Stage):
    """Runs the configured taggers on each batch (models and gazetteers load once per process)."""

    name = "enrich"

    def __init__(self, enricher: Enricher | None = None) -> None:
        self.enricher = enricher or get_enricher()

    @classmethod
    def from_context(cls, context: StageContext) -> EnrichStage:
        """The stage with the context's enricher, or the process-wide one."""
        return cls(context.enricher)

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Tag the whole batch in place (the taggers' fast path); every item is kept."""
        mentions: list[Mention] = [mention for _, mention in batch]
        self.enricher.enrich_many(mentions)
        return batch
