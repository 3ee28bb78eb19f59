"""Bad settings, output paths, ports and rows, as a user meets them: one clear line and an exit status, never a
traceback. Run as tests/test_cli.py runs the command line: a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.local_site import REPO


def janmat(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "janmat", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=REPO, timeout=300)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The only line on stderr, checked to be a Janmat error and not a traceback."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0].removeprefix("error: ")


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("JANMAT_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING or ERROR, not 'LOUD'"),
        ("JANMAT_NLP_TAGGERS", "notjson", 'not valid JSON; write it as ["notjson"]'),
        ("JANMAT_NLP_TAGGER_OPTIONS", "{bad", "not valid JSON (Expecting property name enclosed in double quotes at "
                                              'column 2); write a JSON object such as {"name": "value"}'),
        ("JANMAT_NOTIFY_CHANNELS", "webhook, email", 'not valid JSON; write it as ["webhook", "email"]'),
        ("JANMAT_WEB_USERS", "{bad", "not valid JSON (Expecting property name"),
        ("JANMAT_STORE_BACKENDS", "[", "not valid JSON (Expecting value at column 2); write a JSON object"),
    ],
)
def test_a_bad_setting_stops_a_command_with_one_line_naming_it(name: str, value: str, why: str):
    result = janmat("search", "x", env={name: value})
    assert result.returncode == 2  # as every other invalid setting (JANMAT_UI_LANG=fr)
    assert one_error_line(result).startswith(f"invalid configuration: {name}: {why}")


@pytest.mark.parametrize(("name", "value"), [("JANMAT_LOG_LEVEL", "LOUD"), ("JANMAT_NOTIFY_CHANNELS", "webhook")])
def test_doctor_reports_a_bad_setting_as_a_failed_check(name: str, value: str):
    result = janmat("doctor", "--json", env={name: value})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    checks = json.loads(result.stdout)["checks"]
    assert [(c["name"], c["status"]) for c in checks] == [("config", "fail")]
    assert checks[0]["detail"].startswith(f"{name}: ")


def test_good_list_and_level_settings_still_read(monkeypatch: pytest.MonkeyPatch):
    from janmat.core.settings import CoreSettings, NotifySettings

    monkeypatch.setenv("JANMAT_NOTIFY_CHANNELS", '["webhook", "email"]')
    monkeypatch.setenv("JANMAT_LOG_LEVEL", "debug")
    assert NotifySettings().channels == ["webhook", "email"]
    assert CoreSettings().log_level == "DEBUG"


def test_no_malformed_variable_escapes_as_a_settings_error(monkeypatch: pytest.MonkeyPatch):
    """Every setting, given a broken JSON value, is read or refused as a validation error (a line naming it)."""
    from pydantic import AliasChoices, ValidationError

    from janmat.core.errors import explain
    from janmat.core.settings import JanmatSettings

    refused = []
    for holder in JanmatSettings.model_fields.values():
        section = holder.default_factory
        assert isinstance(section, type)
        for name, field in section.model_fields.items():
            alias = field.validation_alias
            variable = (str(alias.choices[0]) if isinstance(alias, AliasChoices)
                        else f"{section.model_config['env_prefix']}{name}".upper())
            with monkeypatch.context() as patch:
                patch.setenv(variable, "{bad")
                try:
                    section()
                except ValidationError as exc:  # anything else (SettingsError) fails the test
                    assert explain(exc).startswith(f"{variable}: "), explain(exc)
                    refused.append(variable)
    assert {"JANMAT_NLP_TAGGERS", "JANMAT_WEB_USERS", "JANMAT_MONITOR_CRAWL_SETTINGS"} <= set(refused)


@pytest.fixture
def rows(tmp_path: Path) -> Path:
    """Ten lines: three good rows and seven bad ones."""
    path = tmp_path / "rows.jsonl"
    good = [{"id": "a", "text": "हिसार में किसानों का प्रदर्शन"}, {"id": "f", "text": "करनाल में बारिश"},
            {"id": "g", "text": "Gurgaon traffic police launched an app"}]
    bad = ['{not json', json.dumps({"id": "b", "text": 123}), json.dumps({"id": "c"}),
           json.dumps({"id": "d", "text": "रोहतक", "published_at": "kal"}), "[1, 2]",
           json.dumps({"id": "e", "text": "पानीपत", "url": 5}), json.dumps({"id": "h", "text": "x", "platform": "y"})]
    lines = [json.dumps(good[0], ensure_ascii=False), *bad[:6], *(json.dumps(r, ensure_ascii=False) for r in good[1:]),
             bad[6]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tag_counts_rejected_rows_and_exits_3_like_ingest(rows: Path, tmp_path: Path):
    out = tmp_path / "tags.jsonl"
    result = janmat("tag", str(rows), "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a", "f", "g"]
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "3 rows tagged, 7 rejected"
    assert len([line for line in lines if line.startswith("rejected line ")]) == 7
    assert "rejected line 3: text: expected a string, got int" in lines
    assert "rejected line 4: row has no 'text'" in lines


def test_tag_with_only_good_rows_exits_0(tmp_path: Path):
    rows = tmp_path / "good.jsonl"
    rows.write_text(json.dumps({"id": "a", "text": "हिसार में मेला"}) + "\n", encoding="utf-8")
    result = janmat("tag", str(rows))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert result.stderr.strip() == "1 rows tagged, 0 rejected"


@pytest.mark.parametrize(("where", "why"), [("missing/x.jsonl", "there is no folder"),
                                            (".", "that is a folder; name a file to write")])
def test_tag_out_that_cannot_be_a_file_is_one_line(rows: Path, tmp_path: Path, where: str, why: str):
    target = tmp_path / where
    result = janmat("tag", str(rows), "--out", str(target))
    assert result.returncode == 2
    assert one_error_line(result).startswith(f"--out {target}: {why}")


def test_brief_out_in_a_missing_folder_is_one_line(tmp_path: Path):
    target = tmp_path / "missing" / "b.html"
    result = janmat("brief", "--date", "2026-08-21", "--out", str(target))
    assert result.returncode == 2
    assert one_error_line(result) == f"--out {target}: there is no folder {target.parent}"


@pytest.mark.parametrize(("port", "why"), [("80000", "Input should be less than or equal to 65535"),
                                           ("0", "Input should be greater than or equal to 1")])
def test_serve_port_out_of_range_is_one_line(port: str, why: str):
    result = janmat("serve", "--port", port)
    assert result.returncode == 2
    assert one_error_line(result) == f"--port {port}: {why}"


def test_serve_listens_where_the_settings_say_unless_told():
    result = janmat("serve", env={"JANMAT_WEB_HOST": "0.0.0.0"})  # no accounts: refused, so nothing starts
    assert result.returncode == 2
    assert one_error_line(result).startswith("refusing to listen on 0.0.0.0")
