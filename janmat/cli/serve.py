"""``janmat serve``: the web service (search page and JSON API)."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import TypeAdapter, ValidationError

from janmat.cli.console import clear_errors
from janmat.cli.options import StoreOption
from janmat.core.errors import InputError


@clear_errors
def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default: JANMAT_WEB_HOST, "
                                                            "127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="TCP port (default: JANMAT_WEB_PORT, 8765).")] = None,
    store: StoreOption = None,
) -> None:
    """Run the web service: the search page at / and the JSON API under /api (OpenAPI at /docs)."""
    import uvicorn

    from janmat.core.settings import get_settings
    from janmat.web.app import create_app
    from janmat.web.auth import check_exposure

    web = get_settings().web
    host = host or web.host
    port = web.port if port is None else _port(port)
    check_exposure(host, web)  # anything but loopback needs accounts (JANMAT_WEB_USERS)
    uvicorn.run(create_app(store_url=store), host=host, port=port, log_level="warning")


def _port(port: int) -> int:
    """``--port``, checked as ``JANMAT_WEB_PORT`` is."""
    from janmat.core.settings import TcpPort

    try:
        return TypeAdapter(TcpPort).validate_python(port)
    except ValidationError as exc:
        raise InputError(f"--port {port}: {exc.errors()[0]['msg']}") from None
