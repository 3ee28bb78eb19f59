"""Publish dates as Indian news pages print them: Hindi months, Devanagari digits, relative forms, IST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawlers.dates import find_news_date, parse_news_date
from janmat.core.mention import IST
from tests.conftest import shared_data

FETCHED = datetime(2024, 10, 16, 12, 0, tzinfo=UTC)  # 17:30 IST


@pytest.mark.parametrize(("text", "expected"), [
    ("१६ अक्टूबर २०२०", datetime(2020, 10, 16, tzinfo=IST)),
    ("16 अक्टूबर 2020", datetime(2020, 10, 16, tzinfo=IST)),
    ("16 अक्तूबर 2020 07:15 PM", datetime(2020, 10, 16, 19, 15, tzinfo=IST)),
    ("अपडेटेड: 16 अक्टूबर, 2020, 07:15 PM IST", datetime(2020, 10, 16, 19, 15, tzinfo=IST)),
    ("प्रकाशित: १६ अक्टूबर २०२४, शाम ४:३० बजे", datetime(2024, 10, 16, 16, 30, tzinfo=IST)),
    ("बुधवार, 16 अक्टूबर 2024", datetime(2024, 10, 16, tzinfo=IST)),
    ("Friday, Oct 16, 2020 - 07:15 PM (IST)", datetime(2020, 10, 16, 19, 15, tzinfo=IST)),
    ("Updated: Mar 22, 2023 10:50 IST", datetime(2023, 3, 22, 10, 50, tzinfo=IST)),
    ("09-03-2023 | 7:44 pm", datetime(2023, 3, 9, 19, 44, tzinfo=IST)),  # day first, as Indian sites write it
    ("2023-04-14T11:32:00Z", datetime(2023, 4, 14, 17, 2, tzinfo=IST)),
])
def test_absolute_dates_parse_to_the_right_moment_in_ist(text: str, expected: datetime) -> None:
    parsed = parse_news_date(text, now=FETCHED)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize(("text", "ago"), [
    ("२ घंटे पहले", timedelta(hours=2)),
    ("2 घंटे पहले", timedelta(hours=2)),
    ("2 hours ago", timedelta(hours=2)),
    ("5 मिनट पहले", timedelta(minutes=5)),
    ("३ दिन पहले", timedelta(days=3)),
])
def test_relative_dates_count_back_from_the_fetch_time(text: str, ago: timedelta) -> None:
    assert parse_news_date(text, now=FETCHED) == FETCHED - ago


def test_kal_on_a_news_page_means_yesterday_not_tomorrow() -> None:
    parsed = parse_news_date("कल शाम 5 बजे", now=FETCHED)
    assert parsed == datetime(2024, 10, 15, 17, 0, tzinfo=IST)


@pytest.mark.parametrize("text", ["", "   ", "कोई तारीख नहीं", "1970-01-01T05:30:00+05:30", "3 मार्च 2031"])
def test_no_date_or_an_impossible_one_gives_none(text: str) -> None:
    assert parse_news_date(text, now=FETCHED) is None


def test_a_date_is_found_inside_a_dateline_of_the_seed_article() -> None:
    seed = shared_data("seed", "punjabkesari_2020-10-16_haryana_dipr_social_media.txt").read_text(encoding="utf-8")
    dateline = next(line for line in seed.splitlines() if "punjabkesari.in" in line)
    assert find_news_date(dateline, now=FETCHED) == datetime(2020, 10, 16, 19, 15, tzinfo=IST)


def test_a_relative_date_is_found_inside_a_byline() -> None:
    assert find_news_date("लेखक: हरीश कौशिक · २ घंटे पहले", now=FETCHED) == FETCHED - timedelta(hours=2)
