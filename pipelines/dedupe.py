"""Stage 3: drop exact duplicates within a run and give near-duplicates a shared cluster id."""

from __future__ import annotations

from nlp.neardup import NearDuplicateIndex
from pipelines.stage import FlowReport, Labelled, Stage


class DedupeStage(Stage):
    """Exact duplicates (same id) are dropped and counted; wire copy and forwards are clustered by MinHash LSH."""

    name = "dedupe"

    def __init__(self, index: NearDuplicateIndex | None = None) -> None:
        self.index = index or NearDuplicateIndex()
        self.seen: set[str] = set()

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Drop mentions already seen in this run; set ``near_dup_cluster`` on the others."""
        kept = []
        for labelled in batch:
            mention = labelled.mention
            if mention.id in self.seen:
                report.duplicates += 1
                continue
            self.seen.add(mention.id)
            mention.near_dup_cluster = self.index.assign(mention)
            kept.append(labelled)
        return kept
