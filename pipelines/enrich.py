"""Stage 2: the NLP stage tags language, districts, schemes, sentiment, entities and misinformation cues.

When the flow writes to a store, the ``misinformation`` tagger reads its known claims from that store
(``janmat.store.claims``: fact-checks collected and claims analysts added), asking at every batch for what is new,
so a claim added while the flow runs is matched from the next batch on.
"""

from __future__ import annotations

import logging
import sqlite3

from janmat.core import metrics
from janmat.core.errors import ConfigError
from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from janmat.store import MentionStore
from nlp.enrich import BATCH, Enricher, get_enricher
from pipelines.stage import FlowReport, Labelled, Stage, StageContext

log = logging.getLogger(__name__)


class EnrichStage(Stage):
    """Runs the configured taggers on each batch (models and gazetteers load once per process)."""

    name = "enrich"

    def __init__(self, enricher: Enricher | None = None) -> None:
        self.enricher = enricher or get_enricher()

    @classmethod
    def from_context(cls, context: StageContext) -> EnrichStage:
        """The stage with the context's enricher, or the process-wide one matching the store's known claims."""
        if context.enricher is None and context.store is not None:
            return cls(with_store_claims(get_enricher(), context.store))
        return cls(context.enricher)

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        """Tag the whole batch in place, a tagger at a time as ``Enricher.enrich_many`` does (the taggers' fast
        path), timing each tagger (``janmat_nlp_tagger_seconds``); every item is kept."""
        mentions: list[Mention] = [mention for _, mention in batch]
        for start in range(0, len(mentions), BATCH):
            part = mentions[start:start + BATCH]
            for tagger in self.enricher.taggers:
                with metrics.NLP_SECONDS.labels(tagger.name).time():
                    tagger.tag_many(part)
        return batch


def with_store_claims(enricher: Enricher, store: MentionStore) -> Enricher:
    """``enricher`` with its ``misinformation`` tagger reading the claims of ``store``; the same enricher when it has
    no such tagger, when ``JANMAT_NLP_TAGGER_OPTIONS`` names a claims file for it, or when the store keeps no
    claims (a backend without a claim store)."""
    from janmat.store.claims import MatcherSource
    from janmat.store.claims_backends import claim_store_for
    from nlp.misinformation import MisinformationComponent

    options = dict(get_settings().nlp.tagger_options.get("misinformation", {}))
    if options.get("claims") is not None or not any(t.name == "misinformation" for t in enricher.taggers):
        return enricher
    try:
        claims = claim_store_for(store)
    except (ConfigError, sqlite3.Error) as exc:
        log.warning("misinformation matching without stored claims: %s", exc)
        return enricher
    matcher = MisinformationComponent(**{**options, "claims": MatcherSource(claims)})
    return Enricher([matcher if tagger.name == "misinformation" else tagger for tagger in enricher.taggers],
                    options={})
