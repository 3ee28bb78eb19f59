"""The index templates in ``index_templates/``: every Mention field mapped, rendered per prefix and per engine
features, and installed on real nodes with Hindi analysis where the engine has it."""

from __future__ import annotations

import json
import logging
import typing
from datetime import UTC, datetime
from types import UnionType

import pytest
from pydantic import BaseModel

from janmat.core.mention import IST, Mention
from janmat.store import open_store
from janmat.store.engine import EngineStore
from janmat.store.engine_docs import DERIVED_FIELDS, mention_document, mention_document_json
from janmat.store.templates import EngineFeatures, IndexNames, IndexTemplates, mention_month
from tests.store_backends import open_backend  # noqa: F401 - the fixture

TEMPLATES = IndexTemplates.load()
FULL = EngineFeatures(kind="opensearch", hindi_analysis=True, lifecycle=True, reindex=True)
BARE = EngineFeatures(kind="elasticsearch")


def model_of(annotation: object) -> type[BaseModel] | None:
    """The pydantic model inside ``X``, ``X | None`` or ``list[X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) in (typing.Union, list):
        for argument in typing.get_args(annotation):
            found = model_of(argument)
            if found:
                return found
    return None


def field_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, info in model.model_fields.items():
        paths.append(prefix + name)
        nested = model_of(info.annotation)
        if nested:
            paths += field_paths(nested, f"{prefix}{name}.")
    return paths


def mapped(properties: dict, path: str) -> dict | None:
    node: dict | None = {"properties": properties}
    for part in path.split("."):
        node = (node or {}).get("properties", {}).get(part)
        if node is None:
            return None
    return node


def test_every_mention_field_has_a_mapping():
    properties = TEMPLATES.mention_properties()
    paths = field_paths(Mention)
    assert "misinformation.matched_factcheck.published_at" in paths  # the walk reaches nested models
    missing = [path for path in paths if mapped(properties, path) is None]
    assert missing == []
    for derived in DERIVED_FIELDS:
        assert derived in properties, derived


def test_field_types_fit_their_use():
    properties = TEMPLATES.mention_properties()
    for path in ("title", "text"):
        assert mapped(properties, path)["analyzer"] == "janmat_hindi"
        assert mapped(properties, path)["fields"]["exact"]["analyzer"] == "janmat_exact"
    for path in ("district_keys", "district_tags", "scheme_ids", "sentiment.label", "platform", "source.name",
                 "source.domain", "source_key", "lang", "near_dup_cluster", "id"):
        assert mapped(properties, path)["type"] == "keyword", path
    for path in ("published_at", "fetched_at", "misinformation.matched_factcheck.published_at"):
        assert mapped(properties, path)["type"] == "date", path
    assert mapped(properties, "district_location")["type"] == "geo_point"
    assert mapped(properties, "engagement.views")["type"] == "long"
    assert mapped(properties, "sentiment.score")["type"] == "float"
    assert properties["terms"]["analyzer"] == "whitespace"


def test_documents_only_carry_mapped_top_level_fields():
    document = mention_document(Mention(id="x", text="किसान", published_at=datetime(2026, 3, 1, tzinfo=IST)))
    assert set(document) <= set(TEMPLATES.mention_properties())


def test_bulk_json_text_is_the_same_document():
    """The bulk path encodes documents as text without building the dict; the engine must see the same JSON."""
    mentions = [
        Mention(id="x", text="किसान", published_at=datetime(2026, 3, 1, tzinfo=IST)),
        Mention.model_validate({
            "id": "full", "platform": "x", "title": "गुड़गाँव में \"चिरायु\" कार्ड", "text": "Hisar के किसानों ने कहा\n२०२६ ✓",
            "published_at": "2026-03-02T10:00:00+05:30", "source": {"name": "X", "domain": "x.com"},
            "engagement": {"likes": 12, "views": 3_000_000_000},
            "districts": [{"name": "Gurugram", "lgd_code": 86}, {"name": "Lucknow", "state": "Uttar Pradesh"}],
            "schemes": [{"id": "chirayu-haryana", "name": "Chirayu Haryana"}],
            "sentiment": {"label": "negative", "score": 0.81, "model": "t"},
            "meta": {"nested": {"list": [1, 2.5, None]}},
        }),
    ]
    for mention in mentions:
        assert json.loads(mention_document_json(mention)) == mention_document(mention)


def test_templates_are_rendered_for_a_prefix():
    names = IndexNames("acme")
    body = TEMPLATES.index_template(names, generation=3)
    assert body["index_patterns"] == ["acme-mentions-*"]
    assert body["composed_of"] == ["acme-mentions-settings", "acme-mentions-mappings"]
    assert body["_meta"]["janmat_generation"] == 3
    assert body["_meta"]["janmat_template_version"] == TEMPLATES.version
    assert names.month_index("2026.03") == "acme-mentions-2026.03"
    assert names.month_index("2026.03", 2) == "acme-mentions-2026.03-g2"
    assert names.month_of_index("acme-mentions-2026.03-g2") == "2026.03"
    assert names.month_of_index("acme-standing-queries") is None
    index = TEMPLATES.month_index_body(names, FULL, "2026.03", alias=True)
    assert index["aliases"] == {"acme-mentions": {}}


def test_hindi_chain_where_the_engine_has_analysis_common_and_standard_analysis_elsewhere():
    full = TEMPLATES.mappings_component(FULL)["template"]["settings"]["analysis"]
    chain = full["analyzer"]["janmat_hindi"]
    assert chain["tokenizer"] == "standard"
    assert chain["filter"][:4] == ["lowercase", "decimal_digit", "indic_normalization", "hindi_normalization"]
    assert full["filter"][chain["filter"][4]] == {"type": "stemmer", "language": "hindi"}
    bare = TEMPLATES.mappings_component(BARE)["template"]["settings"]["analysis"]
    assert bare["analyzer"]["janmat_hindi"] == {"type": "standard"}
    assert "filter" not in bare


def test_lifecycle_policy_follows_the_engine():
    names = IndexNames("acme")
    es = EngineFeatures(kind="elasticsearch", lifecycle=True)
    assert TEMPLATES.settings_component(es, names)["template"]["settings"]["index"]["lifecycle"] == {
        "name": "acme-mentions"}
    assert "delete" in TEMPLATES.lifecycle_policy(es, names)["policy"]["phases"]
    assert TEMPLATES.month_index_body(names, es, "2026.03", alias=False)["settings"][
        "index.lifecycle.origination_date"] == int(datetime(2026, 2, 28, 18, 30, tzinfo=UTC).timestamp() * 1000)
    ism = TEMPLATES.lifecycle_policy(FULL, names)["policy"]
    assert ism["ism_template"][0]["index_patterns"] == ["acme-mentions-*"]
    assert "lifecycle" not in TEMPLATES.settings_component(FULL, names)["template"]["settings"]["index"]
    assert TEMPLATES.lifecycle_policy(BARE, names) is None


def test_month_is_the_ist_month_of_published_else_fetched():
    late_march_utc = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)  # 1 April, 01:30 IST
    assert mention_month(Mention(id="a", text="x", published_at=late_march_utc)) == "2026.04"
    assert mention_month(Mention(id="b", text="x", fetched_at=datetime(2026, 5, 2, tzinfo=UTC))) == "2026.05"
    both = Mention(id="c", text="x", published_at=datetime(2025, 12, 1, tzinfo=IST),
                   fetched_at=datetime(2026, 5, 2, tzinfo=UTC))
    assert mention_month(both) == "2025.12"


def test_percolator_index_holds_every_mention_field():
    body = TEMPLATES.standing_queries_index(FULL)
    properties = body["mappings"]["properties"]
    assert properties["query"] == {"type": "percolator"}
    assert set(TEMPLATES.mention_properties()) <= set(properties)
    assert "janmat_hindi" in body["settings"]["analysis"]["analyzer"]


# -- on the real nodes ----------------------------------------------------------------------------------------


def analyzed(store: EngineStore, index: str, field: str, text: str) -> list[str]:
    answer = store.client.request("POST", f"/{index}/_analyze", {"field": field, "text": text})
    return [token["token"] for token in answer["tokens"]]


@pytest.mark.engine
def test_opensearch_indices_get_the_hindi_chain_and_a_percolator(open_backend, caplog, monkeypatch):  # noqa: F811
    monkeypatch.setattr("janmat.store.engine._SAID", set())  # what was already said in this process
    caplog.set_level(logging.INFO, logger="janmat.store.engine")
    store = open_backend("opensearch")
    features = store.ensure_ready()
    assert features.hindi_analysis and features.reindex
    store.upsert([Mention(id="k", title="किसानों की मांग", text="हिसार में किसानों ने धरना दिया",
                          published_at=datetime(2026, 3, 2, tzinfo=IST))])
    store.refresh()
    index = store.alias_indices()[0]
    assert analyzed(store, index, "text", "किसानों") == analyzed(store, index, "text", "किसान")
    assert analyzed(store, index, "text.exact", "किसानों") != analyzed(store, index, "text.exact", "किसान")
    assert analyzed(store, index, "text", "गुड़गाँव १२") == analyzed(store, index, "text", "गुडगांव 12")
    # What an OpenSearch Dashboards user types in a Lucene query finds the stemmed form.
    found = store.client.request("POST", f"/{store.names.alias}/_search", {"query": {"match": {"text": "किसान"}}})
    assert found["hits"]["total"]["value"] == 1
    mapping = next(iter(store.client.request("GET", f"/{index}/_mapping").values()))["mappings"]
    assert mapping["properties"]["district_location"]["type"] == "geo_point"
    assert mapping["dynamic"] in (False, "false")
    standing = store.names.standing_queries
    store.client.request("PUT", f"/{standing}/_doc/farmers", {"name": "farmers in Hisar", "query": {
        "bool": {"filter": [{"term": {"terms": "किसान"}}, {"term": {"district_keys": "Hisar"}}]}}},
        params={"refresh": True})
    document = mention_document(Mention(id="new", text="किसानों की रैली", districts=[{"name": "Hisar"}]))
    matched = store.client.request("POST", f"/{standing}/_search", {
        "query": {"percolate": {"field": "query", "document": document}}})
    assert [hit["_id"] for hit in matched["hits"]["hits"]] == ["farmers"]
    if not features.lifecycle:
        assert any("no ISM" in record.getMessage() for record in caplog.records)


@pytest.mark.engine
def test_elasticsearch_minimal_node_falls_back_and_says_so(open_backend, caplog, monkeypatch):  # noqa: F811
    monkeypatch.setattr("janmat.store.engine._SAID", set())  # what was already said in this process
    caplog.set_level(logging.INFO, logger="janmat.store.engine")
    store = open_backend("elasticsearch")
    features = store.ensure_ready()
    assert not features.hindi_analysis and not features.lifecycle and not features.reindex
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "no analysis-common" in messages and "no ILM" in messages and "no percolator" in messages
    caplog.clear()
    open_backend("elasticsearch").ensure_ready()
    assert not [r for r in caplog.records if "has no" in r.getMessage()]  # said once per process, not per store
    assert not store.client.exists(f"/{store.names.standing_queries}")
    store.upsert([Mention(id="k", text="किसानों ने धरना दिया", published_at=datetime(2026, 3, 2, tzinfo=IST))])
    store.refresh()
    index = store.alias_indices()[0]
    assert analyzed(store, index, "text", "किसानों") == ["किसानों"]
    live = store.live_template()
    assert live["index_patterns"] == [store.names.pattern]
    assert live["_meta"]["janmat_template_version"] == TEMPLATES.version


@pytest.mark.engine
def test_second_store_on_the_same_prefix_reuses_the_installed_template(open_backend):  # noqa: F811
    store = open_backend("opensearch")
    store.ensure_ready()
    again = open_store(store.url)
    try:
        assert again.ensure_ready() == store.ensure_ready()
        assert again.generation == store.generation == 1
    finally:
        again.close()


def test_district_tags_hold_the_tagged_districts_once_and_district_keys_every_findable_key():
    document = mention_document(Mention(id="h", text="x", districts=[
        {"name": "Hisar", "also_under": ["Hansi"]}, {"name": "Lucknow", "state": "Uttar Pradesh"},
        {"name": "Hisar", "place": "Barwala"}]))
    assert document["district_tags"] == ["Hisar", "Uttar Pradesh:Lucknow"]
    assert document["district_keys"] == ["Hisar", "Hansi", "Uttar Pradesh:Lucknow"]


def test_haryana_mentions_carry_their_district_headquarters_point():
    hisar = mention_document(Mention(id="h", text="x", districts=[{"name": "Hisar"}]))
    lucknow = mention_document(Mention(id="l", text="x", districts=[{"name": "Lucknow", "state": "Uttar Pradesh"}]))
    lon, lat = hisar["district_location"]
    assert abs(lon - 75.72) < 0.1 and abs(lat - 29.15) < 0.1  # Hisar town: 29.15° N, 75.72° E
    assert lucknow["district_location"] is None


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
def test_map_panels_can_find_mentions_around_a_district(open_backend, kind):  # noqa: F811
    store = open_backend(kind)
    store.upsert([
        Mention(id="hisar", text="हिसार में धरना", districts=[{"name": "Hisar"}],
                published_at=datetime(2026, 3, 2, tzinfo=IST)),
        Mention(id="gurugram", text="गुरुग्राम में जाम", districts=[{"name": "Gurugram"}],
                published_at=datetime(2026, 3, 2, tzinfo=IST)),
        Mention(id="nowhere", text="राज्य स्तर की बैठक", published_at=datetime(2026, 3, 2, tzinfo=IST)),
    ])
    store.refresh()
    near_hisar = {"geo_distance": {"distance": "25km", "district_location": {"lat": 29.15, "lon": 75.72}}}
    found = store.client.request("POST", f"/{store.names.alias}/_search",
                                 {"query": {"bool": {"filter": [near_hisar]}}})
    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["hisar"]
