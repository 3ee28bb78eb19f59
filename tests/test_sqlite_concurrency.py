"""Many writers, one SQLite file: every row is stored, or counted as failed and reported — never lost silently."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from janmat.core.mention import DistrictTag, Mention
from janmat.core.settings import get_settings
from janmat.store import MentionQuery
from janmat.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[1]
PLACES = ["हिसार", "रोहतक", "करनाल", "पानीपत", "सिरसा", "Gurugram", "Faridabad", "Ambala"]


def write_rows(path: Path, start: int, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            place = PLACES[n % len(PLACES)]
            text = f"{place} में पेंशन शिविर संख्या {n} लगा, {n % 97} लाभार्थियों के कागज़ जमा हुए।"
            out.write(json.dumps({"id": f"row-{n}", "text": text, "published_at": "2026-11-02"},
                                 ensure_ascii=False) + "\n")


def ingest_concurrently(tmp_path: Path, writers: int, rows_each: int) -> list[subprocess.CompletedProcess]:
    store = tmp_path / "shared.db"
    env = {**os.environ, "JANMAT_STORE": f"sqlite:///{store}"}
    SQLiteStore(store).close()  # create the schema once, as a running installation would have it
    files = []
    for writer in range(writers):
        path = tmp_path / f"rows-{writer}.jsonl"
        write_rows(path, writer * rows_each, rows_each)
        files.append(path)
    procs = [
        subprocess.Popen([sys.executable, "-m", "janmat", "ingest", str(path)], env=env, cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for path in files
    ]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=900), *p.communicate()) for p in procs]


@pytest.mark.parametrize(("writers", "rows_each"), [(2, 5000), (4, 2500)])
def test_concurrent_ingests_into_one_file_store_every_row(tmp_path: Path, writers: int, rows_each: int) -> None:
    runs = ingest_concurrently(tmp_path, writers, rows_each)
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr[-2000:]
        assert f"stored {rows_each}, rejected 0" in run.stdout, run.stdout
    with SQLiteStore(tmp_path / "shared.db") as store:
        assert store.count(MentionQuery()) == writers * rows_each


def test_a_write_that_cannot_get_the_lock_is_reported_not_lost(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JANMAT_STORE_SQLITE_BUSY_TIMEOUT_SECONDS", "0.05")
    monkeypatch.setenv("JANMAT_STORE_SQLITE_WRITE_ATTEMPTS", "2")
    get_settings.cache_clear()
    path = tmp_path / "locked.db"
    store = SQLiteStore(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing and does not let go
    try:
        mentions = [Mention(id=f"m{n}", text=f"हिसार में शिविर {n}") for n in range(3)]
        report = store.upsert(mentions)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert report.stored == 0 and set(report.failed) == {"m0", "m1", "m2"}
    assert all("busy after 2 tries" in why for why in report.failed.values())
    again = store.upsert(mentions)  # the lock is free again: the same batch goes in
    assert again.stored == 3 and not again.failed
    store.close()


def test_one_refused_row_leaves_no_half_written_rows(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    good = Mention(id="good", text="रोहतक में पेंशन शिविर")
    store.upsert([good])
    store._db.execute(  # a trigger that refuses one id, as a constraint would
        "CREATE TRIGGER refuse BEFORE INSERT ON mention_districts WHEN "
        "(SELECT id FROM mentions WHERE rowid = NEW.mention_rowid) = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    bad = Mention(id="bad", text="शिविर", districts=[DistrictTag(name="Karnal")])
    report = store.upsert([bad, Mention(id="next", text="सिरसा में शिविर")])
    assert set(report.failed) == {"bad"} and report.stored == 1
    assert store.get("bad") is None  # its mentions row was rolled back with the rest of it
    assert store.get("next") is not None and store.get("good") is not None
    store.close()
