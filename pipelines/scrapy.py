"""Scrapy's one item pipeline: the declared stages (``pipelines.stages``) run on batches of scraped items.

``crawlers/settings.py`` names ``MentionPipeline`` in ``ITEM_PIPELINES`` by its dotted path, so the crawlers run
the pipeline without importing it. Scraped items are buffered; every ``JANMAT_STORE_BATCH`` items, and at the
end of the crawl, the batch runs through the same ``MentionFlow`` stages as ``janmat ingest``. After each batch:

- ``crawlers.signals.mentions_stored`` is sent with the mentions the store took and the ids it refused (the crawl
  state marks the stored ones' URLs seen);
- an item a stage dropped (invalid, a duplicate) is announced with Scrapy's ``item_dropped``, and one the store
  refused with ``item_error``, as a per-item pipeline would have;
- crawler stats count ``janmat/invalid_items``, ``janmat/duplicates_dropped`` and ``janmat/store_failed``
  (``janmat/<stage>_rejected`` for any other stage).

So Scrapy's ``item_scraped`` means "handed to the pipeline"; ``mentions_stored`` means stored.
``-s JANMAT_PIPELINE_STAGES=…`` runs another stage list (names or dotted paths) for one crawl.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from crawlers import signals as crawl_signals
from janmat.core.errors import JanmatError
from janmat.core.mention import Mention
from janmat.store import MentionStore, open_store
from pipelines.flow import MentionFlow
from pipelines.stage import FlowReport, Labelled

log = logging.getLogger(__name__)

_REJECTED_STATS = {"validate": "janmat/invalid_items", "store": "janmat/store_failed"}


class MentionPipeline:
    """Buffers scraped items and runs the pipeline's stages on each full batch and on what is left at the end."""

    def __init__(self, crawler: Any, flow: MentionFlow, store: MentionStore | None = None) -> None:
        """``store``: the store ``flow`` writes to, closed by this pipeline when the crawl ends."""
        self.crawler = crawler
        self.flow = flow
        self.store = store
        self.buffer: list[Any] = []
        self.handed = 0
        self.report = FlowReport()
        """Totals of the whole crawl."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> MentionPipeline:
        """The pipeline for a crawl: the store of ``JANMAT_STORE``, batches of ``JANMAT_STORE_BATCH``."""
        settings = crawler.settings
        store = open_store(settings.get("JANMAT_STORE") or None)
        flow = MentionFlow(store=store, batch_size=settings.getint("JANMAT_STORE_BATCH") or None,
                           stages=settings.getlist("JANMAT_PIPELINE_STAGES") or None)
        return cls(crawler, flow, store)

    def process_item(self, item: Any) -> Any:
        """Queue the item; run the stages when a batch is full."""
        self.buffer.append(item)
        if len(self.buffer) >= self.flow.batch_size:
            self.run_batch()
        return item

    def close_spider(self) -> None:
        """Run what is left, let the stages finish (the store becomes searchable), close the store."""
        try:
            self.run_batch()
            self.flow.finish(self.report)
        finally:
            if self.store is not None:
                self.store.close()
        totals = self.report
        log.info("pipeline: %d stored, %d updated, %d spooled, %d duplicates, %d rejected", totals.stored,
                 totals.updated, totals.spooled, totals.duplicates, len(totals.rejected))

    def run_batch(self) -> None:
        """Run the buffered items through the stages and announce what became of each."""
        items, self.buffer = self.buffer, []
        if not items:
            return
        batch = [Labelled(f"item {self.handed + n}", item) for n, item in enumerate(items, 1)]
        self.handed += len(items)
        report = FlowReport()
        kept = self.flow.run_batch(batch, report)
        self.report.merge(report)
        self._count(report)
        self._announce(batch, kept, report)

    def _count(self, report: FlowReport) -> None:
        stats = self.crawler.stats
        if report.duplicates:
            stats.inc_value("janmat/duplicates_dropped", report.duplicates)
        for stage, labels in report.rejected_by_stage.items():
            stats.inc_value(_REJECTED_STATS.get(stage, f"janmat/{stage}_rejected"), len(labels))

    def _announce(self, batch: list[Labelled], kept: list[Labelled], report: FlowReport) -> None:
        reasons = dict(report.rejected)
        refused = set(report.rejected_by_stage.get("store", ()))
        kept_labels = {where for where, _ in kept}
        failed: dict[str, str] = {}
        for where, item in batch:
            if where in kept_labels:
                continue
            why = reasons.get(where, "duplicate of a mention already in this crawl")
            if where in refused:
                failed[_mention_id(item, where)] = why
                self._send(signals.item_error, item=item, response=None,
                           failure=Failure(JanmatError(f"store refused it: {why}")))
            else:
                log.log(logging.WARNING if where in reasons else logging.DEBUG, "dropped %s: %s",
                        getattr(item, "url", None) or where, why)
                self._send(signals.item_dropped, item=item, response=None, exception=DropItem(why))
        self._send(crawl_signals.mentions_stored, stored=[mention for _, mention in kept], failed=failed)

    def _send(self, signal: object, **kwargs: Any) -> None:
        self.crawler.signals.send_catch_log(signal=signal, spider=self.crawler.spider, **kwargs)


def _mention_id(item: Any, where: str) -> str:
    """The id of an item the store refused (it passed validation, so it has one)."""
    return item.id if isinstance(item, Mention) else str(dict(item).get("id", where))
