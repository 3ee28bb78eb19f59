"""The last stage of a monitor crawl: hand each batch to the monitor through a durable inbox.

A monitor crawl runs in a child process (Twisted's reactor cannot restart), and loading the NLP models in every
child cost 5–25 s per poll: longer than the fetch itself, and the reason alerts came minutes late. So a monitor
crawl runs only ``validate → mask → handoff``: this stage appends the batch to the inbox (a ``Spool`` file under
the state folder, fsynced before it returns), and the monitor, whose models are loaded once, runs ``enrich →
dedupe → store → alert`` on what it finds there (``janmat.monitor.inbox``). The crawl marks a URL seen once its
mention is in the inbox, which is as durable as the store: nothing is lost between the two.
"""

from __future__ import annotations

from pathlib import Path

from janmat.core.settings import JanmatSettings, get_settings
from janmat.store.spool import Spool
from pipelines.stage import FlowReport, Labelled, Stage, StageContext

HANDOFF_STAGES = ("validate", "mask", "handoff")
"""The stages a monitor crawl runs in its child."""
INBOX_STAGES = ("enrich", "dedupe", "store", "alert")
"""The stages the monitor runs on what the inbox holds: the rest of ``pipelines.stages.STAGES``."""


def crawl_inbox_path(settings: JanmatSettings) -> Path:
    """The inbox file of the monitor's crawls."""
    return settings.state_dir / "monitor" / "inbox.sqlite"


class HandoffStage(Stage):
    """Appends every batch to the crawl inbox and keeps every item (kept means handed over, durably)."""

    name = "handoff"

    def __init__(self, inbox: Spool) -> None:
        self.inbox = inbox

    @classmethod
    def from_context(cls, context: StageContext) -> HandoffStage:
        """The stage writing to this installation's crawl inbox."""
        return cls(Spool(crawl_inbox_path(get_settings())))

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Append the batch; durable when this returns."""
        self.inbox.put([mention for _, mention in batch], "crawled")
        return batch

    def finish(self, report: FlowReport) -> None:
        """Close the inbox file."""
        self.inbox.close()
