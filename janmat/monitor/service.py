"""The monitor service: APScheduler runs the jobs of the chosen roles; the job book makes them safe to share.

Each job fires on an ``IntervalTrigger`` whose start is the job's ``next_due`` in the book, so a restarted monitor
resumes on schedule. A firing first claims the job in the book (due, and nobody else's lease on it); a monitor that
loses the claim to another re-aligns its trigger to the book's next due time. Crawls run in their own thread pool
(``JANMAT_MONITOR_CRAWL_WORKERS``), the inbox drain (``janmat.monitor.inbox``) in a thread of its own, collectors
and the alert timers in another, the lease renewal and the monitor's heartbeat in a third, so a long crawl never
delays a renewal.

SIGTERM or SIGINT: no new runs start; running crawls get SIGTERM (they save their queue); the monitor waits up to
``JANMAT_MONITOR_SHUTDOWN_SECONDS`` for running jobs, stores what the crawls handed over as far as that time
allows (the rest waits in the inbox), records what was interrupted (it is due at the next start), and exits.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from janmat.core.settings import JanmatSettings, get_settings
from janmat.monitor import metrics
from janmat.monitor.book import JobBook, new_owner, open_book, owner_is_dead_here
from janmat.monitor.crawl import Outcome
from janmat.monitor.inbox import InboxDrain
from janmat.monitor.jobs import Job, JobRun, build_jobs
from janmat.monitor.status import queue_depths

log = logging.getLogger(__name__)

_HOUSEKEEPING = "monitor:housekeeping"
_INBOX = "monitor:inbox"


class Monitor:
    """The jobs of ``roles`` on one scheduler; ``serve`` runs until SIGTERM/SIGINT or ``stop``."""

    def __init__(self, roles: tuple[str, ...], settings: JanmatSettings | None = None,
                 book: JobBook | None = None) -> None:
        self.roles = roles
        self.settings = settings or get_settings()
        self.book = book or open_book(self.settings.state_dir, self.settings.crawl.redis_url)
        self.owner = new_owner()
        self.jobs = {job.job_id: job for job in build_jobs(roles, self.settings)}
        self.stopping = threading.Event()
        self.running: dict[str, float] = {}
        self._running_lock = threading.Lock()
        self._last_ok: dict[str, float] = {}
        self.started = time.time()
        self.inbox = InboxDrain(self.settings) if "crawl" in roles else None
        """This machine's crawl inbox: a local duty, not a job in the (possibly shared) book."""
        monitor = self.settings.monitor
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(2), "crawl": ThreadPoolExecutor(monitor.crawl_workers),
                       "inbox": ThreadPoolExecutor(1), "housekeeping": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Free the jobs of dead monitors on this machine, schedule every job from the book, start."""
        freed = self.book.release_dead(lambda owner: not owner_is_dead_here(owner))
        if freed:
            log.warning("jobs left by a monitor that died here: %s", ", ".join(freed))
        now = time.time()
        for job in self.jobs.values():
            record = self.book.get(job.job_id)
            first = now if record.status == "running" or record.next_due is None else max(now, record.next_due)
            if record.last_ok:
                self._last_ok[job.job_id] = record.last_ok
            metrics.JOB_LAG.labels(job.job_id).set_function(lambda job_id=job.job_id: self.lag(job_id))
            # next_run_time explicitly: a trigger whose start is already past (by microseconds) would first fire
            # one whole interval later
            self.scheduler.add_job(self._fire, IntervalTrigger(seconds=job.interval, start_date=_at(first)),
                                   args=[job], id=job.job_id, name=job.job_id, next_run_time=_at(first),
                                   executor="crawl" if job.kind == "crawl" else "default")
        self.scheduler.add_job(self._housekeeping, IntervalTrigger(seconds=self.settings.monitor.lease_seconds / 3),
                               id=_HOUSEKEEPING, executor="housekeeping", next_run_time=_at(now))
        if self.inbox is not None:
            every = IntervalTrigger(seconds=self.settings.monitor.inbox_interval_seconds)
            self.scheduler.add_job(self._drain_inbox, every, id=_INBOX, executor="inbox", next_run_time=_at(now))
        self.scheduler.start()
        log.info("monitor %s started: roles %s, %d jobs", self.owner, ",".join(self.roles), len(self.jobs))

    def serve(self) -> int:
        """Start, serve metrics, run until SIGTERM/SIGINT, stop; returns the exit status."""
        # APScheduler logs every firing, and a warning when a crawl outlasts its interval (the firing is skipped,
        # as it should be); our own lines say what each run did.
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stopping.set())
        monitor = self.settings.monitor
        cache: dict[str, object] = {}
        metrics.watch_queues(lambda: _cached(cache, lambda: queue_depths(self.settings)))
        metrics.serve_metrics(monitor.metrics_host, monitor.metrics_port)
        self.start()
        while not self.stopping.wait(1.0):
            pass
        status = self.stop()
        if self._running():  # a collector thread cannot be interrupted; its work was not acknowledged
            logging.shutdown()
            os._exit(status)
        return status

    def stop(self) -> int:
        """Start nothing new, let running jobs finish (crawls are told to stop), then record the rest."""
        log.info("monitor %s stopping", self.owner)
        self.stopping.set()
        self.scheduler.pause()
        deadline = time.monotonic() + self.settings.monitor.shutdown_seconds
        while self._running() and time.monotonic() < deadline:
            time.sleep(0.2)
        left = self._running()
        self._last_drain(deadline)
        for job_id in left:
            # the monitor's own stop is not the job's failure: no error, it runs again at the next start
            self.book.finish(job_id, self.owner, "interrupted", summary={"note": "the monitor stopped during the run"},
                             due_now=True)
        self.scheduler.shutdown(wait=False)
        if left:
            log.warning("exiting with %s still running; they run again at the next start", ", ".join(left))
        self.book.close()
        return 0

    def lag(self, job_id: str) -> float:
        """Seconds since the job last finished well (since the monitor started, if it never did)."""
        return time.time() - self._last_ok.get(job_id, self.started)

    def _running(self) -> list[str]:
        with self._running_lock:
            return sorted(self.running)

    # ------------------------------------------------------------------ one firing
    def _fire(self, job: Job) -> None:
        if self.stopping.is_set():
            return
        monitor = self.settings.monitor
        claim = self.book.claim(job.job_id, self.owner, job.role, job.interval, monitor.lease_seconds)
        if not claim.taken:
            log.debug("%s not run here: %s", job.job_id, claim.reason)
            if claim.reason == "not due" and claim.record.next_due:
                self.scheduler.modify_job(job.job_id, next_run_time=_at(claim.record.next_due))
            return
        with self._running_lock:
            self.running[job.job_id] = time.monotonic()
        started = time.monotonic()
        try:
            outcome = job.run(JobRun(self.stopping, claim,
                                     lambda pid: self.book.note_child(job.job_id, self.owner, pid)))
        except Exception as exc:  # one job's failure is recorded; the others go on
            log.exception("%s failed", job.job_id)
            outcome = Outcome("failed", error=f"{exc.__class__.__name__}: {exc}")
        finally:
            with self._running_lock:
                self.running.pop(job.job_id, None)
        self._record(job, outcome, time.monotonic() - started)

    def _record(self, job: Job, outcome: Outcome, seconds: float) -> None:
        record = self.book.finish(job.job_id, self.owner, outcome.status, outcome.summary, outcome.error,
                                  due_now=outcome.due_now)
        if record.last_ok:
            self._last_ok[job.job_id] = record.last_ok
        metrics.JOB_RUNS.labels(job.job_id, outcome.status).inc()
        metrics.JOB_SECONDS.labels(job.kind).observe(seconds)
        if outcome.error:
            metrics.JOB_ERRORS.labels(job.job_id).inc()
            log.warning("%s: %s: %s", job.job_id, outcome.status, outcome.error)
        summary = outcome.summary
        if outcome.status == "idle":  # an empty outbox, every few seconds: not worth a line
            return
        if job.source and "handed" in summary:
            # a crawl's mentions are queued in the inbox, which the drain empties into the store without loss
            metrics.count_mentions(job.source, int(summary["handed"]), int(summary.get("rejected", 0)),
                                   int(summary.get("stored", summary.get("queued", 0))))
        log.info("%s: %s in %.1f s %s", job.job_id, outcome.status, seconds, summary or "")
        if outcome.due_now and not self.stopping.is_set():
            self.scheduler.modify_job(job.job_id, next_run_time=datetime.now(UTC))

    def _drain_inbox(self, stop: threading.Event | None = None) -> None:
        """Enrich, store and alert on what this machine's crawls fetched (``janmat.monitor.inbox``), until the
        inbox is empty or ``stop`` (the monitor's stop by default) is set."""
        assert self.inbox is not None
        started = time.monotonic()
        try:
            outcome = self.inbox.run(self.stopping if stop is None else stop)
        except Exception as exc:  # what is in the inbox stays there for the next try
            metrics.JOB_ERRORS.labels(_INBOX).inc()
            log.exception("inbox: %s", exc)
            return
        if outcome.status == "idle":
            return
        metrics.JOB_RUNS.labels(_INBOX, outcome.status).inc()
        if outcome.error:
            metrics.JOB_ERRORS.labels(_INBOX).inc()
            log.warning("inbox: %s: %s", outcome.status, outcome.error)
        log.info("inbox: %s in %.1f s %s", outcome.status, time.monotonic() - started, outcome.summary or "")

    def _last_drain(self, deadline: float) -> None:
        """Store what the finished crawls handed over before exiting, as far as the shutdown time allows; the
        rest stays in the inbox for the next start."""
        remaining = deadline - time.monotonic()
        if self.inbox is None or remaining <= 0:
            return
        cutoff = threading.Event()
        timer = threading.Timer(remaining, cutoff.set)
        timer.start()
        try:
            self._drain_inbox(cutoff)
        finally:
            timer.cancel()

    def _housekeeping(self) -> None:
        """Renew the leases of running jobs and say this monitor is alive."""
        lease = self.settings.monitor.lease_seconds
        for job_id in self._running():
            if not self.book.renew(job_id, self.owner, lease):
                log.warning("%s: lease lost to another monitor", job_id)
        self.book.beat(self.owner, {"roles": list(self.roles), "pid": os.getpid(), "started": self.started,
                                    "running": self._running()}, ttl=lease)


def _at(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def _cached(cache: dict[str, object], read: object, seconds: float = 5.0) -> dict[str, int]:
    """``read()``, at most once per ``seconds`` (one scrape reads three gauges)."""
    now = time.monotonic()
    if cache.get("until", 0.0) < now:  # type: ignore[operator]
        try:
            cache["value"] = read()  # type: ignore[operator]
        except Exception as exc:  # a queue that cannot be read must not break the scrape
            log.debug("queue depths not readable: %s", exc)
            cache["value"] = {}
        cache["until"] = now + seconds
    return cache["value"]  # type: ignore[return-value]
