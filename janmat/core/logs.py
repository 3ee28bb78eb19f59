"""Logging set-up: readable lines on a terminal, one JSON object per line with ``JANMAT_LOG_JSON=true``."""

from __future__ import annotations

import json
import logging
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


def configure_logging(level: str = "INFO", as_json: bool = False) -> None:
    """Send Janmat's logs to stderr at ``level``; quiet the chatty libraries unless debugging."""
    handler = logging.StreamHandler()
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
