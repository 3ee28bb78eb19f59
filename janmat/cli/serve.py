"""``janmat serve``: the web service (search page and JSON API)."""

from __future__ import annotations

from typing import Annotated

import typer

from janmat.cli.console import clear_errors
from janmat.cli.options import StoreOption


@clear_errors
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8765,
    store: StoreOption = None,
) -> None:
    """Run the web service: the search page at / and the JSON API under /api (OpenAPI at /docs)."""
    import uvicorn

    from janmat.core.settings import get_settings
    from janmat.web.app import create_app
    from janmat.web.auth import check_exposure

    check_exposure(host, get_settings().web)  # anything but loopback needs accounts (JANMAT_WEB_USERS)
    uvicorn.run(create_app(store_url=store), host=host, port=port, log_level="warning")
