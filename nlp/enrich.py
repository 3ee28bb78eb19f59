"""The NLP stage: one call enriches one Mention, a batch call enriches many fast.

Order: language → districts → schemes → sentiment → entities → misinformation. The rule-based taggers run per
mention (each a few regex and Aho-Corasick scans); sentiment and entities run once per batch, because their
models are fastest on many texts at a time. Everything loads once per process (``get_enricher``).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from janmat.core.mention import HARYANA, Entity, Mention
from nlp.districts import DistrictTagger, get_district_tagger
from nlp.language import LanguageTagger, get_language_tagger
from nlp.misinformation import MisinformationTagger, get_misinformation_tagger
from nlp.schemes import SchemeTagger, get_scheme_tagger

log = logging.getLogger(__name__)


def _load_sentiment() -> Any | None:
    """The trained tone model, or None (with one warning) when it has not been built yet."""
    from nlp.sentiment import load_sentiment_model  # imported here: the model stack loads only when needed

    try:
        return load_sentiment_model()
    except FileNotFoundError as exc:
        log.warning("sentiment tagging is off: %s", exc)
        return None


def _load_entities() -> Any | None:
    """The entity tagger, or None (with one warning) when its model has not been built yet."""
    from nlp.entities import load_entity_tagger  # imported here: spaCy loads only when needed

    try:
        return load_entity_tagger()
    except FileNotFoundError as exc:
        log.warning("entity tagging is off: %s", exc)
        return None


class Enricher:
    """Fills a mention's language, district, scheme, sentiment, entity and misinformation tags."""

    def __init__(
        self,
        language: LanguageTagger | None = None,
        districts: DistrictTagger | None = None,
        schemes: SchemeTagger | None = None,
        misinformation: MisinformationTagger | None = None,
        sentiment: Any | None = None,
        entities: Any | None = None,
        load_models: bool = True,
    ) -> None:
        self.language = language or get_language_tagger()
        self.districts = districts or get_district_tagger()
        self.schemes = schemes or get_scheme_tagger()
        self.misinformation = misinformation or get_misinformation_tagger()
        self.sentiment = sentiment if sentiment is not None or not load_models else _load_sentiment()
        self.entities = entities if entities is not None or not load_models else _load_entities()

    def enrich_many(self, mentions: Iterable[Mention]) -> list[Mention]:
        """Tag many mentions (the fast path); the mentions are updated in place and returned."""
        batch = list(mentions)
        for mention in batch:
            self._tag_rules(mention)
        if batch and self.sentiment is not None:
            self._batch(batch, lambda texts, langs: self.sentiment.predict(texts, langs), "sentiment",
                        [m.full_text() for m in batch])
        if batch and self.entities is not None:
            self._batch(batch, lambda texts, _langs: self._entities(batch, texts), "entities",
                        [m.text for m in batch])
        return batch

    def enrich(self, mention: Mention) -> Mention:
        """Tag one mention."""
        return self.enrich_many([mention])[0]

    def _tag_rules(self, mention: Mention) -> None:
        full = mention.full_text()
        lang = self.language.detect(full)
        if lang is not None:
            mention.lang = lang
        mention.districts = self.districts.tag(mention.text, mention.title, mention.published_at)
        haryana = any(tag.state == HARYANA for tag in mention.districts)
        mention.schemes = self.schemes.tag(mention.text, mention.title, haryana=haryana)
        found = self.misinformation.tag(mention.text, mention.title)
        # a fact-check matched earlier (by a collector) is kept
        found.matched_factcheck = mention.misinformation.matched_factcheck
        if found.matched_factcheck is not None:
            found.flagged = True
        mention.misinformation = found

    def _entities(self, batch: list[Mention], texts: list[str]) -> list[list[Entity]]:
        """Entities of each mention; texts the NER does not read (short posts) also get the places that the
        district tagger found in them, so a post still names its places."""
        from nlp.entities import uses_ner

        found = self.entities.tag(texts)
        for i, (mention, text) in enumerate(zip(batch, texts, strict=True)):
            if mention.districts and not uses_ner(text):
                found[i] = _with_places(found[i], mention)
        return found

    def _batch(self, batch: list[Mention], run: Callable[[list[str], list[str | None]], list], attribute: str,
               texts: list[str]) -> None:
        """Run a batch model and store its per-mention results; a model failure leaves those tags empty."""
        try:
            results = run(texts, [m.lang for m in batch])
        except Exception:  # a broken model must not lose the mentions: they are stored without this tag
            log.exception("%s tagging failed for a batch of %d mentions", attribute, len(batch))
            return
        for mention, result in zip(batch, results, strict=True):
            setattr(mention, attribute, result)


def _with_places(entities: list[Entity], mention: Mention) -> list[Entity]:
    """``entities`` plus a PLACE for each district evidence span in the text that no entity overlaps."""
    spans = [(e.start, e.end) for e in entities]
    places = []
    for tag in mention.districts:
        for evidence in tag.evidence:
            if evidence.field == "text" and all(evidence.end <= s or evidence.start >= e for s, e in spans):
                places.append(Entity(text=evidence.text, label="PLACE", start=evidence.start, end=evidence.end))
                spans.append((evidence.start, evidence.end))
    return sorted([*entities, *places], key=lambda entity: entity.start) if places else entities


def tag_record(mention: Mention) -> dict[str, Any]:
    """The row ``janmat tag`` prints for a tagged mention (near_dup_cluster set by the caller's dedupe index)."""
    return {
        "id": mention.id,
        "lang": mention.lang,
        "districts": [d.key for d in mention.districts],
        "schemes": mention.scheme_ids,
        "sentiment": mention.sentiment.label if mention.sentiment else None,
        "sentiment_score": round(mention.sentiment.score, 4) if mention.sentiment else None,
        "misinformation": mention.misinformation.flagged,
        "near_dup_cluster": mention.near_dup_cluster,
    }


@lru_cache(maxsize=1)
def get_enricher() -> Enricher:
    """The process-wide enricher, loaded once."""
    enricher = Enricher()
    # The models, gazetteer and lexicons just loaded live as long as the process. Freezing them moves them out
    # of the garbage collector's generations, so the collections that the taggers' caches trigger no longer
    # walk them again (~6 % more posts/s in benchmarks/nlp.py). Reference counting still frees objects.
    gc.freeze()
    return enricher
