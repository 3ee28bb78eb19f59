"""``janmat ingest`` keeps every good row and writes every bad one to a rejects file; its exit status says which.

Run as a user runs it: a real process, a real SQLite file, the real taggers.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from janmat.core.mention import Mention
from janmat.store import MentionQuery
from janmat.store.sqlite import SQLiteStore
from tests.test_cli import janmat

PLACES = ["हिसार", "रोहतक", "करनाल", "पानीपत", "सिरसा", "भिवानी", "जींद", "Gurugram"]
TOPICS = ["पेंशन शिविर", "किसानों का धरना", "नई सड़क", "अस्पताल में दवा", "स्कूल की छत", "बिजली कटौती"]

# One of each kind of bad row the issue names, and why each is refused (a word the reason must contain).
BAD_ROWS: list[tuple[bytes, str]] = [
    (b'{"text": "relative", "url": "/haryana/hisar/story.html"}', "url"),
    (b'{"text": "no scheme", "url": "www.example.com/story"}', "url"),
    (b'{"text": "ftp", "url": "ftp://example.com/story"}', "url"),
    (b'{"text": "script", "url": "javascript:alert(1)"}', "url"),
    (b'{"text": "year one", "published_at": "0001-01-01"}', "published_at"),
    (b'{"text": "year 9999", "published_at": "9999-12-31"}', "published_at"),
    (b'{"text": "\xff\xfe broken \xc3"}', "UTF-8"),
    (b'{"text": 42}', "text"),
    (b'{"text": "types", "title": ["not", "a", "string"]}', "title"),
    (b'{"text": "types", "published_at": 20260302}', "published_at"),
    (b'{"text": "types", "id": {"nested": true}}', "id"),
    (b'{"text": "   "}', "text"),
    (b'{"text": "cut off", ', "JSON"),
    (b'["a", "list"]', "object"),
]


def good_row(n: int, rng: random.Random, long: bool = False) -> bytes:
    text = f"{rng.choice(PLACES)} में {rng.choice(TOPICS)} — खबर संख्या {n}, {rng.randint(2, 400)} लोग पहुँचे।"
    if long:
        text = (text + " ") * 200  # ~14,000 characters: over the cap, so cut and stored, not refused
    row = {"id": f"row-{n}", "text": text, "published_at": f"2026-03-{1 + n % 28:02d}",
           "url": f"https://www.example.in/haryana/{n}.html"}
    return json.dumps(row, ensure_ascii=False).encode()


def test_ten_thousand_rows_with_a_hundred_bad_ones(tmp_path: Path) -> None:
    rng = random.Random(17)
    bad_at = set(rng.sample(range(10_000), 100))
    long_at = set(rng.sample(sorted(set(range(10_000)) - bad_at), 20))
    lines: list[bytes] = []
    expected: dict[int, str] = {}  # line number -> a word its reason must hold
    for n in range(10_000):
        if n in bad_at:
            raw, why = BAD_ROWS[len(expected) % len(BAD_ROWS)]
            expected[n + 1] = why
            lines.append(raw)
        else:
            lines.append(good_row(n, rng, long=n in long_at))
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    offsets = [0]
    for raw in lines:
        offsets.append(offsets[-1] + len(raw) + 1)

    store = tmp_path / "j.db"
    result = janmat("ingest", str(path), store=store, env={"JANMAT_MAX_TEXT_CHARS": "5000"})

    assert result.returncode == 3, result.stdout + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "9900 new" in result.stdout and "100 rejected" in result.stdout
    assert "stored 9900, rejected 100" in result.stdout
    rejects = [json.loads(line) for line in (tmp_path / "rows.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["line"] for r in rejects] == sorted(expected)
    for record in rejects:
        number = record["line"]
        assert set(record) == {"line", "offset", "reason", "stage", "raw"}
        assert record["offset"] == offsets[number - 1]
        assert expected[number] in record["reason"], record
        assert record["stage"] in ("read", "validate")
        assert record["raw"] == lines[number - 1].decode("utf-8", "backslashreplace")
    with SQLiteStore(store) as stored:
        assert stored.count(MentionQuery()) == 9900
        cut = [stored.get(f"row-{n}") for n in sorted(long_at)]
    assert all(isinstance(m, Mention) and m.text_truncated_from and len(m.text) <= 5000 for m in cut)


def write_rows(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_all_rows_stored_exits_0_and_writes_no_rejects_file(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "good.jsonl", [{"id": "a", "text": "हिसार में शिविर"}, {"id": "b", "text": "रोहतक"}])
    result = janmat("ingest", str(path), store=tmp_path / "j.db")
    assert result.returncode == 0, result.stderr
    assert "stored 2, rejected 0" in result.stdout
    assert not (tmp_path / "good.jsonl.rejects.jsonl").exists()


def test_nothing_stored_exits_1_and_rejects_go_where_asked(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "bad.jsonl", [{"text": "x", "url": "javascript:void(0)"}, {"title": "no text"}])
    rejects = tmp_path / "out" / "refused.jsonl"
    rejects.parent.mkdir()
    result = janmat("ingest", str(path), "--rejects", str(rejects), store=tmp_path / "j.db")
    assert result.returncode == 1, result.stderr
    assert "stored 0, rejected 2" in result.stdout and str(rejects) in result.stdout
    assert [json.loads(line)["line"] for line in rejects.read_text().splitlines()] == [1, 2]


def test_rows_the_store_refuses_are_failures_exit_1_and_are_in_the_rejects_file(tmp_path: Path) -> None:
    store = tmp_path / "j.db"
    SQLiteStore(store).close()
    with sqlite3.connect(store) as db:  # the database refuses one row, as a constraint would
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.id = 'refused' "
                   "BEGIN SELECT RAISE(ABORT, 'refused by a constraint'); END")
    path = write_rows(tmp_path / "rows.jsonl", [
        {"id": "kept", "text": "हिसार में शिविर"}, {"id": "refused", "text": "रोहतक में धरना"},
        {"text": "bad date", "published_at": "9999-12-31"},
    ])
    result = janmat("ingest", str(path), store=store)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "stored 1, rejected 1, failed to store 1" in result.stdout
    assert "1 new, 0 updated, 1 rejected" in result.stdout  # the breakdown counts the same rejected rows
    rejects = [json.loads(line) for line in (tmp_path / "rows.jsonl.rejects.jsonl").read_text().splitlines()]
    assert {(r["line"], r["stage"]) for r in rejects} == {(2, "store"), (3, "validate")}
    assert "refused by a constraint" in next(r["reason"] for r in rejects if r["stage"] == "store")


def test_a_rejects_path_in_a_missing_folder_is_a_usage_error_before_anything_is_stored(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "rows.jsonl", [{"id": "a", "text": "हिसार में शिविर"}])
    result = janmat("ingest", str(path), "--rejects", str(tmp_path / "nowhere" / "r.jsonl"), store=tmp_path / "j.db")
    assert result.returncode == 2 and "nowhere" in result.stderr and "Traceback" not in result.stderr
    with SQLiteStore(tmp_path / "j.db") as stored:
        assert stored.count(MentionQuery()) == 0
