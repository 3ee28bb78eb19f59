"""``janmat doctor`` against real stores: a healthy SQLite file and engine nodes, and each failure with its fix."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from janmat.cli.app import app
from janmat.cli.doctor import run_checks
from janmat.core.mention import Mention, mention_id_for_url
from janmat.core.settings import get_settings
from janmat.store import MentionStore, open_store
from tests.store_backends import open_backend  # noqa: F401  (fixture)


def doctor(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["doctor", *args])
    return result.exit_code, result.output


def by_name(checks: list) -> dict:
    return {check.name: check for check in checks}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthy_sqlite_install_passes_every_check(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'ok.db'}"
    open_store(url).close()  # the first ingest made the store
    code, output = doctor("--store", url)
    assert code == 0, output
    for name in ("config", "disk space", "store", "clock", "models", "outbox"):
        assert f"✓ {name}:" in output
    code, output = doctor("--json", "--store", url)
    payload = json.loads(output)
    assert code == 0 and payload["ok"] is True
    assert {check["status"] for check in payload["checks"]} == {"ok"}


def test_invalid_settings_are_reported_with_the_fix_not_a_traceback(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JANMAT_RETENTION_MAX_AGE_DAYS", "a year")
    get_settings.cache_clear()
    code, output = doctor()
    assert code == 1
    assert "✗ config" in output and "JANMAT_RETENTION_MAX_AGE_DAYS" in output
    assert "fix: correct that variable" in output and "वह चर environment या .env में ठीक करें" in output
    assert "Traceback" not in output
    assert CliRunner().invoke(app, ["search", "x"]).exit_code != 0  # other commands still stop on bad settings


@pytest.mark.parametrize(("lang", "fix"), [("en", "fix: start the engine"), ("hi", "सुधार: इंजन चालू करें")])
def test_unreachable_engine_fails_with_the_fix_in_the_ui_language(lang: str, fix: str,
                                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JANMAT_UI_LANG", lang)
    monkeypatch.setenv("JANMAT_STORE_RETRY_ATTEMPTS", "1")
    get_settings.cache_clear()
    code, output = doctor("--store", f"opensearch+http://127.0.0.1:{free_port()}")
    assert code == 1
    assert "✗ store" in output and fix in output and "Traceback" not in output
    assert "✓ clock" in output  # checked even without the store


@pytest.mark.parametrize("kind", ["opensearch", "elasticsearch"])
def test_engine_store_reports_kind_version_templates_and_lifecycle(
        kind: str, open_backend: Callable[[str], MentionStore]):  # noqa: F811
    store = open_backend(kind)
    url = "https://news.example.in/haryana/doctor.html"
    store.upsert([Mention(id=mention_id_for_url(url), url=url, title="करनाल", text="करनाल में बैठक",
                          published_at=datetime.now(UTC))])
    store.refresh()
    version = store.features.version
    checks = by_name(run_checks(store.url))
    assert checks["store"].status == "ok"
    assert checks["store"].detail.startswith(f"{kind} {version} at ") and "1 mentions" in checks["store"].detail
    assert checks["templates"].status == "ok"
    assert checks["lifecycle"].status == ("ok" if store.features.lifecycle else "warn")
    assert bool(checks["lifecycle"].fix) != store.features.lifecycle  # no ISM / ILM: the fix says what to run
    assert checks["spool"].status == "ok"


def test_missing_model_fails_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JANMAT_NLP_SENTIMENT_MODEL", str(tmp_path / "no-such-model.joblib"))
    get_settings.cache_clear()
    code, output = doctor("--store", f"sqlite:///{tmp_path / 'm.db'}")
    assert code == 1
    assert "✗ models" in output and "janmat train sentiment" in output and "Traceback" not in output


def test_clock_behind_the_stored_mentions_fails(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'clock.db'}"
    link = "https://news.example.in/haryana/future.html"
    later = datetime.now(UTC) + timedelta(days=2)
    with open_store(url) as store:
        store.upsert([Mention(id=mention_id_for_url(link), url=link, title="भविष्य", text="भविष्य की खबर",
                              published_at=later, fetched_at=later)])
    checks = by_name(run_checks(url))
    assert checks["clock"].status == "fail" and "the clock went back" in checks["clock"].detail
    assert "timedatectl" in checks["clock"].fix


def test_little_disk_space_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import janmat.cli.doctor as module

    monkeypatch.setattr(module, "MIN_FREE_BYTES", 1024**6)  # an exbibyte: more than any disk here has
    checks = by_name(run_checks(f"sqlite:///{tmp_path / 'd.db'}"))
    assert checks["disk space"].status == "fail" and "janmat retention apply" in checks["disk space"].fix


def test_a_missing_or_foreign_store_file_is_named_and_nothing_is_created(tmp_path: Path):
    missing = tmp_path / "no" / "such" / "folder" / "janmat.db"
    code, output = doctor("--store", f"sqlite:///{missing}")
    assert code == 0 and "! store:" in output and str(missing) in output and "janmat ingest" in output
    assert CliRunner().invoke(app, ["search", "pension", "--store", f"sqlite:///{missing}"]).exit_code != 0
    result = CliRunner().invoke(app, ["stats", "--store", f"sqlite:///{missing}"])
    assert result.exit_code != 0 and "no Janmat store at" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "no").exists()  # a mistyped path makes no folders and no empty store

    foreign = tmp_path / "notes.jsonl"
    foreign.write_text('{"text": "not a database"}\n' * 200, encoding="utf-8")
    code, output = doctor("--store", f"sqlite:///{foreign}")
    assert code == 1 and "✗ store:" in output and "is not a Janmat SQLite store" in output
    result = CliRunner().invoke(app, ["search", "pension", "--store", f"sqlite:///{foreign}"])
    assert result.exit_code != 0 and "is not a Janmat SQLite store" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert foreign.read_text(encoding="utf-8").startswith('{"text"')  # the file is left as it was
