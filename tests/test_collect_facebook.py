"""Facebook collector against a local fake of the Graph API (only the base URL differs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from janmat.collectors.state import CollectorState
from janmat.collectors.watchlist import FacebookWatch, Watchlist
from janmat.core.mention import Platform, mention_id_for_post
from tests.fakes.graph_api import FakeGraph, graph_error
from tests.fakes.harness import configure, run, stored
from tests.fakes.server import Answer, Seen

TOKEN = "EAAGfakePageToken0123456789abcdef"
PAGE = "DPROHisar"
WATCH = Watchlist(facebook=FacebookWatch(pages=[PAGE]))


@pytest.fixture
def fake_fb(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph(TOKEN).start()
    fake.add_page(PAGE, "जिला सूचना एवं जनसंपर्क कार्यालय हिसार")
    configure(monkeypatch, facebook_page_token=TOKEN, facebook_graph_base=f"{fake.url}/v23.0")
    yield fake
    fake.stop()


def test_posts_and_comments_are_paged_to_the_end(fake_fb: FakeGraph) -> None:
    posts = [fake_fb.add_post(PAGE, f"हिसार में समाधान शिविर #{i}", minutes_ago=500 - i, reactions=i, shares=1)
             for i in range(30)]
    fake_fb.add_post(PAGE, None, minutes_ago=5)  # a bare photo: no text, nothing to store
    top = fake_fb.add_comment(posts[-1], "शिविर में मेरी शिकायत का समाधान हुआ", minutes_ago=3)
    reply = fake_fb.add_comment(posts[-1], "मेरी नहीं हुई", minutes_ago=2, parent=top)

    report = run(["facebook"], watchlist=WATCH)["facebook"]
    assert report.status == "ok", report.message
    assert report.fetched == 30 + 2
    assert len(fake_fb.requests_to(f"/{PAGE}/posts")) == 2  # 25 + 6 (one without text)
    by_post = {m.post_id: m for m in stored("facebook")}
    newest = by_post[posts[-1].id]
    assert newest.engagement.likes == 29 and newest.engagement.comments == 2 and newest.engagement.shares == 1
    assert newest.url.startswith("https://www.facebook.com/DPROHisar/posts/")
    assert newest.source.name == "जिला सूचना एवं जनसंपर्क कार्यालय हिसार"
    assert by_post[top].parent_id == mention_id_for_post(Platform.facebook, posts[-1].id)
    assert by_post[reply].parent_id == mention_id_for_post(Platform.facebook, top)
    comments = fake_fb.requests_to("/comments")
    assert comments and all(r.params["filter"] == "stream" for r in comments)
    with CollectorState() as state:  # Graph puts the token into paging.next; it must not reach our state
        assert TOKEN not in state.path.read_bytes().decode("utf-8", "replace")


def test_second_run_fetches_only_new_posts_and_comments(fake_fb: FakeGraph) -> None:
    old = fake_fb.add_post(PAGE, "पराली प्रबंधन पर बैठक", minutes_ago=120)
    fake_fb.add_comment(old, "अच्छी पहल", minutes_ago=100)
    assert run(["facebook"], watchlist=WATCH)["facebook"].fetched == 2

    fake_fb.add_post(PAGE, "फसल खरीद की नई तारीख", minutes_ago=10)
    fake_fb.add_comment(old, "मंडी में भुगतान देर से", minutes_ago=5)
    second = run(["facebook"], watchlist=WATCH)["facebook"]
    assert second.status == "ok", second.message
    assert second.fetched == 2 and second.updated == 0
    assert len(stored("facebook")) == 4


def test_a_deleted_post_closes_its_comments_and_the_rest_continue(fake_fb: FakeGraph) -> None:
    gone = fake_fb.add_post(PAGE, "हटाई जाने वाली पोस्ट", minutes_ago=60)
    kept = fake_fb.add_post(PAGE, "जल जीवन मिशन का काम पूरा", minutes_ago=50)
    run(["facebook"], watchlist=WATCH)
    gone.deleted = True
    fake_fb.add_comment(kept, "हमारे गाँव में अभी नल नहीं", minutes_ago=1)
    report = run(["facebook"], watchlist=WATCH)["facebook"]
    assert report.status == "ok", report.message
    assert report.gone == 1 and report.fetched == 1
    assert len(stored("facebook")) == 3


def test_a_bad_token_fails_with_a_clear_line_that_hides_the_token(fake_fb: FakeGraph,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, facebook_page_token="EAAGwrongToken9876543210")
    report = run(["facebook"], watchlist=WATCH)["facebook"]
    assert report.status == "failed"
    assert "Invalid OAuth access token" in report.message
    assert "EAAGwrongToken9876543210" not in report.message


def test_without_pages_in_the_watchlist_the_collector_is_skipped(fake_fb: FakeGraph) -> None:
    report = run(["facebook"], watchlist=Watchlist())["facebook"]
    assert report.status == "skipped" and "facebook.pages" in report.message
    assert fake_fb.seen == []



def test_graph_throttling_stops_cleanly_and_the_next_run_continues(fake_fb: FakeGraph,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(30):
        fake_fb.add_post(PAGE, f"जनसंपर्क सूचना {i}", minutes_ago=100 - i)
    normal_route = fake_fb.route
    throttle = {"on": True}

    def route(request: Seen) -> Answer:  # the second page of posts hits the application request limit
        if throttle["on"] and "after" in request.params:
            return graph_error(4, "(#4) Application request limit reached")
        return normal_route(request)

    monkeypatch.setattr(fake_fb, "route", route)
    first = run(["facebook"], watchlist=WATCH)["facebook"]
    assert first.status == "stopped" and "request limit" in first.message
    assert first.fetched == 25
    throttle["on"] = False
    second = run(["facebook"], watchlist=WATCH)["facebook"]
    assert second.status == "ok" and second.fetched == 5
    assert len(stored("facebook")) == 30
