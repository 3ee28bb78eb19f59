"""Stage 5: alerts. Standing queries are evaluated on every stored batch; spikes once at the end of a run.

It comes after ``store``, so it sees only what was stored (or spooled for an engine that was down), and it keeps
every mention: an alert that cannot be evaluated now never costs a mention its place in the store. The work is
``janmat.alerts.evaluate.AlertEvaluator``'s; the monitor evaluates spikes on its own timer as well.
"""

from __future__ import annotations

from janmat.alerts.evaluate import AlertEvaluator
from janmat.core.settings import get_settings
from janmat.store import MentionStore
from pipelines.stage import FlowReport, Labelled, Stage, StageContext


class AlertStage(Stage):
    """Fires standing queries on each batch and evaluates spike rules after the run."""

    name = "alert"

    def __init__(self, store: MentionStore | None) -> None:
        self.store = store
        self.evaluator: AlertEvaluator | None = None
        self.stored_any = False

    @classmethod
    def from_context(cls, context: StageContext) -> AlertStage:
        """The stage over the context's store (None: nothing is stored, so nothing can alert)."""
        return cls(context.store)

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Evaluate the standing queries on the batch; every item is kept."""
        if self.store is None or not batch:
            return batch
        if self.evaluator is None:
            self.evaluator = AlertEvaluator(self.store)
        self.evaluator.on_batch([mention for _, mention in batch])
        self.stored_any = True
        return batch

    def finish(self, report: FlowReport) -> None:
        """Evaluate the spike rules once the run's mentions are stored (``JANMAT_ALERTS_SPIKES_AFTER_RUN``)."""
        if self.evaluator is None:
            return
        if self.stored_any and get_settings().alerts.spikes_after_run:
            self.evaluator.after_run()
        self.stored_any = False
