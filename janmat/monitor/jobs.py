"""The monitor's jobs, by role: a crawl per registered source, a run per collector, the alert timers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from janmat.core.errors import InputError
from janmat.core.settings import JanmatSettings
from janmat.monitor import tasks
from janmat.monitor.book import Claim
from janmat.monitor.crawl import Outcome, SourceCrawl

ROLES = ("crawl", "collect", "alert")
"""What a monitor can run; ``all`` is every one of them."""


@dataclass
class JobRun:
    """What a job gets for one run: the stop signal, its claim on the book, and where to report a child."""

    stopping: threading.Event
    claim: Claim
    note_child: Callable[[int], None]


@dataclass
class Job:
    """One scheduled job."""

    job_id: str
    role: str
    interval: float
    """Seconds between runs."""
    run: Callable[[JobRun], Outcome]
    source: str | None = None
    """The source its mentions are counted under (a registry key or a collector name)."""

    @property
    def kind(self) -> str:
        """``crawl``, ``collect`` or ``alert``: the part before the colon of the job id."""
        return self.job_id.split(":", 1)[0]


def parse_roles(role: str) -> tuple[str, ...]:
    """``all`` or a comma-separated list of roles, checked."""
    chosen = ROLES if role == "all" else tuple(part.strip() for part in role.split(",") if part.strip())
    unknown = [part for part in chosen if part not in ROLES]
    if unknown or not chosen:
        raise InputError(f"unknown role {', '.join(unknown) or role!r}: use crawl, collect, alert or all")
    return chosen


def crawl_jobs(settings: JanmatSettings) -> list[Job]:
    """One job per enabled source of the registry, at the source's interval (or the monitor's override)."""
    from crawlers.sources import load_registry

    registry = settings.monitor.registry
    jobs = []
    for source in load_registry(registry).enabled():
        crawl = SourceCrawl(source, settings, registry)

        def run(job: JobRun, crawl: SourceCrawl = crawl) -> Outcome:
            return crawl.run(job.stopping, job.note_child, orphan=job.claim.orphan_pid, recovered=job.claim.recovered)

        interval = settings.monitor.crawl_interval_seconds or source.crawl_interval_minutes * 60
        jobs.append(Job(f"crawl:{source.key}", "crawl", interval, run, source.key))
    return jobs


def collect_jobs(settings: JanmatSettings) -> list[Job]:
    """One job per chosen collector (``JANMAT_COLLECTOR_ENABLED`` or every registered one)."""
    from janmat.collectors.registry import pick

    monitor = settings.monitor
    return [Job(f"collect:{name}", "collect",
                60 * monitor.collector_intervals.get(name, monitor.collect_interval_minutes),
                lambda job, name=name: tasks.collect(name, settings), name)
            for name in pick(None, settings)]


def alert_jobs(settings: JanmatSettings) -> list[Job]:
    """Spike evaluation, claim-spread checks and outbox delivery on their timers."""
    monitor = settings.monitor
    return [Job("alert:spikes", "alert", monitor.spike_interval_seconds, lambda job: tasks.evaluate_spikes(settings)),
            Job("alert:claims", "alert", settings.claims.spread_check_seconds,
                lambda job: tasks.check_claims(settings)),
            Job("alert:deliver", "alert", monitor.deliver_interval_seconds, lambda job: tasks.deliver(settings))]


def build_jobs(roles: tuple[str, ...], settings: JanmatSettings) -> list[Job]:
    """Every job of the given roles."""
    builders = {"crawl": crawl_jobs, "collect": collect_jobs, "alert": alert_jobs}
    return [job for role in roles for job in builders[role](settings)]
