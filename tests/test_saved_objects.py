"""The dashboards' saved objects: static checks on the bundled NDJSON, and real results on OpenSearch and Elasticsearch.

The engine tests load the demo (the sample news site, crawled and tagged by ``janmat demo``) into a fresh index
prefix on each test node: ``JANMAT_TEST_OPENSEARCH_URL`` (default http://127.0.0.1:9200) and
``JANMAT_TEST_ELASTICSEARCH_URL`` (default http://127.0.0.1:9201). An unreachable node skips them on a developer
machine and fails them when ``CI`` is set.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from janmat.core.errors import ConfigError
from janmat.store.dashboards import BUNDLED_SAVED_OBJECTS
from janmat.store.saved_objects import (
    SavedObjects,
    anchor_now,
    check_against_engine,
    check_static,
    empty_bucket_levels,
    engine_client,
    lucene_fields,
    parse_saved_objects,
    saved_search_request,
    visualization_request,
)
from tests.demo_on_engine import ENGINES, EngineDemo, demo_on_engine
from tests.store_backends import open_backend  # noqa: F401 - the fixture

REPO = Path(__file__).resolve().parents[1]
# The commonest Hindi function words; none may reach the word cloud. Chosen independently of the generator's list.
FUNCTION_WORDS = {"के", "की", "का", "है", "में", "और", "से", "को", "ने", "पर", "भी", "कि", "यह", "इस"}


def bundled_lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8").splitlines() if line]


def as_ndjson(objects: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects) + "\n"


def mutated(change: Callable[[list[dict[str, Any]]], None]) -> SavedObjects:
    """The bundled objects with one change applied, parsed again."""
    objects = copy.deepcopy(bundled_lines())
    change(objects)
    return parse_saved_objects(as_ndjson(objects))


def find(objects: list[dict[str, Any]], type_: str, id_: str | None = None) -> dict[str, Any]:
    return next(o for o in objects if o["type"] == type_ and (id_ is None or o["id"] == id_))


def messages(bundle: SavedObjects) -> list[str]:
    return [str(problem) for problem in check_static(bundle)]


def edit_vis_state(obj: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> None:
    state = json.loads(obj["attributes"]["visState"])
    change(state)
    obj["attributes"]["visState"] = json.dumps(state, ensure_ascii=False)


# -- the bundled file ---------------------------------------------------------------------------------------------


def test_bundled_saved_objects_pass_every_static_check() -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    assert check_static(bundle) == []


def test_committed_ndjson_is_what_the_generator_writes_from_the_current_mapping() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_saved_objects
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert build_saved_objects.build() == bundled_lines(), (
        "index_templates/saved_objects is stale: run scripts/build_saved_objects.py"
    )


def test_bundle_holds_the_index_pattern_searches_visualizations_and_overview_dashboard() -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    (pattern,) = bundle.of_type("index-pattern")
    assert pattern.attributes["title"] == "janmat-mentions"  # the read alias: a pattern could double count
    assert pattern.attributes["timeFieldName"] == "published_at"
    assert len(bundle.of_type("search")) == 3
    assert len(bundle.of_type("visualization")) == 10
    (dashboard,) = bundle.of_type("dashboard")
    assert dashboard.attributes["title"] == "जनमत — Overview"
    on_dashboard = {ref["id"] for ref in dashboard.references}
    assert {vis.id for vis in bundle.of_type("visualization")} <= on_dashboard
    assert {obj.type for obj in bundle.objects} == {"index-pattern", "search", "visualization", "dashboard"}


def test_every_mapped_field_is_declared_by_the_index_pattern() -> None:
    mapping = json.loads((REPO / "index_templates" / "mentions-mappings.json").read_text(encoding="utf-8"))

    def leaves(properties: dict[str, Any], prefix: str = "") -> set[str]:
        names: set[str] = set()
        for name, spec in properties.items():
            if "properties" in spec:
                names |= leaves(spec["properties"], f"{prefix}{name}.")
            elif spec.get("enabled") is not False and spec.get("type", "object") != "object":
                names.add(f"{prefix}{name}")
        return names

    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    declared = {f["name"] for f in bundle.of_type("index-pattern")[0].decoded[("fields",)]}
    assert leaves(mapping["template"]["mappings"]["properties"]) <= declared


# -- each static check fails for its one reason -----------------------------------------------------------------


def test_a_line_that_is_not_json_is_reported_with_its_line_number() -> None:
    text = BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8").splitlines()
    text[2] = text[2][:-1]
    problems = [str(p) for p in check_static(parse_saved_objects("\n".join(text)))]
    assert any(p.startswith("line 3") and "not valid JSON" in p for p in problems), problems


def test_a_stringified_field_that_does_not_parse_is_reported() -> None:
    def break_ui_state(objects: list[dict[str, Any]]) -> None:
        find(objects, "visualization")["attributes"]["uiStateJSON"] = "{'vis': 1}"

    assert any("uiStateJSON is not valid JSON" in m for m in messages(mutated(break_ui_state)))


def test_a_panel_pointing_at_a_missing_visualization_is_reported() -> None:
    def dangle(objects: list[dict[str, Any]]) -> None:
        find(objects, "dashboard")["references"][0]["id"] = "no-such-visualization"

    assert any("no-such-visualization" in m and "not in the bundle" in m for m in messages(mutated(dangle)))


def test_a_ref_name_without_its_reference_is_reported() -> None:
    def rename(objects: list[dict[str, Any]]) -> None:
        for obj in objects:
            if obj["type"] == "visualization" and obj["references"]:  # the Vega map names its index in its spec
                obj["references"][0]["name"] = "somewhere.else"

    problems = messages(mutated(rename))
    assert sum("'kibanaSavedObjectMeta.searchSourceJSON.index' is used but not among the references" in m
               for m in problems) == 8
    assert any("'control_0_index_pattern' is used but not among the references" in m for m in problems)


def test_a_migration_version_newer_than_opensearch_dashboards_is_rejected() -> None:
    def bump(objects: list[dict[str, Any]]) -> None:
        find(objects, "dashboard")["migrationVersion"] = {"dashboard": "8.7.0"}

    assert any("8.7.0 is newer than 7.9.3" in m for m in messages(mutated(bump)))


def test_kibana_8_only_version_keys_are_rejected() -> None:
    def add_core(objects: list[dict[str, Any]]) -> None:
        find(objects, "search")["coreMigrationVersion"] = "8.8.0"

    assert any("coreMigrationVersion is Kibana-8-only" in m for m in messages(mutated(add_core)))


def test_lens_objects_and_map_visualizations_are_rejected() -> None:
    def add_lens_and_map(objects: list[dict[str, Any]]) -> None:
        lens = copy.deepcopy(find(objects, "visualization"))
        lens.update(type="lens", id="a-lens", migrationVersion={"lens": "8.0.0"})
        objects.append(lens)
        edit_vis_state(find(objects, "visualization", "janmat-mentions-by-district"),
                       lambda state: state.update(type="region_map"))

    problems = messages(mutated(add_lens_and_map))
    assert any("type 'lens' does not import" in m for m in problems)
    assert any("'region_map' is not a legacy type" in m for m in problems)


def test_a_field_name_that_drifted_from_the_index_pattern_is_caught() -> None:
    def drift(objects: list[dict[str, Any]]) -> None:
        vis = find(objects, "visualization", "janmat-mentions-by-district")
        edit_vis_state(vis, lambda state: state["aggs"][1]["params"].update(field="district"))

    assert any("field 'district' is not in index pattern" in m for m in messages(mutated(drift)))


def test_aggregating_a_text_field_is_caught() -> None:
    def aggregate_text(objects: list[dict[str, Any]]) -> None:
        vis = find(objects, "visualization", "janmat-top-hindi-terms")
        edit_vis_state(vis, lambda state: state["aggs"][1]["params"].update(field="title"))

    assert any("'title' is aggregated but not aggregatable" in m for m in messages(mutated(aggregate_text)))


def test_an_english_only_title_is_rejected() -> None:
    def monolingual(objects: list[dict[str, Any]]) -> None:
        find(objects, "visualization")["attributes"]["title"] = "Mentions over time"

    assert any("must be bilingual" in m for m in messages(mutated(monolingual)))


# -- translation to search requests -------------------------------------------------------------------------------


def test_lucene_fields_ignore_quoted_text_and_keep_dotted_names() -> None:
    assert lucene_fields('sentiment.label:negative AND NOT district_keys:"Hisar: city" OR title:x') == {
        "sentiment.label", "district_keys", "title"}


def test_now_is_anchored_in_date_math_only() -> None:
    query = {"range": {"published_at": {"gte": "now-24h", "lte": "now"}}, "term": {"title": "nowhere"}}
    anchored = anchor_now(query, "2026-11-20T03:30:00.000Z")
    assert anchored["range"]["published_at"] == {"gte": "2026-11-20T03:30:00.000Z||-24h",
                                                 "lte": "2026-11-20T03:30:00.000Z"}
    assert anchored["term"] == {"title": "nowhere"}


def test_split_rows_nest_in_editor_order_and_share_uses_a_filters_split() -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    table = visualization_request(bundle.find("visualization", "janmat-scheme-by-sentiment"), bundle)
    assert table["aggs"]["2"]["terms"]["field"] == "scheme_ids"
    assert table["aggs"]["2"]["aggs"]["3"]["terms"]["field"] == "sentiment.label"
    share = visualization_request(bundle.find("visualization", "janmat-negative-share-by-district"), bundle)
    filters = share["aggs"]["2"]["aggs"]["3"]["filters"]["filters"]
    assert [f["query_string"]["query"] for f in filters.values()] == [
        "sentiment.label:negative", "NOT sentiment.label:negative"]


# -- against real OpenSearch and Elasticsearch nodes with the demo loaded ------------------------------------------


@pytest.fixture(scope="module", params=ENGINES)
def engine_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineDemo]:
    """A fresh index prefix holding the demo, crawled and tagged into the real node of each engine kind."""
    with demo_on_engine(request.param, tmp_path_factory.mktemp(f"dash-data-{request.param}")) as demo:
        assert demo.total > 0
        yield demo


@pytest.mark.engine
def test_every_visualization_and_saved_search_returns_results_on_the_demo(engine_demo: EngineDemo) -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    problems, runs = check_against_engine(bundle, engine_client(engine_demo.store_url), engine_demo.alias)
    assert [str(p) for p in problems] == []
    assert {run.object for run in runs} == {o.label for o in bundle.objects if o.type in {"search", "visualization"}}
    assert all(run.hits > 0 for run in runs)
    assert all(run.buckets for run in runs if run.object.startswith("visualization:"))
    last_day = next(run for run in runs if run.object == "search:janmat-negative-last-24h")
    assert last_day.anchored_at, "the 24-hour search should have been anchored at the newest negative mention"


@pytest.mark.engine
def test_word_cloud_shows_hindi_content_words_and_no_function_words(engine_demo: EngineDemo) -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    _, runs = check_against_engine(bundle, engine_client(engine_demo.store_url), engine_demo.alias)
    cloud = next(run for run in runs if run.object == "visualization:janmat-top-hindi-terms")
    words = [bucket["key"] for bucket in cloud.response["aggregations"]["2"]["buckets"]]
    assert len(words) >= 20
    assert not FUNCTION_WORDS & set(words), FUNCTION_WORDS & set(words)
    assert all(any("\u0900" <= ch <= "\u097f" for ch in word) for word in words)


@pytest.mark.engine
def test_a_declared_field_the_node_does_not_have_fails_on_the_engine(engine_demo: EngineDemo) -> None:
    def declare_and_use_missing_field(objects: list[dict[str, Any]]) -> None:
        pattern = find(objects, "index-pattern")
        fields = json.loads(pattern["attributes"]["fields"])
        fields.append({"name": "district", "type": "string", "esTypes": ["keyword"], "searchable": True,
                       "aggregatable": True, "count": 0, "scripted": False, "readFromDocValues": True})
        pattern["attributes"]["fields"] = json.dumps(fields)
        vis = find(objects, "visualization", "janmat-mentions-by-district")
        edit_vis_state(vis, lambda state: state["aggs"][1]["params"].update(field="district"))

    bundle = mutated(declare_and_use_missing_field)
    assert check_static(bundle) == []
    problems, _ = check_against_engine(bundle, engine_client(engine_demo.store_url), engine_demo.alias)
    assert any("field 'district' does not exist" in str(p) and "janmat-mentions-by-district" in str(p)
               for p in problems), problems


def test_an_aggregation_level_that_finds_nothing_is_named() -> None:
    request = {"2": {"terms": {"field": "district_keys"}, "aggs": {
        "3": {"filters": {"filters": {"neg": {}, "other": {}}}}}}}
    response = {"2": {"buckets": [
        {"key": "Hisar", "doc_count": 2, "3": {"buckets": {"neg": {"doc_count": 0}, "other": {"doc_count": 2}}}},
        {"key": "Sirsa", "doc_count": 1, "3": {"buckets": {"neg": {"doc_count": 0}, "other": {"doc_count": 1}}}},
    ]}}
    assert empty_bucket_levels(request, [response]) == ["3 (neg)"]
    response["2"]["buckets"][1]["3"]["buckets"]["neg"]["doc_count"] = 1
    assert empty_bucket_levels(request, [response]) == []


@pytest.mark.engine
def test_check_command_runs_the_engine_checks(engine_demo: EngineDemo) -> None:
    from typer.testing import CliRunner

    from janmat.cli import app

    result = CliRunner().invoke(app, ["dashboards", "check", "--engine", engine_demo.store_url,
                                      "--index", engine_demo.alias])
    assert "visualization:janmat-top-hindi-terms" in result.output
    assert result.exit_code == 0, result.output


@pytest.mark.engine
@pytest.mark.parametrize("kind", ENGINES)
def test_district_panels_count_a_mention_once_and_the_district_search_still_finds_it(
    open_backend, kind: str  # noqa: F811
) -> None:
    """Older Hisar coverage also findable under Hansi: one bar under Hisar, and the Hansi search still shows it."""
    from datetime import datetime

    from janmat.core.mention import IST, DistrictTag, Mention

    store = open_backend(kind)
    store.upsert([
        Mention(id="pre", text="नारनौंद में धरना", published_at=datetime(2025, 11, 3, tzinfo=IST),
                districts=[DistrictTag(name="Hisar", also_under=["Hansi"])]),
        Mention(id="post", text="नारनौंद में धरना", published_at=datetime(2026, 1, 15, tzinfo=IST),
                districts=[DistrictTag(name="Hansi")]),
    ])
    store.refresh()
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    for panel in ("janmat-mentions-by-district", "janmat-negative-share-by-district"):
        request = visualization_request(bundle.find("visualization", panel), bundle)
        response = store.client.request("POST", f"/{store.names.alias}/_search", request)
        bars = {b["key"]: b["doc_count"] for b in response["aggregations"]["2"]["buckets"]}
        assert bars == {"Hisar": 1, "Hansi": 1} == dict(store.counts("district")), panel
    search = bundle.find("search", "janmat-district-coverage")
    request = saved_search_request(search, bundle)
    request["query"] = json.loads(json.dumps(request["query"]).replace('\\"Hisar\\"', '\\"Hansi\\"'))
    assert 'district_keys:\\"Hansi\\"' in json.dumps(request["query"])
    found = store.client.request("POST", f"/{store.names.alias}/_search", request)
    assert {hit["_id"] for hit in found["hits"]["hits"]} == {"pre", "post"}


@pytest.mark.parametrize("kind", ENGINES)
def test_a_plain_url_is_recognised_as_the_engine_it_is(kind: str) -> None:
    """The minimal Elasticsearch node refuses ``GET /`` but names itself in a header; OpenSearch in its root."""
    from tests.store_backends import engine_http_url

    client = engine_client(engine_http_url(kind))
    try:
        assert client.kind == kind
    finally:
        client.close()


def test_a_plain_url_that_is_no_search_engine_is_a_clear_error() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>not a search engine</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.raises(ConfigError, match="did not say it is OpenSearch or Elasticsearch") as caught:
            engine_client(url)
        assert f"opensearch+{url}" in str(caught.value)
    finally:
        server.shutdown()


# -- controls, map, spreading clusters and the alias (issue 15) --------------------------------------------------


def test_an_index_pattern_that_is_a_wildcard_is_rejected() -> None:
    def widen(objects: list[dict[str, Any]]) -> None:
        find(objects, "index-pattern")["attributes"]["title"] = "janmat-mentions*"

    assert any("is a pattern" in m and "--keep-old" in m for m in messages(mutated(widen)))


def test_the_dashboard_has_controls_a_map_and_spreading_clusters() -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    controls = bundle.find("visualization", "janmat-controls")
    fields = [c["fieldName"] for c in controls.vis_state["params"]["controls"]]
    assert fields == ["district_names", "scheme_names", "sentiment.label"]
    map_request = visualization_request(bundle.find("visualization", "janmat-district-map"), bundle)
    assert map_request["aggs"]["districts"]["aggs"]["centre"] == {"geo_centroid": {"field": "district_location"}}
    clusters = visualization_request(bundle.find("visualization", "janmat-spreading-clusters"), bundle)
    assert clusters["aggs"]["2"]["terms"]["field"] == "near_dup_cluster"
    dashboard = bundle.find("dashboard", "janmat-overview")
    assert {"janmat-controls", "janmat-district-map", "janmat-spreading-clusters"} <= {
        ref["id"] for ref in dashboard.references}


@pytest.mark.engine
def test_controls_offer_hindi_and_english_names_that_filter_alike(engine_demo: EngineDemo) -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    client = engine_client(engine_demo.store_url)
    _, runs = check_against_engine(bundle, client, engine_demo.alias)
    controls = next(run for run in runs if run.object == "visualization:janmat-controls")
    districts = {b["key"] for b in controls.response["aggregations"]["control_0"]["buckets"]}
    schemes = {b["key"] for b in controls.response["aggregations"]["control_1"]["buckets"]}
    assert {"Hisar", "हिसार"} <= districts and any("\u0900" <= ch <= "\u097f" for s in schemes for ch in s)

    def hits(name: str) -> set[str]:
        body = {"size": 100, "_source": False, "query": {"term": {"district_names": name}}}
        return {h["_id"] for h in client.request("POST", f"/{engine_demo.alias}/_search", body)["hits"]["hits"]}

    assert hits("हिसार") == hits("Hisar") and hits("Hisar")


@pytest.mark.engine
def test_map_places_each_district_inside_haryana(engine_demo: EngineDemo) -> None:
    bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
    _, runs = check_against_engine(bundle, engine_client(engine_demo.store_url), engine_demo.alias)
    drawn = next(run for run in runs if run.object == "visualization:janmat-district-map")
    buckets = drawn.response["aggregations"]["districts"]["buckets"]
    placed = [b for b in buckets if b["centre"].get("location")]
    assert len(placed) >= 10
    for bucket in placed:
        point = bucket["centre"]["location"]
        assert 74.4 < point["lon"] < 77.7 and 27.6 < point["lat"] < 31.0, bucket["key"]


@pytest.mark.engine
def test_the_alias_cannot_double_count_where_a_pattern_would(engine_demo: EngineDemo) -> None:
    """An old index left beside the live ones (``janmat reindex --keep-old``) is matched by a pattern, not by
    the alias the index pattern names; the validator says so for anything that is not an alias."""
    client = engine_client(engine_demo.store_url)
    pattern = f"{engine_demo.prefix}-mentions-*"
    old = f"{engine_demo.prefix}-mentions-2000.01-kept"
    docs = client.request("POST", f"/{engine_demo.alias}/_search", {"size": 1000})["hits"]["hits"]
    client.request("PUT", f"/{old}", {"settings": {"number_of_replicas": 0}})
    try:
        for doc in docs:
            client.request("PUT", f"/{old}/_doc/{doc['_id']}", doc["_source"])
        client.request("POST", f"/{old}/_refresh")

        def count(target: str) -> int:
            return client.request("POST", f"/{target}/_count", {})["count"]

        assert count(pattern) == 2 * count(engine_demo.alias) == 2 * engine_demo.total
        bundle = parse_saved_objects(BUNDLED_SAVED_OBJECTS.read_text(encoding="utf-8"))
        problems, _ = check_against_engine(bundle, client, pattern)
        assert any("is not an alias" in str(p) for p in problems)
        problems, _ = check_against_engine(bundle, client, engine_demo.alias)
        assert problems == []
    finally:
        client.request("DELETE", f"/{old}")
