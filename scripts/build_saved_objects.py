"""Build index_templates/saved_objects/janmat-overview.ndjson: Janmat's dashboards for Kibana and OpenSearch Dashboards.

Writes one saved object per line: the index pattern on the read alias ``janmat-mentions`` (never a
``janmat-mentions*`` wildcard, which would also match indices kept by ``janmat reindex --keep-old`` and count every
mention twice; its field list derived from index_templates/mentions-mappings.json), three saved searches, ten
legacy visualizations (among them district and scheme controls in Hindi and English, a Vega map of districts on
``district_location`` that needs no tile service, and the near-duplicate clusters that are spreading) and the
dashboard "जनमत — Overview". Only the four types and the migration versions that both Kibana 8 and OpenSearch
Dashboards 2.x import are used (see janmat/store/saved_objects.py, which checks the output). Queries are Lucene,
not KQL, so the validator can run them on a real node exactly as written.

Run: .venv/bin/python scripts/build_saved_objects.py && .venv/bin/janmat dashboards check
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from janmat.store.saved_objects import MIGRATION_CEILINGS  # noqa: E402
from nlp.normalize import normalize_text  # noqa: E402

MAPPINGS = REPO / "index_templates" / "mentions-mappings.json"
TARGET = REPO / "index_templates" / "saved_objects" / "janmat-overview.ndjson"
log = logging.getLogger("build_saved_objects")

INDEX_PATTERN_ID = "janmat-mentions"
INDEX_PATTERN_TITLE = "janmat-mentions"
"""The read alias (one generation of monthly indices), not a pattern: old indices kept by a reindex stay out."""
TIME_FIELD = "published_at"
# Fields of the index template the dashboards read.
SENTIMENT = "sentiment.label"
DISTRICT = "district_keys"
"""Every district key a mention is findable under (its tags plus ``also_under``): for searches and filters."""
DISTRICT_COUNTED = "district_tags"
"""The districts a mention is tagged with, once each: for panels that count by district, so older Hisar coverage
also findable under Hansi is counted once (under Hisar), not under both."""
SCHEME = "scheme_ids"
DISTRICT_NAMES = "district_names"
"""Hindi and English names of every district a mention is findable under (हिसार, Hisar): the district control."""
SCHEME_NAMES = "scheme_names"
"""Hindi and English names of a mention's schemes: the scheme control."""
LOCATION = "district_location"
CLUSTER = "near_dup_cluster"
SOURCE_KEY = "source_key"
SOURCE = "source.name"
PLATFORM = "platform"
MISINFO = "misinformation.flagged"
WORDS = "words"
"""Keyword array of the normalized words of title and text, for the word cloud (stop words excluded below)."""
EXAMPLE_DISTRICT = "Hisar"
"""The district the "coverage of one district" search shows; change it in Kibana/Dashboards to any other key."""
DASHBOARD_PANEL_VERSION = MIGRATION_CEILINGS["dashboard"]

# Hindi function words that would otherwise fill the word cloud: postpositions, pronouns, auxiliaries,
# conjunctions, particles and the commonest light verbs. Written as Hindi is written; the build adds the
# normalized spelling (no nukta, anusvara) the index stores.
HINDI_STOP_WORDS = """
और एवं तथा या व कि जो जब तब तो भी ही न नहीं ना मत क्या क्यों कैसे कहाँ कहां कौन किस किसी कोई कुछ सब सभी हर
का की के को में से पर ने तक लिए लिये द्वारा साथ बाद पहले बीच ओर तरफ़ तरफ बारे अंदर बाहर ऊपर नीचे पास
है हैं था थे थी थीं हो होगा होगी होंगे होता होती होते हुआ हुई हुए हूँ हूं रहा रही रहे रहीं गया गई गए गयी
कर करने करते करती करता किया किए की कहा कहना कहते कहती बताया दिया दी दिए लिया ली लेकर जा जाता जाती जाते
सकता सकती सकते चाहिए वाला वाली वाले
यह ये वह वे इस उस इन उन इसे उसे इन्हें उन्हें इसका उसका इसकी उसकी इसके उसके इनके उनके उनका उनकी अपना अपनी अपने
मैं मेरा मेरी मेरे हम हमें हमारा हमारी हमारे आप आपका आपकी आपके तुम मुझे
अब यहाँ यहां वहाँ वहां फिर बहुत ज़्यादा ज्यादा कम एक दो तीन वर्ष साल दिन
जी श्री
""".split()

