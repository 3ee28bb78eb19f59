"""Run the platform collectors one after another; each fails alone and reports in one line."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from janmat.collectors.base import CollectContext, Collector, CollectorReport
from janmat.collectors.errors import CollectorError, QuotaExhaustedError, RateLimitedError
from janmat.collectors.facebook import FacebookCollector
from janmat.collectors.factcheck import FactCheckCollector
from janmat.collectors.gnews import GoogleNewsCollector
from janmat.collectors.http import redact
from janmat.collectors.state import CollectorState
from janmat.collectors.telegram import TelegramCollector
from janmat.collectors.topics import Topic, all_topics
from janmat.collectors.watchlist import Watchlist, load_watchlist
from janmat.collectors.x import XCollector
from janmat.collectors.youtube import YouTubeCollector
from janmat.core.errors import ConfigError
from janmat.core.settings import JanmatSettings, get_settings
from janmat.store import MentionStore, open_store
from pipelines.flow import MentionFlow

log = logging.getLogger(__name__)

COLLECTORS: dict[str, type[Collector]] = {
    cls.name: cls
    for cls in (XCollector, YouTubeCollector, FacebookCollector, TelegramCollector, GoogleNewsCollector,
                FactCheckCollector)
}
"""Every collector by platform name, in the order ``collect run`` runs them."""


def pick(platforms: Sequence[str] | None) -> list[str]:
    """The collector names to run: all, or the given ones (unknown names are a ConfigError)."""
    if not platforms:
        return list(COLLECTORS)
    unknown = [p for p in platforms if p not in COLLECTORS]
    if unknown:
        raise ConfigError(f"unknown platform {', '.join(unknown)}; choose from {', '.join(COLLECTORS)}")
    return list(dict.fromkeys(platforms))


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
    names = pick(platforms)
    topics = topics if topics is not None else all_topics(watchlist)
    own_store = store is None
    store = store or open_store()
    reports: list[CollectorReport] = []
    try:
        with CollectorState() as state:
            for name in names:
                collector = COLLECTORS[name]()
                report = CollectorReport(collector=name)
                reason = collector.unavailable(settings, watchlist)
                if reason:
                    report.status, report.message = "skipped", reason
                    log.info("%s", reason)
                else:
                    ctx = CollectContext(settings=settings, state=state, watchlist=watchlist, topics=topics,
                                         flow=MentionFlow(store=store), report=report, since=since)
                    run_one(collector, ctx)
                    if report.status == "ok":
                        log.info("%s: %d fetched, %d new, %d updated, %d duplicates, %d gone, %d requests",
                                 name, report.fetched, report.stored, report.updated, report.duplicates,
                                 report.gone, report.requests)
                reports.append(report)
    finally:
        if own_store:
            store.close()
    return reports
