"""A Scrapy extension the monitor adds to its crawls: at the end, what the crawl did goes to a JSON file.

The monitor starts each crawl as a child process (``crawlers.process``) with ``-s JANMAT_MONITOR_REPORT=PATH``
and this extension in ``EXTENSIONS``; Scrapy loads it by its dotted path, so the crawlers never import the
monitor. The file says why the crawl closed (``finished``, ``shutdown`` after SIGTERM, …), so the monitor
knows whether the crawl's JOBDIR holds a queue to resume, and how many mentions went in, were stored and were
rejected. A crawl killed outright writes nothing, which the monitor reads as "unclean".
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawlers import signals as crawl_signals
from janmat.core.mention import Mention

EXTENSION_PATH = "janmat.monitor.crawl_report.CrawlReportExtension"
REPORT_SETTING = "JANMAT_MONITOR_REPORT"
_REJECTED_STATS = ("janmat/invalid_items", "janmat/store_failed")


class CrawlReportExtension:
    """Counts stored and refused mentions and writes the crawl's report when it closes."""

    def __init__(self, crawler: Any, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.stored = 0
        self.refused = 0
        crawler.signals.connect(self.mentions_stored, signal=crawl_signals.mentions_stored)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlReportExtension:
        path = crawler.settings.get(REPORT_SETTING)
        if not path:
            raise NotConfigured(f"{REPORT_SETTING} is not set")
        return cls(crawler, Path(path))

    def mentions_stored(self, stored: list[Mention], failed: dict[str, str]) -> None:
        """Count one stored batch."""
        self.stored += len(stored)
        self.refused += len(failed)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Write the report atomically (a half-written file would read as a finished crawl)."""
        stats = self.crawler.stats.get_stats()
        rejected = sum(int(value) for key, value in stats.items()
                       if key in _REJECTED_STATS or (key.startswith("janmat/") and key.endswith("_rejected")))
        report = {
            "reason": reason,
            "handed": int(stats.get("item_scraped_count", 0)),
            "stored": self.stored,
            "rejected": rejected,
            "duplicates": int(stats.get("janmat/duplicates_dropped", 0)),
            "fetched": int(stats.get("response_received_count", 0)),
            "not_modified": sum(int(v) for k, v in stats.items() if k.endswith("/not_modified")),
            "errors": int(stats.get("log_count/ERROR", 0)),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(report), encoding="utf-8")
        os.replace(scratch, self.path)


def read_report(path: Path) -> dict[str, Any] | None:
    """The report a crawl left, or None when it wrote none (it was killed or crashed before closing)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
