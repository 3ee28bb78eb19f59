"""E-mail channel: one multipart message (plain text + HTML, UTF-8) to every recipient, over SMTP with STARTTLS,
implicit TLS or (for a local relay) neither; credentials only from the environment.

The Subject and the sender's name are RFC 2047-encoded and the parts are UTF-8 with a transfer encoding that keeps
Devanagari intact (the stdlib ``email`` package does both). The Message-ID is derived from the alert id, so the
one resend a crash between the server's 250 and our bookkeeping can cause carries the same Message-ID, which mail
clients show once.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from janmat.alerts.model import Alert
from janmat.alerts.notify.base import Refused, Unreachable
from janmat.alerts.notify.message import AlertMessage, one_line
from janmat.alerts.notify.render import email_html, email_text
from janmat.core.i18n import message as word
from janmat.core.settings import JanmatSettings

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class EmailSender:
    """Sends each alert as one e-mail to ``JANMAT_NOTIFY_SMTP_TO``."""

    channel = "email"

    def __init__(self, settings: JanmatSettings) -> None:
        notify = settings.notify
        self.targets = ["recipients"]
        """E-mail has one target: the recipients share one message (and one delivery)."""
        self._host = notify.smtp_host or ""
        self._security = notify.smtp_security
        self._port = notify.smtp_port or DEFAULT_PORTS[self._security]
        self._username = notify.smtp_username
        self._password = notify.smtp_password.get_secret_value() if notify.smtp_password else ""
        self._from = notify.smtp_from or notify.smtp_username or ""
        self._to = list(notify.smtp_to)
        self._timeout = notify.timeout_seconds
        self._ca_bundle = str(notify.smtp_ca_bundle) if notify.smtp_ca_bundle else None

    def compose(self, message: AlertMessage, alert: Alert) -> EmailMessage:
        """The e-mail: headers, a plain-text part and an HTML alternative."""
        mail = EmailMessage()
        mail["Subject"] = one_line(message.subject)
        mail["From"] = formataddr((word("notify_alert", message.lang), self._from))
        mail["To"] = ", ".join(self._to)
        mail["Date"] = format_datetime(datetime.now(UTC))
        domain = self._from.rpartition("@")[2] or "janmat.invalid"
        mail["Message-ID"] = f"<alert.{hashlib.sha256(alert.id.encode()).hexdigest()[:32]}@{domain}>"
        mail["Auto-Submitted"] = "auto-generated"
        mail["Content-Language"] = message.lang
        mail["X-Janmat-Alert-Id"] = one_line(alert.id)
        mail.set_content(email_text(message))
        mail.add_alternative(email_html(message), subtype="html")
        return mail

    def send(self, target: str, message: AlertMessage, alert: Alert) -> str | None:
        """Hand the e-mail to the SMTP server; returns the recipients it refused, if it took the others."""
        mail = self.compose(message, alert)
        where = f"SMTP {self._host}:{self._port}"
        try:
            smtp = self._connect()
            try:
                refused = smtp.send_message(mail, from_addr=self._from, to_addrs=self._to)
            finally:
                _quit(smtp)
        except smtplib.SMTPRecipientsRefused as exc:
            raise Refused(f"{where} refused every recipient: {_codes(exc.recipients)}") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise Unreachable(f"{where} refused the login of JANMAT_NOTIFY_SMTP_USERNAME: {_reply(exc)}") from None
        except smtplib.SMTPConnectError as exc:
            raise Unreachable(f"{where} would not talk: {_reply(exc)}") from None
        except smtplib.SMTPResponseException as exc:
            failure = Unreachable if 400 <= exc.smtp_code < 500 else Refused
            raise failure(f"{where}: {_reply(exc)}") from None
        except OSError as exc:  # refused, timed out, TLS failure, disconnected
            raise Unreachable(f"{where}: {type(exc).__name__}: {exc}") from None
        return f"refused by the server: {_codes(refused)}" if refused else None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self._ca_bundle)
        if self._security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout, context=context)
        else:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        try:
            if self._security == "starttls":
                smtp.starttls(context=context)
            if self._username:
                smtp.login(self._username, self._password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        """Nothing stays open between alerts."""


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; a server that hangs up or answers oddly after taking the message does not undo the send."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {one_line(text)}"


def _codes(recipients: dict[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{address} ({code} {one_line(text.decode('utf-8', 'replace'))})"
                     for address, (code, text) in recipients.items())
