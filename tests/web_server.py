"""Run the real web app under uvicorn on 127.0.0.1 in a background thread, for API and browser tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from janmat.store import MentionStore
from janmat.web.app import create_app


@contextmanager
def serve_app(store: MentionStore, **options: Any) -> Iterator[str]:
    """Serve the app over ``store`` on a free loopback port (``options`` go to ``create_app``); yields its base URL."""
    config = uvicorn.Config(create_app(store=store, **options), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("web server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
