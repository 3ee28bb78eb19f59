"""Prometheus metrics of the monitor, served by ``prometheus-client`` on ``JANMAT_MONITOR_METRICS_HOST:PORT``.

Mentions are counted per source: a news source's registry key, or a collector's name. ``lag`` is the time since
a job last finished well; queue depths are read when Prometheus scrapes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from prometheus_client import Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)

MENTIONS_IN = Counter("janmat_mentions_in_total", "Mentions handed to the pipeline.", ["source"])
MENTIONS_REJECTED = Counter("janmat_mentions_rejected_total",
                            "Mentions the pipeline rejected (invalid, or refused by the store).", ["source"])
MENTIONS_STORED = Counter("janmat_mentions_stored_total",
                          "Mentions stored (new, updated, or spooled until the engine is back).", ["source"])
JOB_RUNS = Counter("janmat_monitor_job_runs_total", "Finished job runs, by job and how they ended.",
                   ["job", "status"])
JOB_ERRORS = Counter("janmat_monitor_job_errors_total", "Job runs that failed.", ["job"])
JOB_SECONDS = Histogram("janmat_monitor_job_seconds", "How long a job run took, by kind of job.", ["kind"],
                        buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 1800))
JOB_LAG = Gauge("janmat_monitor_job_lag_seconds", "Seconds since the job last finished well.", ["job"])
QUEUE_DEPTH = Gauge("janmat_monitor_queue_depth",
                    "Items waiting: spool, article queue, notification outbox, crawl inbox.", ["queue"])


def count_mentions(source: str, handed: int, rejected: int, stored: int) -> None:
    """Add one run's mention counts for ``source``."""
    MENTIONS_IN.labels(source).inc(handed)
    MENTIONS_REJECTED.labels(source).inc(rejected)
    MENTIONS_STORED.labels(source).inc(stored)


def watch_queues(depths: Callable[[], dict[str, int]]) -> None:
    """Read the queue depths at scrape time from ``depths`` (cached per scrape by the caller)."""
    for queue in ("spool", "article_queue", "outbox", "inbox"):
        QUEUE_DEPTH.labels(queue).set_function(lambda queue=queue: depths().get(queue, 0))


def serve_metrics(host: str, port: int) -> int | None:
    """Start the ``/metrics`` endpoint in a daemon thread (``port`` 0: none); returns the port."""
    if not port:
        return None
    server, _ = start_http_server(port, addr=host)
    bound = int(server.server_address[1])
    log.info("metrics on http://%s:%d/metrics", host, bound)
    return bound
