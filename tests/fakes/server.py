"""A real HTTP server on 127.0.0.1 for the platform fakes: each fake answers ``route`` like the platform would.

Every fake records the requests it saw (path, query parameters, headers) so tests can assert on the wire
format, and can be told to misbehave on its next answers (5xx, 429, invalid JSON) the way the platforms do.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    """One request the fake received."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    method: str = "GET"


@dataclass
class Answer:
    """What the fake sends back."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    def encoded(self) -> bytes:
        """The body as bytes (dicts and lists as JSON)."""
        if isinstance(self.body, dict | list):
            return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class FakeServer:
    """Base of every fake: serves ``route`` on a free 127.0.0.1 port in a background thread."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.script: list[Answer] = []
        """Answers to give, in order, before routing normally (for injected failures)."""
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                received = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Seen(parts.path, params, {k.lower(): v for k, v in self.headers.items()}, received,
                               self.command)
                with fake.lock:
                    fake.seen.append(request)
                    scripted = fake.script.pop(0) if fake.script else None
                answer = scripted or fake.route(request)
                body = answer.encoded()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # the body is kept on ``Seen.body`` (APIs that take JSON: Telegram's)
                self.do_GET()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL of the running fake."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        """Start serving."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, request: Seen) -> Answer:
        """The normal answer to a request; each fake implements its platform here."""
        raise NotImplementedError

    def then(self, *answers: Answer) -> None:
        """Give these answers to the next requests, in order, then answer normally again."""
        with self.lock:
            self.script.extend(answers)

    def requests_to(self, path_part: str) -> list[Seen]:
        """The requests whose path contains ``path_part``."""
        return [r for r in self.seen if path_part in r.path]


def server_error(status: int = 503) -> Answer:
    """A 5xx answer with an HTML body, as load balancers send."""
    return Answer(status, "<html><body>Service Unavailable</body></html>", content_type="text/html")


def invalid_json() -> Answer:
    """A 200 answer whose body is cut-off JSON."""
    return Answer(200, '{"data": [{"id": "1", "text": "अधूरा')
