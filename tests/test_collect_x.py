"""X recent-search collector against a local fake of the X API v2 (only the base URL differs from production)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from janmat.collectors.topics import Topic
from janmat.collectors.watchlist import Watchlist, XWatch
from janmat.core.mention import Platform, mention_id_for_post
from tests.fakes.harness import configure, run, stored
from tests.fakes.server import Answer, Seen, invalid_json, server_error
from tests.fakes.x_api import FakeX, rate_limited

TOKEN = "x-bearer-AAAAfake0123456789"
KISAN = Topic("scheme", "pm_kisan", ("पीएम किसान", "PM Kisan", "kisan samman nidhi"))


@pytest.fixture
def fake_x(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    fake = FakeX(TOKEN).start()
    fake.add_user("11", "kisan_haryana", "किसान मंच हरियाणा")
    fake.add_user("12", "cmohry", "CMO Haryana")
    configure(monkeypatch, x_bearer_token=TOKEN, x_api_base=fake.url)
    yield fake
    fake.stop()


def publish(fake: FakeX, count: int, start_minutes: float = 600) -> None:
    for i in range(count):
        fake.add_post(f"पीएम किसान की किस्त #{i} आज खाते में आई", "11", minutes_ago=start_minutes - i, likes=i)


def test_pages_to_the_end_then_second_run_gets_only_new_posts(fake_x: FakeX) -> None:
    publish(fake_x, 230)
    fake_x.add_post("unrelated cricket news", "11")
    first = run(["x"], [KISAN])["x"]
    assert first.status == "ok", first.message
    assert first.fetched == 230 and first.stored == 230
    searches = fake_x.requests_to("/search/recent")
    assert len(searches) == 3  # 100 + 100 + 30
    assert [("next_token" in r.params) for r in searches] == [False, True, True]
    assert all(r.params["query"].endswith("lang:hi -is:retweet") for r in searches)
    assert "start_time" in searches[0].params and "since_id" not in searches[0].params

    publish(fake_x, 7, start_minutes=5)
    second = run(["x"], [KISAN])["x"]
    assert second.fetched == 7 and second.stored == 7 and second.updated == 0
    newest_before = fake_x.posts[229].id  # the newest matching post; the cricket one does not match
    assert fake_x.requests_to("/search/recent")[-1].params["since_id"] == str(newest_before)
    assert len(stored("x")) == 237


def test_restart_after_a_failure_mid_paging_neither_loses_nor_repeats(fake_x: FakeX,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    publish(fake_x, 250)
    outage = {"on": True}
    normal_route = fake_x.route

    def route(request: Seen) -> Answer:  # page 2 and later fail while the outage lasts
        if outage["on"] and "next_token" in request.params:
            return server_error(503)
        return normal_route(request)

    monkeypatch.setattr(fake_x, "route", route)
    first = run(["x"], [KISAN])["x"]
    assert first.status == "failed" and "HTTP 503" in first.message
    assert first.fetched == 100

    outage["on"] = False
    second = run(["x"], [KISAN])["x"]
    assert second.status == "ok", second.message
    assert second.fetched == 150, "the second run resumes on page 2 instead of starting over"
    searches = fake_x.requests_to("/search/recent")
    resumed = searches[-2]  # the second run's first request
    assert "next_token" in resumed.params
    assert resumed.params["start_time"] == searches[0].params["start_time"], "a next_token keeps its request"
    mentions = stored("x")
    assert len(mentions) == 250 == first.fetched + second.fetched
    assert len({m.id for m in mentions}) == 250


def test_waits_for_the_rate_limit_reset_then_continues(fake_x: FakeX) -> None:
    publish(fake_x, 120)
    fake_x.then(rate_limited(reset_in=1))
    report = run(["x"], [KISAN])["x"]
    assert report.status == "ok", report.message
    assert report.fetched == 120
    assert len(fake_x.requests_to("/search/recent")) == 3  # 429, page 1, page 2


def test_a_reset_beyond_the_allowed_wait_stops_cleanly_and_keeps_the_cursor(fake_x: FakeX,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    publish(fake_x, 20)
    configure(monkeypatch, collector_max_wait_seconds=0.5)
    fake_x.then(rate_limited(reset_in=600))
    report = run(["x"], [KISAN])["x"]
    assert report.status == "stopped" and "rate limited until" in report.message
    assert report.fetched == 0
    again = run(["x"], [KISAN])["x"]
    assert again.fetched == 20


def test_retries_server_errors(fake_x: FakeX) -> None:
    publish(fake_x, 15)
    fake_x.then(server_error(502), server_error(503))
    report = run(["x"], [KISAN])["x"]
    assert report.status == "ok", report.message
    assert report.fetched == 15 and report.requests == 3


def test_invalid_json_is_a_clear_error_and_loses_nothing(fake_x: FakeX) -> None:
    publish(fake_x, 40)
    fake_x.then(invalid_json())
    broken = run(["x"], [KISAN])["x"]
    assert broken.status == "failed"
    assert "invalid JSON" in broken.message and "/2/tweets/search/recent" in broken.message
    assert broken.fetched == 0
    fixed = run(["x"], [KISAN])["x"]
    assert fixed.fetched == 40 and len(stored("x")) == 40


def test_a_changed_response_shape_names_the_problem(fake_x: FakeX) -> None:
    publish(fake_x, 5)
    fake_x.shape_changed = True
    report = run(["x"], [KISAN])["x"]
    assert report.status == "failed"
    assert "unexpected shape" in report.message and "meta" in report.message


def test_post_fields_become_mention_fields(fake_x: FakeX) -> None:
    parent = fake_x.add_post("पीएम किसान योजना पर सवाल", "11", minutes_ago=30)
    reply = fake_x.add_post("@kisan_haryana पीएम किसान का पैसा अभी नहीं आया", "11", minutes_ago=20,
                            reply_to=parent.id, likes=4, retweets=2, replies=1, impressions=300)
    fake_x.add_post("PM Kisan installment credited", "11", minutes_ago=15, lang="en")  # filtered by lang:hi
    fake_x.add_post("पीएम किसान पर रोक", "11", minutes_ago=10, withheld_in=["IN"])
    run(["x"], [KISAN])
    by_post = {m.post_id: m for m in stored("x")}
    assert set(by_post) == {str(parent.id), str(reply.id), str(fake_x.posts[-1].id)}
    m = by_post[str(reply.id)]
    assert m.id == mention_id_for_post(Platform.x, str(reply.id))
    assert m.parent_id == mention_id_for_post(Platform.x, str(parent.id))
    assert (m.engagement.likes, m.engagement.shares, m.engagement.replies, m.engagement.views) == (4, 2, 1, 300)
    assert m.author == "किसान मंच हरियाणा" and m.source.name == "@kisan_haryana"
    assert m.url == f"https://x.com/kisan_haryana/status/{reply.id}"
    assert m.published_at is not None and m.published_at.tzinfo is not None
    assert m.lang == "hi" and m.meta["collector_query"] == "scheme:pm_kisan"
    assert by_post[str(fake_x.posts[-1].id)].meta["withheld_in"] == ["IN"]


def test_a_post_deleted_between_runs_breaks_nothing(fake_x: FakeX) -> None:
    publish(fake_x, 12)
    run(["x"], [KISAN])
    fake_x.delete(fake_x.posts[-1].id)
    publish(fake_x, 3, start_minutes=2)
    report = run(["x"], [KISAN])["x"]
    assert report.status == "ok" and report.fetched == 3
    assert len(stored("x")) == 15  # what was stored stays stored


def test_watched_accounts_are_searched_with_from(fake_x: FakeX) -> None:
    fake_x.add_post("जनसंवाद कार्यक्रम आज करनाल में", "12")
    fake_x.add_post("किसी और का पोस्ट", "11")
    report = run(["x"], [], Watchlist(x=XWatch(accounts=["cmohry"])))["x"]
    assert report.fetched == 1
    assert fake_x.requests_to("/search/recent")[0].params["query"] == "(from:cmohry) -is:retweet"


def test_without_a_token_the_collector_is_skipped_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("JANMAT_X_BEARER_TOKEN", raising=False)
    configure(monkeypatch, x_api_base="http://127.0.0.1:9")
    with caplog.at_level(logging.INFO, logger="janmat.collectors"):
        report = run(["x"], [KISAN])["x"]
    assert report.status == "skipped" and "JANMAT_X_BEARER_TOKEN" in report.message
    lines = [r for r in caplog.records if r.name.startswith("janmat.collectors")]
    assert len(lines) == 1 and "JANMAT_X_BEARER_TOKEN" in lines[0].getMessage()
