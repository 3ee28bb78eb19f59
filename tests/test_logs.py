"""Logging set-up: JSON lines when asked, and records reach whatever stderr is current."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from janmat.core.logs import configure_logging


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_records_go_to_the_current_stderr_after_the_old_one_was_closed(restore_logging, monkeypatch):
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging("INFO")
    logging.getLogger("janmat.test").info("first")
    first.close()  # what a CLI test runner does with its captured stream
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("janmat.test").info("second")
    assert second.getvalue() == "INFO janmat.test: second\n"


def test_json_lines_carry_level_logger_message_and_extra_fields(restore_logging, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    configure_logging("WARNING", as_json=True)
    log = logging.getLogger("janmat.test")
    log.info("not shown")
    log.warning("स्रोत %s रुका", "dainik", extra={"source": "dainik"})
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert (record["level"], record["logger"], record["message"], record["source"]) == \
        ("warning", "janmat.test", "स्रोत dainik रुका", "dainik")
