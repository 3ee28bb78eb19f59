"""Run the declared stages (``pipelines.stages``) on batches: for ``janmat ingest``, the collectors, the API.

Scrapy runs the very same stages through its one item pipeline, ``pipelines.scrapy.MentionPipeline``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from janmat.core import metrics
from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from janmat.store import MentionStore
from nlp.enrich import Enricher
from pipelines.stage import FlowReport, Labelled, StageContext
from pipelines.stages import build_stages

__all__ = ["FlowReport", "MentionFlow"]


class MentionFlow:
    """validate → mask → enrich → dedupe → store (the list in ``pipelines.stages``), in batches.

    One flow remembers what it has seen: an exact duplicate is dropped across all the runs of one flow.
    """

    def __init__(
        self,
        store: MentionStore | None,
        enricher: Enricher | None = None,
        batch_size: int | None = None,
        stages: Sequence[str] | None = None,
    ) -> None:
        """``store`` None runs the stages without writing; ``batch_size`` defaults to ``JANMAT_STORE_BATCH``;
        ``stages`` (names or dotted paths) defaults to ``pipelines.stages.STAGES``."""
        self.batch_size = batch_size or get_settings().store.batch
        self.stages = build_stages(StageContext(store=store, enricher=enricher), stages)

    def run_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Run one batch through every stage in order; returns the items the last stage kept."""
        for stage in self.stages:
            if not batch:
                break
            try:
                batch = stage.process_batch(batch, report)
            except Exception:
                metrics.ERRORS.labels(f"stage:{stage.name}").inc()
                raise
        return batch

    def finish(self, report: FlowReport) -> None:
        """End a run: each stage finishes (the store stage makes what it wrote searchable)."""
        for stage in self.stages:
            stage.finish(report)

    def process(
        self,
        items: Iterable[tuple[str, Mention | dict[str, Any]]],
        report: FlowReport | None = None,
        on_batch: Callable[[int], None] | None = None,
        keep: bool = True,
    ) -> tuple[list[Mention], FlowReport]:
        """Run labelled items through the stages; returns the enriched mentions kept (none when ``keep`` is False:
        a long ingest must not hold every mention in memory) and the report."""
        report = FlowReport() if report is None else report
        kept: list[Mention] = []
        pending = iter(items)
        while batch := [Labelled(where, item) for where, item in islice(pending, self.batch_size)]:
            done = self.run_batch(batch, report)
            if keep:
                kept.extend(mention for _, mention in done)
            if on_batch:
                on_batch(len(batch))
        self.finish(report)
        return kept, report

    def run(self, items: Iterable[Mention | dict[str, Any]]) -> FlowReport:
        """Run unlabelled items (labelled by position) and return the report."""
        return self.process((str(i), item) for i, item in enumerate(items, 1))[1]
