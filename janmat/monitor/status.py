"""What ``janmat monitor status`` shows: every job's last run, lag and errors, the queues, the last alerts."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from janmat.core.settings import JanmatSettings
from janmat.monitor.book import JobRecord, book_path, open_book


class JobView(BaseModel):
    """One job as the status shows it (times as UTC datetimes, lag in seconds)."""

    job_id: str
    role: str
    status: str | None
    last_started: datetime | None
    last_finished: datetime | None
    last_ok: datetime | None
    next_due: datetime | None
    lag_seconds: float | None
    """Seconds since the job last finished well (None: it never did)."""
    overdue_seconds: float
    """Seconds past its due time (0 when on schedule)."""
    last_error: str | None
    last_error_at: datetime | None
    runs: int
    failures: int
    summary: dict[str, object]
    running_on: str | None
    """The monitor running the job now, if any."""


class AlertView(BaseModel):
    """One alert from the notification outbox."""

    alert_id: str
    rule: str
    kind: str
    channel: str
    delivery: str
    fired_at: datetime
    reason: str


class MonitorStatus(BaseModel):
    """The whole status: jobs, live monitors, queue depths, last alerts."""

    generated_at: datetime
    book: str
    monitors: list[dict[str, object]] = Field(default_factory=list)
    jobs: list[JobView] = Field(default_factory=list)
    queues: dict[str, int] = Field(default_factory=dict)
    last_alerts: list[AlertView] = Field(default_factory=list)


def _when(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if stamp else None


def job_view(record: JobRecord, now: float) -> JobView:
    """The status row of one job record."""
    running = record.lease_owner if record.lease_owner and (record.lease_until or 0) > now else None
    return JobView(
        job_id=record.job_id, role=record.role, status=record.status, last_started=_when(record.last_started),
        last_finished=_when(record.last_finished), last_ok=_when(record.last_ok), next_due=_when(record.next_due),
        lag_seconds=round(now - record.last_ok, 1) if record.last_ok else None,
        overdue_seconds=round(max(0.0, now - record.next_due), 1) if record.next_due and not running else 0.0,
        last_error=record.last_error, last_error_at=_when(record.last_error_at), runs=record.runs,
        failures=record.failures, summary=record.summary, running_on=running,
    )


def queue_depths(settings: JanmatSettings) -> dict[str, int]:
    """Mentions waiting in the engine spool, article URLs waiting for the crawler, alerts waiting in the outbox,
    crawled mentions waiting in the monitor's inbox."""
    from crawlers.article_queue import ArticleQueue, queue_path

    depths = {"spool": 0, "article_queue": 0, "outbox": 0, "inbox": 0}
    from janmat.store.spool import Spool
    from pipelines.handoff import crawl_inbox_path

    depths["inbox"] = Spool(crawl_inbox_path(settings)).pending_count()
    url = settings.store_url
    if not url.startswith("sqlite:"):  # the embedded store writes directly and never spools
        from janmat.store.spool import Spool, spool_path

        depths["spool"] = Spool(spool_path(settings.spool_dir, url, settings.store.index_prefix)).status().pending
    if queue_path(settings.state_dir).exists():
        queue = ArticleQueue(queue_path(settings.state_dir))
        try:
            depths["article_queue"] = queue.pending()
        finally:
            queue.close()
    try:
        from janmat.alerts.notify import outbox_status
    except ImportError:
        return depths
    depths["outbox"] = sum(found.pending for found in outbox_status(settings).values())
    return depths


def last_alerts(settings: JanmatSettings, limit: int = 5) -> list[AlertView]:
    """The newest alerts in the outbox, one row per alert and channel."""
    try:
        from janmat.alerts.notify import outbox_path
        from janmat.alerts.notify.outbox import Outbox
    except ImportError:
        return []
    path = outbox_path(settings)
    if not path.exists():
        return []
    with Outbox(path) as outbox:
        rows = outbox.rows(limit=limit)
    return [AlertView(alert_id=row.alert.id, rule=row.alert.rule_name, kind=row.alert.kind, channel=row.channel,
                      delivery=status, fired_at=row.alert.fired_at, reason=row.alert.reason)
            for row, status in rows]


def gather_status(settings: JanmatSettings) -> MonitorStatus:
    """Read the job book, the queues and the outbox."""
    now = time.time()
    redis_url = settings.crawl.redis_url
    jobs: list[JobView] = []
    monitors: list[dict[str, object]] = []
    if redis_url or book_path(settings.state_dir).exists():  # a status query creates nothing
        with open_book(settings.state_dir, redis_url) as book:
            jobs = [job_view(record, now) for record in book.records()]
            monitors = book.instances()
    where = "redis" if redis_url else str(book_path(settings.state_dir))
    return MonitorStatus(generated_at=_when(now), book=where, monitors=monitors, jobs=jobs,
                         queues=queue_depths(settings), last_alerts=last_alerts(settings))
