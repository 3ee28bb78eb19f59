"""MentionQuery in the engines' query DSL, with the same meaning as in the SQLite store.

Text runs on the ``terms`` field (Janmat's own normalized, stemmed terms) as phrase queries, so a phrase is
consecutive terms exactly as in SQLite FTS5; a phrase with cross-script keys also matches them on ``folded``.
Dates are compared at whole seconds, like the SQLite store's ``published_at`` column.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from janmat.core.mention import IST
from janmat.store.base import MentionQuery
from janmat.store.query_parser import ParsedQuery, Phrase, parse_query

FACET_FIELDS: dict[str, str] = {
    "district": "district_tags",  # counted once per tagged district; filters use ``district_keys`` (all findable)
    "scheme": "scheme_ids",
    "sentiment": "sentiment.label",
    "source": "source_key",
    "platform": "platform",
    "lang": "lang",
}
DAY_FIELD = "published_at"
IST_OFFSET = "+05:30"


def _second(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=IST)
    return moment.astimezone(UTC).replace(microsecond=0)


def _utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def phrase_query(phrase: Phrase) -> dict[str, Any]:
    """One word or quoted phrase on the ``terms`` field, or on ``folded`` by its cross-script keys."""
    own = _field_phrase("terms", phrase.terms)
    if not phrase.keys:
        return own
    return {"bool": {"should": [own, _field_phrase("folded", phrase.keys)], "minimum_should_match": 1}}


def _field_phrase(field: str, words: tuple[str, ...]) -> dict[str, Any]:
    if len(words) == 1:
        return {"term": {field: words[0]}}
    return {"match_phrase": {field: {"query": " ".join(words), "analyzer": "whitespace"}}}


def text_clauses(parsed: ParsedQuery) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``must`` clauses (each an OR of phrases) and ``must_not`` clauses for the parsed text."""
    must = []
    for group in parsed.groups:
        if len(group) == 1:
            must.append(phrase_query(group[0]))
        else:
            must.append({"bool": {"should": [phrase_query(p) for p in group], "minimum_should_match": 1}})
    return must, [phrase_query(p) for p in parsed.excluded]


def filter_clauses(query: MentionQuery) -> list[dict[str, Any]]:
    """The non-text filters: keyword sets, misinformation flag and the published date range."""
    clauses: list[dict[str, Any]] = []
    for field, values in (
        ("sentiment.label", query.sentiments),
        ("platform", query.platforms),
        ("source_key", query.sources),
        ("lang", query.langs),
        ("district_keys", query.districts),
        ("scheme_ids", query.schemes),
        ("near_dup_cluster", query.clusters),
    ):
        if values:
            clauses.append({"terms": {field: list(values)}})
    if query.misinformation is not None:
        clauses.append({"term": {"misinformation.flagged": query.misinformation}})
    if query.min_confidence is not None:
        clauses.append({"range": {"sentiment.score": {"gte": query.min_confidence}}})
    if query.since or query.until:
        bounds: dict[str, str] = {}
        if query.since:
            bounds["gte"] = _utc_text(_second(query.since))
        if query.until:
            # The SQLite store compares whole seconds, so ``until`` includes everything in its last second.
            bounds["lt"] = _utc_text(_second(query.until) + timedelta(seconds=1))
        clauses.append({"range": {"published_at": bounds}})
    return clauses


def mention_query(query: MentionQuery) -> tuple[dict[str, Any], ParsedQuery]:
    """The whole query as a ``bool`` query, and the parsed text (for highlighting)."""
    parsed = parse_query(query.text)
    must, must_not = text_clauses(parsed)
    clauses = filter_clauses(query)
    if not must and not must_not and not clauses:
        return {"match_all": {}}, parsed
    boolean: dict[str, Any] = {}
    if must:
        boolean["must"] = must
    if must_not:
        boolean["must_not"] = must_not
    if clauses:
        boolean["filter"] = clauses
    return {"bool": boolean}, parsed


def search_sort(parsed: ParsedQuery, order: str = "relevance") -> list[Any]:
    """Best first when there is text and ``order`` is relevance; else newest (or oldest) first, undated last."""
    direction = "asc" if order == "oldest" else "desc"
    by_date = [{"published_at": {"order": direction, "missing": "_last"}}, {"id": {"order": direction}}]
    return ["_score", *by_date] if not parsed.is_empty and order == "relevance" else by_date


def cluster_aggregation(limit: int, min_size: int) -> dict[str, Any]:
    """The largest near-duplicate clusters with their first and last date and distinct sources."""
    return {
        "terms": {
            "field": "near_dup_cluster", "size": limit, "shard_size": max(limit * 10, 100),
            "min_doc_count": min_size, "order": [{"_count": "desc"}, {"_key": "asc"}],
        },
        "aggs": {
            "first": {"min": {"field": "published_at"}},
            "last": {"max": {"field": "published_at"}},
            "sources": {"cardinality": {"field": "source_key"}},
        },
    }


def facet_aggregation(by: str, size: int) -> dict[str, Any]:
    """The aggregation that counts mentions per facet value (per IST day for ``day``)."""
    if by == "day":
        return {
            "date_histogram": {
                "field": DAY_FIELD,
                "calendar_interval": "1d",
                "time_zone": IST_OFFSET,
                "format": "yyyy-MM-dd",
                "min_doc_count": 1,
            }
        }
    return {"terms": {"field": FACET_FIELDS[by], "size": size, "shard_size": size}}


def pair_aggregation(by1: str, by2: str, size: int, after: dict[str, Any] | None) -> dict[str, Any]:
    """One page of exact counts per pair of values of two facets (``first``, ``second``): a composite aggregation,
    which makes a bucket for every combination of a document's values, as the SQLite store's joins do."""
    body: dict[str, Any] = {"size": size, "sources": [{"first": _pair_source(by1)}, {"second": _pair_source(by2)}]}
    if after:
        body["after"] = after
    return {"composite": body}


def _pair_source(by: str) -> dict[str, Any]:
    if by == "day":
        return {"date_histogram": {"field": DAY_FIELD, "calendar_interval": "1d", "time_zone": IST_OFFSET,
                                   "format": "yyyy-MM-dd"}}
    return {"terms": {"field": FACET_FIELDS[by]}}


def composite_aggregation(by: str, size: int, after: dict[str, Any] | None) -> dict[str, Any]:
    """One page of exact per-value counts, for facets with more values than a terms aggregation returns."""
    body: dict[str, Any] = {"size": size, "sources": [{"value": {"terms": {"field": FACET_FIELDS[by]}}}]}
    if after:
        body["after"] = after
    return {"composite": body}
