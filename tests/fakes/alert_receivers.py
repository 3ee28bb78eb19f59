"""Real receivers for alert notifications on 127.0.0.1: an aiosmtpd SMTP server and a webhook endpoint.

``MailServer`` is aiosmtpd's server (plain, STARTTLS or implicit TLS with a trustme certificate, optional login)
that keeps every message it accepted, parsed. ``WebhookReceiver`` keeps every POST it accepted and can be told to
fail (``then(server_error(500))``) or to take one request and then stall before answering, as a receiver does
when the sender dies between the send and its bookkeeping.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from janmat.alerts.model import Alert, AlertMention
from janmat.core.settings import get_settings
from tests.fakes.server import Answer, FakeServer, Seen


def notify_env(monkeypatch: pytest.MonkeyPatch, **values: object) -> None:
    """Set ``JANMAT_NOTIFY_<NAME>`` for each value (lists as JSON), quick retries by default; re-read settings."""
    monkeypatch.setenv("JANMAT_NOTIFY_RETRY_BACKOFF_SECONDS", "1")
    monkeypatch.setenv("JANMAT_NOTIFY_TIMEOUT_SECONDS", "5")
    for name, value in values.items():
        text = json.dumps(value) if isinstance(value, list) else str(value)
        monkeypatch.setenv(f"JANMAT_NOTIFY_{name.upper()}", text)
    get_settings.cache_clear()


WINDOW_END = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
"""End of the sample alerts' hour (14:30 IST)."""


def sample_alert(number: int = 1, **changes: Any) -> Alert:
    """The issue's example: a spike of 23 mentions of Chirayu Haryana in Hisar in an hour, usually 2; distinct
    ids per ``number``."""
    top = [
        AlertMention(id=f"m{number}-1", title="हिसार में चिरायु कार्ड से इलाज नहीं, मरीज़ लौटाए",
                     snippet="निजी अस्पतालों ने चिरायु कार्ड पर इलाज से मना किया।",
                     url=f"https://news.example.in/hisar/chirayu-{number}.html", source="दैनिक भास्कर",
                     published_at=WINDOW_END - timedelta(minutes=20), sentiment="negative"),
        AlertMention(id=f"m{number}-2", title="Chirayu card rejected in Hisar hospitals", url="http://e.example/2",
                     source="The Tribune", sentiment="negative"),
        AlertMention(id=f"m{number}-3", snippet="chirayu card se ilaaj nahi ho raha hisar me", source="@kisan_hsr"),
    ]
    values: dict[str, Any] = {
        "id": f"spike:Hisar:chirayu_haryana:{number}", "rule_id": "default:district-scheme",
        "rule_name": "ज़िला × योजना", "kind": "spike", "district": "Hisar", "scheme": "chirayu_haryana",
        "window_start": WINDOW_END - timedelta(hours=1), "window_end": WINDOW_END, "count": 23, "baseline": 2.0,
        "negative_share": 0.74, "baseline_negative_share": 0.2,
        "reason": "23 mentions against 2.0 expected (Poisson p < 1e-9); negative share 74% against 20%",
        "top": top, "channels": ["webhook", "email", "telegram"],
    }
    return Alert(**(values | changes))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Certificates:
    """A throwaway CA (trustme) and a server certificate for 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.ca = trustme.CA()
        self.server = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_bundle = folder / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_bundle))

    def server_context(self) -> ssl.SSLContext:
        """What the SMTP server presents."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.server.configure_cert(context)
        return context


@dataclass
class Received:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        """The message parsed as a mail client would (headers decoded)."""
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]


class MailServer:
    """aiosmtpd on 127.0.0.1; ``stop()`` and ``start()`` again on the same port for an outage."""

    def __init__(self, port: int | None = None, *, certificates: Certificates | None = None,
                 implicit_tls: bool = False, users: dict[str, str] | None = None,
                 refuse: set[str] | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.refuse = refuse or set()
        self._certificates = certificates
        self._implicit_tls = implicit_tls
        self._users = users
        self._controller: Controller | None = None

    def start(self) -> MailServer:
        """Listen (again)."""
        kwargs: dict[str, Any] = {}
        if self._certificates and self._implicit_tls:
            kwargs["ssl_context"] = self._certificates.server_context()
        elif self._certificates:
            kwargs |= {"tls_context": self._certificates.server_context(), "require_starttls": True}
        if self._users is not None:
            kwargs |= {"authenticator": self._authenticate, "auth_required": True}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, server_hostname="127.0.0.1",
                                      **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until ``start()``."""
        if self._controller:
            self._controller.stop()
            self._controller = None

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and self._users is not None
              and self._users.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login))
        return "250 Message accepted for delivery"


class SilentServer:
    """Accepts TCP connections and never says a word: an SMTP server that hangs (the sender waits its timeout)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]

    def close(self) -> None:
        """Stop listening."""
        self.socket.close()


class WebhookReceiver(FakeServer):
    """Takes alert POSTs and answers 200; ``received`` holds the accepted ones in order."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Seen] = []
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._stall_at: int | None = None

    def stall_after(self, count: int) -> None:
        """Accept the ``count``-th alert, then hold its answer until ``release()``."""
        self._stall_at = count

    def release(self) -> None:
        """Answer the held request (and stall no more)."""
        self._stall_at = None
        self._release.set()

    def route(self, request: Seen) -> Answer:
        if request.method != "POST":
            return Answer(405, {"error": "POST only"})
        with self.lock:
            self.received.append(request)
            stall = len(self.received) == self._stall_at
        if stall:
            self.stalled.set()
            self._release.wait(60)
        return Answer(200, {"ok": True})

    def alerts(self) -> list[dict[str, Any]]:
        """The JSON bodies accepted, in order."""
        return [json.loads(request.body) for request in self.received]

    def keys(self) -> list[str]:
        """The ``Idempotency-Key`` of each accepted POST, in order."""
        return [request.headers.get("idempotency-key", "") for request in self.received]
