"""The janmat command line, run as a user would run it: a real process, a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def janmat(*args: str, store: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    if store is not None:
        environment["JANMAT_STORE"] = f"sqlite:///{store}"
    return subprocess.run(
        [sys.executable, "-m", "janmat", *args], capture_output=True, text=True, env=environment, cwd=REPO,
        timeout=300,
    )


ROWS = [
    {"id": "r1", "title": "हिसार में किसानों का प्रदर्शन", "text": "हिसार में किसानों ने मुआवजे की मांग को लेकर प्रदर्शन किया।",
     "published_at": "2026-03-02T10:00:00+05:30"},
    {"id": "r2", "text": "गुरुग्राम के सेक्टर 56 में किसान मेले का आयोजन हुआ, किसान खुश दिखे।",
     "published_at": "2026-03-03"},
    {"id": "r3", "text": "Gurgaon traffic police launched a new app for commuters.", "published_at": "2026-03-04"},
    {"id": "r4", "text": "रोहतक में किस बात पर झगड़ा हुआ, पुलिस जांच कर रही है।", "published_at": "2026-03-05"},
    {"id": "r5", "text": "पानीपत में नई सड़क का उद्घाटन हुआ।", "published_at": "2026-03-06"},
]


@pytest.fixture
def rows_file(tmp_path: Path) -> Path:
    path = tmp_path / "rows.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in ROWS]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"id": "bad-date", "text": "कुछ", "published_at": "kal subah"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_reports_bad_lines_and_stores_good_rows(rows_file: Path, tmp_path: Path):
    store = tmp_path / "j.db"
    result = janmat("ingest", str(rows_file), store=store)
    assert result.returncode == 3, result.stderr  # some rows rejected as bad input, every other row stored
    assert "line 3" in result.stderr and "not valid JSON" in result.stderr
    assert "line 5" in result.stderr and "kal subah" in result.stderr
    assert "5 new" in result.stdout and "2 rejected" in result.stdout
    assert "stored 5, rejected 2" in result.stdout
    again = janmat("ingest", str(rows_file), store=store)
    # a re-run updates every row: both summary lines say so, neither claims new rows nor contradicts the other
    assert "0 new, 5 updated, 2 rejected" in again.stdout
    assert "stored 5, rejected 2" in again.stdout and again.returncode == 3


def test_search_finds_inflected_hindi_and_only_those(rows_file: Path, tmp_path: Path):
    store = tmp_path / "j.db"
    janmat("ingest", str(rows_file), store=store)
    result = janmat("search", "किसानों", "--json", store=store)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {r["id"] for r in payload["results"]} == {"r1", "r2"}
    assert payload["total"] == 2


def test_platform_and_language_are_accepted_in_any_case_and_by_name(rows_file: Path, tmp_path: Path):
    store = tmp_path / "j.db"
    janmat("ingest", str(rows_file), store=store)

    def total(*args: str) -> int:
        result = janmat("search", *args, "--json", store=store)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["total"]

    hindi = total("--lang", "hi")
    assert 0 < hindi < 5  # r3 is English
    assert total("--lang", "HI") == total("--lang", "hindi") == total("--lang", "हिन्दी") == hindi
    assert total("--lang", "English") == total("--lang", "en") == 1
    assert total("--platform", "NEWS") == 5
    assert total("--platform", "twitter") == total("--platform", "x") == 0  # a known platform with no mentions


def test_alerts_test_shows_times_in_ist_like_search(tmp_path: Path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "t1", "title": "हिसार में शिविर", "text": "हिसार में समाधान शिविर लगा।",
                                "published_at": "2026-03-02T13:40:00Z"}, ensure_ascii=False) + "\n", encoding="utf-8")
    store = tmp_path / "j.db"
    assert janmat("ingest", str(rows), store=store).returncode == 0
    rule = tmp_path / "rule.json"
    rule.write_text(json.dumps({"name": "हिसार", "query": "शिविर"}, ensure_ascii=False), encoding="utf-8")
    tested = janmat("alerts", "test", str(rule), store=store, env={"COLUMNS": "200"})
    searched = janmat("search", "शिविर", store=store, env={"COLUMNS": "200"})
    assert tested.returncode == searched.returncode == 0, tested.stderr + searched.stderr
    # 13:40 UTC is 19:10 IST: the rule's test and the search show the same clock
    assert "2026-03-02 19:10" in tested.stdout and "2026-03-02 19:10" in searched.stdout
    assert "13:40" not in tested.stdout


def test_search_by_old_district_name(rows_file: Path, tmp_path: Path):
    store = tmp_path / "j.db"
    janmat("ingest", str(rows_file), store=store)
    by_old = json.loads(janmat("search", "--district", "Gurgaon", "--json", store=store).stdout)
    by_hindi = json.loads(janmat("search", "--district", "गुड़गांव", "--json", store=store).stdout)
    by_new = json.loads(janmat("search", "--district", "Gurugram", "--json", store=store).stdout)
    assert {r["id"] for r in by_old["results"]} == {"r2", "r3"}
    assert by_old == by_hindi == by_new
    for row in by_old["results"]:
        assert "Gurugram" in row["district_keys"]


def test_stats_json_counts_by_day(rows_file: Path, tmp_path: Path):
    store = tmp_path / "j.db"
    janmat("ingest", str(rows_file), store=store)
    stats = json.loads(janmat("stats", "--by", "day", "--json", store=store).stdout)
    assert stats["total"] == 5
    assert stats["counts"]["2026-03-02"] == 1


def test_search_table_names_districts_and_schemes_in_the_interface_language(tmp_path: Path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "c1", "text": "हिसार में चिरायु हरियाणा कार्ड बनाने का शिविर लगा।"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    store = tmp_path / "j.db"
    janmat("ingest", str(rows), store=store)
    wide = {"COLUMNS": "220"}
    hindi = janmat("search", "शिविर", store=store, env={**wide, "JANMAT_UI_LANG": "hi"}).stdout
    english = janmat("search", "शिविर", store=store, env={**wide, "JANMAT_UI_LANG": "en"}).stdout
    assert "हिसार" in hindi and "चिरायु हरियाणा" in hindi and "chirayu_haryana" not in hindi
    assert "Hisar" in english and "Chirayu Haryana" in english and "हिसार │" not in english


def test_stats_give_each_share_its_n_and_95_percent_interval(rows_file: Path, tmp_path: Path):
    from scipy.stats import binomtest

    store = tmp_path / "j.db"
    janmat("ingest", str(rows_file), store=store)
    one = json.loads(janmat("stats", "--by", "sentiment", "--json", store=store).stdout)
    assert one["shares"] and set(one["shares"]) == set(one["counts"])
    for label, share in one["shares"].items():
        assert (share["k"], share["n"]) == (one["counts"][label], one["total"])
        interval = binomtest(share["k"], share["n"]).proportion_ci(method="wilson")
        assert share["low"] == pytest.approx(interval.low, abs=1e-4)
        assert share["high"] == pytest.approx(interval.high, abs=1e-4)
        assert share["low"] <= share["share"] <= share["high"]
    cross = json.loads(janmat("stats", "--by", "district", "--by", "sentiment", "--json", store=store).stdout)
    for district, cells in cross["row_shares"].items():
        row_n = sum(cross["counts"][district].values())
        assert all(cell["n"] == row_n and cell["k"] == cross["counts"][district][label]
                   for label, cell in cells.items())
    assert cross["min_n"] == 10
    table = janmat("stats", "--by", "district", "--by", "sentiment", store=store, env={"COLUMNS": "160"}).stdout
    assert "100% (" in table or "50% (" in table
    assert "fewer than 10 mentions" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--since", "yesterday-ish"], "bad date"),
        (["search", "--district", "Atlantis"], "unknown district"),
        (["search", "--platform", "myspace"], "unknown platform 'myspace': use one of news, x (twitter)"),
        (["stats", "--lang", "klingon"], "unknown language 'klingon': use one of hi, en, hi-Latn, mixed"),
        (["search", '"unbalanced'], "unbalanced quote"),
        (["stats", "--by", "colour"], "cannot count by"),
        (["ingest", "/no/such/file.jsonl"], "cannot read"),
    ],
)
def test_errors_are_one_clear_line(args: list[str], message: str, tmp_path: Path):
    result = janmat(*args, store=tmp_path / "j.db")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_known_kind_of_error_is_said_in_hindi_with_the_english_detail(tmp_path: Path):
    result = janmat("search", "--district", "Atlantis", store=tmp_path / "j.db", env={"JANMAT_UI_LANG": "hi"})
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("त्रुटि: यह ज़िला नहीं मिला") and "(unknown district 'Atlantis'" in result.stderr
    english = janmat("search", "--district", "Atlantis", store=tmp_path / "j.db", env={"JANMAT_UI_LANG": "en"})
    assert english.stderr.startswith("error: unknown district 'Atlantis'")


def test_bad_store_url_is_a_clear_error(tmp_path: Path):
    result = janmat("stats", env={"JANMAT_STORE": "postgres://x"})
    assert result.returncode == 2
    assert "unknown store URL" in result.stderr and "Traceback" not in result.stderr


def test_tag_writes_one_row_per_input(rows_file: Path, tmp_path: Path):
    out = tmp_path / "tags.jsonl"
    result = janmat("tag", str(rows_file), "--out", str(out))
    assert result.returncode == 3, result.stderr  # the two bad rows are rejected, like ingest
    assert "5 rows tagged, 2 rejected" in result.stderr
    tagged = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [t["id"] for t in tagged] == ["r1", "r2", "r3", "r4", "r5"]
    by_id = {t["id"]: t for t in tagged}
    assert by_id["r1"]["districts"] == ["Hisar"]
    assert by_id["r3"]["districts"] == ["Gurugram"]
    assert by_id["r3"]["lang"] == "en"
    for row in tagged:
        assert set(row) >= {"lang", "districts", "schemes", "sentiment", "sentiment_score", "misinformation",
                            "near_dup_cluster"}


def test_ingest_into_an_unreachable_engine_spools_and_says_so(rows_file: Path, tmp_path: Path):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"JANMAT_STORE": f"opensearch+http://127.0.0.1:{port}", "JANMAT_DATA_DIR": str(tmp_path / "data")}
    result = janmat("ingest", str(rows_file), env=env)
    assert result.returncode == 3, result.stderr  # the two bad rows are rejected; every good one is spooled
    assert "0 new" in result.stdout and "5 spooled for later" in result.stdout
    # the totals line agrees: nothing is in the store yet, five rows wait in the spool (not lost: exit 3, not 1)
    assert "stored 0, rejected 2, spooled for later 5" in result.stdout
    status = janmat("spool", "status", env=env)
    assert status.returncode == 0
    pending = next(line.split() for line in status.stdout.splitlines() if line.split()[:1] == ["pending"])
    assert pending == ["pending", "5"]


def test_every_command_ends_errors_through_the_one_handler():
    import typer

    from janmat.cli import app

    root = typer.main.get_command(app)
    leaves, groups = [], [((), root)]
    while groups:
        path, group = groups.pop()
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                groups.append(((*path, name), command))
            else:
                leaves.append(((*path, name), command))
    assert len(leaves) >= 21  # every command: demo … engine status
    unhandled = [" ".join(path) for path, command in leaves if not getattr(command.callback, "reports_errors", False)]
    assert unhandled == []
    assert getattr(root.callback, "reports_errors", False), "invalid settings must end in the same handler"


def test_invalid_settings_are_one_line_naming_the_variable(tmp_path: Path):
    result = janmat("stats", store=tmp_path / "j.db", env={"JANMAT_STORE_BULK_CHUNK": "lots"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: invalid configuration: JANMAT_STORE_BULK_CHUNK: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]


def test_tag_names_the_bad_field_of_a_refused_row_in_one_line(tmp_path: Path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "ok", "text": "हिसार में मेला"}) + "\n"
                    + json.dumps({"id": "bad", "text": "रोहतक", "source": {"name": ["not", "a", "name"]}}) + "\n",
                    encoding="utf-8")
    result = janmat("tag", str(rows))
    assert result.returncode == 3, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
    assert "rejected line 2: name: Input should be a valid string" in result.stderr.splitlines()
    assert "validation error" not in result.stderr and "errors.pydantic.dev" not in result.stderr


def test_ctrl_c_ends_a_command_with_one_word_and_exit_130():
    import typer
    from typer.testing import CliRunner

    from janmat.cli.console import clear_errors

    app = typer.Typer()

    @app.command()
    @clear_errors
    def wait() -> None:
        raise KeyboardInterrupt

    result = CliRunner().invoke(app, [])
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted"
