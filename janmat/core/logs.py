"""Logging set-up: readable lines on a terminal, one JSON object per line with ``JANMAT_LOG_JSON=true``."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON with time, level, logger, message and any ``extra={...}`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a record is emitted, not as it was when logging was set up: a caller
    that swaps stderr for a while (a CLI test runner, a notebook, a daemon closing its terminal) must not leave
    logging writing to a closed stream."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def configure_logging(level: str = "INFO", as_json: bool = False) -> None:
    """Send Janmat's logs to stderr at ``level``; quiet the chatty libraries unless debugging."""
    handler = StderrHandler()
    handler.setFormatter(JsonFormatter() if as_json else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    if level.upper() != "DEBUG":
        for noisy in ("urllib3", "httpx", "scrapy", "filelock", "trafilatura"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        # The engine clients log every non-2xx answer, including the expected 400/404 of feature probes;
        # Janmat reports what matters itself.
        for client in ("elastic_transport", "opensearch"):
            logging.getLogger(client).setLevel(logging.ERROR)
