"""An analyst's correction through the real web form, on every store backend: the corrected values become the
mention's tags in the store, the mention shows who changed what, the audit log keeps it, and the tone
corrections export as the JSONL `janmat train sentiment --corrections` reads."""

from __future__ import annotations

import json

import httpx
import pytest

from janmat.core.settings import JanmatSettings, WebSettings
from janmat.store.base import MentionQuery
from nlp.train_sentiment import load_labelled_jsonl
from tests.store_backends import BACKENDS, open_backend  # noqa: F401 - the fixture
from tests.web_sample import sample_mentions
from tests.web_server import serve_app


@pytest.mark.parametrize("kind", BACKENDS)
def test_correction_becomes_the_tags_is_shown_logged_and_exported(kind, open_backend, tmp_path):  # noqa: F811
    store = open_backend(kind)
    store.upsert(sample_mentions())
    store.refresh()
    audit = tmp_path / "audit.jsonl"
    settings = JanmatSettings(web=WebSettings(audit_log=audit))
    before = store.get("s00")
    assert before.sentiment.label == "negative" and before.tagged_district_keys == ["Hisar"]
    with serve_app(store, settings=settings) as url, httpx.Client(base_url=url, timeout=60) as http:
        http.get("/mentions/s00")
        reply = http.post("/mentions/s00/corrections", data={
            "csrf_token": http.cookies["janmat_csrf"], "sentiment": "सकारात्मक", "districts": "हिसार, रोहतक",
            "schemes": "पीएम किसान", "misinformation": "yes", "note": "शीर्षक व्यंग्य है",
        })
        assert reply.status_code == 303
        page = http.get("/mentions/s00?saved=1&ui=hi").text
        exported = http.get("/api/corrections.jsonl")
    stored = store.get("s00")
    assert stored.sentiment.label == "positive" and stored.sentiment.model == "analyst:local"
    assert stored.tagged_district_keys == ["Hisar", "Rohtak"]
    assert stored.districts[0].evidence == before.districts[0].evidence  # a kept tag keeps its evidence
    assert stored.scheme_ids == ["pm_kisan"] and stored.misinformation.flagged
    assert [c.field for c in stored.corrections] == ["sentiment", "districts", "schemes", "misinformation"]
    assert {c.by for c in stored.corrections} == {"local"} and stored.corrections[0].note == "शीर्षक व्यंग्य है"
    ids = [hit.mention.id for hit in store.search(MentionQuery(sentiments=["positive"], districts=["Rohtak"],
                                                                limit=100)).hits]
    assert "s00" in ids
    assert "सुधार सहेजा गया" in page and "सुधार" in page and "रोहतक" in page and "local" in page
    logged = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [entry["field"] for entry in logged] == ["sentiment", "districts", "schemes", "misinformation"]
    assert logged[0]["before"] == "negative" and logged[0]["after"] == "positive" and logged[0]["by"] == "local"
    corrections_file = tmp_path / "corrections.jsonl"
    corrections_file.write_bytes(exported.content)
    examples = load_labelled_jsonl(corrections_file, "corrections")
    assert [(e.label, e.text) for e in examples] == [("positive", stored.full_text())]


def test_unknown_district_in_a_correction_is_a_hindi_error_and_changes_nothing(open_backend, tmp_path):  # noqa: F811
    store = open_backend("sqlite")
    store.upsert(sample_mentions())
    settings = JanmatSettings(web=WebSettings(audit_log=tmp_path / "audit.jsonl"))
    with serve_app(store, settings=settings) as url, httpx.Client(base_url=url) as http:
        http.get("/mentions/s01")
        reply = http.post("/mentions/s01/corrections?ui=hi", data={
            "csrf_token": http.cookies["janmat_csrf"], "sentiment": "negative", "districts": "अटलांटिस"})
    assert reply.status_code == 400 and "यह ज़िला नहीं मिला" in reply.text
    assert store.get("s01").corrections == [] and not (tmp_path / "audit.jsonl").exists()
