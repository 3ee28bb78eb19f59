"""Each channel against a real local server: a webhook receiver, aiosmtpd (plain, STARTTLS with login, implicit
TLS) and a local server speaking the Telegram Bot API's ``sendMessage`` request and response shapes."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from janmat.alerts.model import Alert
from janmat.alerts.notify import check_channels, deliver_pending, enqueue, outbox_status
from janmat.alerts.notify.delivery import outbox_path
from janmat.alerts.notify.outbox import Outbox
from janmat.core.errors import ConfigError
from janmat.core.settings import get_settings
from tests.fakes.alert_receivers import Certificates, MailServer, WebhookReceiver, free_port, notify_env, sample_alert
from tests.fakes.server import Answer, server_error
from tests.fakes.telegram_bot_api import FakeBotApi, too_many_requests

TOKEN = "123456:AAE-secret-bot-token"
HEADLINE = "हिसार × आयुष्मान भारत-चिरायु हरियाणा: पिछले घंटे 23 उल्लेख, सामान्य 2"


def fresh_alert(number: int = 1, **changes: object) -> Alert:
    """The sample alert for the hour that just ended (so the message says "in the last hour")."""
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return sample_alert(number, **{"window_start": end - timedelta(hours=1), "window_end": end} | changes)


def later(seconds: float) -> datetime:
    """A run of the deliverer this many seconds from now."""
    return datetime.now(UTC) + timedelta(seconds=seconds)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def bot() -> Iterator[FakeBotApi]:
    server = FakeBotApi(TOKEN, chats=[-1001234567890, "@haryana_media_cell"]).start()
    yield server
    server.stop()


def use_mail(monkeypatch: pytest.MonkeyPatch, server: MailServer, **extra: object) -> None:
    notify_env(monkeypatch, **{"smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_security": "none",
                               "smtp_from": "alerts@janmat.example.in",
                               "smtp_to": ["dpr@example.gov.in", "pro.hisar@example.gov.in"]} | extra)


def use_bot(monkeypatch: pytest.MonkeyPatch, server: FakeBotApi, **extra: object) -> None:
    notify_env(monkeypatch, **{"telegram_api_base": server.url, "telegram_bot_token": TOKEN,
                               "telegram_chat_ids": ["-1001234567890", "@haryana_media_cell"]} | extra)


# --- webhook -----------------------------------------------------------------------------------------------------

def test_webhook_posts_the_alert_as_json_with_its_id_as_idempotency_key_and_a_valid_signature(
        receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[receiver.url + "/hooks/janmat"], webhook_secret="s3cret-hmac-key")
    alert = fresh_alert(channels=["webhook"])
    enqueue(alert)
    report = deliver_pending()
    assert report.channels["webhook"].delivered == 1
    [request] = receiver.received
    assert request.path == "/hooks/janmat"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["idempotency-key"] == alert.id
    stamp = request.headers["x-janmat-timestamp"]
    expected = hmac.new(b"s3cret-hmac-key", stamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-janmat-signature"] == f"sha256={expected}"
    body = json.loads(request.body.decode("utf-8"))
    assert body["alert"]["id"] == alert.id and body["alert"]["count"] == 23 and body["alert"]["baseline"] == 2.0
    assert body["message"]["headline"] == HEADLINE
    assert body["message"]["district"] == "हिसार"
    assert [m["url"] for m in body["message"]["top"]][:2] == [alert.top[0].url, alert.top[1].url]
    assert outbox_status()["webhook"].delivered == 1
    assert deliver_pending().delivered == 0


def test_webhook_without_secret_sends_no_signature(receiver: WebhookReceiver,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    notify_env(monkeypatch, webhook_urls=[receiver.url])
    enqueue(fresh_alert(channels=["webhook"]))
    deliver_pending()
    assert "x-janmat-signature" not in receiver.received[0].headers


def test_a_retry_goes_only_to_the_webhook_url_that_failed(receiver: WebhookReceiver,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    other = WebhookReceiver().start()
    try:
        other.then(server_error(500))
        notify_env(monkeypatch, webhook_urls=[receiver.url + "/a", other.url + "/b"])
        enqueue(fresh_alert(channels=["webhook"]))
        first = deliver_pending()
        assert first.channels["webhook"].retrying == 1 and "500" in (first.channels["webhook"].error or "")
        assert (len(receiver.received), len(other.received)) == (1, 0)
        assert deliver_pending(now=later(0.5)).delivered == 0  # not due yet: the backoff is 1 s
        assert deliver_pending(now=later(2)).delivered == 1
        assert (len(receiver.received), len(other.received)) == (1, 1)
    finally:
        other.stop()


def test_a_webhook_that_refuses_the_alert_for_good_is_given_up_and_said_so(
        receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    notify_env(monkeypatch, webhook_urls=[receiver.url])
    receiver.then(Answer(422, {"error": "unknown field"}))
    alert = fresh_alert(channels=["webhook"])
    enqueue(alert)
    with caplog.at_level(logging.ERROR, logger="janmat.alerts.notify"):
        report = deliver_pending()
    assert report.gave_up == [f"webhook: {alert.id}: refused: {receiver.url} answered 422 Unprocessable Entity"]
    status = outbox_status()["webhook"]
    assert (status.pending, status.failed) == (0, 1) and "422" in (status.last_error or "")
    assert any("gave up on alert" in r.getMessage() for r in caplog.records)
    assert deliver_pending(now=later(3600)).delivered == 0


# --- e-mail ------------------------------------------------------------------------------------------------------

def test_email_is_utf8_multipart_with_a_hindi_subject_that_decodes(mail: MailServer,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    use_mail(monkeypatch, mail)
    alert = fresh_alert(channels=["email"])
    enqueue(alert)
    assert deliver_pending().channels["email"].delivered == 1
    [received] = mail.received
    assert received.rcpt_tos == ["dpr@example.gov.in", "pro.hisar@example.gov.in"]
    headers = received.raw.split(b"\r\n\r\n", 1)[0]
    headers.decode("ascii")  # every header is 7-bit: Devanagari goes as RFC 2047 encoded-words
    assert b"=?utf-8?" in headers
    message = received.message
    assert message["Subject"] == f"जनमत अलर्ट: {HEADLINE}"
    assert message["From"].addresses[0].display_name == "जनमत अलर्ट"
    assert message["X-Janmat-Alert-Id"] == alert.id and message["Message-ID"].startswith("<alert.")
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    assert HEADLINE in plain.get_content() and HEADLINE in html.get_content()
    assert "नकारात्मक हिस्सा 74%, सामान्य 20%" in plain.get_content()
    assert 'href="https://news.example.in/hisar/chirayu-1.html"' in html.get_content()


def test_email_in_english_by_setting(mail: MailServer, monkeypatch: pytest.MonkeyPatch) -> None:
    use_mail(monkeypatch, mail, language="en")
    enqueue(fresh_alert(channels=["email"]))
    deliver_pending()
    subject = mail.received[0].message["Subject"]
    assert subject == "Janmat alert: Hisar × Ayushman Bharat - Chirayu Haryana: 23 mentions in the last hour, usually 2"


def test_email_over_starttls_with_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    certificates = Certificates(tmp_path)
    server = MailServer(certificates=certificates, users={"alerts@janmat.example.in": "mail-pass-42"}).start()
    try:
        use_mail(monkeypatch, server, smtp_security="starttls", smtp_ca_bundle=certificates.ca_bundle,
                 smtp_username="alerts@janmat.example.in", smtp_password="mail-pass-42")
        enqueue(fresh_alert(channels=["email"]))
        assert deliver_pending().delivered == 1
        assert server.received[0].login == "alerts@janmat.example.in"
    finally:
        server.stop()


def test_a_wrong_smtp_password_is_retried_and_never_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    certificates = Certificates(tmp_path)
    server = MailServer(certificates=certificates, users={"alerts@janmat.example.in": "right"}).start()
    try:
        use_mail(monkeypatch, server, smtp_security="starttls", smtp_ca_bundle=certificates.ca_bundle,
                 smtp_username="alerts@janmat.example.in", smtp_password="wrong-pass-99")
        enqueue(fresh_alert(channels=["email"]))
        report = deliver_pending().channels["email"]
        assert report.retrying == 1 and "refused the login" in (report.error or "")
        assert "wrong-pass-99" not in str(report) + str(outbox_status())
        assert server.received == []
    finally:
        server.stop()


def test_email_over_implicit_tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    certificates = Certificates(tmp_path)
    server = MailServer(certificates=certificates, implicit_tls=True).start()
    try:
        use_mail(monkeypatch, server, smtp_security="ssl", smtp_ca_bundle=certificates.ca_bundle)
        enqueue(fresh_alert(channels=["email"]))
        assert deliver_pending().delivered == 1 and len(server.received) == 1
    finally:
        server.stop()


def test_a_certificate_we_do_not_trust_is_not_talked_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = MailServer(certificates=Certificates(tmp_path), implicit_tls=True).start()
    try:
        use_mail(monkeypatch, server, smtp_security="ssl")  # the system's CAs do not know the test CA
        enqueue(fresh_alert(channels=["email"]))
        report = deliver_pending().channels["email"]
        assert report.retrying == 1 and "CERTIFICATE_VERIFY_FAILED" in (report.error or "")
        assert server.received == []
    finally:
        server.stop()


def test_recipients_the_server_refuses_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    server = MailServer(refuse={"pro.hisar@example.gov.in"}).start()
    try:
        use_mail(monkeypatch, server)
        enqueue(fresh_alert(channels=["email"]))
        assert deliver_pending().delivered == 1
        assert server.received[0].rcpt_tos == ["dpr@example.gov.in"]
        [(row, status)] = _rows()
        assert status == "delivered" and "pro.hisar@example.gov.in (550" in (row.last_error or "")
    finally:
        server.stop()


def _rows() -> list:
    with Outbox(outbox_path(get_settings())) as outbox:
        return outbox.rows()


# --- Telegram ----------------------------------------------------------------------------------------------------

def test_telegram_posts_send_message_to_each_chat_in_html(bot: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    use_bot(monkeypatch, bot)
    alert = fresh_alert(channels=["telegram"])
    enqueue(alert)
    assert deliver_pending().channels["telegram"].delivered == 1
    assert [s.chat_id for s in bot.sent] == [-1001234567890, "@haryana_media_cell"]
    for sent in bot.sent:
        assert sent.body["parse_mode"] == "HTML"
        assert sent.text.startswith(f"जनमत अलर्ट: {HEADLINE}\n")
        assert alert.top[0].url in sent.links
        assert all(link.startswith(("http://", "https://")) for link in sent.links)
    assert {r.path for r in bot.seen} == {f"/bot{TOKEN}/sendMessage"}


def test_telegram_429_waits_retry_after_and_then_delivers_once(bot: FakeBotApi,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    use_bot(monkeypatch, bot, telegram_chat_ids=["-1001234567890"])
    bot.then(too_many_requests(7))
    enqueue(fresh_alert(channels=["telegram"]))
    report = deliver_pending().channels["telegram"]
    assert report.retrying == 1 and "429 Too Many Requests: retry after 7" in (report.error or "")
    assert deliver_pending(now=later(5)).delivered == 0 and len(bot.seen) == 1  # retry_after is 7 s, backoff 1 s
    assert deliver_pending(now=later(8)).delivered == 1
    assert len(bot.sent) == 1


def test_telegram_5xx_is_retried(bot: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    use_bot(monkeypatch, bot, telegram_chat_ids=["-1001234567890"])
    bot.then(server_error(502), server_error(502))
    enqueue(fresh_alert(channels=["telegram"]))
    assert deliver_pending().channels["telegram"].retrying == 1
    assert deliver_pending(now=later(1.5)).channels["telegram"].retrying == 1
    assert deliver_pending(now=later(4)).delivered == 1
    assert len(bot.sent) == 1


def test_an_unknown_chat_is_given_up_with_the_api_error_and_the_others_still_get_it(
        bot: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    use_bot(monkeypatch, bot, telegram_chat_ids=["-1001234567890", "-100999"])
    alert = fresh_alert(channels=["telegram"])
    enqueue(alert)
    report = deliver_pending()
    assert report.gave_up == [f"telegram: {alert.id}: refused: Telegram chat -100999: 400 Bad Request: chat not found"]
    assert [s.chat_id for s in bot.sent] == [-1001234567890]


def test_the_bot_token_never_shows_in_logs_errors_or_status(monkeypatch: pytest.MonkeyPatch,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    notify_env(monkeypatch, telegram_api_base=f"http://127.0.0.1:{free_port()}", telegram_bot_token=TOKEN,
               telegram_chat_ids=["-1001"])
    enqueue(fresh_alert(channels=["telegram"]))
    caplog.set_level(logging.DEBUG, logger="httpx")  # another test's CLI run may have quietened it
    with caplog.at_level(logging.DEBUG):
        report = deliver_pending()
        wrong = FakeBotApi("654321:other-token", chats=[-1001]).start()
        try:
            notify_env(monkeypatch, telegram_api_base=wrong.url, telegram_bot_token=TOKEN,
                       telegram_chat_ids=["-1001"])
            second = deliver_pending(now=later(2))
        finally:
            wrong.stop()
    assert report.channels["telegram"].retrying == 1
    assert "401 Unauthorized" in (second.channels["telegram"].error or "")
    assert any("/bot***/sendMessage" in r.getMessage() for r in caplog.records)  # httpx's request line, scrubbed
    shown = " ".join(r.getMessage() for r in caplog.records) + str(report) + str(second) + str(outbox_status())
    assert "AAE-secret-bot-token" not in shown


# --- configuration -----------------------------------------------------------------------------------------------

def test_email_chosen_without_an_smtp_host_is_one_clear_line_and_the_alert_waits(
        monkeypatch: pytest.MonkeyPatch, mail: MailServer) -> None:
    notify_env(monkeypatch, smtp_to=["dpr@example.gov.in"], smtp_from="alerts@janmat.example.in")
    with pytest.raises(ConfigError, match=r"^email alerts need JANMAT_NOTIFY_SMTP_HOST, which is not set$"):
        check_channels(["email"], get_settings().notify)
    enqueue(fresh_alert(channels=["email"]))
    report = deliver_pending().channels["email"]
    assert report.error == "email alerts need JANMAT_NOTIFY_SMTP_HOST, which is not set"
    assert report.waiting == 1 and outbox_status()["email"].pending == 1
    use_mail(monkeypatch, mail)  # fixed: what waited goes out
    assert deliver_pending().delivered == 1 and len(mail.received) == 1


def test_an_alert_without_channels_goes_to_every_configured_channel(receiver: WebhookReceiver, bot: FakeBotApi,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    use_bot(monkeypatch, bot, webhook_urls=[receiver.url])
    enqueue(fresh_alert(channels=[]))
    assert set(outbox_status()) == {"webhook", "telegram"}
    assert deliver_pending().delivered == 2
