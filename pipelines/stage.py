"""What every pipeline stage is: a class with one batch method, built from a shared context, and the run's report.

A stage gets a batch of labelled items (``Labelled``: the caller's label for an item, and the item) and returns
the ones it keeps, in order. An item it does not keep is either rejected with a reason (``FlowReport.reject``)
or, for a duplicate, counted in ``FlowReport.duplicates``. Stages share nothing but the report: none reads
another's state. The stage list itself is declared once, in ``pipelines.stages``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from pydantic import BaseModel, Field

from janmat.core.mention import Mention
from janmat.store import MentionStore
from nlp.enrich import Enricher


class Labelled(NamedTuple):
    """One item on its way through the stages, with the caller's label for it (a line number, a post id)."""

    where: str
    mention: Mention
    """The mention; before the first stage (validate) it may still be a dict shaped like one."""


class FlowReport(BaseModel):
    """What one run did: mentions stored new, updated, dropped as duplicates, and rejected with a reason."""

    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    spooled: int = 0
    rejected: list[tuple[str, str]] = Field(default_factory=list)
    """(where, why) pairs: ``where`` is the caller's label for the item (a line number, a post id)."""
    rejected_by_stage: dict[str, list[str]] = Field(default_factory=dict)
    """The labels each stage rejected, by stage name (``validate``, ``store``, …)."""

    def reject(self, stage: str, where: str, why: str) -> None:
        """Record that ``stage`` did not keep the item labelled ``where``, and why."""
        self.rejected.append((where, why))
        self.rejected_by_stage.setdefault(stage, []).append(where)

    def merge(self, other: FlowReport) -> None:
        """Add another report (of a later batch) to this one."""
        self.stored += other.stored
        self.updated += other.updated
        self.duplicates += other.duplicates
        self.spooled += other.spooled
        self.rejected.extend(other.rejected)
        for stage, labels in other.rejected_by_stage.items():
            self.rejected_by_stage.setdefault(stage, []).extend(labels)


@dataclass
class StageContext:
    """What stages are built from. ``store`` None runs the stages without writing anything."""

    store: MentionStore | None = None
    enricher: Enricher | None = None
    """The NLP stage's enricher; None means the process-wide one (``nlp.enrich.get_enricher``)."""


class Stage(ABC):
    """One step of the pipeline. Subclasses set ``name`` and implement ``process_batch``."""

    name: ClassVar[str]

    @classmethod
    def from_context(cls, context: StageContext) -> Stage:
        """Build the stage for one flow (override to take the store, the enricher…)."""
        return cls()

    @abstractmethod
    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Return the items kept, in order; record each one not kept in ``report``."""

    def finish(self, report: FlowReport) -> None:
        """Called once at the end of a run (after its last batch); by default nothing to do."""
        return None

