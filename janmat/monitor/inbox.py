"""The monitor's half of a crawl: enrich, dedupe, store and alert on what the crawl children handed over.

Crawl children stop at ``pipelines.handoff`` (validate → mask → handoff into the inbox); this job takes the inbox
oldest first, runs the rest of the pipeline (``INBOX_STAGES``) in the monitor's process, where the NLP models are
loaded once, and drops each batch from the inbox only after the store took it. A monitor killed in between runs
the batch again at its next start: mention ids are hashes of the canonical URL (the store updates, never
duplicates) and the alert ledger fires a rule once per story, so a repeat changes nothing.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from janmat.core.settings import JanmatSettings
from janmat.monitor.crawl import Outcome
from janmat.store.spool import Spool
from pipelines.handoff import INBOX_STAGES, crawl_inbox_path
from pipelines.stage import FlowReport, Labelled

if TYPE_CHECKING:
    from pipelines.flow import MentionFlow

log = logging.getLogger(__name__)


class InboxDrain:
    """Runs the inbox through ``INBOX_STAGES``; the flow (models, store, alert rules) is built on first use."""

    def __init__(self, settings: JanmatSettings) -> None:
        self.settings = settings
        self.inbox = Spool(crawl_inbox_path(settings))
        self._flow: MentionFlow | None = None
        self._lock = threading.Lock()

    def pending(self) -> int:
        """Mentions waiting in the inbox."""
        return self.inbox.pending_count()

    def run(self, stopping: threading.Event) -> Outcome:
        """Drain what is in the inbox now; ``idle`` when it was empty."""
        if not self.inbox.path.exists() or not self.pending():
            return Outcome("idle")
        with self._lock, self.inbox.replaying() as ours:
            if not ours:
                return Outcome("skipped", {"note": "another process is draining the inbox"})
            return self._drain(stopping)

    def _drain(self, stopping: threading.Event) -> Outcome:
        flow = self._get_flow()
        totals = FlowReport()
        taken = 0
        while not stopping.is_set():
            entries = self.inbox.head(self.settings.store.batch)
            if not entries:
                break
            batch = [Labelled(f"inbox {entry.seq}", entry.mention) for entry in entries]
            report = FlowReport()
            flow.run_batch(batch, report)
            refused = set(report.rejected_by_stage.get("store", ()))
            self.inbox.done(entry.seq for entry in entries if f"inbox {entry.seq}" not in refused)
            totals.merge(report)
            taken += len(entries) - len(refused)
            if refused:  # left in the inbox: the next drain tries them again
                error = "; ".join(f"{where}: {why}" for where, why in report.rejected if where in refused)
                flow.finish(totals)
                return Outcome("failed", _summary(taken, totals), f"the store refused {len(refused)}: {error}"[:500])
        if taken:
            flow.finish(totals)
        return Outcome("ok", _summary(taken, totals))

    def _get_flow(self) -> MentionFlow:
        # imported here: a monitor without the crawl role never loads the NLP stack
        if self._flow is None:
            from janmat.store import open_store
            from pipelines.flow import MentionFlow

            self._flow = MentionFlow(store=open_store(), stages=INBOX_STAGES)
        return self._flow


def _summary(taken: int, report: FlowReport) -> dict[str, object]:
    return {"taken": taken, "stored": report.stored + report.updated, "new": report.stored,
            "duplicates": report.duplicates, "spooled": report.spooled}
