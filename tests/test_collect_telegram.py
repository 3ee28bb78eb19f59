"""Telegram collector: the real Scrapy spider, run as ``scrapy crawl telegram`` against a local t.me/s preview."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scrapy.http import HtmlResponse

from crawlers.spiders.telegram import message_mentions, parse_count
from janmat.collectors.state import CollectorState
from janmat.collectors.watchlist import TelegramWatch, Watchlist
from janmat.core.mention import Platform, mention_id_for_post
from tests.fakes.harness import configure, run, stored
from tests.fakes.server import Answer, Seen
from tests.fakes.telegram_preview import FakeTelegram

CHANNEL = "haryanakhabar"
WATCH = Watchlist(telegram=TelegramWatch(channels=[CHANNEL]))


@pytest.fixture
def fake_tg(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    fake.add_channel(CHANNEL, "हरियाणा ख़बर")
    configure(monkeypatch, telegram_base=fake.url, collect_open_web="true")
    yield fake
    fake.stop()


def fill(fake: FakeTelegram, count: int, start_minutes: float = 2000) -> None:
    for i in range(count):
        fake.post(CHANNEL, f"मंडी भाव अपडेट {i}\nसिरसा और हिसार", minutes_ago=start_minutes - i * 10, views=str(900 + i))


def test_view_counters_are_read_as_numbers() -> None:
    assert [parse_count(v) for v in ("987", "1.2K", "48.7K", "2M", "", "n/a")] == [987, 1200, 48700, 2_000_000,
                                                                                   None, None]


def test_message_fields_from_the_saved_page_shape(fake_tg: FakeTelegram) -> None:
    first = fake_tg.post(CHANNEL, "बाढ़ राहत शिविर अंबाला में", minutes_ago=50, views="12.3K", signature="संपादक")
    fake_tg.post(CHANNEL, None, minutes_ago=40)  # a photo without caption
    reply = fake_tg.post(CHANNEL, "राहत सामग्री पहुँची\nदूसरी पंक्ति", minutes_ago=30, reply_to=first.id)
    fake_tg.post(CHANNEL, "पीएम किसान की किस्त जारी", minutes_ago=20, forwarded_from=("कृषि विभाग",
                                                                                    "https://t.me/krishi/77"))
    answer = fake_tg.route(Seen(f"/s/{CHANNEL}", {}, {}))
    response = HtmlResponse(url=f"{fake_tg.url}/s/{CHANNEL}", body=answer.encoded(), encoding="utf-8")
    found = message_mentions(response, CHANNEL)
    assert [message_id for message_id, _ in found] == [100, 101, 102, 103] and found[1][1] is None
    top, replied, forwarded = found[0][1], found[2][1], found[3][1]
    assert top.engagement.views == 12300 and top.author == "संपादक" and top.source.name == "हरियाणा ख़बर"
    assert top.url == f"https://t.me/{CHANNEL}/100" and top.published_at.tzinfo is not None
    assert replied.text == "राहत सामग्री पहुँची\nदूसरी पंक्ति"
    assert replied.parent_id == mention_id_for_post(Platform.telegram, f"{CHANNEL}/{first.id}")
    assert replied.id == mention_id_for_post(Platform.telegram, f"{CHANNEL}/{reply.id}")
    assert forwarded.meta["forwarded_from"] == "कृषि विभाग"


def test_crawl_pages_back_then_second_run_fetches_only_new_messages(fake_tg: FakeTelegram) -> None:
    fill(fake_tg, 45)
    fake_tg.post(CHANNEL, None, minutes_ago=5)  # photo only
    first = run(["telegram"], watchlist=WATCH)["telegram"]
    assert first.status == "ok", first.message
    assert first.fetched == 45
    assert len(fake_tg.requests_to(f"/s/{CHANNEL}")) == 3  # 20 + 20 + 6 messages
    assert len(stored("telegram")) == 45
    with CollectorState() as state:
        assert state.get("telegram", f"channel:{CHANNEL}") == {"last_id": 145}

    fill(fake_tg, 3, start_minutes=3)
    second = run(["telegram"], watchlist=WATCH)["telegram"]
    assert second.status == "ok", second.message
    assert second.fetched == 3
    assert len(fake_tg.requests_to(f"/s/{CHANNEL}")) == 4  # one more page: it reaches the old cursor
    mentions = stored("telegram")
    assert len(mentions) == 48 and len({m.id for m in mentions}) == 48


def test_a_failed_older_page_keeps_the_cursor_and_the_next_run_fills_the_gap(fake_tg: FakeTelegram,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fill(fake_tg, 30)
    normal_route = fake_tg.route

    def older_pages_gone(request: Seen) -> Answer:
        if "before" in request.params:
            return Answer(404, "<html>not found</html>", content_type="text/html")
        return normal_route(request)

    monkeypatch.setattr(fake_tg, "route", older_pages_gone)
    broken = run(["telegram"], watchlist=WATCH)["telegram"]
    assert broken.status == "failed" and CHANNEL in broken.message
    assert broken.fetched == 20
    with CollectorState() as state:
        assert state.get("telegram", f"channel:{CHANNEL}") == {}

    monkeypatch.setattr(fake_tg, "route", normal_route)
    fixed = run(["telegram"], watchlist=WATCH)["telegram"]
    assert fixed.status == "ok", fixed.message
    mentions = stored("telegram")
    assert len(mentions) == 30 and len({m.id for m in mentions}) == 30, "nothing lost, nothing stored twice"
