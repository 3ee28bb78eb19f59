"""One source's poll: a crawl of that source in a child process, resumable through its own JOBDIR.

The crawl is the ordinary spider path (``crawlers.process.start_spider``: conditional GETs, seen URLs), with the
pipeline's first stages only: the child validates, masks and hands each batch to the monitor's inbox
(``pipelines.handoff``), and the monitor enriches, stores and alerts (``janmat.monitor.inbox``). Each source has
its own JOBDIR (``<state_dir>/jobs/monitor-<source>``) and report file; what happens to the JOBDIR depends on how
the crawl ended:

* finished → removed, so the next poll starts from the feeds (the crawl state remembers what was stored);
* ``shutdown`` (SIGTERM from the monitor's stop or time limit) → kept: the next poll resumes the saved queue;
* killed or crashed (no report) → removed: its queue may be half written. Nothing is lost: a URL is marked seen
  only after its mention was stored and the crawl closed, so the next poll fetches those pages again, and mention
  ids are hashes of the canonical URL, so the store updates instead of duplicating.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawlers.process import spider_env, start_spider
from crawlers.sources import Source
from janmat.core.settings import JanmatSettings
from janmat.monitor.crawl_report import EXTENSION_PATH, REPORT_SETTING, read_report
from janmat.monitor.probe import unchanged
from pipelines.handoff import HANDOFF_STAGES

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.25


@dataclass
class Outcome:
    """How one job run ended: its status, its numbers and the error, if any."""

    status: str
    summary: dict[str, object] = field(default_factory=dict)
    error: str | None = None
    due_now: bool = False
    """Run again at once (an interrupted crawl resumes at the next start)."""


@dataclass
class CrawlPaths:
    """Where one source's crawl keeps its queue, report and log (and the log of its last failed run)."""

    jobdir: Path
    report: Path
    log: Path
    failed_log: Path
    """The log of the last run that failed: the next run rewrites ``log``, and the error points here."""

    @classmethod
    def of(cls, state_dir: Path, key: str) -> CrawlPaths:
        """The paths of source ``key``'s monitor crawl."""
        logs = state_dir / "monitor" / "logs"
        return cls(state_dir / "jobs" / f"monitor-{key}", state_dir / "monitor" / f"crawl-{key}.json",
                   logs / f"crawl-{key}.log", logs / f"crawl-{key}.failed.log")


def crawl_overrides(settings: JanmatSettings, source: Source, paths: CrawlPaths) -> dict[str, object]:
    """The Scrapy settings of a monitor crawl: its JOBDIR, its report, and a frontier of its own in Redis."""
    from crawlers import settings as project  # the project's extensions, which ours are added to

    overrides: dict[str, object] = {
        "JOBDIR": paths.jobdir,
        REPORT_SETTING: paths.report,
        # fetch and extract only; the monitor enriches and stores (janmat.monitor.inbox)
        "JANMAT_PIPELINE_STAGES": ",".join(HANDOFF_STAGES),
        "EXTENSIONS": json.dumps({**project.EXTENSIONS, EXTENSION_PATH: 900}),
    }
    if settings.crawl.redis_url:  # one source's queue per key, so a crawl only ever takes its own source's work
        overrides["SCHEDULER_QUEUE_KEY"] = f"janmat:%(spider)s:{source.key}:requests"
    overrides.update(settings.monitor.crawl_settings)
    return overrides


