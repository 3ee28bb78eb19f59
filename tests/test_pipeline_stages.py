"""One pipeline definition: Scrapy's one item pipeline and ``MentionFlow`` build the stages declared in
``pipelines/stages.py`` and run them alike, a stage appended to the list runs in both, and a crawl remembers a URL
only once its mention is stored.

Scrapy runs in-process here (a real Crawler with the project's settings, its stats, signals and extensions, no
reactor) and, once, as a real crawl of the sample site in a child process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_crawler

import crawlers.settings as project_settings
from crawlers import signals as crawl_signals
from crawlers.process import run_spider, spider_env
from crawlers.state import CrawlState
from janmat.core.mention import Mention
from janmat.demo.run import DEMO_REGISTRY, DEMO_SOURCE_KEY
from janmat.demo.server import SiteServer
from janmat.store import MentionQuery, MentionStore, open_store
from pipelines.flow import MentionFlow
from pipelines.scrapy import MentionPipeline
from pipelines.stage import FlowReport, Labelled, Stage, StageContext
from pipelines.stages import STAGES, stage_class
from tests.local_site import REPO

WITNESS = "tests.test_pipeline_stages.Witness"
STORY = ("हिसार में किसानों ने फसल बीमा योजना के भुगतान में देरी को लेकर लघु सचिवालय के बाहर धरना दिया। किसानों का कहना है "
         "कि पिछले खरीफ सीजन में खराब हुई फसल का मुआवजा अब तक नहीं मिला है और अधिकारी हर बार नई तारीख दे देते हैं।")


class Witness(Stage):
    """A stage appended after ``store``: writes one JSON line per mention it sees to ``$JANMAT_TEST_WITNESS``."""

    name = "witness"

    def __init__(self, store: MentionStore | None) -> None:
        self.store = store

    @classmethod
    def from_context(cls, context: StageContext) -> Witness:
        return cls(context.store)

    def process_batch(self, batch: list[Labelled], report: FlowReport) -> list[Labelled]:
        with open(os.environ["JANMAT_TEST_WITNESS"], "a", encoding="utf-8") as log:
            for _, mention in batch:
                in_store = self.store is not None and self.store.get(mention.id) is not None
                log.write(json.dumps({"id": mention.id, "lang": mention.lang, "stored": in_store}) + "\n")
        return batch


def witnessed(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def sample_items() -> list[Any]:
    """Fresh items (the stages tag them in place): wire copy, an exact duplicate in a later batch, an invalid row."""
    return [
        Mention(id="hisar", url="https://example.com/hisar", title="हिसार में धरना", text=STORY),
        Mention(id="wire", url="https://example.org/wire", title="हिसार: किसानों का धरना", text=STORY + " (एजेंसी)"),
        Mention(id="hisar", url="https://example.com/hisar", title="हिसार में धरना", text=STORY),
        {"id": "empty", "url": "https://example.com/empty", "title": "no text"},
        Mention(id="camp", url="https://example.com/camp", text="A free health camp for farmers was held in Gurugram."),
    ]


def scrapy_crawler(tmp_path: Path, **overrides: Any) -> Crawler:
    """A Crawler with the project's Scrapy settings (``crawlers/settings.py``), its stats, signals and extensions."""
    settings = {name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()}
    settings.update(JANMAT_STATE_DIR=str(tmp_path / "state"), **overrides)
    if is_reactor_installed():  # an earlier test installed one: Scrapy refuses to run on another than it asks for
        from twisted.internet import reactor

        settings["TWISTED_REACTOR"] = f"{type(reactor).__module__}.{type(reactor).__name__}"
    return get_crawler(Spider, settings)


def through_scrapy(crawler: Crawler, items: list[Any]) -> MentionPipeline:
    """Hand the items to the item pipelines ``ITEM_PIPELINES`` names, as Scrapy does, then close them."""
    manager = ItemPipelineManager.from_crawler(crawler)
    assert [type(pipeline) for pipeline in manager.middlewares] == [MentionPipeline]
    pipeline = manager.middlewares[0]
    for item in items:
        assert pipeline.process_item(item) is item
    pipeline.close_spider()
    return pipeline


def stored_mentions(url: str) -> dict[str, dict[str, Any]]:
    with open_store(url) as store:
        hits = store.search(MentionQuery(limit=100)).hits
    return {hit.mention.id: hit.mention.model_dump(exclude={"fetched_at"}) for hit in hits}


def test_scrapy_names_one_adapter_that_builds_the_declared_stages_in_order(tmp_path: Path) -> None:
    crawler = scrapy_crawler(tmp_path, JANMAT_STORE=f"sqlite:///{tmp_path / 'scrapy.db'}")
    pipeline = through_scrapy(crawler, [])
    flow = MentionFlow(store=None)
    declared = [stage_class(name) for name in STAGES]
    assert [type(stage) for stage in pipeline.flow.stages] == [type(stage) for stage in flow.stages] == declared
    assert [stage.name for stage in flow.stages] == list(STAGES) == [
        "validate", "mask", "enrich", "dedupe", "store", "alert"]


