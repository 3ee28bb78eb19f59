"""Outages and crashes: nothing lost, nothing sent twice (but the one documented crash case, and then once), a
channel that is down or hangs holds up no other, and a new process picks up what the last one left."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from janmat.alerts.notify import deliver_pending, enqueue, outbox_path, outbox_status
from janmat.core.settings import get_settings
from tests.fakes.alert_receivers import MailServer, SilentServer, WebhookReceiver, free_port, notify_env, sample_alert
from tests.fakes.server import server_error
from tests.fakes.telegram_bot_api import FakeBotApi
from tests.tcp_proxy import CuttableProxy

REPO = Path(__file__).resolve().parents[1]
TOKEN = "42:fault-test-token"
RUN = """
import sys
from datetime import UTC, datetime, timedelta
from janmat.alerts.notify import deliver_pending
report = deliver_pending(now=datetime.now(UTC) + timedelta(seconds=float(sys.argv[1])))
print(report.delivered)
"""


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def run_in_new_process(ahead_seconds: float = 0) -> int:
    """``deliver_pending`` in a fresh Python process on the same outbox (as the monitor after a restart)."""
    done = subprocess.run([sys.executable, "-c", RUN, str(ahead_seconds)], capture_output=True, text=True, cwd=REPO,
                          timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def use_mail(monkeypatch: pytest.MonkeyPatch, port: int, **extra: object) -> None:
    notify_env(monkeypatch, **{"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                               "smtp_from": "alerts@janmat.example.in", "smtp_to": ["dpr@example.gov.in"]} | extra)


def test_smtp_down_for_a_while_then_every_alert_arrives_once(monkeypatch: pytest.MonkeyPatch) -> None:
    server = MailServer()  # not listening yet: the mail server is down
    use_mail(monkeypatch, server.port)
    alerts = [sample_alert(n, channels=["email"]) for n in range(1, 5)]
    for alert in alerts:
        enqueue(alert)
    for minutes in (0, 1, 3):
        report = deliver_pending(now=later(minutes * 60)).channels["email"]
        assert report.delivered == 0 and "ConnectionRefusedError" in (report.error or "")
    assert outbox_status()["email"].pending == 4
    server.start()
    try:
        for minutes in (10, 20, 40):
            deliver_pending(now=later(minutes * 60))
        deliver_pending(now=later(3600))
        ids = Counter(received.message["X-Janmat-Alert-Id"] for received in server.received)
        assert ids == Counter({alert.id: 1 for alert in alerts})
        status = outbox_status()["email"]
        assert (status.pending, status.delivered, status.failed) == (0, 4, 0)
    finally:
        server.stop()


def test_webhook_500s_then_ok_delivers_once(monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = WebhookReceiver().start()
    try:
        receiver.then(server_error(500), server_error(500), server_error(503))
        notify_env(monkeypatch, webhook_urls=[receiver.url])
        alert = sample_alert(channels=["webhook"])
        enqueue(alert)
        tries = [deliver_pending(now=later(seconds)).channels["webhook"] for seconds in (0, 1.5, 3.5, 7.5)]
        assert [(t.retrying, t.delivered) for t in tries] == [(1, 0), (1, 0), (1, 0), (0, 1)]
        assert receiver.keys() == [alert.id] and len(receiver.seen) == 4
        assert "webhook" not in deliver_pending(now=later(60)).channels  # nothing left to do
    finally:
        receiver.stop()


def test_the_backoff_doubles_and_is_stored_on_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[f"http://127.0.0.1:{free_port()}/hook"], retry_backoff_seconds=10)
    enqueue(sample_alert(channels=["webhook"]))
    start = datetime.now(UTC)
    waits = []
    moment = start
    for _ in range(4):
        deliver_pending(now=moment)
        with sqlite3.connect(outbox_path(get_settings())) as db:
            next_at = db.execute("SELECT next_attempt_at FROM outbox").fetchone()[0]
        waits.append(round(next_at - moment.timestamp()))
        moment = datetime.fromtimestamp(next_at, UTC)
    assert waits == [10, 20, 40, 80]


def test_a_channel_that_hangs_holds_up_no_other(monkeypatch: pytest.MonkeyPatch) -> None:
    silent = SilentServer()
    receiver = WebhookReceiver().start()
    bot = FakeBotApi(TOKEN, chats=[-1001]).start()
    try:
        use_mail(monkeypatch, silent.port, timeout_seconds=6, webhook_urls=[receiver.url], telegram_api_base=bot.url,
                 telegram_bot_token=TOKEN, telegram_chat_ids=["-1001"])
        enqueue(sample_alert(channels=["email", "webhook", "telegram"]))
        result = {}
        started = time.monotonic()
        run = threading.Thread(target=lambda: result.update(report=deliver_pending()))
        run.start()
        while not (receiver.received and bot.sent) and time.monotonic() - started < 10:
            time.sleep(0.02)
        others_done = time.monotonic() - started
        assert run.is_alive(), "the hanging SMTP server should still be holding the e-mail"
        run.join(30)
        elapsed = time.monotonic() - started
        assert others_done < 3 < 5.5 < elapsed
        report = result["report"]
        assert report.channels["webhook"].delivered == report.channels["telegram"].delivered == 1
        assert report.channels["email"].retrying == 1 and "timed out" in (report.channels["email"].error or "")
    finally:
        silent.close()
        receiver.stop()
        bot.stop()


def test_a_restarted_process_delivers_what_is_pending_and_nothing_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = WebhookReceiver().start()
    bot = FakeBotApi(TOKEN, chats=[-1001, -1002]).start()
    hook_line, bot_line = (CuttableProxy("127.0.0.1", server.httpd.server_address[1]) for server in (receiver, bot))
    try:
        notify_env(monkeypatch, webhook_urls=[f"http://127.0.0.1:{hook_line.port}/hook"],
                   telegram_api_base=f"http://127.0.0.1:{bot_line.port}", telegram_bot_token=TOKEN,
                   telegram_chat_ids=["-1001", "-1002"])
        alerts = [sample_alert(n, channels=["webhook", "telegram"]) for n in range(1, 4)]
        for alert in alerts:
            enqueue(alert)
        enqueue(alerts[0])  # the rules engine queues an alert it already queued: still one row per channel
        hook_line.cut()
        bot_line.cut()
        assert run_in_new_process() == 0  # both receivers are unreachable
        hook_line.restore()
        bot_line.restore()
        assert run_in_new_process(ahead_seconds=10) == 6
        assert run_in_new_process(ahead_seconds=3600) == 0
        assert Counter(receiver.keys()) == Counter({alert.id: 1 for alert in alerts})
        assert Counter(str(s.chat_id) for s in bot.sent) == Counter({"-1001": 3, "-1002": 3})
    finally:
        hook_line.close()
        bot_line.close()
        receiver.stop()
        bot.stop()


def test_a_crash_between_send_and_mark_resends_that_one_alert_once_with_the_same_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = WebhookReceiver().start()
    try:
        notify_env(monkeypatch, webhook_urls=[receiver.url])
        alerts = [sample_alert(n, channels=["webhook"]) for n in range(1, 4)]
        for alert in alerts:
            enqueue(alert)
        receiver.stall_after(2)  # takes the second alert, then the sender dies before hearing back
        sender = subprocess.Popen([sys.executable, "-c", RUN, "0"], cwd=REPO, env=os.environ.copy(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert receiver.stalled.wait(60)
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
        receiver.release()
        assert run_in_new_process(ahead_seconds=1) == 1  # the crashed sender's lease has not run out yet
        assert run_in_new_process(ahead_seconds=400) == 1  # now it has: the alert it was sending goes again
        assert run_in_new_process(ahead_seconds=3600) == 0
        counts = Counter(receiver.keys())
        assert set(counts) == {alert.id for alert in alerts}
        assert counts[alerts[1].id] == 2 and counts[alerts[0].id] == counts[alerts[2].id] == 1
    finally:
        receiver.release()
        receiver.stop()


def test_two_deliverers_at_once_send_each_alert_once(monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = WebhookReceiver().start()
    try:
        notify_env(monkeypatch, webhook_urls=[receiver.url])
        alerts = [sample_alert(n, channels=["webhook"]) for n in range(1, 21)]
        for alert in alerts:
            enqueue(alert)
        reports = []
        runs = [threading.Thread(target=lambda: reports.append(deliver_pending())) for _ in range(2)]
        runs.append(threading.Thread(target=lambda: reports.append(run_in_new_process())))
        for run in runs:
            run.start()
        for run in runs:
            run.join(60)
        assert Counter(receiver.keys()) == Counter({alert.id: 1 for alert in alerts})
    finally:
        receiver.stop()


def test_given_up_after_the_configured_tries_and_said_so(monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    notify_env(monkeypatch, webhook_urls=[f"http://127.0.0.1:{free_port()}/hook"], max_attempts=3)
    alert = sample_alert(channels=["webhook"])
    enqueue(alert)
    with caplog.at_level(logging.ERROR, logger="janmat.alerts.notify"):
        reports = [deliver_pending(now=later(seconds)) for seconds in (0, 2, 5)]
    assert [r.channels["webhook"].retrying for r in reports] == [1, 1, 0]
    [gave_up] = reports[2].gave_up
    assert gave_up.startswith(f"webhook: {alert.id}: 3 tries failed; last error: ") and "ConnectError" in gave_up
    assert outbox_status()["webhook"].failed == 1
    assert [r.levelname for r in caplog.records if "gave up on alert" in r.getMessage()] == ["ERROR"]


def test_given_up_after_the_configured_age_and_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[f"http://127.0.0.1:{free_port()}/hook"], max_age_hours=1)
    alert = sample_alert(channels=["webhook"])
    enqueue(alert)
    deliver_pending()
    report = deliver_pending(now=later(2 * 3600))
    [gave_up] = report.gave_up
    assert gave_up.startswith(f"webhook: {alert.id}: not delivered within 1 h; last error: ")
    assert "ConnectError" in gave_up
    assert outbox_status()["webhook"].failed == 1


def test_the_outbox_is_one_wal_file_with_one_row_per_alert_and_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch)
    for _ in range(3):
        enqueue(sample_alert(channels=["webhook", "email", "email"]))
    path = outbox_path(get_settings())
    assert path == get_settings().data_dir / "outbox.sqlite"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = db.execute("SELECT channel, status FROM outbox ORDER BY channel").fetchall()
    assert rows == [("email", "pending"), ("webhook", "pending")]
