"""Check Kibana / OpenSearch Dashboards saved objects (NDJSON) before anyone imports them.

Two levels, because no Kibana runs where Janmat is built:

* ``check_static``: every line parses, every stringified field parses, only the four types both Kibana 8 and
  OpenSearch Dashboards 2 import (``index-pattern``, ``search``, ``visualization``, ``dashboard``) with
  ``migrationVersion`` no newer than an OpenSearch Dashboards 2.x export, every reference and ``*RefName``
  resolves, titles carry Hindi and English, and every field used is declared by the index pattern.
  An index pattern must name one alias, never a wildcard: ``janmat-mentions*`` also matches the indices
  ``janmat reindex --keep-old`` keeps, and every count would double.
* ``check_against_engine``: the index pattern's title is an alias on the node, every field used exists in the
  real node's ``_field_caps`` (aggregatable where it is aggregated), and every visualization and saved search,
  translated to the search request Kibana would send, returns documents on that node (a controls panel: options
  for every control; a Vega panel: its own request).

The translation covers what the legacy visualization editor writes for the aggregations Janmat uses (count,
terms, date_histogram, filters, histogram, sum/avg/min/max/cardinality) and Lucene queries; it is written here
because neither Kibana's nor OpenSearch Dashboards' request builder exists outside their JavaScript code.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from janmat.core.errors import ConfigError, InputError, JanmatError

if TYPE_CHECKING:
    from janmat.store.engine_client import EngineClient

log = logging.getLogger(__name__)

MIGRATION_CEILINGS: dict[str, str] = {
    "index-pattern": "7.6.0",
    "search": "7.9.3",
    "visualization": "7.10.0",
    "dashboard": "7.9.3",
}
"""Newest ``migrationVersion`` per type that an OpenSearch Dashboards 2.x export writes; Kibana 8 migrates on."""

FORBIDDEN_KEYS = ("coreMigrationVersion", "typeMigrationVersion")
"""Kibana 8 only: OpenSearch Dashboards rejects objects that carry them."""

LEGACY_VIS_TYPES = frozenset(
    {"area", "line", "histogram", "horizontal_bar", "pie", "table", "tagcloud", "metric", "markdown",
     "input_control_vis", "vega"}
)
"""Legacy visualization types that exist in both Kibana 8 and OpenSearch Dashboards 2 (no Lens, no maps: a map is
drawn by a Vega panel, which both products render without a tile service)."""

# (attribute path, expected JSON type) of every field Kibana stores as a JSON string.
STRINGIFIED_FIELDS: dict[str, list[tuple[tuple[str, ...], type]]] = {
    "index-pattern": [(("fields",), list), (("fieldFormatMap",), dict)],
    "search": [(("kibanaSavedObjectMeta", "searchSourceJSON"), dict)],
    "visualization": [
        (("visState",), dict),
        (("uiStateJSON",), dict),
        (("kibanaSavedObjectMeta", "searchSourceJSON"), dict),
    ],
    "dashboard": [
        (("panelsJSON",), list),
        (("optionsJSON",), dict),
        (("kibanaSavedObjectMeta", "searchSourceJSON"), dict),
    ],
}

METRIC_AGGS = frozenset({"count", "sum", "avg", "min", "max", "cardinality"})
BUCKET_AGGS = frozenset({"terms", "date_histogram", "filters", "histogram"})
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
LATIN = re.compile(r"[A-Za-z]")
# A Lucene ``field:`` prefix: a name outside quotes followed by a colon. Field names are dotted identifiers.
LUCENE_FIELD = re.compile(r'(?<![\w."\\])([A-Za-z_@][\w.@]*)\s*:')
LUCENE_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"')

NOW_DATE_MATH = re.compile(r"^now(?:[+-]\d+[yMwdhHms])*(?:/[yMwdhHms])?$")
KIBANA_TIME_ZONE = "Asia/Kolkata"
"""The browser time zone Kibana would send for the media cell; day buckets are IST days."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one saved object (``line`` is 1-based in the NDJSON file; 0 for file-wide)."""

    line: int
    object: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where} ({self.object}): {self.message}"


