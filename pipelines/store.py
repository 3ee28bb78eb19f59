"""Stage 4: write each batch to the store; nothing is lost if a search engine is down (its writes are spooled)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from janmat.core import metrics
from janmat.core.errors import StoreUnavailableError
from janmat.store import MentionStore
from pipelines.stage import FlowReport, Labelled, Stage, StageContext

log = logging.getLogger(__name__)


class StoreStage(Stage):
    """Upserts each batch; keeps what the store took (stored, updated or spooled) and rejects what it refused."""

    name = "store"

    def __init__(self, store: MentionStore | None) -> None:
        self.store = store

    @classmethod
    def from_context(cls, context: StageContext) -> StoreStage:
        """The stage writing to the context's store (None: nothing is written, everything is kept)."""
        return cls(context.store)

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Write the batch in one upsert and count what happened to it."""
        if self.store is None or not batch:
            return batch
        written = self.store.upsert([mention for _, mention in batch])
        report.stored += written.stored
        report.updated += written.updated
        report.spooled += written.spooled
        kept = []
        now = datetime.now(UTC)
        for labelled in batch:
            mention = labelled.mention
            reason = written.failed.get(mention.id)
            if reason is None:
                kept.append(labelled)
                metrics.MENTIONS_STORED.labels(metrics.source_label(mention)).inc()
                if mention.published_at:
                    lag = max(0.0, (now - mention.published_at).total_seconds())
                    metrics.LAG.labels(mention.platform.value).observe(lag)
                continue
            log.error("store rejected mention %s: %s", mention.id, reason)
            report.reject(self.name, labelled.where, reason)
            metrics.MENTIONS_REJECTED.labels(metrics.source_label(mention), self.name).inc()
        return kept

    def finish(self, report: FlowReport) -> None:
        """Make what was written searchable now; an engine that is down just waits (its writes are spooled)."""
        if self.store is None:
            return
        try:
            self.store.refresh()
        except StoreUnavailableError as exc:
            metrics.ERRORS.labels("store").inc()
            log.warning("store not refreshed (its writes are spooled until it is back): %s", exc)
