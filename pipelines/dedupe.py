"""Stage 3: drop exact duplicates within a run and give near-duplicates a shared cluster id."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from janmat.core.mention import Mention
from nlp.neardup import NearDuplicateIndex


class DedupePipeline:
    """Exact duplicates (same id) are dropped; wire copy and forwards are clustered by MinHash LSH."""

    def __init__(self, index: NearDuplicateIndex | None = None, stats: Any = None) -> None:
        self.index = index or NearDuplicateIndex()
        self.seen: set[str] = set()
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(stats=crawler.stats)

    def process_item(self, item: Mention) -> Mention:
        """Drop a mention already seen in this run; otherwise set its ``near_dup_cluster``."""
        if item.id in self.seen:
            if self.stats is not None:
                self.stats.inc_value("janmat/duplicates_dropped")
            raise DropItem(f"duplicate mention {item.id} ({item.canonical_url or 'no url'})")
        self.seen.add(item.id)
        item.near_dup_cluster = self.index.assign(item)
        return item
