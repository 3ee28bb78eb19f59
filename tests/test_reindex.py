"""``janmat reindex``: a new template version gives new indices, every mention copied, and an alias switch that
readers never see a gap in. Runs on real nodes: OpenSearch copies with ``_reindex``, the minimal Elasticsearch
node (no reindex module) by scroll + bulk."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from janmat.cli.reindex import reindex_command
from janmat.core.errors import JanmatError
from janmat.store import MentionQuery, open_store
from janmat.store.engine import EngineStore
from janmat.store.reindex import reindex
from janmat.store.templates import TEMPLATES_DIR, IndexTemplates
from tests.store_backends import engine_http_url, remove_store, use_fresh_prefix
from tests.test_store_contract import expected_counts, generated_mentions

ENGINES = [pytest.param(kind, marks=pytest.mark.engine) for kind in ("opensearch", "elasticsearch")]


@pytest.fixture(params=ENGINES)
def kind(request) -> str:
    return request.param


@pytest.fixture
def loaded(kind, monkeypatch) -> Iterator[tuple[EngineStore, list]]:
    """An engine store holding 300 generated mentions over three months."""
    url = f"{kind}+{engine_http_url(kind)}"
    use_fresh_prefix(monkeypatch)
    store = open_store(url)
    assert isinstance(store, EngineStore)
    mentions = generated_mentions(300, seed=11)
    assert store.upsert(mentions).stored == 300
    store.refresh()
    yield store, mentions
    remove_store(store)


def next_version(tmp_path: Path, *, break_mapping: bool = False) -> IndexTemplates:
    """The bundled templates with the version raised and one new field, as a developer would change them."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    template = json.loads((folder / "mentions-template.json").read_text())
    template["version"] += 1
    (folder / "mentions-template.json").write_text(json.dumps(template))
    mappings = json.loads((folder / "mentions-mappings.json").read_text())
    mappings["template"]["mappings"]["properties"]["review_note"] = (
        {"type": "no_such_type"} if break_mapping else {"type": "keyword"}
    )
    (folder / "mentions-mappings.json").write_text(json.dumps(mappings))
    return IndexTemplates.load(folder)


def test_reindex_copies_everything_and_readers_see_no_gap(loaded, kind, tmp_path, monkeypatch):
    store, mentions = loaded
    reader = open_store(store.url)
    before = {by: store.counts(by) for by in ("district", "scheme", "day")}
    old_indices = store.alias_indices()
    seen_totals: list[int] = []
    stop = threading.Event()

    def read_continuously() -> None:
        while not stop.is_set():
            seen_totals.append(reader.count())
            seen_totals.append(reader.count(MentionQuery(text="किसान OR सड़क OR पानी OR बिजली OR अस्पताल OR स्कूल "
                                                               "OR मंडी OR धरना OR योजना OR भर्ती")))

    thread = threading.Thread(target=read_continuously)
    thread.start()
    try:
        templates = next_version(tmp_path)
        report = reindex(store, templates=templates, writers_grace_seconds=0)
    finally:
        stop.set()
        thread.join()
        reader.close()
    assert report.method == ("_reindex" if kind == "opensearch" else "scroll+bulk")
    assert (report.old_generation, report.new_generation) == (1, 2)
    assert report.total == 300 and report.old_deleted
    assert len(seen_totals) > 4 and set(seen_totals) == {300}
    new_indices = store.alias_indices()
    assert len(new_indices) == len(old_indices)
    assert all(index.endswith("-g2") for index in new_indices)
    assert not set(new_indices) & set(old_indices)
    for index in old_indices:
        assert not store.client.exists(f"/{index}")
    mapping = store.client.request("GET", f"/{new_indices[0]}/_mapping")
    properties = next(iter(mapping.values()))["mappings"]
    assert "review_note" in properties["properties"]
    assert properties["_meta"]["janmat_template_version"] == templates.version
    assert {by: store.counts(by) for by in ("district", "scheme", "day")} == before
    assert dict(store.counts("sentiment")) == expected_counts(mentions, "sentiment")
    assert store.get(mentions[7].id) == mentions[7]

    # A writer that opened before the reindex follows the new generation on its own.
    late = mentions[0].model_copy(update={"id": "late-writer", "text": "रीइंडेक्स के बाद की खबर"})
    assert store.upsert([late]).stored == 1
    store.refresh()
    assert store.count() == 301
    assert all(index.endswith("-g2") for index in store.alias_indices())


