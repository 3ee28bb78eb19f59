"""A local HTTP server for the bundled sample news site (and, by subclassing, for the crawler tests).

It binds 127.0.0.1 on a free port in a background thread, serves ``index.html`` for directory URLs, ignores
query strings like a static host, replaces the ``{{BASE_URL}}`` placeholder in text files with its own
``http://127.0.0.1:PORT``, answers conditional GETs (ETag / Last-Modified) like a real site, and counts hits
per path so callers can see what a crawler fetched.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

SITE_DIR = Path(__file__).with_name("site")
PLACEHOLDER = b"{{BASE_URL}}"
_TEXT_TYPES = (".html", ".htm", ".xml", ".txt", ".json", ".css", ".svg")


@dataclass
class Reply:
    """One HTTP answer: status, headers and body."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class _QuietServer(ThreadingHTTPServer):
    """A threaded HTTP server that does not print a traceback when a client hangs up mid-answer."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionResetError, BrokenPipeError)):
            log.debug("client %s hung up: %s", client_address, error)
            return
        super().handle_error(request, client_address)


class SiteServer:
    """Serves a directory on 127.0.0.1:<free port> from a background thread; use as a context manager."""

    def __init__(self, root: Path = SITE_DIR, port: int = 0) -> None:
        self.root = root.resolve()
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", port), self._handler_class())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SiteServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="janmat-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def count(self, path: str) -> None:
        """Record one hit on a path."""
        with self._lock:
            self.hits[path] += 1

    # ------------------------------------------------------------------ content
    def file_for(self, path: str) -> Path | None:
        """The file a URL path maps to (``index.html`` for directories), or None; never outside the root."""
        relative = unquote(path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def render(self, file: Path) -> bytes:
        """File bytes with the base-URL placeholder filled in for text files."""
        body = file.read_bytes()
        if file.suffix.lower() in _TEXT_TYPES:
            body = body.replace(PLACEHOLDER, self.base_url.encode("ascii"))
        return body

    def respond(self, path: str, request_headers: dict[str, str]) -> Reply:
        """The reply for a GET of ``path``; subclasses override this to serve other content or faults."""
        file = self.file_for(path)
        if file is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain; charset=utf-8"})
        body = self.render(file)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/xml", "application/json"):
            content_type += "; charset=utf-8"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {
            "Content-Type": content_type,
            "ETag": etag,
            "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True),
        }
        if request_headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, headers)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = urlsplit(self.path).path or "/"
                server.count(path)
                reply = server.respond(path, {k.lower(): v for k, v in self.headers.items()})
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.body:
                    self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                log.debug("%s %s", self.address_string(), format % args)

        return Handler
