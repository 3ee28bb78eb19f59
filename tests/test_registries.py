"""Registries instead of if-chains: store backends by URL scheme (``JANMAT_STORE_BACKENDS``) and collectors by
name (the ``janmat.collectors`` entry-point group, ``JANMAT_COLLECTOR_ENABLED``)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from janmat.collectors.base import CollectContext, Collector
from janmat.collectors.registry import BUILT_IN_ORDER, pick
from janmat.collectors.runner import run_collectors
from janmat.collectors.watchlist import Watchlist
from janmat.core.errors import ConfigError
from janmat.core.mention import Mention, Platform
from janmat.core.settings import get_settings
from janmat.store import MentionQuery, MentionStore, open_store
from janmat.store.sqlite import SQLiteStore


def open_archive_store(url: str) -> MentionStore:
    """A second scheme for the embedded store, as a deployment might register for a read-mostly archive file."""
    return SQLiteStore(urlsplit(url).path)


class EchoCollector(Collector):
    """A platform from outside Janmat: delivers one mention per run, then saves its cursor."""

    name = "echo"
    platform = Platform.other

    def collect(self, ctx: CollectContext) -> None:
        runs = int(ctx.cursor("all").get("runs", 0)) + 1
        mention = Mention(id=f"echo-{runs}", platform=self.platform, url=f"https://echo.example/{runs}",
                          text="करनाल में मेरी फसल मेरा ब्यौरा पोर्टल पर पंजीकरण की तारीख बढ़ी।")
        ctx.deliver([mention], key="all", cursor={"runs": runs})


def configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry_points: dict[str, str]) -> None:
    """Install a distribution that declares ``entry_points`` in the ``janmat.collectors`` group (its metadata on
    ``sys.path``, as pip would leave it)."""
    dist = tmp_path / "site" / "janmat_echo_plugin-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: janmat-echo-plugin\nVersion: 0.1\n", encoding="utf-8")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (dist / "entry_points.txt").write_text(f"[janmat.collectors]\n{lines}", encoding="utf-8")
    monkeypatch.syspath_prepend(str(dist.parent))


# -- store backends ---------------------------------------------------------------------------------------------


def test_a_store_backend_registered_in_the_setting_is_opened_for_its_scheme(tmp_path, monkeypatch) -> None:
    configure(monkeypatch, JANMAT_STORE_BACKENDS='{"archive": "tests.test_registries.open_archive_store"}')
    path = tmp_path / "archive.db"
    with open_store(f"archive://{path}") as store:
        assert isinstance(store, SQLiteStore) and store.path == path
        store.upsert([Mention(id="a1", text="हिसार में किसानों का धरना")])
    configure(monkeypatch, JANMAT_STORE=f"archive://{path}")
    with open_store() as store:  # the default store URL takes the registered scheme too
        assert [hit.mention.id for hit in store.search(MentionQuery(text="किसान")).hits] == ["a1"]


def test_an_unknown_scheme_is_one_error_naming_every_known_scheme(monkeypatch) -> None:
    configure(monkeypatch, JANMAT_STORE_BACKENDS='{"archive": "tests.test_registries.open_archive_store"}')
    with pytest.raises(ConfigError) as caught:
        open_store("postgres://janmat:s3cret@db.example/janmat")
    message = str(caught.value)
    assert message.startswith("unknown store URL 'postgres://db.example/janmat'")
    assert ("known schemes: archive, elasticsearch+http, elasticsearch+https, opensearch+http, opensearch+https, "
            "sqlite") in message
    assert "s3cret" not in message


def test_a_registered_backend_that_cannot_be_imported_is_a_clear_error(monkeypatch) -> None:
    configure(monkeypatch, JANMAT_STORE_BACKENDS='{"archive": "tests.no_such_module.open_archive_store"}')
    with pytest.raises(ConfigError) as caught:
        open_store("archive:///tmp/archive.db")
    assert "store backend 'tests.no_such_module.open_archive_store' for archive:// cannot be imported" in str(
        caught.value)


# -- collectors ------------------------------------------------------------------------------------------------


def test_a_collector_registered_by_entry_point_runs_by_name_into_the_store(tmp_path, monkeypatch) -> None:
    install_plugin(tmp_path, monkeypatch, {"echo": "tests.test_registries:EchoCollector"})
    assert pick(None) == [*BUILT_IN_ORDER, "echo"]  # Janmat's own first, in their order, then the others

    (report,) = run_collectors(["echo"], watchlist=Watchlist(), topics=[])
    assert (report.collector, report.status, report.fetched, report.stored) == ("echo", "ok", 1, 1)
    (again,) = run_collectors(["echo"], watchlist=Watchlist(), topics=[])  # its cursor was saved and is used
    assert again.stored == 1
    with open_store() as store:
        assert sorted(hit.mention.id for hit in store.search(MentionQuery(limit=10)).hits) == ["echo-1", "echo-2"]


def test_the_enabled_setting_picks_the_default_collectors_and_their_order(tmp_path, monkeypatch) -> None:
    install_plugin(tmp_path, monkeypatch, {"echo": "tests.test_registries:EchoCollector"})
    configure(monkeypatch, JANMAT_COLLECTOR_ENABLED='["echo", "x"]')
    assert pick(None) == ["echo", "x"]
    assert pick(["youtube"]) == ["youtube"]  # -p still chooses
    configure(monkeypatch, JANMAT_COLLECTOR_ENABLED='["echo", "myspace"]')
    with pytest.raises(ConfigError) as caught:
        pick(None)
    assert str(caught.value) == f"unknown platform myspace; choose from {', '.join([*BUILT_IN_ORDER, 'echo'])}"


def test_a_plugin_that_does_not_load_fails_alone(tmp_path, monkeypatch) -> None:
    install_plugin(tmp_path, monkeypatch, {"echo": "tests.test_registries:EchoCollector",
                                           "broken": "tests.no_such_module:Collector"})
    broken, echo = run_collectors(["broken", "echo"], watchlist=Watchlist(), topics=[])
    assert broken.status == "failed" and "collector broken (tests.no_such_module:Collector) cannot be loaded" in (
        broken.message)
    assert (echo.status, echo.stored) == ("ok", 1)
