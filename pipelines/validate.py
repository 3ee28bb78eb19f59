"""Stage 1: turn whatever a spider or collector produced into a valid Mention, or reject it with a reason."""

from __future__ import annotations

from pydantic import ValidationError

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
            try:
                mention = item if isinstance(item, Mention) else Mention.model_validate(dict(item))
            except ValidationError as exc:  # before ValueError, which it subclasses
                report.reject(self.name, where, explain(exc))
                continue
            except (TypeError, ValueError) as exc:
                report.reject(self.name, where, str(exc))
                continue
            kept.append(Labelled(where, mention))
        return kept
