"""A Mention as a search-engine document and back.

The document is the Mention's own JSON plus fields Janmat derives for search and facets. ``terms`` holds
``nlp.normalize.search_terms`` of the title and text, the same terms the SQLite store indexes, so Janmat's
text queries find exactly the same mentions on every backend.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from janmat.mention import Mention
from nlp.gazetteer import district_point
from nlp.normalize import normalize_text, search_terms, words

DERIVED_FIELDS = frozenset({"terms", "words", "district_keys", "scheme_ids", "source_key", "district_location"})


def source_key(mention: Mention) -> str | None:
    """The source a mention is counted and filtered under: its name, else its domain (as in the SQLite store)."""
    return mention.source.name or mention.source.domain


def mention_document(mention: Mention) -> dict[str, Any]:
    """The engine document for one mention."""
    document = mention.model_dump(mode="json")
    document["terms"] = " ".join(search_terms(mention.full_text()))
    # Distinct unstemmed words for word clouds (the dashboards' "top Hindi terms"; stop words excluded there).
    document["words"] = sorted({word for token in mention.full_text().split() for word in _token_words(token)})
    document["district_keys"] = mention.district_keys
    document["scheme_ids"] = mention.scheme_ids
    document["source_key"] = source_key(mention)
    document["district_location"] = district_location(mention)
    return document


def district_location(mention: Mention) -> list[float] | None:
    """[lon, lat] of the headquarters of the mention's first Haryana district, for map panels; else None."""
    for tag in mention.districts:
        point = district_point(tag.name, tag.state)
        if point is not None:
            return list(point)
    return None


@lru_cache(maxsize=200_000)
def _token_words(token: str) -> tuple[str, ...]:
    # Normalization acts inside one whitespace-separated token (see nlp.normalize.search_terms), so words are
    # memoized per token like the terms.
    return tuple(word.lower() for word in words(normalize_text(token)))


def mention_from_document(document: dict[str, Any]) -> Mention:
    """The Mention stored in an engine document, without the derived fields."""
    return Mention.model_validate({k: v for k, v in document.items() if k not in DERIVED_FIELDS})