def test_writer_from_before_the_reindex_follows_it_through_the_write_block(loaded, tmp_path):
    store, mentions = loaded
    stale_writer = open_store(store.url)
    stale_writer.upsert([mentions[1]])  # learns generation 1 and its indices
    report = reindex(store, templates=next_version(tmp_path), keep_old=True, writers_grace_seconds=0)
    assert report.old_indices and not report.old_deleted
    assert stale_writer.generation == 1
    updated = mentions[1].model_copy(update={"text": "पुरानी खबर का नया संस्करण"})
    result = stale_writer.upsert([updated])
    assert (result.updated, result.spooled, result.failed) == (1, 0, {})
    assert stale_writer.generation == 2
    store.refresh()
    assert store.count() == 300
    assert store.get(updated.id).text == updated.text
    stale_writer.close()


def test_nothing_to_do_when_the_live_template_is_current(loaded):
    store, _ = loaded
    report = reindex(store, writers_grace_seconds=0)
    assert report.new_generation == report.old_generation == 1
    assert report.copied == {}


def test_recompute_rebuilds_derived_fields_through_janmat(loaded, tmp_path):
    store, _ = loaded
    index = store.alias_indices()[0]
    some = store.scan({"query": {"match_all": {}}, "_source": ["id"]}, index=index, size=1)
    doc_id = next(iter(some))[0]["_id"]
    # Damage one derived field in place, as an old normalization would have left it.
    store.client.request("POST", f"/{index}/_update/{doc_id}", {"doc": {"terms": "stale"}}, params={"refresh": True})
    assert store.count(MentionQuery(text="stale")) == 1
    report = reindex(store, recompute=True, force=True, writers_grace_seconds=0)
    assert report.method == "scroll+bulk, recomputed" and report.total == 300
    assert store.count(MentionQuery(text="stale")) == 0
    assert store.count() == 300


def test_indices_from_before_district_tags_get_them_rebuilt_by_a_plain_reindex(loaded, tmp_path):
    """Template v1 had no district_tags: a plain ``janmat reindex`` must rebuild it, not copy _source without it."""
    store, mentions = loaded
    folder = tmp_path / "v1"
    shutil.copytree(TEMPLATES_DIR, folder)
    template = json.loads((folder / "mentions-template.json").read_text())
    template["version"] = 1
    del template["_meta"]["janmat_derived_fields_version"]
    (folder / "mentions-template.json").write_text(json.dumps(template))
    store.install_templates(store.ensure_ready(), IndexTemplates.load(folder), store.generation)
    # The documents as Janmat before district_tags wrote them.
    for hits in store.scan({"query": {"match_all": {}}}):
        old = [{"_op_type": "index", "_index": hit["_index"], "_id": hit["_id"],
                "_source": {k: v for k, v in hit["_source"].items() if k != "district_tags"}} for hit in hits]
        assert all(ok for ok, _ in store.bulk(old))
    store.refresh()
    assert store.counts("district") == []  # what the district charts showed before the rebuild
    report = reindex(store, writers_grace_seconds=0)
    assert report.method == "scroll+bulk, recomputed" and report.total == 300
    assert dict(store.counts("district")) == expected_counts(mentions, "district")


def test_failed_reindex_leaves_the_old_indices_in_service(loaded, tmp_path):
    store, mentions = loaded
    old_indices = store.alias_indices()
    with pytest.raises(JanmatError):
        reindex(store, templates=next_version(tmp_path, break_mapping=True), writers_grace_seconds=0)
    assert store.alias_indices() == old_indices
    assert store.upsert([mentions[2].model_copy(update={"text": "अब भी लिखा जा सकता है"})]).updated == 1
    store.refresh()
    assert store.count() == 300


def test_reindex_command_reports_and_refuses_sqlite(loaded, tmp_path):
    store, _ = loaded
    runner = CliRunner()
    done = runner.invoke(typer_app(), ["--store", store.url, "--force", "--keep-old"])
    assert done.exit_code == 0, done.output
    assert "generation 1 → 2" in done.output and "300 mention(s)" in done.output
    refused = runner.invoke(typer_app(), ["--store", f"sqlite:///{tmp_path / 'j.db'}"])
    assert refused.exit_code == 2 and "SQLite" in refused.output


def typer_app():
    import typer

    app = typer.Typer()
    app.command()(reindex_command)
    return app