def test_scrapy_and_mention_flow_store_the_same_mentions_and_count_the_same_drops(tmp_path: Path) -> None:
    flow_url, scrapy_url = f"sqlite:///{tmp_path / 'flow.db'}", f"sqlite:///{tmp_path / 'scrapy.db'}"
    with open_store(flow_url) as store:
        _, report = MentionFlow(store=store, batch_size=2).process(
            (f"row {n}", item) for n, item in enumerate(sample_items(), 1))
    crawler = scrapy_crawler(tmp_path, JANMAT_STORE=scrapy_url, JANMAT_STORE_BATCH=2)
    through_scrapy(crawler, sample_items())

    by_flow, by_scrapy = stored_mentions(flow_url), stored_mentions(scrapy_url)
    assert set(by_flow) == {"hisar", "wire", "camp"}
    assert by_scrapy == by_flow
    assert by_flow["wire"]["near_dup_cluster"] == by_flow["hisar"]["near_dup_cluster"] == "hisar"
    assert by_flow["camp"]["near_dup_cluster"] == "camp"
    assert by_flow["hisar"]["lang"] == "hi" and by_flow["camp"]["lang"] == "en"
    assert (report.stored, report.updated, report.duplicates) == (3, 0, 1)
    assert [where for where, _ in report.rejected] == ["row 4"] and "text" in report.rejected[0][1]
    stats = crawler.stats.get_stats()
    assert stats["janmat/duplicates_dropped"] == 1 and stats["janmat/invalid_items"] == 1
    assert stats["item_dropped_count"] == 2  # Scrapy's own count of dropped items, as with per-item pipelines


def test_a_stage_appended_to_the_list_runs_in_both_after_the_store(tmp_path: Path, monkeypatch) -> None:
    stages = [*STAGES, WITNESS]
    flow_seen, scrapy_seen = tmp_path / "flow.jsonl", tmp_path / "scrapy.jsonl"
    monkeypatch.setenv("JANMAT_TEST_WITNESS", str(flow_seen))
    with open_store(f"sqlite:///{tmp_path / 'flow.db'}") as store:
        MentionFlow(store=store, batch_size=2, stages=stages).run(sample_items())
    monkeypatch.setenv("JANMAT_TEST_WITNESS", str(scrapy_seen))
    crawler = scrapy_crawler(tmp_path, JANMAT_STORE=f"sqlite:///{tmp_path / 'scrapy.db'}", JANMAT_STORE_BATCH=2,
                             JANMAT_PIPELINE_STAGES=stages)
    through_scrapy(crawler, sample_items())

    expected = [{"id": "hisar", "lang": "hi", "stored": True}, {"id": "wire", "lang": "hi", "stored": True},
                {"id": "camp", "lang": "en", "stored": True}]
    assert witnessed(flow_seen) == witnessed(scrapy_seen) == expected


def test_a_crawl_remembers_only_the_urls_whose_mentions_were_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'scrapy.db'}"
    with open_store(url) as store:  # the store refuses one mention, as a constraint or a mapping error would
        store._db.execute("CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.id = 'camp' "
                          "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    crawler = scrapy_crawler(tmp_path, JANMAT_STORE=url, JANMAT_STORE_BATCH=2)
    handed: list[dict[str, Any]] = []
    errors: list[Any] = []

    def record(stored: list[Mention], failed: dict[str, str]) -> None:
        handed.append({"stored": [mention.id for mention in stored], "failed": failed})

    crawler.signals.connect(record, signal=crawl_signals.mentions_stored)
    crawler.signals.connect(lambda item, failure: errors.append(item.id), signal=signals.item_error, weak=False)
    through_scrapy(crawler, sample_items())
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")

    assert [batch["stored"] for batch in handed] == [["hisar", "wire"], [], []]  # batches of 2; "camp" refused
    assert handed[-1]["failed"] == {"camp": "refused by the test"} and errors == ["camp"]
    assert crawler.stats.get_value("janmat/store_failed") == 1
    with CrawlState(tmp_path / "state" / "crawl.sqlite") as state:
        assert state.is_seen("https://example.com/hisar") and state.is_seen("https://example.org/wire")
        assert not state.is_seen("https://example.com/camp")
        assert state.seen_count() == 2


def test_a_real_crawl_runs_the_appended_stage_on_every_stored_article(tmp_path: Path) -> None:
    seen = tmp_path / "witness.jsonl"
    store_url = f"sqlite:///{tmp_path / 'crawl.db'}"
    settings = {"JANMAT_STORE": store_url, "JANMAT_STATE_DIR": str(tmp_path / "state"), "LOG_LEVEL": "INFO",
                "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "JANMAT_STORE_BATCH": "7",
                "JANMAT_PIPELINE_STAGES": ",".join([*STAGES, WITNESS])}
    env = spider_env(unset=("JANMAT_REDIS_URL", "JANMAT_CRAWL_REDIS_URL"), JANMAT_TEST_WITNESS=str(seen))
    with SiteServer() as server, (tmp_path / "crawl.log").open("w", encoding="utf-8") as log:
        args = {"registry": str(DEMO_REGISTRY), "source": DEMO_SOURCE_KEY, "base_url": server.base_url}
        status = run_spider("news", args, settings, cwd=REPO, output=log, env=env)
    crawl_log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert status == 0, crawl_log[-3000:]

    stored = stored_mentions(store_url)
    lines = witnessed(seen)
    assert len(stored) >= 20
    assert sorted(line["id"] for line in lines) == sorted(stored)
    assert all(line["stored"] and line["lang"] for line in lines)
    with CrawlState(tmp_path / "state" / "crawl.sqlite") as state:
        assert all(state.is_seen(mention["canonical_url"]) for mention in stored.values())
    assert f"pipeline: {len(stored)} stored" in crawl_log
