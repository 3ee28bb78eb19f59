"""Stage 1: turn whatever a spider or collector produced into a valid Mention, or reject it with a reason."""

from __future__ import annotations

from pydantic import ValidationError

from janmat.core import metrics
from janmat.core.errors import explain
from janmat.core.mention import Mention
from pipelines.stage import FlowReport, Labelled, Stage


class ValidateStage(Stage):
    """Accepts Mention objects or dicts shaped like one; anything else is rejected with the reason."""

    name = "validate"

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Keep the items that are (or validate as) Mentions."""
        kept = []
        for where, item in batch:
            source = metrics.source_label(item)
            metrics.MENTIONS_IN.labels(source).inc()
            try:
                mention = item if isinstance(item, Mention) else Mention.model_validate(dict(item))
            except ValidationError as exc:  # before ValueError, which it subclasses
                why = explain(exc)
            except (TypeError, ValueError) as exc:
                why = str(exc)
            else:
                kept.append(Labelled(where, mention))
                continue
            report.reject(self.name, where, why)
            metrics.MENTIONS_REJECTED.labels(source, self.name).inc()
        return kept
