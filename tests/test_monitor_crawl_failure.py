"""A monitor crawl that fails keeps its log where the next run does not overwrite it, and its error says where."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from crawlers.sources import load_registry
from janmat.core.settings import JanmatSettings
from janmat.monitor.crawl import SourceCrawl
from tests.test_monitor_live_site import LiveNewsSite


def crawl_of(registry: Path, source_key: str) -> SourceCrawl:
    return SourceCrawl(load_registry(registry).get(source_key), JanmatSettings(), registry)


def test_a_failed_crawl_keeps_its_log_and_names_it_in_the_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JANMAT_DATA_DIR", str(tmp_path / "data"))
    # a Scrapy override naming a component that is not there: the crawl exits before it can write a report
    monkeypatch.setenv("JANMAT_MONITOR_CRAWL_SETTINGS", json.dumps({"DOWNLOADER_MIDDLEWARES": '{"no_such.Part": 1}'}))
    with LiveNewsSite(1) as site:
        site.publish(0)
        registry = site.write_registry(tmp_path / "sources.yaml")
        crawl = crawl_of(registry, "live-00")
        outcome = crawl.run(threading.Event())

        assert outcome.status == "failed"
        assert str(crawl.paths.failed_log) in (outcome.error or "")
        assert "no_such" in crawl.paths.failed_log.read_text(encoding="utf-8")
        assert not crawl.paths.log.exists()

        monkeypatch.delenv("JANMAT_MONITOR_CRAWL_SETTINGS")
        again = crawl_of(registry, "live-00").run(threading.Event())
    assert again.status == "ok" and again.error is None
    assert crawl.paths.log.exists()  # the good run's log
    assert "no_such" in crawl.paths.failed_log.read_text(encoding="utf-8")  # the failure's, still there
