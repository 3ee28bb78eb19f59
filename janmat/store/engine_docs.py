"""A Mention as a search-engine document and back.

The document is the Mention's own JSON plus fields Janmat derives for search and facets. ``terms`` holds
``nlp.normalize.search_terms`` of the title and text, the same terms the SQLite store indexes, so Janmat's
text queries find exactly the same mentions on every backend. ``folded`` holds one cross-script key per term
(``nlp.crossscript.search_keys``), as the SQLite store's ``folded`` column.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson

from janmat.core.mention import Mention
from nlp.crossscript import search_keys
from nlp.gazetteer import district_point, load_gazetteer
from nlp.normalize import index_terms

DERIVED_FIELDS = frozenset(
    {"terms", "folded", "words", "district_keys", "district_tags", "scheme_ids", "source_key", "district_location",
     "district_names", "scheme_names"}
)


def source_key(mention: Mention) -> str | None:
    """The source a mention is counted and filtered under: its name, else its domain (as in the SQLite store)."""
    return mention.source.name or mention.source.domain


def mention_document(mention: Mention) -> dict[str, Any]:
    """The engine document for one mention."""
    document = mention.model_dump(mode="json")
    document.update(derived_fields(mention))
    return document


def mention_document_json(mention: Mention) -> str:
    """The same document as JSON text, for the bulk path: pydantic encodes the Mention and orjson the derived
    fields, joined as text, so no intermediate dict of the whole document is built and encoded again."""
    own = mention.model_dump_json()
    derived = orjson.dumps(derived_fields(mention)).decode()
    return f"{own[:-1]},{derived[1:]}"


def derived_fields(mention: Mention) -> dict[str, Any]:
    """The fields Janmat adds to a mention's own JSON (``DERIVED_FIELDS``)."""
    # ``words``: distinct unstemmed words for word clouds (the dashboards' "top Hindi terms"; stop words excluded
    # there).
    text = mention.full_text()
    terms, distinct_words = index_terms(text)
    return {
        "terms": terms,
        "folded": " ".join(search_keys(text)),
        "words": distinct_words,
        # district_keys: every key the mention is findable under (filters); district_tags: the keys it is counted
        # under (its tags only), so older Hisar coverage also findable under Hansi is counted once, under Hisar.
        "district_keys": mention.district_keys,
        "district_tags": mention.tagged_district_keys,
        "scheme_ids": mention.scheme_ids,
        "source_key": source_key(mention),
        "district_location": district_location(mention),
        # Hindi and English names of the districts it is findable under and of its schemes, for the dashboards'
        # controls: an analyst picks हिसार or Hisar, प्रधानमंत्री किसान सम्मान निधि or its English name.
        "district_names": district_names(mention),
        "scheme_names": scheme_names(mention),
    }


def district_location(mention: Mention) -> list[float] | None:
    """[lon, lat] of the headquarters of the mention's first Haryana district, for map panels; else None."""
    for tag in mention.districts:
        point = district_point(tag.name, tag.state)
        if point is not None:
            return list(point)
    return None


def district_names(mention: Mention) -> list[str]:
    """English and Hindi names of every district the mention is findable under."""
    names: list[str] = []
    for key in mention.district_keys:
        district = load_gazetteer().districts.get(key)
        for name in (district.name, district.name_hi) if district else (key,):
            if name and name not in names:
                names.append(name)
    return names


def scheme_names(mention: Mention) -> list[str]:
    """English and Hindi names of the mention's schemes (the catalogue's; else the tag's own name or id)."""
    catalogue = _scheme_catalogue()
    names: list[str] = []
    for tag in mention.schemes:
        for name in catalogue.get(tag.id, (tag.name or tag.id,)):
            if name and name not in names:
                names.append(name)
    return names


@lru_cache(maxsize=1)
def _scheme_catalogue() -> dict[str, tuple[str, ...]]:
    from nlp.schemes import catalogue

    return {scheme.id: (scheme.name_en, scheme.name_hi) for scheme in catalogue()}


def mention_from_document(document: dict[str, Any]) -> Mention:
    """The Mention stored in an engine document, without the derived fields."""
    return Mention.model_validate({k: v for k, v in document.items() if k not in DERIVED_FIELDS})
