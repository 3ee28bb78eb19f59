"""Stage 4: write mentions to the configured store in batches; nothing is lost if the store is down."""

from __future__ import annotations

import logging
from typing import Any

from janmat.core.errors import StoreUnavailableError
from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from janmat.store import MentionStore, UpsertReport, open_store

log = logging.getLogger(__name__)


class StorePipeline:
    """Buffers mentions and upserts them in batches; the report counts stored, updated and failed ones."""

    def __init__(self, store: MentionStore | None = None, batch_size: int = 200) -> None:
        self._store = store
        self.batch_size = batch_size
        self.buffer: list[Mention] = []
        self.report = UpsertReport()

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        url = crawler.settings.get("JANMAT_STORE")
        batch_size = crawler.settings.getint("JANMAT_STORE_BATCH", get_settings().store.batch)
        return cls(store=open_store(url) if url else None, batch_size=batch_size)

    @property
    def store(self) -> MentionStore:
        """The store, opened on first use."""
        if self._store is None:
            self._store = open_store()
        return self._store

    def process_item(self, item: Mention) -> Mention:
        """Queue the mention; write the batch when it is full."""
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> UpsertReport:
        """Write what is buffered now."""
        if not self.buffer:
            return UpsertReport()
        batch, self.buffer = self.buffer, []
        report = self.store.upsert(batch)
        for mention_id, reason in report.failed.items():
            log.error("store rejected mention %s: %s", mention_id, reason)
        self.report.merge(report)
        return report

    def close_spider(self) -> None:
        """Write the rest at the end of a crawl and make it searchable."""
        self.flush()
        self.make_searchable()

    def make_searchable(self) -> None:
        """Ask the store to make what was written searchable now; an engine that is down just waits (spooled)."""
        if self._store is None:
            return
        try:
            self._store.refresh()
        except StoreUnavailableError as exc:
            log.warning("store not refreshed (its writes are spooled until it is back): %s", exc)