SENTIMENT_FILTER_LABELS = {"negative": "नकारात्मक / negative", "other": "अन्य / other"}


def stop_word_pattern() -> str:
    """A Lucene regular expression matching every stop word in written and normalized spelling."""
    forms = sorted({form for word in HINDI_STOP_WORDS for form in (word, normalize_text(word))})
    return "|".join(forms)


def control(number: int, field: str, label: str, size: int) -> dict[str, Any]:
    """One list control of the input-controls panel (options: the field's commonest values)."""
    return {"id": str(number + 1), "fieldName": field, "parent": "", "label": label, "type": "list",
            "indexPatternRefName": f"control_{number}_index_pattern",
            "options": {"type": "terms", "multiselect": True, "dynamicOptions": True, "size": size,
                        "order": "desc"}}


def district_map_spec() -> str:
    """A Vega-Lite map: one circle per district at the centre of its mentions' ``district_location`` (the
    district headquarters), sized by mentions and coloured by negative share; drawn on a plain projection, so it
    needs no tile service (offline networks). ``%context%`` applies the dashboard's time, query and controls."""
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "ज़िलेवार उल्लेख और नकारात्मक हिस्सा / Mentions and negative share by district",
        "data": {
            "url": {
                "index": INDEX_PATTERN_TITLE, "%context%": True, "%timefield%": TIME_FIELD,
                "body": {"size": 0, "aggs": {"districts": {
                    "terms": {"field": DISTRICT_COUNTED, "size": 40},
                    "aggs": {"centre": {"geo_centroid": {"field": LOCATION}},
                             "negative": {"filter": {"term": {SENTIMENT: "negative"}}}},
                }}},
            },
            "format": {"property": "aggregations.districts.buckets"},
        },
        "transform": [
            {"filter": "datum.centre && datum.centre.location"},
            {"calculate": "datum.centre.location.lon", "as": "lon"},
            {"calculate": "datum.centre.location.lat", "as": "lat"},
            {"calculate": "datum.negative.doc_count / datum.doc_count", "as": "negative_share"},
        ],
        "projection": {"type": "mercator"},
        "layer": [
            {"mark": {"type": "circle", "opacity": 0.85, "stroke": "#333", "strokeWidth": 0.5},
             "encoding": {
                 "longitude": {"field": "lon", "type": "quantitative"},
                 "latitude": {"field": "lat", "type": "quantitative"},
                 "size": {"field": "doc_count", "type": "quantitative", "title": "उल्लेख / Mentions",
                          "scale": {"range": [30, 1500]}},
                 "color": {"field": "negative_share", "type": "quantitative", "title": "नकारात्मक / Negative",
                           "scale": {"scheme": "reds", "domain": [0, 1]}},
                 "tooltip": [{"field": "key", "title": "ज़िला / District"},
                             {"field": "doc_count", "title": "उल्लेख / Mentions (n)"},
                             {"field": "negative_share", "title": "नकारात्मक / Negative", "format": ".0%"}],
             }},
            {"mark": {"type": "text", "dy": -14, "fontSize": 10},
             "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                          "latitude": {"field": "lat", "type": "quantitative"},
                          "text": {"field": "key"}}},
        ],
    }
    return json.dumps(spec, ensure_ascii=False, indent=1)


# ---------------------------------------------------------------------------------------------------------------
# The index pattern's field list, derived from the mapping so a renamed field shows up in the validator.

KIBANA_TYPES = {
    "keyword": "string", "text": "string", "date": "date", "long": "number", "integer": "number",
    "float": "number", "double": "number", "short": "number", "byte": "number", "scaled_float": "number",
    "boolean": "boolean", "geo_point": "geo_point", "ip": "ip",
}
META_FIELDS = [
    {"name": "_id", "type": "string", "esTypes": ["_id"], "searchable": True, "aggregatable": True},
    {"name": "_index", "type": "string", "esTypes": ["_index"], "searchable": True, "aggregatable": True},
    {"name": "_score", "type": "number", "searchable": False, "aggregatable": False},
    {"name": "_source", "type": "_source", "esTypes": ["_source"], "searchable": False, "aggregatable": False},
]


