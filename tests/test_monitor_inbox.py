"""The monitor's crawl inbox: a crawl child's stages hand mentions over durably; the drain enriches and stores them
in the monitor's process, once, and an empty inbox costs nothing."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from janmat.core.mention import IST
from janmat.core.settings import get_settings
from janmat.core.urls import mention_id_for_page
from janmat.monitor.inbox import InboxDrain
from janmat.store import MentionQuery, open_store
from janmat.store.spool import Spool
from pipelines.flow import MentionFlow
from pipelines.handoff import HANDOFF_STAGES, crawl_inbox_path


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("JANMAT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("JANMAT_STORE", raising=False)
    monkeypatch.delenv("JANMAT_STORE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def crawled(n: int) -> dict:
    url = f"https://news.example.in/hisar/{n}"
    return {"id": mention_id_for_page(url), "url": url, "title": f"हिसार में पेंशन शिविर {n}",
            "text": f"हिसार में बुढ़ापा पेंशन के लिए शिविर {n} लगाया गया, सैकड़ों बुज़ुर्ग पहुँचे।",
            "published_at": datetime(2026, 3, 10, 9, n, tzinfo=IST).isoformat(), "platform": "news",
            "source": {"name": "example", "domain": "news.example.in"}}


def test_handed_over_mentions_wait_untagged_then_one_drain_tags_and_stores_each_once(settings) -> None:
    child = MentionFlow(store=None, stages=HANDOFF_STAGES)  # what a monitor crawl's child runs
    report = child.run([crawled(n) for n in range(3)] + [{**crawled(9), "url": "javascript:alert(1)"}])
    assert len(report.rejected) == 1  # validation still happens in the child
    inbox = Spool(crawl_inbox_path(settings))
    waiting = inbox.head(10)
    assert len(waiting) == 3 and all(entry.mention.district_keys == [] for entry in waiting)  # not tagged yet

    drain = InboxDrain(settings)
    outcome = drain.run(threading.Event())
    assert (outcome.status, outcome.summary["taken"], outcome.summary["new"]) == ("ok", 3, 3)
    assert inbox.pending_count() == 0
    with open_store() as store:
        hits = store.search(MentionQuery(districts=["Hisar"], limit=10)).hits
    assert sorted(hit.mention.title for hit in hits) == sorted(f"हिसार में पेंशन शिविर {n}" for n in range(3))
    assert drain.run(threading.Event()).status == "idle"

    # the same page crawled again (a monitor killed before it dropped the batch does this) updates, never doubles
    child.run([crawled(0)])
    assert drain.run(threading.Event()).summary["new"] == 0
    with open_store() as store:
        assert store.search(MentionQuery(districts=["Hisar"], limit=10)).total == 3


def test_a_stopping_monitor_leaves_the_inbox_for_its_next_start(settings) -> None:
    MentionFlow(store=None, stages=HANDOFF_STAGES).run([crawled(n) for n in range(2)])
    stopping = threading.Event()
    stopping.set()
    outcome = InboxDrain(settings).run(stopping)
    assert (outcome.status, outcome.summary["taken"]) == ("ok", 0)
    assert Spool(crawl_inbox_path(settings)).pending_count() == 2
