"""Run the pipeline stages outside Scrapy: for ``janmat ingest``, the collectors and the API.

The stage objects are the very ones Scrapy uses (validate → enrich → dedupe → store); enrichment runs in batches
through ``Enricher.enrich_many`` because that is the fast path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, Field
from scrapy.exceptions import DropItem

from janmat.core.mention import Mention
from janmat.store import MentionStore, UpsertReport
from nlp.enrich import Enricher, get_enricher
from pipelines.dedupe import DedupePipeline
from pipelines.store import StorePipeline
from pipelines.validate import ValidatePipeline


class FlowReport(BaseModel):
    """What one run did: mentions stored new, updated, dropped as duplicates, and rejected with a reason."""

    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    spooled: int = 0
    rejected: list[tuple[str, str]] = Field(default_factory=list)
    """(where, why) pairs: ``where`` is the caller's label for the item (a line number, a post id)."""

    def absorb(self, report: UpsertReport) -> None:
        """Add a store report's counts; store failures count as rejections."""
        self.stored += report.stored
        self.updated += report.updated
        self.spooled += report.spooled
        self.rejected.extend((mention_id, reason) for mention_id, reason in report.failed.items())


class MentionFlow:
    """validate → enrich → dedupe → store, in batches."""

    def __init__(
        self,
        store: MentionStore | None,
        enricher: Enricher | None = None,
        batch_size: int = 256,
    ) -> None:
        self.validate = ValidatePipeline()
        self.enricher = enricher or get_enricher()
        self.dedupe = DedupePipeline()
        self.store = StorePipeline(store=store, batch_size=batch_size) if store is not None else None
        self.batch_size = batch_size

    def process(
        self,
        items: Iterable[tuple[str, Mention | dict[str, Any]]],
        report: FlowReport | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> tuple[list[Mention], FlowReport]:
        """Run labelled items through the stages; returns the enriched mentions kept and the report."""
        report = report or FlowReport()
        kept: list[Mention] = []
        batch: list[Mention] = []
        for where, item in items:
            try:
                batch.append(self.validate.process_item(item))
            except DropItem as exc:
                report.rejected.append((where, str(exc).removeprefix("invalid mention: ")))
            if len(batch) >= self.batch_size:
                kept.extend(self._finish(batch, report))
                if on_batch:
                    on_batch(len(batch))
                batch = []
        if batch:
            kept.extend(self._finish(batch, report))
            if on_batch:
                on_batch(len(batch))
        if self.store is not None:
            report.absorb(self.store.flush())
            self.store.make_searchable()
        return kept, report

    def run(self, items: Iterable[Mention | dict[str, Any]]) -> FlowReport:
        """Run unlabelled items (labelled by position) and return the report."""
        return self.process((str(i), item) for i, item in enumerate(items, 1))[1]

    def _finish(self, batch: list[Mention], report: FlowReport) -> list[Mention]:
        kept = []
        for mention in self.enricher.enrich_many(batch):
            try:
                mention = self.dedupe.process_item(mention)
            except DropItem:
                report.duplicates += 1
                continue
            kept.append(mention)
            if self.store is not None:
                self.store.buffer.append(mention)
        if self.store is not None:
            report.absorb(self.store.flush())
        return kept