@dataclass
class SavedObject:
    """One parsed saved object, with its stringified attributes decoded into ``decoded``."""

    line: int
    raw: dict[str, Any]
    decoded: dict[tuple[str, ...], Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        """The saved-object type (``visualization``, ``dashboard`` …)."""
        return str(self.raw.get("type", ""))

    @property
    def id(self) -> str:
        """The saved-object id."""
        return str(self.raw.get("id", ""))

    @property
    def label(self) -> str:
        """``type:id``, for messages."""
        return f"{self.type}:{self.id}"

    @property
    def attributes(self) -> dict[str, Any]:
        """The object's attributes (empty when missing)."""
        value = self.raw.get("attributes")
        return value if isinstance(value, dict) else {}

    @property
    def references(self) -> list[dict[str, Any]]:
        """The object's references (empty when missing)."""
        value = self.raw.get("references")
        return [ref for ref in value if isinstance(ref, dict)] if isinstance(value, list) else []

    def reference(self, name: str) -> dict[str, Any] | None:
        """The reference with this name, or None."""
        return next((ref for ref in self.references if ref.get("name") == name), None)

    @property
    def search_source(self) -> dict[str, Any]:
        """The decoded ``kibanaSavedObjectMeta.searchSourceJSON`` (empty when missing)."""
        return self.decoded.get(("kibanaSavedObjectMeta", "searchSourceJSON")) or {}

    @property
    def vis_state(self) -> dict[str, Any]:
        """The decoded ``visState`` (empty when missing)."""
        return self.decoded.get(("visState",)) or {}


@dataclass
class SavedObjects:
    """A parsed NDJSON bundle and the problems met while parsing it."""

    objects: list[SavedObject]
    problems: list[Problem]

    def find(self, type_: str, id_: str) -> SavedObject | None:
        """The object of this type and id, or None."""
        return next((obj for obj in self.objects if obj.type == type_ and obj.id == id_), None)

    def of_type(self, type_: str) -> list[SavedObject]:
        """All objects of one type, in file order."""
        return [obj for obj in self.objects if obj.type == type_]


def _dig(mapping: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = mapping
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def parse_saved_objects(text: str) -> SavedObjects:
    """Parse NDJSON text: one object per non-blank line; stringified fields decoded; problems collected."""
    objects: list[SavedObject] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(number, "?", f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(number, "?", "a line must hold one JSON object"))
            continue
        if "exportedCount" in raw and "type" not in raw:
            continue  # the export summary line Kibana appends
        obj = SavedObject(number, raw)
        for path, expected in STRINGIFIED_FIELDS.get(obj.type, []):
            value = _dig(obj.attributes, path)
            if value is None:
                continue
            dotted = ".".join(path)
            if not isinstance(value, str):
                kind = type(value).__name__
                problems.append(Problem(number, obj.label, f"{dotted} must be a JSON string, not {kind}"))
                continue
            try:
                decoded = json.loads(value)
            except json.JSONDecodeError as exc:
                problems.append(Problem(number, obj.label, f"{dotted} is not valid JSON: {exc.msg}"))
                continue
            if not isinstance(decoded, expected):
                problems.append(Problem(number, obj.label, f"{dotted} must decode to a JSON {expected.__name__}"))
                continue
            obj.decoded[path] = decoded
        objects.append(obj)
    return SavedObjects(objects, problems)


def load_saved_objects(path: Path) -> SavedObjects:
    """Read and parse an NDJSON file; a missing or unreadable file is a clear InputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read saved objects from {path}: {exc}") from exc
    return parse_saved_objects(text)


def _version_tuple(version: str) -> tuple[int, ...] | None:
    parts = version.split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _check_shape(obj: SavedObject) -> list[Problem]:
    problems: list[Problem] = []
    say = lambda message: problems.append(Problem(obj.line, obj.label, message))  # noqa: E731
    if obj.type not in MIGRATION_CEILINGS:
        say(f"type {obj.type!r} does not import into both Kibana 8 and OpenSearch Dashboards 2; "
            f"use one of {sorted(MIGRATION_CEILINGS)}")
        return problems
    if not obj.id:
        say("missing id")
    if not isinstance(obj.raw.get("attributes"), dict):
        say("missing attributes object")
    if not isinstance(obj.raw.get("references"), list):
        say("missing references list")
    for key in FORBIDDEN_KEYS:
        if key in obj.raw:
            say(f"{key} is Kibana-8-only; OpenSearch Dashboards refuses it")
    versions = obj.raw.get("migrationVersion")
    if not isinstance(versions, dict) or set(versions) != {obj.type}:
        say(f"migrationVersion must be {{{obj.type!r}: version}}")
    else:
        ceiling = MIGRATION_CEILINGS[obj.type]
        mine, top = _version_tuple(str(versions[obj.type])), _version_tuple(ceiling)
        if mine is None:
            say(f"migrationVersion {versions[obj.type]!r} is not a version number")
        elif top is not None and mine > top:
            say(f"migrationVersion {versions[obj.type]} is newer than {ceiling}, the newest OpenSearch Dashboards "
                "2.x accepts")
    title = obj.attributes.get("title")
    if not isinstance(title, str) or not title.strip():
        say("missing title")
    elif obj.type != "index-pattern" and not (DEVANAGARI.search(title) and LATIN.search(title)):
        say(f"title {title!r} must be bilingual (Hindi and English)")
    if obj.type == "visualization":
        vis_type = obj.vis_state.get("type")
        if vis_type not in LEGACY_VIS_TYPES:
            say(f"visualization type {vis_type!r} is not a legacy type both products share")
        for agg in obj.vis_state.get("aggs", []):
            if agg.get("type") not in METRIC_AGGS | BUCKET_AGGS:
                say(f"aggregation {agg.get('type')!r} (id {agg.get('id')}) is not one the validator can translate")
    if obj.type == "index-pattern":
        if obj.decoded.get(("fields",)) == []:
            say("fields is empty: OpenSearch Dashboards would not refresh it and every visualization would break")
        if isinstance(title, str) and ("*" in title or "," in title):
            say(f"title {title!r} is a pattern: it also matches indices kept by `janmat reindex --keep-old` and "
                "would count mentions twice; name the read alias (janmat-mentions)")
    if obj.type == "visualization" and obj.vis_state.get("type") == "vega" and not vega_url(obj):
        say("the Vega spec has no data.url with an index and a body")
    return problems


def _ref_names_used(obj: SavedObject) -> list[tuple[str, str | None]]:
    """(reference name, expected type or None) for every ``*RefName`` the object uses."""
    used: list[tuple[str, str | None]] = []
    source = obj.search_source
    if "indexRefName" in source:
        used.append((source["indexRefName"], "index-pattern"))
    for flt in source.get("filter", []) or []:
        name = (flt.get("meta") or {}).get("indexRefName")
        if name:
            used.append((name, "index-pattern"))
    if obj.type == "visualization" and obj.attributes.get("savedSearchRefName"):
        used.append((obj.attributes["savedSearchRefName"], "search"))
    for control in controls_of(obj):
        used.append((str(control.get("indexPatternRefName", "")), "index-pattern"))
    if obj.type == "dashboard":
        for panel in obj.decoded.get(("panelsJSON",)) or []:
            name = panel.get("panelRefName")
            used.append((name, panel.get("type")) if name else ("", None))
    return used


def _check_references(obj: SavedObject, bundle: SavedObjects) -> list[Problem]:
    problems: list[Problem] = []
    names = [ref.get("name") for ref in obj.references]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(Problem(obj.line, obj.label, f"reference name {name!r} is used twice"))
    for ref in obj.references:
        if bundle.find(str(ref.get("type")), str(ref.get("id"))) is None:
            problems.append(Problem(obj.line, obj.label, f"reference {ref.get('name')!r} points to "
                                    f"{ref.get('type')}:{ref.get('id')}, which is not in the bundle"))
    for name, expected_type in _ref_names_used(obj):
        if not name:
            problems.append(Problem(obj.line, obj.label, "a dashboard panel has no panelRefName"))
            continue
        ref = obj.reference(name)
        if ref is None:
            problems.append(Problem(obj.line, obj.label, f"{name!r} is used but not among the references"))
        elif expected_type and ref.get("type") != expected_type:
            problems.append(Problem(obj.line, obj.label, f"{name!r} should point to a {expected_type}, "
                                    f"not a {ref.get('type')}"))
    if obj.type in {"visualization", "search"} and not _index_pattern_of(obj, bundle):
        problems.append(Problem(obj.line, obj.label, "no index pattern: neither indexRefName nor a saved search"))
    return problems


def _index_pattern_of(obj: SavedObject, bundle: SavedObjects) -> SavedObject | None:
    """The index pattern a visualization or search reads, directly or through its saved search."""
    name = obj.search_source.get("indexRefName")
    if not name and controls_of(obj):
        name = controls_of(obj)[0].get("indexPatternRefName")
    if name and (ref := obj.reference(name)):
        return bundle.find("index-pattern", str(ref.get("id")))
    if (url := vega_url(obj)) is not None:
        return next((p for p in bundle.of_type("index-pattern") if p.attributes.get("title") == url.get("index")),
                    None)
    search = _saved_search_of(obj, bundle)
    return _index_pattern_of(search, bundle) if search is not None else None


def _saved_search_of(obj: SavedObject, bundle: SavedObjects) -> SavedObject | None:
    name = obj.attributes.get("savedSearchRefName")
    if name and (ref := obj.reference(name)):
        return bundle.find("search", str(ref.get("id")))
    return None


def controls_of(obj: SavedObject) -> list[dict[str, Any]]:
    """The controls of an input-controls visualization (empty for anything else)."""
    if obj.type != "visualization" or obj.vis_state.get("type") != "input_control_vis":
        return []
    controls = (obj.vis_state.get("params") or {}).get("controls") or []
    return [c for c in controls if isinstance(c, dict)]


def vega_url(obj: SavedObject) -> dict[str, Any] | None:
    """The ``data.url`` request object of a Vega visualization's spec (written as JSON, which is valid HJSON)."""
    if obj.type != "visualization" or obj.vis_state.get("type") != "vega":
        return None
    try:
        spec = json.loads((obj.vis_state.get("params") or {}).get("spec") or "")
    except (TypeError, ValueError):
        return None
    data = spec.get("data") if isinstance(spec, dict) else None
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, dict) and url.get("index") and isinstance(url.get("body"), dict) else None


def _body_fields(value: Any, use: FieldUse) -> None:
    """Fields an aggregation body names: ``field`` values are aggregated, term/range keys searched."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "field" and isinstance(item, str):
                use.aggregated.add(item)
            elif key in {"term", "terms", "range", "match", "match_phrase"} and isinstance(item, dict) \
                    and "field" not in item:  # a query clause (an aggregation names its field instead)
                use.searched.update(item)
            _body_fields(item, use)
    elif isinstance(value, list):
        for item in value:
            _body_fields(item, use)


def lucene_fields(query: str) -> set[str]:
    """Field names a Lucene query string names explicitly (``field:value``), ignoring quoted text."""
    return set(LUCENE_FIELD.findall(LUCENE_QUOTED.sub('""', query)))


def _filter_fields(filters: Iterable[dict[str, Any]]) -> set[str]:
    names: set[str] = set()
    for flt in filters:
        meta = flt.get("meta") or {}
        if meta.get("key"):
            names.add(meta["key"])
        clause = _filter_clause(flt)
        for kind in ("range", "match_phrase", "term", "terms", "match"):
            if isinstance(clause.get(kind), dict):
                names.update(clause[kind])
        if isinstance(clause.get("exists"), dict) and clause["exists"].get("field"):
            names.add(clause["exists"]["field"])
    return names


@dataclass
class FieldUse:
    """The fields one object needs: searched (queries, filters, columns) and aggregated or sorted."""

    searched: set[str] = field(default_factory=set)
    aggregated: set[str] = field(default_factory=set)


def fields_used(obj: SavedObject) -> FieldUse:
    """Every field a visualization or saved search uses, split by whether it must be aggregatable."""
    use = FieldUse()
    source = obj.search_source
    query = source.get("query") or {}
    if isinstance(query.get("query"), str):
        use.searched |= lucene_fields(query["query"])
    use.searched |= _filter_fields(source.get("filter", []) or [])
    if obj.type == "search":
        use.searched |= {c for c in obj.attributes.get("columns", []) if c != "_source"}
        for item in obj.attributes.get("sort", []):
            if isinstance(item, list) and item:
                use.aggregated.add(item[0])
    use.aggregated |= {str(c["fieldName"]) for c in controls_of(obj) if c.get("fieldName")}
    if (url := vega_url(obj)) is not None:
        _body_fields(url["body"], use)
        if url.get("%timefield%"):
            use.aggregated.add(str(url["%timefield%"]))
    for agg in obj.vis_state.get("aggs", []):
        params = agg.get("params") or {}
        if params.get("field"):
            use.aggregated.add(params["field"])
        for entry in params.get("filters", []) or []:
            text = (entry.get("input") or {}).get("query")
            if isinstance(text, str):
                use.searched |= lucene_fields(text)
    return use


def _declared_fields(pattern: SavedObject) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in pattern.decoded.get(("fields",)) or [] if isinstance(f, dict) and "name" in f}


def _check_declared_fields(obj: SavedObject, bundle: SavedObjects) -> list[Problem]:
    pattern = _index_pattern_of(obj, bundle)
    if pattern is None:
        return []
    declared = _declared_fields(pattern)
    use = fields_used(obj)
    problems = [Problem(obj.line, obj.label, f"field {name!r} is not in index pattern {pattern.id!r}")
                for name in sorted((use.searched | use.aggregated) - set(declared))]
    problems += [Problem(obj.line, obj.label, f"field {name!r} is aggregated but not aggregatable in {pattern.id!r}")
                 for name in sorted(use.aggregated & set(declared)) if not declared[name].get("aggregatable")]
    return problems


def check_static(bundle: SavedObjects) -> list[Problem]:
    """All checks that need no engine: parse problems, types, versions, references, titles, declared fields."""
    problems = list(bundle.problems)
    seen: set[tuple[str, str]] = set()
    for obj in bundle.objects:
        if (obj.type, obj.id) in seen:
            problems.append(Problem(obj.line, obj.label, "duplicate type and id"))
        seen.add((obj.type, obj.id))
        problems += _check_shape(obj)
        if obj.type in MIGRATION_CEILINGS:
            problems += _check_references(obj, bundle)
        if obj.type in {"visualization", "search"}:
            problems += _check_declared_fields(obj, bundle)
    for pattern in bundle.of_type("index-pattern"):
        time_field = pattern.attributes.get("timeFieldName")
        declared = _declared_fields(pattern)
        if time_field and declared and declared.get(time_field, {}).get("type") != "date":
            problems.append(Problem(pattern.line, pattern.label, f"time field {time_field!r} is not a declared date"))
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Translation to search requests, the way the legacy editor's request builder composes them.


def _filter_clause(flt: dict[str, Any]) -> dict[str, Any]:
    """The query clause of a Kibana filter pill (7.x keeps it beside ``meta``, sometimes under ``query``)."""
    clause = {k: v for k, v in flt.items() if k not in {"meta", "$state"}}
    if set(clause) == {"query"} and isinstance(clause["query"], dict):
        return clause["query"]
    return clause


def lucene_clause(query: str) -> dict[str, Any]:
    """A Lucene query bar entry as Kibana sends it: ``query_string``, or match_all when empty."""
    if not query.strip():
        return {"match_all": {}}
    return {"query_string": {"query": query, "analyze_wildcard": True, "time_zone": KIBANA_TIME_ZONE}}


def _query_parts(source: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(must/filter clauses, must_not clauses) of a searchSourceJSON's query and enabled filters."""
    clauses: list[dict[str, Any]] = []
    negated: list[dict[str, Any]] = []
    query = source.get("query") or {}
    if query.get("language", "lucene") not in {"lucene"}:
        raise InputError(f"query language {query.get('language')!r} is not translated; write Lucene queries")
    if isinstance(query.get("query"), str) and query["query"].strip():
        clauses.append(lucene_clause(query["query"]))
    for flt in source.get("filter", []) or []:
        meta = flt.get("meta") or {}
        if meta.get("disabled"):
            continue
        (negated if meta.get("negate") else clauses).append(_filter_clause(flt))
    return clauses, negated


def query_of(obj: SavedObject, bundle: SavedObjects) -> dict[str, Any]:
    """The bool query of an object's own query and filters, plus those of the saved search it is built on."""
    clauses, negated = _query_parts(obj.search_source)
    search = _saved_search_of(obj, bundle)
    if search is not None:
        more, more_negated = _query_parts(search.search_source)
        clauses += more
        negated += more_negated
    return {"bool": {"filter": clauses, "must_not": negated}}


def _calendar_interval(interval: str) -> dict[str, str]:
    named = {"auto": "1d", "ms": "1ms", "s": "1s", "m": "1m", "h": "1h", "d": "1d", "w": "1w", "M": "1M",
             "y": "1y"}
    if interval in named:
        return {"calendar_interval": named[interval]}
    return {"fixed_interval": interval}


def _bucket_agg(agg: dict[str, Any], metrics: dict[str, dict[str, Any]]) -> dict[str, Any]:
    kind, params = agg["type"], agg.get("params") or {}
    if kind == "terms":
        order_by = params.get("orderBy", "1")
        direction = params.get("order", "desc")
        if order_by == "_key":
            order: dict[str, str] = {"_key": direction}
        elif order_by in metrics and "count" not in metrics[order_by]:
            order = {order_by: direction}
        else:
            order = {"_count": direction}
        body: dict[str, Any] = {"field": params["field"], "size": int(params.get("size", 5)), "order": order}
        for key in ("include", "exclude"):
            value = params.get(key)
            if isinstance(value, dict):  # OpenSearch Dashboards wraps the pattern: {"pattern": "…"}
                value = value.get("pattern")
            if value:
                body[key] = value
        return {"terms": body}
    if kind == "date_histogram":
        return {"date_histogram": {"field": params["field"], "time_zone": KIBANA_TIME_ZONE, "min_doc_count": 1,
                                   **_calendar_interval(str(params.get("interval", "auto")))}}
    if kind == "histogram":
        return {"histogram": {"field": params["field"], "interval": params.get("interval", 1), "min_doc_count": 1}}
    if kind == "filters":
        filters = {}
        for number, entry in enumerate(params.get("filters", [])):
            text = (entry.get("input") or {}).get("query", "")
            filters[entry.get("label") or text or str(number)] = lucene_clause(text if isinstance(text, str) else "")
        return {"filters": {"filters": filters}}
    raise InputError(f"bucket aggregation {kind!r} is not translated")


def _metric_agg(agg: dict[str, Any]) -> dict[str, Any]:
    if agg["type"] == "count":
        return {"count": {}}
    return {agg["type"]: {"field": (agg.get("params") or {})["field"]}}


def visualization_request(obj: SavedObject, bundle: SavedObjects) -> dict[str, Any]:
    """The search request a legacy visualization makes: its query and filters, buckets nested in order."""
    aggs = [a for a in obj.vis_state.get("aggs", []) if a.get("enabled", True)]
    metrics = {str(a["id"]): _metric_agg(a) for a in aggs if a["type"] in METRIC_AGGS}
    leaf = {key: value for key, value in metrics.items() if "count" not in value}
    tree: dict[str, Any] = leaf
    for agg in reversed([a for a in aggs if a["type"] in BUCKET_AGGS]):
        node = _bucket_agg(agg, metrics)
        if tree:
            node["aggs"] = tree
        tree = {str(agg["id"]): node}
    for number, control in enumerate(controls_of(obj)):  # the options list Kibana fetches for each control
        size = int((control.get("options") or {}).get("size", 5))
        tree[f"control_{number}"] = {"terms": {"field": control["fieldName"], "size": size}}
    if (url := vega_url(obj)) is not None:  # %context%: the dashboard's query and filters replace the body's
        tree = dict(url["body"].get("aggs") or {})
    request: dict[str, Any] = {"size": 0, "track_total_hits": True, "query": query_of(obj, bundle)}
    if tree:
        request["aggs"] = tree
    return request


def saved_search_request(obj: SavedObject, bundle: SavedObjects, size: int = 10) -> dict[str, Any]:
    """The search request Discover makes for a saved search: its query, filters and sort."""
    sort = [{item[0]: {"order": item[1] if len(item) > 1 else "desc"}}
            for item in obj.attributes.get("sort", []) if isinstance(item, list) and item]
    request: dict[str, Any] = {"size": size, "track_total_hits": True, "query": query_of(obj, bundle)}
    if sort:
        request["sort"] = sort
    return request


def uses_now(value: Any) -> bool:
    """True when a request fragment holds date math relative to ``now``."""
    if isinstance(value, str):
        return bool(NOW_DATE_MATH.match(value))
    if isinstance(value, dict):
        return any(uses_now(v) for v in value.values())
    if isinstance(value, list):
        return any(uses_now(v) for v in value)
    return False


def anchor_now(value: Any, anchor: str) -> Any:
    """Replace ``now`` in date math with a fixed instant (``now-24h`` -> ``<anchor>||-24h``)."""
    if isinstance(value, str) and NOW_DATE_MATH.match(value):
        rest = value[3:]
        return f"{anchor}||{rest}" if rest else anchor
    if isinstance(value, dict):
        return {k: anchor_now(v, anchor) for k, v in value.items()}
    if isinstance(value, list):
        return [anchor_now(v, anchor) for v in value]
    return value


def _without_now(query: dict[str, Any]) -> dict[str, Any]:
    bool_query = query["bool"]
    return {"bool": {"filter": [c for c in bool_query["filter"] if not uses_now(c)],
                     "must_not": [c for c in bool_query["must_not"] if not uses_now(c)]}}


# ---------------------------------------------------------------------------------------------------------------
# Checks against a real node.


def _search(client: EngineClient, index: str, body: dict[str, Any]) -> dict[str, Any]:
    return client.request("POST", f"/{quote(index, safe='*,')}/_search", body=body)


def field_capabilities(client: EngineClient, index: str) -> dict[str, dict[str, Any]]:
    """Field name -> {searchable, aggregatable, types} from the node's ``_field_caps`` for the index pattern."""
    response = client.request("GET", f"/{quote(index, safe='*,')}/_field_caps", params={"fields": "*"})
    caps: dict[str, dict[str, Any]] = {}
    for name, by_type in response["fields"].items():
        kinds = {kind: info for kind, info in by_type.items() if kind != "unmapped"}
        if not kinds or name.startswith("_"):
            continue
        caps[name] = {
            "types": sorted(kinds),
            "searchable": all(info.get("searchable") for info in kinds.values()),
            "aggregatable": all(info.get("aggregatable") for info in kinds.values()),
        }
    return caps


def _hits_total(response: dict[str, Any]) -> int:
    total = response["hits"]["total"]
    return int(total["value"] if isinstance(total, dict) else total)


def _first_bucket_count(aggregations: dict[str, Any]) -> int:
    """Non-empty buckets in the outermost bucket aggregation (0 when there is none)."""
    for result in aggregations.values():
        buckets = result.get("buckets") if isinstance(result, dict) else None
        if isinstance(buckets, dict):
            return sum(1 for b in buckets.values() if b.get("doc_count"))
        if isinstance(buckets, list):
            return sum(1 for b in buckets if b.get("doc_count"))
    return 0


def empty_bucket_levels(request_aggs: dict[str, Any], response_aggs: list[dict[str, Any]]) -> list[str]:
    """Aggregations (by id, and filter label) that found nothing in any parent bucket: an empty panel or series.

    ``response_aggs`` holds the parent buckets' aggregation results (one per parent bucket).
    """
    empty: list[str] = []
    for agg_id, spec in request_aggs.items():
        results = [parent[agg_id] for parent in response_aggs if agg_id in parent]
        children: list[dict[str, Any]] = []
        if "filters" in spec:
            for label in spec["filters"]["filters"]:
                if not any(r["buckets"][label]["doc_count"] for r in results):
                    empty.append(f"{agg_id} ({label})")
            children = [b for r in results for b in r["buckets"].values() if b["doc_count"]]
        elif any(kind in spec for kind in BUCKET_AGGS):
            children = [b for r in results for b in r["buckets"] if b.get("doc_count")]
            if not children:
                empty.append(agg_id)
        if "aggs" in spec and children:
            empty += empty_bucket_levels(spec["aggs"], children)
    return empty


@dataclass
class EngineRun:
    """What one object's request returned on the node: hits, first-level buckets, the request sent."""

    object: str
    hits: int
    buckets: int | None
    request: dict[str, Any]
    anchored_at: str | None = None
    response: dict[str, Any] = field(default_factory=dict)


def _run(client: EngineClient, index: str, request: dict[str, Any], time_field: str | None) -> tuple[dict, str | None]:
    """Run a request; relative ``now`` ranges are anchored at the newest matching document (see check docs)."""
    anchored = None
    if uses_now(request["query"]) and time_field:
        probe = {"size": 0, "query": _without_now(request["query"]),
                 "aggs": {"newest": {"max": {"field": time_field}}}}
        newest = _search(client, index, probe)["aggregations"]["newest"].get("value_as_string")
        if newest:
            anchored = newest
            request = {**request, "query": anchor_now(request["query"], newest)}
    return _search(client, index, request), anchored


def check_against_engine(
    bundle: SavedObjects, client: EngineClient, index: str | None = None, *, anchor_relative_time: bool = True
) -> tuple[list[Problem], list[EngineRun]]:
    """Field existence against ``_field_caps`` and a non-empty result for every visualization and saved search.

    ``index`` overrides the index pattern's title (e.g. a test index holding demo data). With
    ``anchor_relative_time`` a ``now``-relative filter is anchored at the newest document that matches the rest of
    the query, so fixed-date demo data can exercise "last 24 hours" searches; production dashboards use real now.
    """
    problems: list[Problem] = []
    runs: list[EngineRun] = []
    caps_by_index: dict[str, dict[str, dict[str, Any]]] = {}
    for pattern in bundle.of_type("index-pattern"):
        target = index or str(pattern.attributes.get("title"))
        if "*" in target or "," in target or not client.exists(f"/_alias/{quote(target, safe='')}"):
            problems.append(Problem(pattern.line, pattern.label, f"{target!r} is not an alias on the node: read "
                                    "through the alias, or a pattern can count a mention in several indices"))
        caps_by_index[target] = caps = field_capabilities(client, target)
        for name, spec in _declared_fields(pattern).items():
            if name.startswith("_"):
                continue
            if name not in caps:
                problems.append(Problem(pattern.line, pattern.label, f"declared field {name!r} is not in {target!r}"))
            elif bool(spec.get("aggregatable")) != caps[name]["aggregatable"]:
                problems.append(Problem(pattern.line, pattern.label, f"field {name!r} is declared aggregatable="
                                        f"{spec.get('aggregatable')} but the node says {caps[name]['aggregatable']}"))
    for obj in [*bundle.of_type("search"), *bundle.of_type("visualization")]:
        pattern = _index_pattern_of(obj, bundle)
        if pattern is None:
            problems.append(Problem(obj.line, obj.label, "no index pattern to run against"))
            continue
        target = index or str(pattern.attributes.get("title"))
        if target not in caps_by_index:
            caps_by_index[target] = field_capabilities(client, target)
        caps = caps_by_index[target]
        use = fields_used(obj)
        missing = sorted((use.searched | use.aggregated) - set(caps))
        for name in missing:
            problems.append(Problem(obj.line, obj.label, f"field {name!r} does not exist in {target!r} (_field_caps)"))
        for name in sorted(use.aggregated - set(missing)):
            if not caps[name]["aggregatable"]:
                problems.append(Problem(obj.line, obj.label, f"field {name!r} is not aggregatable in {target!r}"))
        if missing:
            continue
        try:
            if obj.type == "search":
                request = saved_search_request(obj, bundle)
            else:
                request = visualization_request(obj, bundle)
        except (InputError, KeyError) as exc:
            problems.append(Problem(obj.line, obj.label, f"cannot translate to a search request: {exc}"))
            continue
        time_field = pattern.attributes.get("timeFieldName") if anchor_relative_time else None
        try:
            response, anchored = _run(client, target, request, time_field)
        except JanmatError as exc:  # the engine's own error text is the most useful message here
            problems.append(Problem(obj.line, obj.label, f"the node rejected the request: {exc}"))
            continue
        hits = _hits_total(response)
        buckets = _first_bucket_count(response["aggregations"]) if "aggregations" in response else None
        runs.append(EngineRun(obj.label, hits, buckets, request, anchored, response))
        if hits == 0:
            problems.append(Problem(obj.line, obj.label, f"no documents in {target!r} match"))
        elif buckets == 0:
            problems.append(Problem(obj.line, obj.label, f"the aggregation returned no buckets in {target!r}"))
        elif "aggs" in request and (empty := empty_bucket_levels(request["aggs"], [response["aggregations"]])):
            problems.append(Problem(obj.line, obj.label, f"aggregation {', '.join(empty)} found nothing in "
                                    f"{target!r}: that part of the panel would be empty"))
        log.info("%s: %d hits, %s buckets%s", obj.label, hits, buckets, f" (now = {anchored})" if anchored else "")
    return problems, runs


def engine_client(url: str) -> EngineClient:
    """A client for the node at a store URL (``opensearch+http://…``, ``elasticsearch+https://…``) or plain URL.

    Plain ``http(s)://`` URLs are asked which product they are. Credentials and CA bundle are the store's
    (``JANMAT_STORE_USERNAME`` / ``_PASSWORD`` / ``_API_KEY`` / ``_CA_BUNDLE``).
    """
    from janmat.core.settings import get_settings
    from janmat.store.engine_client import EngineConnection

    settings = get_settings()
    auth: dict[str, Any] = {
        "username": settings.store.username,
        "password": settings.store.password.get_secret_value() if settings.store.password else None,
        "api_key": settings.store.api_key.get_secret_value() if settings.store.api_key else None,
        "ca_bundle": settings.store.ca_bundle,
    }
    if urlsplit(url).scheme in {"http", "https"}:
        url = f"{_product_at(url, auth)}+{url}"
    connection = EngineConnection.from_url(url, **auth)
    if connection.kind == "elasticsearch":
        from janmat.store.elasticsearch import ElasticsearchClient

        return ElasticsearchClient(connection)
    from janmat.store.opensearch import OpenSearchClient

    return OpenSearchClient(connection)


def _product_at(url: str, auth: dict[str, Any]) -> str:
    """``opensearch`` or ``elasticsearch``, from what the node at a plain URL says it is.

    Elasticsearch names itself in the ``X-elastic-product`` header of every answer (even an error: minimal
    distributions refuse ``GET /``); OpenSearch in ``version.distribution`` of its root document. Anything else is
    an error, not a guess.
    """
    import httpx

    basic = (auth["username"], auth["password"] or "") if auth["username"] else None
    headers = {"Authorization": f"ApiKey {auth['api_key']}"} if auth.get("api_key") else None
    try:
        answer = httpx.get(url, auth=basic, headers=headers, timeout=10,
                           verify=str(auth["ca_bundle"]) if auth["ca_bundle"] else True)
    except httpx.HTTPError as exc:
        raise ConfigError(f"cannot ask {url} which engine it is: {exc}") from exc
    if answer.headers.get("x-elastic-product") == "Elasticsearch":
        return "elasticsearch"
    try:
        info = answer.json()
    except ValueError:
        info = None
    if isinstance(info, dict) and (info.get("version") or {}).get("distribution") == "opensearch":
        return "opensearch"
    raise ConfigError(f"{url} answered {answer.status_code} but did not say it is OpenSearch or Elasticsearch; "
                      f"name the engine: opensearch+{url} or elasticsearch+{url}")
