"""All API collectors in one run against their fakes: isolation when one platform changes, and no token leaks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from janmat.cli.collect import collect_app
from janmat.collectors.state import state_path
from janmat.collectors.topics import Topic
from janmat.collectors.watchlist import FacebookWatch, FactCheckFeed, FactCheckWatch, Watchlist
from janmat.core.settings import get_settings
from tests.fakes.factcheck_site import Article, FakeFactCheckSite
from tests.fakes.gnews_feed import FakeGoogleNews, Story
from tests.fakes.graph_api import FakeGraph
from tests.fakes.harness import configure, run, stored
from tests.fakes.x_api import FakeX
from tests.fakes.youtube_api import FakeYouTube

X_TOKEN = "AAAAAAAAxBearerSecret-7f3e"
YT_KEY = "AIzaSyYouTubeSecret-91ab"
FB_TOKEN = "EAAFacebookSecret-55cd"
TOPIC = Topic("scheme", "mfmb", ("मेरी फसल मेरा ब्यौरा", "Meri Fasal Mera Byora"))


@dataclass
class Fakes:
    x: FakeX
    youtube: FakeYouTube
    graph: FakeGraph
    gnews: FakeGoogleNews
    site: FakeFactCheckSite

    def watchlist(self) -> Watchlist:
        return Watchlist(facebook=FacebookWatch(pages=["DPROKarnal"]), factcheck=FactCheckWatch(
            feeds=[FactCheckFeed(name="डेस्क", url=f"{self.site.url}/feed/", lang="hi")]))


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fakes]:
    all_fakes = Fakes(FakeX(X_TOKEN).start(), FakeYouTube(YT_KEY).start(), FakeGraph(FB_TOKEN).start(),
                      FakeGoogleNews().start(), FakeFactCheckSite().start())
    all_fakes.x.add_user("7", "karnal_kisan", "करनाल किसान")
    for i in range(12):
        all_fakes.x.add_post(f"मेरी फसल मेरा ब्यौरा पोर्टल फिर बंद #{i}", "7", minutes_ago=300 - i)
    video = all_fakes.youtube.add_video("मेरी फसल मेरा ब्यौरा पर पंजीकरण कैसे करें", minutes_ago=200)
    all_fakes.youtube.add_comment(video, "पोर्टल नहीं खुल रहा", minutes_ago=100)
    all_fakes.graph.add_page("DPROKarnal", "डीपीआरओ करनाल")
    post = all_fakes.graph.add_post("DPROKarnal", "मेरी फसल मेरा ब्यौरा की अंतिम तिथि बढ़ी", minutes_ago=90)
    all_fakes.graph.add_comment(post, "धन्यवाद", minutes_ago=80)
    # The article URL is on a local fake too: the collector hands it to a crawl, which must not go online.
    all_fakes.gnews.add(Story("मेरी फसल मेरा ब्यौरा: पंजीकरण की तारीख बढ़ी", "हरिभूमि", "https://www.haribhoomi.com",
                              f"{all_fakes.gnews.url}/haryana/mfmb.html", 60))
    all_fakes.site.add(Article("mfmb-band", "फ़ैक्ट चेक: मेरी फसल मेरा ब्यौरा पोर्टल बंद होने का दावा ग़लत",
                               "मेरी फसल मेरा ब्यौरा पोर्टल हमेशा के लिए बंद", rating="ग़लत", rating_value=1))
    configure(monkeypatch, x_bearer_token=X_TOKEN, x_api_base=all_fakes.x.url,
              youtube_api_key=YT_KEY, youtube_api_base=f"{all_fakes.youtube.url}/youtube/v3",
              facebook_page_token=FB_TOKEN, facebook_graph_base=f"{all_fakes.graph.url}/v23.0",
              gnews_base=all_fakes.gnews.url, collect_open_web="true")
    yield all_fakes
    for fake in (all_fakes.x, all_fakes.youtube, all_fakes.graph, all_fakes.gnews, all_fakes.site):
        fake.stop()


API_COLLECTORS = ["x", "youtube", "facebook", "gnews", "factcheck"]
EXPECTED = {"x": 12, "youtube": 2, "facebook": 2, "gnews": 1, "factcheck": 1}


def test_every_collector_delivers_and_a_restart_repeats_nothing(fakes: Fakes) -> None:
    first = run(API_COLLECTORS, [TOPIC], fakes.watchlist())
    assert {name: (r.status, r.fetched) for name, r in first.items()} == {
        name: ("ok", count) for name, count in EXPECTED.items()}
    second = run(API_COLLECTORS, [TOPIC], fakes.watchlist())
    assert all(r.status == "ok" and r.fetched == 0 for r in second.values()), second
    mentions = stored()
    assert len(mentions) == sum(EXPECTED.values()) == len({m.id for m in mentions})


def test_a_platform_that_changed_its_api_breaks_only_its_own_adapter(fakes: Fakes) -> None:
    fakes.x.shape_changed = True
    reports = run(API_COLLECTORS, [TOPIC], fakes.watchlist())
    assert reports["x"].status == "failed" and "unexpected shape" in reports["x"].message
    for name in ("youtube", "facebook", "gnews", "factcheck"):
        assert (reports[name].status, reports[name].fetched) == ("ok", EXPECTED[name])
    assert stored("x") == []


def test_tokens_never_reach_logs_state_or_the_store(fakes: Fakes, caplog: pytest.LogCaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = (X_TOKEN, YT_KEY, FB_TOKEN)
    with caplog.at_level(logging.DEBUG):
        run(API_COLLECTORS, [TOPIC], fakes.watchlist())
        configure(monkeypatch, facebook_page_token="EAAWrongFacebookSecret-00")  # an error path too
        run(["facebook"], [TOPIC], fakes.watchlist())
    assert any("/v23.0/" in r.getMessage() for r in caplog.records), "httpx request logs were captured"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    store_file = get_settings().data_dir / "janmat.db"
    files = [store_file, state_path(), *store_file.parent.glob("janmat.db-*"), *state_path().parent.glob("*.db-*")]
    written = b"".join(path.read_bytes() for path in files if path.exists())
    for secret in (*secrets, "EAAWrongFacebookSecret-00"):
        assert secret not in logged
        assert secret.encode() not in written
    assert fakes.graph.seen and fakes.graph.seen[0].params["access_token"] == FB_TOKEN  # it was really sent


def test_cli_run_queries_and_status(fakes: Fakes, tmp_path_factory: pytest.TempPathFactory,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    watchlist = tmp_path_factory.mktemp("watch") / "watchlist.yaml"
    watchlist.write_text("keywords:\n  - name: mfmb\n    terms: [\"मेरी फसल मेरा ब्यौरा\"]\n", encoding="utf-8")
    configure(monkeypatch, watchlist=watchlist)
    runner = CliRunner()
    queries = runner.invoke(collect_app, ["queries", "--platform", "x", "--json"])
    assert queries.exit_code == 0, queries.output
    rows = json.loads(queries.stdout)
    assert {"platform": "x", "key": "keyword:mfmb", "query": '("मेरी फसल मेरा ब्यौरा") lang:hi -is:retweet'} in rows
    assert all(len(row["query"]) <= 512 for row in rows)

    with monkeypatch.context() as patched:  # only the keyword topic, so the run stays small
        patched.setattr("janmat.collectors.runner.all_topics",
                        lambda wl: [Topic("keyword", "mfmb", ("मेरी फसल मेरा ब्यौरा",))])
        result = runner.invoke(collect_app, ["run", "-p", "x", "-p", "youtube", "--json"])
    assert result.exit_code == 0, result.output
    reports = {r["collector"]: r for r in json.loads(result.stdout)}
    assert reports["x"]["fetched"] == 12 and reports["youtube"]["fetched"] == 2

    status = runner.invoke(collect_app, ["status", "--json"])
    assert status.exit_code == 0, status.output
    payload = json.loads(status.stdout)
    assert {"collector": "x", "key": "keyword:mfmb"}.items() <= next(
        c for c in payload["cursors"] if c["collector"] == "x").items()
    assert payload["youtube_quota"]["used"] == 100 + 1 + 1

    unknown = runner.invoke(collect_app, ["run", "-p", "myspace"])
    assert unknown.exit_code == 2 and "unknown platform myspace" in unknown.output


def test_cli_run_exits_1_when_a_collector_failed(fakes: Fakes, monkeypatch: pytest.MonkeyPatch) -> None:
    fakes.x.shape_changed = True
    monkeypatch.setattr("janmat.collectors.runner.all_topics", lambda wl: [TOPIC])
    result = CliRunner().invoke(collect_app, ["run", "-p", "x"])
    assert result.exit_code == 1
    assert "unexpected shape" in result.output
