"""No loss on outage: what an engine cannot take goes to the durable spool and is replayed, in order, once.

The outage is real: the store talks to a real node through a TCP proxy on 127.0.0.1 that the test cuts
(connections refused and reset) and restores in the middle of a run.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from janmat.cli.spool import spool_app
from janmat.core.mention import IST, Engagement, Mention
from janmat.store import MentionQuery, open_store
from janmat.store.engine import EngineStore
from janmat.store.spool import Spool
from tests.store_backends import engine_http_url, remove_store, use_fresh_prefix
from tests.tcp_proxy import CuttableProxy

ENGINES = [pytest.param(kind, marks=pytest.mark.engine) for kind in ("opensearch", "elasticsearch")]


def news(number: int, version: int = 1) -> Mention:
    return Mention(
        id=f"m{number:04d}",
        text=f"हिसार मंडी में किसानों की खबर संख्या {number} संस्करण {version}",
        published_at=datetime(2026, 1 + number % 3, 1 + number % 27, 12, 0, tzinfo=IST),
        meta={"version": version},
    )


@pytest.fixture(params=ENGINES)
def kind(request) -> str:
    return request.param


@pytest.fixture
def proxied(kind, monkeypatch) -> Iterator[tuple[EngineStore, CuttableProxy, EngineStore]]:
    """A store that reaches the engine through a cuttable proxy, and one that reaches it directly."""
    upstream = urlsplit(engine_http_url(kind))
    use_fresh_prefix(monkeypatch)
    proxy = CuttableProxy(upstream.hostname, upstream.port)
    through_proxy = open_store(f"{kind}+http://127.0.0.1:{proxy.port}")
    direct = open_store(f"{kind}+{upstream.scheme}://{upstream.netloc}")
    assert isinstance(through_proxy, EngineStore) and isinstance(direct, EngineStore)
    yield through_proxy, proxy, direct
    proxy.close()
    through_proxy.close()
    remove_store(direct)


def copies_per_id(store: EngineStore) -> Counter[str]:
    """How many documents behind the alias carry each id (a duplicate would show as 2)."""
    store.refresh()
    counter: Counter[str] = Counter()
    for hits in store.scan({"query": {"match_all": {}}, "_source": ["id"]}):
        counter.update(hit["_id"] for hit in hits)
    return counter


def test_engine_outage_mid_run_loses_nothing_and_duplicates_nothing(proxied):
    store, proxy, direct = proxied
    latest: dict[str, int] = {}
    spooled_during_outage = 0
    for batch_number in range(20):
        if batch_number == 6:
            proxy.cut()
        if batch_number == 13:
            proxy.restore()
        batch = [news(batch_number * 40 + i) for i in range(40)]
        # every batch also re-sends some earlier mentions with a newer version: replay must keep the order
        batch += [news(n, version=batch_number + 1) for n in range(max(0, batch_number - 3) * 40, batch_number * 40, 9)]
        report = store.upsert(batch)
        for mention in batch:
            latest[mention.id] = mention.meta["version"]
        if 6 <= batch_number < 13:
            assert report.spooled == len(batch) and report.stored == report.updated == 0
            spooled_during_outage += report.spooled
        else:
            assert report.spooled == 0 and report.failed == {}
    assert spooled_during_outage > 0
    assert store.spool.pending_count() == 0
    copies = copies_per_id(direct)
    assert set(copies) == set(latest)
    assert max(copies.values()) == 1
    for mention_id, version in latest.items():
        assert direct.get(mention_id).meta["version"] == version, mention_id
    assert direct.count(MentionQuery(text="किसान")) == len(latest)


def test_engine_down_from_the_start_then_replayed_by_the_cli(proxied):
    store, proxy, direct = proxied
    proxy.cut()
    report = store.upsert([news(n) for n in range(25)])
    assert report.spooled == 25 and report.stored == 0
    assert store.spool.pending_count() == 25
    runner = CliRunner()
    url = store.url
    status = runner.invoke(spool_app, ["status", "--store", url])
    assert status.exit_code == 0 and "25" in status.output
    still_down = runner.invoke(spool_app, ["replay", "--store", url])
    assert still_down.exit_code != 0
    proxy.restore()
    replayed = runner.invoke(spool_app, ["replay", "--store", url])
    assert replayed.exit_code == 0, replayed.output
    assert "still pending: 0" in replayed.output
    direct.refresh()
    assert direct.count() == 25
    assert Spool(store.spool.path).pending_count() == 0


def test_engine_refusing_writes_spools_the_batch_until_it_accepts_again(proxied):
    store, _, direct = proxied
    store.upsert([news(0)])
    index = direct.alias_indices()[0]
    direct.client.request("PUT", f"/{index}/_settings", {"index.blocks.write": True})
    try:
        report = store.upsert([news(0, version=2), news(3)])
        assert report.spooled == 2 and report.failed == {}
        assert store.spool.status().last_reason and "block" in store.spool.status().last_reason
    finally:
        direct.client.request("PUT", f"/{index}/_settings", {"index.blocks.write": None})
    report = store.upsert([news(6)])
    assert report.spooled == 0 and store.spool.pending_count() == 0
    direct.refresh()
    assert direct.get("m0000").meta["version"] == 2
    assert direct.count() == 3


def test_mention_the_engine_refuses_is_reported_and_kept(proxied):
    store, _, direct = proxied
    broken = news(1).model_copy(update={"engagement": Engagement(likes=2**70)})
    report = store.upsert([news(0), broken, news(2)])
    assert (report.stored, report.spooled) == (2, 0)
    assert set(report.failed) == {broken.id} and "likes" in report.failed[broken.id]
    kept = store.spool.rejected()
    assert [entry.mention for entry in kept] == [broken]
    assert store.spool.pending_count() == 0
    assert store.spool.requeue_rejected() == 1
    again = store.replay_spool()
    assert set(again.failed) == {broken.id}
    assert store.spool.status().rejected == 1 and store.spool.pending_count() == 0
    direct.refresh()
    assert direct.count() == 2 and direct.get(broken.id) is None


def test_spool_is_durable_and_ordered(tmp_path):
    path = tmp_path / "spool" / "engine.sqlite"
    first = Spool(path)
    assert first.pending_count() == 0 and not path.exists()
    first.add([news(3), news(1)], "down")
    first.add([news(2), news(1, version=2)], "down")
    first.close()
    reopened = Spool(path)
    entries = reopened.head(10)
    assert [(e.mention.id, e.mention.meta["version"]) for e in entries] == [
        ("m0003", 1), ("m0001", 1), ("m0002", 1), ("m0001", 2)]
    reopened.done([entries[0].seq, entries[1].seq])
    assert [e.mention.id for e in reopened.head(10)] == ["m0002", "m0001"]
    reopened.move_to_rejected({entries[2].seq: "mapper_parsing_exception"})
    assert reopened.status().pending == 1 and reopened.status().rejected == 1


def test_only_one_process_replays_a_spool_at_a_time(tmp_path):
    one, two = Spool(tmp_path / "s.sqlite"), Spool(tmp_path / "s.sqlite")
    with one.replaying() as first:
        with two.replaying() as second:
            assert first and not second
    with two.replaying() as later:
        assert later


def test_sqlite_store_has_no_spool_to_replay(tmp_path):
    result = CliRunner().invoke(spool_app, ["status", "--store", f"sqlite:///{tmp_path / 'j.db'}"])
    assert result.exit_code == 2
    assert "never spools" in result.output


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
@pytest.mark.parametrize("with_api_key", [False, True])
def test_store_credentials_from_settings_go_over_the_wire(kind, with_api_key, monkeypatch):
    upstream = urlsplit(engine_http_url(kind))
    use_fresh_prefix(monkeypatch)
    monkeypatch.setenv("JANMAT_STORE_USERNAME", "janmat-writer")
    monkeypatch.setenv("JANMAT_STORE_PASSWORD", "s3cret")
    if with_api_key:
        monkeypatch.setenv("JANMAT_STORE_API_KEY", "a2V5OnNlY3JldA==")
    from janmat.core.settings import get_settings

    get_settings.cache_clear()
    proxy = CuttableProxy(upstream.hostname, upstream.port)
    store = open_store(f"{kind}+http://127.0.0.1:{proxy.port}")
    try:
        store.ensure_ready()
    finally:
        remove_store(store)
        proxy.close()
    wire = bytes(proxy.sent).lower()
    basic = b"authorization: basic " + base64.b64encode(b"janmat-writer:s3cret").lower()
    if with_api_key:  # the API key is used instead of username and password
        assert b"authorization: apikey " + b"a2V5OnNlY3JldA==".lower() in wire and basic not in wire
    else:
        assert basic in wire and b"apikey" not in wire
    assert b"s3cret" not in wire