def _field_spec(name: str, es_type: str, mapping: dict[str, Any], parent: str | None = None) -> dict[str, Any]:
    aggregatable = es_type not in {"text"} and mapping.get("doc_values", True) and mapping.get("index", True)
    spec: dict[str, Any] = {
        "count": 0, "name": name, "type": KIBANA_TYPES[es_type], "esTypes": [es_type], "scripted": False,
        "searchable": mapping.get("index", True) is not False, "aggregatable": bool(aggregatable),
        "readFromDocValues": bool(aggregatable),
    }
    if parent:
        spec["subType"] = {"multi": {"parent": parent}}
    return spec


def mapping_fields(properties: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Kibana field specs for every indexed leaf field of a mapping (objects flattened, multi-fields included)."""
    specs: list[dict[str, Any]] = []
    for name, mapping in properties.items():
        full = f"{prefix}{name}"
        if "properties" in mapping:
            specs += mapping_fields(mapping["properties"], f"{full}.")
            continue
        es_type = mapping.get("type", "object")
        if es_type == "object" or mapping.get("enabled") is False:
            continue
        if es_type not in KIBANA_TYPES:
            raise ValueError(f"field {full!r} has type {es_type!r}, which has no Kibana field type here")
        specs.append(_field_spec(full, es_type, mapping))
        for sub, sub_mapping in mapping.get("fields", {}).items():
            specs.append(_field_spec(f"{full}.{sub}", sub_mapping["type"], sub_mapping, parent=full))
    return specs


def index_pattern() -> dict[str, Any]:
    """The index pattern on the ``janmat-mentions`` alias with its time field and the template's fields."""
    properties = json.loads(MAPPINGS.read_text(encoding="utf-8"))["template"]["mappings"]["properties"]
    meta = [{"count": 0, "scripted": False, "readFromDocValues": False, "esTypes": [], **f} for f in META_FIELDS]
    fields = sorted(meta + mapping_fields(properties), key=lambda f: f["name"])
    return saved_object("index-pattern", INDEX_PATTERN_ID, {
        "title": INDEX_PATTERN_TITLE,
        "timeFieldName": TIME_FIELD,
        "fields": json.dumps(fields, ensure_ascii=False),
        "fieldFormatMap": json.dumps({
            SENTIMENT: {"id": "static_lookup", "params": {"lookupEntries": [
                {"key": "positive", "value": "सकारात्मक / positive"},
                {"key": "negative", "value": "नकारात्मक / negative"},
                {"key": "neutral", "value": "तटस्थ / neutral"},
            ], "unknownKeyValue": None}},
        }, ensure_ascii=False),
    }, [])


# ---------------------------------------------------------------------------------------------------------------
# Building blocks.


def saved_object(type_: str, id_: str, attributes: dict[str, Any], references: list[dict[str, str]]) -> dict:
    """One saved object in the export format OpenSearch Dashboards 2.x writes."""
    return {
        "attributes": attributes,
        "id": id_,
        "migrationVersion": {type_: MIGRATION_CEILINGS[type_]},
        "references": references,
        "type": type_,
    }


INDEX_REF = {"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": INDEX_PATTERN_ID}


def search_source(query: str = "", filters: list[dict[str, Any]] | None = None) -> str:
    """A stringified searchSourceJSON reading the Janmat index pattern, with a Lucene query and filter pills."""
    source: dict[str, Any] = {
        "query": {"query": query, "language": "lucene"},
        "filter": filters or [],
        "indexRefName": INDEX_REF["name"],
    }
    if query:
        source["highlightAll"] = True
    return json.dumps(source, ensure_ascii=False)


def relative_time_filter(field: str, since: str, number: int) -> tuple[dict[str, Any], dict[str, str]]:
    """A range filter pill ``field >= since`` (date math) and the reference its index needs."""
    ref_name = f"kibanaSavedObjectMeta.searchSourceJSON.filter[{number}].meta.index"
    pill = {
        "meta": {"alias": None, "negate": False, "disabled": False, "type": "range", "key": field,
                 "params": {"gte": since}, "indexRefName": ref_name},
        "range": {field: {"gte": since}},
        "$state": {"store": "appState"},
    }
    return pill, {"name": ref_name, "type": "index-pattern", "id": INDEX_PATTERN_ID}


def saved_search(id_: str, title: str, description: str, query: str,
                 filters: list[tuple[dict[str, Any], dict[str, str]]] | None = None) -> dict[str, Any]:
    """A Discover saved search showing the key columns, newest first."""
    filters = filters or []
    return saved_object("search", id_, {
        "title": title,
        "description": description,
        "hits": 0,
        "columns": ["title", SOURCE, PLATFORM, SENTIMENT, DISTRICT, SCHEME],
        "sort": [[TIME_FIELD, "desc"]],
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": search_source(query, [pill for pill, _ in filters])},
    }, [INDEX_REF, *[ref for _, ref in filters]])


def count_metric(label: str = "उल्लेख / Mentions") -> dict[str, Any]:
    """The count metric every visualization here plots."""
    return {"id": "1", "enabled": True, "type": "count", "schema": "metric", "params": {"customLabel": label}}


def terms(id_: str, schema: str, field: str, size: int, label: str, **extra: Any) -> dict[str, Any]:
    """A terms bucket ordered by count."""
    params = {"field": field, "orderBy": "1", "order": "desc", "size": size, "otherBucket": False,
              "otherBucketLabel": "अन्य / Other", "missingBucket": False, "missingBucketLabel": "—",
              "customLabel": label, **extra}
    return {"id": id_, "enabled": True, "type": "terms", "schema": schema, "params": params}


def xy_params(chart: str, *, horizontal: bool = False, percentage: bool = False, legend: str = "right",
              value_title: str = "उल्लेख / Mentions") -> dict[str, Any]:
    """Params of a legacy bar/line chart: one category axis, one value axis, stacked series."""
    category_position, value_position = ("left", "bottom") if horizontal else ("bottom", "left")
    return {
        "type": chart,
        "grid": {"categoryLines": False},
        "categoryAxes": [{"id": "CategoryAxis-1", "type": "category", "position": category_position, "show": True,
                          "style": {}, "scale": {"type": "linear"},
                          "labels": {"show": True, "filter": not horizontal, "truncate": 200, "rotate": 0},
                          "title": {}}],
        "valueAxes": [{"id": "ValueAxis-1", "name": "LeftAxis-1", "type": "value", "position": value_position,
                       "show": True, "style": {},
                       "scale": {"type": "linear", "mode": "percentage" if percentage else "normal"},
                       "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                       "title": {"text": value_title}}],
        "seriesParams": [{"show": True, "type": "histogram" if chart != "line" else "line", "mode": "stacked",
                          "data": {"label": "उल्लेख / Mentions", "id": "1"}, "valueAxis": "ValueAxis-1",
                          "drawLinesBetweenPoints": True, "lineWidth": 2, "showCircles": True,
                          "interpolate": "linear"}],
        "addTooltip": True, "addLegend": True, "legendPosition": legend, "times": [], "addTimeMarker": False,
        "labels": {"show": False},
        "thresholdLine": {"show": False, "value": 10, "width": 1, "style": "full", "color": "#E7664C"},
    }


SENTIMENT_COLORS = {"नकारात्मक / negative": "#D1495B", "तटस्थ / neutral": "#9AA5B1",
                    "सकारात्मक / positive": "#2A9D8F", "negative": "#D1495B", "neutral": "#9AA5B1",
                    "positive": "#2A9D8F"}


def visualization(id_: str, title: str, description: str, vis_type: str, aggs: list[dict[str, Any]],
                  params: dict[str, Any], query: str = "", ui_state: dict[str, Any] | None = None,
                  references: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A legacy visualization over the Janmat index pattern (``references``: its own, instead of the search
    source's index, for panels that name the index elsewhere: controls, Vega)."""
    vis_state = {"title": title, "type": vis_type, "aggs": aggs, "params": params}
    source = search_source(query)
    if references is not None:
        source = json.dumps({k: v for k, v in json.loads(source).items() if k != "indexRefName"},
                            ensure_ascii=False)
    return saved_object("visualization", id_, {
        "title": title,
        "description": description,
        "visState": json.dumps(vis_state, ensure_ascii=False),
        "uiStateJSON": json.dumps(ui_state or {}, ensure_ascii=False),
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": source},
    }, [INDEX_REF] if references is None else references)


# ---------------------------------------------------------------------------------------------------------------
# The objects.


def saved_searches() -> list[dict[str, Any]]:
    """Negative mentions in the last 24 hours, misinformation candidates, coverage of one district."""
    return [
        saved_search(
            "janmat-negative-last-24h",
            "नकारात्मक उल्लेख, पिछले 24 घंटे / Negative mentions, last 24 hours",
            "नकारात्मक रुख़ वाले उल्लेख जो पिछले 24 घंटों में प्रकाशित हुए। "
            "Mentions tagged negative and published in the last 24 hours, newest first.",
            f"{SENTIMENT}:negative",
            [relative_time_filter(TIME_FIELD, "now-24h", 0)],
        ),
        saved_search(
            "janmat-misinformation-candidates",
            "भ्रामक सूचना के संभावित मामले / Misinformation candidates",
            "जिन उल्लेखों में झूठा दावा फैलाने या उसका खंडन करने के संकेत मिले। "
            "Mentions flagged as spreading or debunking a false claim; check them against the fact-check.",
            f"{MISINFO}:true",
        ),
        saved_search(
            "janmat-district-coverage",
            f"ज़िले की कवरेज: हिसार / District coverage: {EXAMPLE_DISTRICT}",
            "एक ज़िले के सभी उल्लेख; क्वेरी में ज़िले का नाम बदलें। "
            f"Every mention about one district; edit the query ({DISTRICT}:…) for another district.",
            f'{DISTRICT}:"{EXAMPLE_DISTRICT}"',
        ),
    ]


def visualizations() -> list[dict[str, Any]]:
    """The ten panels of the overview dashboard."""
    controls = [control(0, DISTRICT_NAMES, "ज़िला / District", 60), control(1, SCHEME_NAMES, "योजना / Scheme", 60),
                control(2, SENTIMENT, "रुख़ / Sentiment", 3)]
    return [
        visualization(
            "janmat-controls",
            "ज़िला, योजना, रुख़ चुनें / District, scheme and tone controls",
            "ज़िला हिंदी या अंग्रेज़ी नाम से चुनें (हिसार या Hisar), योजना भी। Pick a district by its Hindi or English "
            "name, a scheme by either name, and a tone; every panel follows.",
            "input_control_vis", [],
            {"controls": controls, "updateFiltersOnChange": True, "useTimeFilter": True, "pinFilters": False},
            references=[{"name": c["indexPatternRefName"], "type": "index-pattern", "id": INDEX_PATTERN_ID}
                        for c in controls],
        ),
        visualization(
            "janmat-district-map",
            "ज़िलों का नक्शा / District map",
            "हर ज़िला अपने मुख्यालय पर (district_location): घेरा = उल्लेख, रंग = नकारात्मक हिस्सा; टाइल सर्वर की "
            "ज़रूरत नहीं। Each district at its headquarters: circle size = mentions, colour = negative share; "
            "needs no map tile service.",
            "vega", [], {"spec": district_map_spec()}, references=[],
        ),
        visualization(
            "janmat-spreading-clusters",
            "फैलती ख़बरें (मिलती-जुलती प्रतियाँ) / Clusters spreading (near-duplicates)",
            "एक ही पाठ कई स्रोतों में: सबसे बड़े समूह, कितने स्रोत, कब पहली और आख़िरी बार। The largest near-duplicate "
            "clusters (wire copy, forwards): mentions, distinct sources, first and last seen.",
            "table",
            [count_metric(), terms("2", "bucket", CLUSTER, 15, "समूह / Cluster"),
             {"id": "3", "enabled": True, "type": "cardinality", "schema": "metric",
              "params": {"field": SOURCE_KEY, "customLabel": "स्रोत / Sources"}},
             {"id": "4", "enabled": True, "type": "min", "schema": "metric",
              "params": {"field": TIME_FIELD, "customLabel": "पहली बार / First seen"}},
             {"id": "5", "enabled": True, "type": "max", "schema": "metric",
              "params": {"field": TIME_FIELD, "customLabel": "आख़िरी बार / Last seen"}}],
            {"perPage": 15, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": False,
             "totalFunc": "sum", "percentageCol": "", "sort": {"columnIndex": 1, "direction": "desc"}},
            query=f"{CLUSTER}:*",
        ),
        visualization(
            "janmat-mentions-over-time-by-sentiment",
            "रुख़ के अनुसार समय के साथ उल्लेख / Mentions over time by sentiment",
            "प्रति दिन उल्लेख, रुख़ के अनुसार। Mentions per day, stacked by sentiment.",
            "histogram",
            [count_metric(),
             {"id": "2", "enabled": True, "type": "date_histogram", "schema": "segment",
              "params": {"field": TIME_FIELD, "useNormalizedEsInterval": True, "scaleMetricValues": False,
                         "interval": "auto", "drop_partials": False, "min_doc_count": 1, "extended_bounds": {},
                         "customLabel": "प्रकाशन तिथि / Published"}},
             terms("3", "group", SENTIMENT, 3, "रुख़ / Sentiment")],
            xy_params("histogram"),
            ui_state={"vis": {"colors": SENTIMENT_COLORS}},
        ),
        visualization(
            "janmat-mentions-by-district",
            "ज़िलेवार उल्लेख / Mentions by district",
            "किस ज़िले के बारे में कितने उल्लेख; हर उल्लेख अपने ज़िले में एक बार गिना जाता है। Mentions about each "
            "district, each counted once per district it is tagged with (Hansi-area coverage from before the "
            "22 Dec 2025 split counts under Hisar).",
            "horizontal_bar",
            [count_metric(), terms("2", "segment", DISTRICT_COUNTED, 30, "ज़िला / District")],
            xy_params("histogram", horizontal=True, legend="bottom"),
        ),
        visualization(
            "janmat-scheme-by-sentiment",
            "योजना × रुख़ / Scheme × sentiment",
            "हर योजना के उल्लेख, रुख़ के अनुसार। Mentions of each scheme, split by sentiment.",
            "table",
            [count_metric(), terms("2", "bucket", SCHEME, 20, "योजना / Scheme"),
             terms("3", "bucket", SENTIMENT, 3, "रुख़ / Sentiment")],
            {"perPage": 20, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": True,
             "totalFunc": "sum", "percentageCol": "", "sort": {"columnIndex": None, "direction": None}},
        ),
        visualization(
            "janmat-top-sources",
            "प्रमुख स्रोत / Top sources",
            "सबसे ज़्यादा उल्लेख वाले प्रकाशक, चैनल और खाते। Outlets, channels and accounts with the most mentions.",
            "table",
            [count_metric(), terms("2", "bucket", SOURCE, 15, "स्रोत / Source"),
             terms("3", "bucket", PLATFORM, 3, "मंच / Platform")],
            {"perPage": 15, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": True,
             "totalFunc": "sum", "percentageCol": "", "sort": {"columnIndex": None, "direction": None}},
        ),
        visualization(
            "janmat-negative-share-by-district",
            "ज़िलेवार नकारात्मक हिस्सा / Negative share by district",
            "हर ज़िले के उल्लेखों में नकारात्मक का प्रतिशत। Share of each district's mentions that are negative "
            "(100% stacked bars).",
            "horizontal_bar",
            [count_metric(), terms("2", "segment", DISTRICT_COUNTED, 30, "ज़िला / District"),
             {"id": "3", "enabled": True, "type": "filters", "schema": "group", "params": {"filters": [
                 {"input": {"query": f"{SENTIMENT}:negative", "language": "lucene"},
                  "label": SENTIMENT_FILTER_LABELS["negative"]},
                 {"input": {"query": f"NOT {SENTIMENT}:negative", "language": "lucene"},
                  "label": SENTIMENT_FILTER_LABELS["other"]},
             ]}}],
            xy_params("histogram", horizontal=True, percentage=True, legend="bottom",
                      value_title="हिस्सा / Share (%)"),
            ui_state={"vis": {"colors": {SENTIMENT_FILTER_LABELS["negative"]: "#D1495B",
                                         SENTIMENT_FILTER_LABELS["other"]: "#D3DAE6"}}},
        ),
        visualization(
            "janmat-top-hindi-terms",
            "प्रमुख हिंदी शब्द / Top Hindi terms",
            "उल्लेखों में सबसे आम हिंदी शब्द, सामान्य शब्द (का, की, है…) हटाकर। Commonest Hindi words in the "
            "mentions, Hindi stop words excluded.",
            "tagcloud",
            [count_metric(), terms("2", "segment", WORDS, 40, "शब्द / Term", include="[ऀ-ॿ]{2,}",
                                   exclude=stop_word_pattern())],
            {"scale": "linear", "orientation": "single", "minFontSize": 14, "maxFontSize": 60, "showLabel": False},
        ),
        visualization(
            "janmat-platform-mix",
            "मंच के अनुसार उल्लेख / Platform mix",
            "समाचार, X, YouTube, Facebook, Telegram और फ़ैक्ट-चेक का हिस्सा। Share of mentions per platform.",
            "pie",
            [count_metric(), terms("2", "segment", PLATFORM, 10, "मंच / Platform")],
            {"type": "pie", "addTooltip": True, "addLegend": True, "legendPosition": "right", "isDonut": True,
             "labels": {"show": True, "values": True, "last_level": True, "truncate": 100}},
        ),
    ]


# (object id, panel type, x, y, w, h) on the 48-column dashboard grid.
LAYOUT = [
    ("janmat-mentions-over-time-by-sentiment", "visualization", 0, 6, 32, 14),
    ("janmat-platform-mix", "visualization", 32, 6, 16, 14),
    ("janmat-mentions-by-district", "visualization", 0, 42, 24, 20),
    ("janmat-negative-share-by-district", "visualization", 24, 20, 24, 22),
    ("janmat-scheme-by-sentiment", "visualization", 0, 62, 24, 16),
    ("janmat-top-sources", "visualization", 24, 62, 24, 16),
    ("janmat-top-hindi-terms", "visualization", 0, 78, 20, 16),
    ("janmat-negative-last-24h", "search", 20, 78, 28, 16),
    ("janmat-misinformation-candidates", "search", 0, 94, 48, 16),
    # added later, so the panel names above keep their numbers: controls on top, map and clusters beside
    ("janmat-controls", "visualization", 0, 0, 48, 6),
    ("janmat-district-map", "visualization", 0, 20, 24, 22),
    ("janmat-spreading-clusters", "visualization", 24, 42, 24, 20),
]


def dashboard() -> dict[str, Any]:
    """The "जनमत — Overview" dashboard, last 30 days by default."""
    panels, references = [], []
    for number, (object_id, panel_type, x, y, w, h) in enumerate(LAYOUT, start=1):
        name = f"panel_{number - 1}"
        panels.append({"version": DASHBOARD_PANEL_VERSION, "gridData": {"x": x, "y": y, "w": w, "h": h,
                                                                          "i": str(number)},
                       "panelIndex": str(number), "embeddableConfig": {}, "panelRefName": name})
        references.append({"name": name, "type": panel_type, "id": object_id})
    return saved_object("dashboard", "janmat-overview", {
        "title": "जनमत — Overview",
        "description": "हरियाणा: ज़िले, योजनाएँ, रुख़ और भ्रामक सूचना। "
                       "Haryana mentions at a glance: districts, schemes, tone, sources and misinformation.",
        "hits": 0,
        "panelsJSON": json.dumps(panels, ensure_ascii=False),
        "optionsJSON": json.dumps({"useMargins": True, "hidePanelTitles": False}),
        "version": 1,
        "timeRestore": True,
        "timeFrom": "now-30d",
        "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 0},
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(
            {"query": {"query": "", "language": "lucene"}, "filter": []})},
    }, references)


def build() -> list[dict[str, Any]]:
    """Every saved object, referenced objects before the objects that reference them."""
    return [index_pattern(), *saved_searches(), *visualizations(), dashboard()]


def main() -> None:
    """Write the NDJSON file."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    objects = build()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", encoding="utf-8") as handle:
        for obj in objects:
            handle.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
    log.info("wrote %s: %d saved objects", TARGET.relative_to(REPO), len(objects))


if __name__ == "__main__":
    main()
