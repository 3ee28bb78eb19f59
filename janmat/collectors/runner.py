"""Run the platform collectors one after another; each fails alone and reports in one line.

Which collectors exist, and the order they run in, is the registry's business (``janmat.collectors.registry``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from janmat.collectors.base import CollectContext, Collector, CollectorReport
from janmat.collectors.errors import CollectorError, QuotaExhaustedError, RateLimitedError
from janmat.collectors.http import redact
from janmat.collectors.registry import collector_class, pick
from janmat.collectors.state import CollectorState
from janmat.collectors.topics import Topic, all_topics
from janmat.collectors.watchlist import Watchlist, load_watchlist
from janmat.core.errors import ConfigError
from janmat.core.settings import JanmatSettings, get_settings
from janmat.store import MentionStore, open_store
from pipelines.flow import MentionFlow

log = logging.getLogger(__name__)

__all__ = ["pick", "run_collectors", "run_one"]


def run_one(collector: Collector, ctx: CollectContext) -> CollectorReport:
    """Run one collector and turn whatever stops it into its report's status and one log line."""
    report = ctx.report
    try:
        collector.collect(ctx)
    except (QuotaExhaustedError, RateLimitedError) as exc:
        report.status, report.message = "stopped", redact(str(exc))
        log.warning("%s", report.message)
    except CollectorError as exc:
        report.status, report.message = "failed", redact(str(exc))
        log.error("%s", report.message)
    except Exception as exc:  # an adapter bug or a platform change we did not foresee: the others go on
        report.status = "failed"
        report.message = redact(f"{collector.name}: unexpected {exc.__class__.__name__}: {exc}")
        log.error("%s", report.message)
        log.debug("%s traceback", collector.name, exc_info=True)
    return report


def run_collectors(
    platforms: Sequence[str] | None = None,
    since: datetime | None = None,
    store: MentionStore | None = None,
    settings: JanmatSettings | None = None,
    watchlist: Watchlist | None = None,
    topics: list[Topic] | None = None,
) -> list[CollectorReport]:
    """Run the chosen collectors (default all) into the store; one report per collector, in order."""
    settings = settings or get_settings()
    watchlist = watchlist or load_watchlist()
    names = pick(platforms, settings)
    topics = topics if topics is not None else all_topics(watchlist)
    own_store = store is None
    store = store or open_store()
    reports: list[CollectorReport] = []
    try:
        with CollectorState() as state:
            for name in names:
                report = CollectorReport(collector=name)
                reports.append(report)
                try:
                    collector = collector_class(name)()
                except ConfigError as exc:  # a broken plug-in fails alone, like a collector that raises
                    report.status, report.message = "failed", str(exc)
                    log.error("%s", report.message)
                    continue
                if reason := collector.unavailable(settings, watchlist):
                    report.status, report.message = "skipped", reason
                    log.info("%s", reason)
                    continue
                ctx = CollectContext(settings=settings, state=state, watchlist=watchlist, topics=topics,
                                     flow=MentionFlow(store=store), report=report, since=since)
                run_one(collector, ctx)
                if report.status == "ok":
                    log.info("%s: %d fetched, %d new, %d updated, %d duplicates, %d gone, %d requests",
                             name, report.fetched, report.stored, report.updated, report.duplicates,
                             report.gone, report.requests)
    finally:
        if own_store:
            store.close()
    return reports
