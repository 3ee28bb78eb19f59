"""``janmat alerts outbox [--json]`` and ``janmat alerts deliver``, run as real processes on a real outbox file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from janmat.alerts.notify import enqueue
from tests.fakes.alert_receivers import WebhookReceiver, notify_env, sample_alert
from tests.fakes.server import Answer

REPO = Path(__file__).resolve().parents[1]
# The ``alerts`` command group with the outbox commands attached, as ``janmat alerts`` attaches them.
ALERTS = ("import typer; from janmat.cli.alerts_outbox import add_outbox_commands; "
          "alerts = typer.Typer(); add_outbox_commands(alerts); alerts()")


def alerts(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ALERTS, *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **env}, timeout=120)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


def test_outbox_of_a_fresh_install_is_empty() -> None:
    shown = alerts("outbox", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["channels"] == []
    assert "no alert has been queued yet" in alerts("outbox").stdout


def test_deliver_sends_what_it_can_and_a_missing_smtp_host_is_one_clear_line(
        receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[receiver.url])
    for number in (1, 2):
        enqueue(sample_alert(number, channels=["webhook", "email"]))
    done = alerts("deliver")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: email alerts need JANMAT_NOTIFY_SMTP_HOST, which is not set"
    assert "webhook: 2 delivered, 0 to retry, 0 waiting, 0 given up" in done.stdout
    assert "email: 0 delivered, 0 to retry, 2 waiting, 0 given up" in done.stdout
    status = {row["channel"]: row for row in json.loads(alerts("outbox", "--json").stdout)["channels"]}
    assert (status["webhook"]["delivered"], status["webhook"]["pending"]) == (2, 0)
    assert (status["email"]["pending"], status["email"]["delivered"]) == (2, 0)
    assert status["email"]["oldest_pending"] is not None
    assert len(receiver.received) == 2


def test_a_given_up_alert_is_reported_and_can_be_queued_again(receiver: WebhookReceiver,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[receiver.url])
    receiver.then(Answer(410, {"error": "gone"}))
    alert = sample_alert(channels=["webhook"])
    enqueue(alert)
    first = alerts("deliver")
    assert first.returncode == 1
    assert f"gave up on alert {alert.id} via webhook: refused: {receiver.url} answered 410 Gone" in first.stderr
    [row] = json.loads(alerts("outbox", "--json").stdout)["channels"]
    assert (row["failed"], row["pending"]) == (1, 0) and "410" in row["last_error"]
    again = alerts("deliver", "--retry-failed", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["channels"][0]["delivered"] == 1
    assert receiver.keys() == [alert.id]


def test_outbox_table_in_hindi(receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[receiver.url])
    enqueue(sample_alert(channels=["webhook"]))
    shown = alerts("outbox", JANMAT_UI_LANG="hi")
    assert shown.returncode == 0, shown.stderr
    assert "लंबित" in shown.stdout and "पहुँचे" in shown.stdout and "webhook" in shown.stdout
