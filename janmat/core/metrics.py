"""Prometheus metrics of the pipeline, counted where the work happens (``pipelines/``) and exposed by the
long-running processes: ``janmat serve`` at ``/metrics`` (admins, or a loopback-only service), the monitor on its
metrics port. All live in prometheus-client's default registry (``exposition`` renders it).

``source`` labels name where a mention came from without letting account names explode the label set: the
outlet's domain for news (``bhaskar.com``), else the platform (``x``, ``youtube``, ``telegram``…).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

MENTIONS_IN = Counter("janmat_pipeline_mentions_in_total", "Items handed to the pipeline, by source.", ["source"])
MENTIONS_REJECTED = Counter("janmat_pipeline_mentions_rejected_total",
                            "Items a stage did not keep (invalid, or refused by the store), by source and stage.",
                            ["source", "stage"])
MENTIONS_STORED = Counter("janmat_pipeline_mentions_stored_total",
                          "Mentions the store took (new, updated, or spooled until the engine is back), by source.",
                          ["source"])
LAG = Histogram("janmat_pipeline_lag_seconds", "From publication to stored, by platform.", ["platform"],
                buckets=(60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400))
ERRORS = Counter("janmat_errors_total", "Failures that stopped a batch or a step, by component.", ["component"])
NLP_SECONDS = Histogram("janmat_nlp_tagger_seconds", "Time one tagger took on one batch of mentions.", ["tagger"],
                        buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
PII_MASKED = Counter("janmat_pii_masked_total", "Personal data masked before storage, by kind.", ["kind"])


def source_label(item: Any) -> str:
    """The ``source`` label of a Mention, or of a dict shaped like one (before validation); ``unknown`` if neither."""
    if isinstance(item, Mapping):
        platform, source = item.get("platform") or "news", item.get("source")
        domain = source.get("domain") or source.get("name") if isinstance(source, Mapping) else source
    else:
        platform, source = getattr(item, "platform", None), getattr(item, "source", None)
        domain = (source.domain or source.name) if source is not None else None
    platform = getattr(platform, "value", platform)
    if not isinstance(platform, str):
        return "unknown"
    if platform == "news":
        return str(domain) if domain else "news"
    return platform


def exposition() -> tuple[bytes, str]:
    """Every metric in the text format Prometheus scrapes, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
