"""``janmat stats`` and ``janmat search`` share the search filters; stats cross-tabs two facets; Hindi is accepted
wherever it is printed. A real process on a real SQLite file."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from janmat.core.mention import IST, DistrictTag, Mention, Misinformation, SchemeTag, Sentiment
from janmat.store import MentionQuery
from janmat.store.sqlite import SQLiteStore
from tests.test_cli import janmat


def mention(mid: str, district: str, tone: str, days_ago: int, *, scheme: str | None = None,
            flagged: bool = False, text: str = "खबर") -> Mention:
    now = datetime.now(IST).replace(hour=12, minute=0, second=0, microsecond=0)
    return Mention(
        id=mid, text=f"{text} {mid}", published_at=now - timedelta(days=days_ago),
        districts=[DistrictTag(name=district)], schemes=[SchemeTag(id=scheme)] if scheme else [],
        sentiment=Sentiment(label=tone, score=0.9, model="test"),
        misinformation=Misinformation(flagged=flagged, kinds=["suspected"] if flagged else []),
    )


def mentions() -> list[Mention]:
    """The six mentions, dated from today in IST: built when a test runs, not when the file is imported, so that a
    run that crosses midnight IST still finds "today" where the test put it."""
    return [
        mention("a", "Hisar", "negative", 0, scheme="pm_kisan", text="किसानों का धरना"),
        mention("b", "Hisar", "negative", 0, flagged=True, text="किसान अफवाह"),
        mention("c", "Hisar", "positive", 1, scheme="pm_kisan"),
        mention("d", "Rohtak", "negative", 1, flagged=True),
        mention("e", "Rohtak", "neutral", 3),
        mention("f", "Karnal", "negative", 40, scheme="pm_kisan"),
    ]


def _clear_of_midnight() -> None:
    """Wait out the last seconds of an IST day, so that the mentions and the command see the same "today"."""
    now = datetime.now(IST)
    left = (now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1) - now).total_seconds()
    if left < 60:
        time.sleep(left + 1)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    _clear_of_midnight()
    path = tmp_path / "j.db"
    with SQLiteStore(path) as target:
        assert not target.upsert(mentions()).failed
    return path


def stats_json(store: Path, *args: str) -> dict:
    result = janmat("stats", *args, "--json", store=store)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_negative_by_district_this_week(store: Path) -> None:
    found = stats_json(store, "--sentiment", "नकारात्मक", "--since", "7d", "--by", "district")
    assert {key: found[key] for key in ("by", "total", "counts")} == {
        "by": "district", "total": 3, "counts": {"Hisar": 2, "Rohtak": 1}}
    assert [(s["k"], s["n"]) for s in found["shares"].values()] == [(2, 3), (1, 3)]


def test_two_by_options_give_a_cross_tab_with_nested_counts(store: Path) -> None:
    found = stats_json(store, "--by", "district", "--by", "sentiment")
    assert found["by"] == ["district", "sentiment"] and found["total"] == 6
    assert found["counts"] == {"Hisar": {"negative": 2, "positive": 1}, "Rohtak": {"negative": 1, "neutral": 1},
                               "Karnal": {"negative": 1}}
    assert list(found["counts"]) == ["Hisar", "Rohtak", "Karnal"]  # most mentions first


def test_a_cross_tab_prints_a_grid_with_totals(store: Path) -> None:
    result = janmat("stats", "--by", "district", "--by", "sentiment", store=store)
    assert result.returncode == 0, result.stderr
    hisar = next(line for line in result.stdout.splitlines() if "Hisar" in line)
    # columns: most mentions first (negative), ties by name (neutral, positive), then the total; each cell also
    # gives its share of the row with the 95 % interval
    cells = [cell.strip() for cell in hisar.strip("│ ").split("│")]
    assert [cell.split(" · ")[0] for cell in cells] == ["Hisar", "2", "0", "1", "3"]
    assert cells[1] == "2 · 67% (21–94)" and cells[3] == "1 · 33% (6–79)"


@pytest.mark.parametrize(("words", "expected"), [
    (["--on", "आज"], {"Hisar": 2}),
    (["--on", "today"], {"Hisar": 2}),
    (["--on", "कल"], {"Hisar": 1, "Rohtak": 1}),
    (["--since", "yesterday", "--until", "today"], {"Hisar": 3, "Rohtak": 1}),
    (["--on", "yesterday..आज"], {"Hisar": 3, "Rohtak": 1}),
])
def test_day_words_and_ranges(store: Path, words: list[str], expected: dict) -> None:
    assert stats_json(store, *words)["counts"] == expected


def test_hindi_facet_names_and_labels_are_accepted(store: Path) -> None:
    by_hindi = stats_json(store, "--by", "ज़िला", "--by", "रुख़", "--sentiment", "सकारात्मक")
    by_english = stats_json(store, "--by", "district", "--by", "sentiment", "--sentiment", "positive")
    assert by_hindi == by_english and by_hindi["counts"] == {"Hisar": {"positive": 1}}
    assert stats_json(store, "--by", "जिला", "--district", "हिसार")["counts"] == {"Hisar": 3}  # without nukta too


def test_hindi_ui_prints_district_names_in_hindi(store: Path) -> None:
    result = janmat("stats", "--by", "district", store=store, env={"JANMAT_UI_LANG": "hi"})
    assert "हिसार (Hisar)" in result.stdout and "ज़िला" in result.stdout


def test_misinformation_filter_on_search_and_stats(store: Path) -> None:
    flagged = json.loads(janmat("search", "--misinformation", "--json", store=store).stdout)
    assert {r["id"] for r in flagged["results"]} == {"b", "d"}
    clean = json.loads(janmat("search", "--no-misinformation", "--json", store=store).stdout)
    assert {r["id"] for r in clean["results"]} == {"a", "c", "e", "f"}
    assert stats_json(store, "--misinformation", "--by", "district")["counts"] == {"Hisar": 1, "Rohtak": 1}


def test_query_text_and_scheme_narrow_stats_as_they_narrow_search(store: Path) -> None:
    found = stats_json(store, "किसानों", "--scheme", "पीएम किसान", "--by", "sentiment")
    assert (found["by"], found["total"], found["counts"]) == ("sentiment", 1, {"negative": 1})
    with SQLiteStore(store) as target:
        assert target.count(MentionQuery(text="किसानों", schemes=["pm_kisan"])) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "colour"], "cannot count by"),
    (["--by", "district", "--by", "district"], "two different facets"),
    (["--by", "day", "--by", "lang", "--by", "source"], "twice"),
    (["--on", "आज", "--since", "7d"], "--on"),
    (["--on", "kal..parso"], "bad date"),
    (["--sentiment", "गुस्सा"], "bad sentiment"),
])
def test_bad_stats_input_is_one_line_and_exit_2(store: Path, args: list[str], message: str) -> None:
    result = janmat("stats", *args, store=store)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