class SourceCrawl:
    """Polls one source: probe, crawl in a child, read its report, keep or drop its JOBDIR."""

    def __init__(self, source: Source, settings: JanmatSettings, registry: Path | None) -> None:
        self.source = source
        self.settings = settings
        self.registry = registry
        self.paths = CrawlPaths.of(settings.state_dir, source.key)

    def run(self, stopping: threading.Event, on_child: Callable[[int], None] | None = None, orphan: int | None = None,
            recovered: bool = False) -> Outcome:
        """Crawl the source unless nothing changed; stop the child gracefully when ``stopping`` is set."""
        if orphan:
            self._stop_orphan(orphan)
        if recovered and read_report(self.paths.report) is None:
            self._drop_jobdir("the previous crawl never finished")
        monitor = self.settings.monitor
        if monitor.probe and not self.paths.jobdir.exists() and unchanged(
                self.source, monitor.crawl_spider, self.settings.state_dir / "crawl.sqlite",
                self.settings.http_user_agent):
            return Outcome("unchanged")
        self.paths.report.unlink(missing_ok=True)
        self.paths.log.parent.mkdir(parents=True, exist_ok=True)
        # A round of its own per run: discovery requests are fetched once per round, and a poll is a new round.
        args = {"source": self.source.key, "round": f"{self.source.key}-{int(time.time() * 1000)}"}
        if self.registry:
            args["registry"] = str(self.registry)
        with self.paths.log.open("w", encoding="utf-8") as output:
            child = start_spider(monitor.crawl_spider, args, crawl_overrides(self.settings, self.source, self.paths),
                                 cwd=self.paths.log.parent, output=output, env=spider_env())
            if on_child:
                on_child(child.pid)
            stopped_by = self._wait(child, stopping, monitor.crawl_timeout_minutes * 60, monitor.shutdown_seconds)
        return self._outcome(child.returncode, stopped_by)

    def _wait(self, child: subprocess.Popen[bytes], stopping: threading.Event, limit: float,
              grace: float) -> str | None:
        """Wait for the crawl; on a stop or past ``limit``, SIGTERM it (it saves its queue), SIGKILL after grace."""
        started = time.monotonic()
        while child.poll() is None:
            reason = "shutdown" if stopping.is_set() else "time limit" if time.monotonic() - started > limit else None
            if reason:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=max(1.0, grace - 3.0))
                except subprocess.TimeoutExpired:
                    log.warning("crawl of %s did not stop within %.0f s; killed", self.source.key, grace)
                    child.kill()
                    child.wait()
                return reason
            stopping.wait(_POLL_SECONDS)
        return None

    def _outcome(self, returncode: int, stopped_by: str | None) -> Outcome:
        report = read_report(self.paths.report)
        if report is None:
            self._drop_jobdir("the crawl ended without a report")
            if stopped_by == "shutdown":  # stopped before Scrapy could write one (e.g. while it was starting)
                return Outcome("interrupted", due_now=True)
            return Outcome("failed", error=f"crawl of {self.source.key} ended without closing (exit {returncode}); "
                                           f"see {self._keep_log()}", due_now=stopped_by is not None)
        summary = {key: report[key] for key in ("handed", "stored", "rejected", "duplicates", "fetched",
                                                "not_modified", "errors") if key in report}
        if "stored" in summary:  # what the child's last stage kept: handed to the inbox, stored by the drain
            summary["queued"] = summary.pop("stored")
        if report.get("reason") == "finished":
            self._drop_jobdir(None)
            if returncode:
                return Outcome("failed", summary, f"crawl of {self.source.key} exited {returncode}; "
                                                  f"see {self._keep_log()}")
            return Outcome("ok", summary)
        if stopped_by == "shutdown":
            return Outcome("interrupted", summary, due_now=True)
        return Outcome("interrupted", summary, due_now=True,
                       error=f"crawl of {self.source.key} stopped: {stopped_by or report.get('reason')}; "
                             f"see {self._keep_log()}")

    def _keep_log(self) -> Path:
        """Keep the log of a failed run where the next run does not overwrite it; returns where it is."""
        try:
            self.paths.log.replace(self.paths.failed_log)
        except OSError as exc:
            log.warning("%s: the crawl's log could not be kept (%s)", self.source.key, exc)
            return self.paths.log
        return self.paths.failed_log

    def _drop_jobdir(self, why: str | None) -> None:
        if self.paths.jobdir.exists():
            if why:
                log.warning("%s: %s; its queue is dropped and the next poll starts from the feeds", self.source.key,
                            why)
            shutil.rmtree(self.paths.jobdir, ignore_errors=True)

    def _stop_orphan(self, pid: int) -> None:
        """A crawl left running by a monitor that died: stop it gracefully (it saves its queue), then go on."""
        if not _is_our_crawl(pid, self.paths.jobdir):
            return
        log.warning("%s: stopping the crawl (pid %d) a previous monitor left running", self.source.key, pid)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.settings.monitor.shutdown_seconds
        while _is_our_crawl(pid, self.paths.jobdir):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                self.paths.report.unlink(missing_ok=True)  # its queue is unknown now: start from the feeds
                break
            time.sleep(_POLL_SECONDS)


def _is_our_crawl(pid: int, jobdir: Path) -> bool:
    """True when ``pid`` runs and is a crawl using ``jobdir`` (a reused pid is someone else)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return False
    return f"JOBDIR={jobdir}" in command
