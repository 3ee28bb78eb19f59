"""The NLP stage: the configured taggers, run in order on a batch of mentions.

The taggers and their order come from ``get_settings().nlp.taggers`` (``JANMAT_NLP_TAGGERS``; default
language → districts → schemes → sentiment → entities → misinformation). Each is a registered component
(``nlp.tagger``): the rule-based ones scan each mention, sentiment and entities run their models once per batch.
Everything loads once per process (``get_enricher``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from janmat.core.mention import Mention
from janmat.core.settings import get_settings
from nlp.normalize import FOLD_CACHE_SIZE
from nlp.tagger import Tagger, build_taggers, tagger_classes

BATCH = FOLD_CACHE_SIZE // 2
"""Mentions tagged together. Each tagger passes over a whole batch; the rule taggers read each text's fold from
``nlp.normalize.folded_text``'s cache, which holds two batches (folding a text up to three times instead of once
cost ~10 % of posts/s). The models are as fast on 256 texts at a time as on more."""


class Enricher:
    """Runs the configured taggers, checked at start-up, on batches of mentions."""

    def __init__(
        self, taggers: Sequence[str | Tagger] | None = None, options: Mapping[str, Mapping[str, Any]] | None = None
    ) -> None:
        """``taggers``: names (or ready-made taggers) in order, default the settings'; ``options``: keyword options
        by tagger name, default ``JANMAT_NLP_TAGGER_OPTIONS``. A wrong list is a ``ConfigError``."""
        settings = get_settings().nlp
        self.taggers = build_taggers(
            settings.taggers if taggers is None else taggers,
            settings.tagger_options if options is None else options,
            settings.tagger_modules,
        )

    def enrich_many(self, mentions: Iterable[Mention]) -> list[Mention]:
        """Tag many mentions (the fast path); the mentions are updated in place and returned."""
        batch = list(mentions)
        for start in range(0, len(batch), BATCH):
            part = batch[start:start + BATCH]
            for tagger in self.taggers:
                tagger.tag_many(part)
        return batch

    def enrich(self, mention: Mention) -> Mention:
        """Tag one mention."""
        return self.enrich_many([mention])[0]


def tag_record(mention: Mention) -> dict[str, Any]:
    """The row ``janmat tag`` prints for a tagged mention: its id, the columns of each configured tagger in order,
    and ``near_dup_cluster`` (set by the caller's dedupe index)."""
    settings = get_settings().nlp
    row: dict[str, Any] = {"id": mention.id}
    for tagger in _configured(tuple(settings.taggers), tuple(settings.tagger_modules)):
        row.update(tagger.columns(mention))
    row["near_dup_cluster"] = mention.near_dup_cluster
    return row


@lru_cache(maxsize=8)
def _configured(names: tuple[str, ...], modules: tuple[str, ...]) -> tuple[type[Tagger], ...]:
    return tuple(tagger_classes(names, modules))


@lru_cache(maxsize=1)
def get_enricher() -> Enricher:
    """The process-wide enricher, loaded once."""
    enricher = Enricher()
    # The models, gazetteer and lexicons just loaded live as long as the process. Freezing them moves them out
    # of the garbage collector's generations, so the collections that the taggers' caches trigger no longer
    # walk them again (~6 % more posts/s in benchmarks/nlp.py). Reference counting still frees objects.
    gc.freeze()
    return enricher
