"""The pipeline, declared once: the stages every mention goes through, in order.

``MentionFlow`` (``janmat ingest``, the collectors, the API, the demo) and Scrapy's one item pipeline
(``pipelines.scrapy.MentionPipeline``) both build their stages from ``STAGES``.

Adding a stage: a ``Stage`` subclass (``pipelines.stage``) in its own module under ``pipelines/``, its name
registered in ``STAGE_CLASSES`` and put in ``STAGES`` where it runs. The alert stage that comes with the monitor
goes last, after ``store``, so that it sees only mentions that were stored (a stage there keeps every mention:
what comes out of the last stage is what a crawl counts as stored)::

    STAGE_CLASSES = {..., "alert": "pipelines.alert.AlertStage"}
    STAGES = ("validate", "mask", "enrich", "dedupe", "store", "alert")

A monitor crawl splits the list in two (``pipelines.handoff``): its child runs ``validate, mask, handoff`` and the
monitor runs ``enrich, dedupe, store, alert`` on what was handed over, with its models loaded once.

One run can also be given its own list (``MentionFlow(stages=…)``, or Scrapy's ``-s JANMAT_PIPELINE_STAGES=…``):
each entry a registered name or the dotted path of a ``Stage`` class.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Sequence

from janmat.core.errors import ConfigError
from pipelines.stage import Stage, StageContext

STAGES: tuple[str, ...] = ("validate", "mask", "enrich", "dedupe", "store", "alert")
"""The stages in the order they run."""

STAGE_CLASSES: dict[str, str] = {
    "validate": "pipelines.validate.ValidateStage",
    "mask": "pipelines.mask.MaskStage",
    "enrich": "pipelines.enrich.EnrichStage",
    "dedupe": "pipelines.dedupe.DedupeStage",
    "store": "pipelines.store.StoreStage",
    "alert": "pipelines.alert.AlertStage",
    "handoff": "pipelines.handoff.HandoffStage",
}
"""Each stage name's class, as a dotted path (imported when a flow is built)."""


def stage_class(entry: str) -> type[Stage]:
    """The class a stage-list entry names: a registered name or a dotted path (a ConfigError if neither)."""
    path = STAGE_CLASSES.get(entry, entry)
    try:
        found = pkgutil.resolve_name(path)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"unknown pipeline stage {entry!r} (stages: {', '.join(STAGE_CLASSES)}, or the dotted "
                          f"path of a Stage class): {exc}") from exc
    if not (isinstance(found, type) and issubclass(found, Stage)):
        raise ConfigError(f"pipeline stage {entry!r} is not a Stage class (pipelines.stage.Stage)")
    return found


def build_stages(context: StageContext, entries: Sequence[str] | None = None) -> list[Stage]:
    """The stages of ``entries`` (default ``STAGES``), in order, each built from ``context``."""
    return [stage_class(entry).from_context(context) for entry in (STAGES if entries is None else entries)]
