"""Stage 2: mask personal data (Aadhaar numbers, mobile numbers, e-mail addresses) in posts and comments, before
the taggers read the text and before anything stores or indexes it (``docs/data-protection.md``)."""

from __future__ import annotations

from collections import Counter

from janmat.core import metrics
from janmat.core.settings import get_settings
from pipelines.pii import mask_personal_data
from pipelines.stage import FlowReport, Labelled, Stage, StageContext

META_KEY = "pii_masked"
"""``Mention.meta`` key of what was masked: counts per kind, e.g. ``{"aadhaar": 1, "mobile": 2}``."""


class MaskStage(Stage):
    """Masks title and text of mentions from the configured platforms (``JANMAT_PRIVACY_*``); keeps every item."""

    name = "mask"

    def __init__(self, enabled: bool = True, platforms: frozenset[str] = frozenset()) -> None:
        self.enabled = enabled
        self.platforms = platforms

    @classmethod
    def from_context(cls, context: StageContext) -> MaskStage:
        """The stage as the settings say: on by default, for posts and comments."""
        settings = get_settings().privacy
        return cls(settings.mask_personal_data, frozenset(settings.mask_platforms))

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Mask each mention in place and record on it how many of each kind were masked."""
        if not self.enabled:
            return batch
        for _, mention in batch:
            if mention.platform.value not in self.platforms:
                continue
            found: Counter[str] = Counter()
            for field in ("title", "text"):
                value = getattr(mention, field)
                if value:
                    masked, counts = mask_personal_data(value)
                    if counts:
                        setattr(mention, field, masked)
                        found.update(counts)
            if found:
                mention.meta = {**mention.meta, META_KEY: dict(sorted(found.items()))}
                for kind, n in found.items():
                    metrics.PII_MASKED.labels(kind).inc(n)
        return batch
