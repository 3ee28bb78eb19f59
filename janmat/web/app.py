"""The web app: the analyst screens (``/``, ``/search``, ``/mentions/{id}``), the JSON API under ``/api`` and
its documentation at ``/docs``, every asset served from this machine."""

# No "from __future__ import annotations" here: FastAPI reads the route signatures at run time.

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from janmat import __version__
from janmat.core.errors import InputError, JanmatError, StoreUnavailableError
from janmat.core.settings import JanmatSettings, get_settings
from janmat.store import MentionStore
from janmat.web import security
from janmat.web.alerts_api import alerts_panel, alerts_router
from janmat.web.api import api_router
from janmat.web.claims_api import claims_panel, claims_router
from janmat.web.context import WebContext
from janmat.web.display import Words
from janmat.web.pages import TEMPLATES, page_router
from janmat.web.panels import PanelSource
from janmat.web.schemes_api import schemes_router
from janmat.web.views import http_error_text, input_error_text, request_problem

STATIC = Path(__file__).parent / "static"


def create_app(
    store: MentionStore | None = None,
    store_url: str | None = None,
    *,
    settings: JanmatSettings | None = None,
    alerts: PanelSource | None = None,
    claims: PanelSource | None = None,
) -> FastAPI:
    """Build the app around a store (given, or opened from ``store_url`` / settings on first request)."""
    ctx = WebContext(settings or get_settings(), store_url=store_url, alerts=alerts,
                     claims=claims_panel if claims is None else claims, store_given=store)
    app = FastAPI(title="Janmat API", version=__version__, description="Hindi news and social-media monitoring.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json" if ctx.settings.web.docs else None)
    app.state.context = ctx
    security.install(app, ctx.settings.web, ctx.authenticator)
    ctx.alerts = alerts_panel if alerts is None else alerts  # fired alerts from the store's ledger

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": str(exc),
                                                      "hi": input_error_text(exc, Words("hi"))})

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A parameter missing or of the wrong type, or a body that is not JSON: a bad input like any other (400,
        ``{"error", "hi"}``), not FastAPI's own 422."""
        return await _bad_input(request, request_problem(exc.errors()))

    @app.exception_handler(StoreUnavailableError)
    async def _store_down(_: Request, exc: StoreUnavailableError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"error": str(exc),
                                                      "hi": http_error_text(503, str(exc), Words("hi"))})

    @app.exception_handler(JanmatError)
    async def _janmat_error(_: Request, exc: JanmatError) -> JSONResponse:
        return JSONResponse(status_code=500, content={"error": str(exc),
                                                      "hi": http_error_text(500, str(exc), Words("hi"))})

    @app.exception_handler(StarletteHTTPException)  # also Starlette's own, for an unknown path or method
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        return JSONResponse(status_code=exc.status_code, headers=exc.headers,
                            content={"error": detail, "hi": http_error_text(exc.status_code, detail, Words("hi"))})

    app.include_router(api_router(ctx))
    app.include_router(page_router(ctx))
    app.include_router(alerts_router(ctx))
    app.include_router(claims_router(ctx))
    app.include_router(schemes_router(ctx))

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        if not ctx.settings.web.docs:
            raise HTTPException(status_code=404)
        return HTMLResponse(TEMPLATES.get_template("docs.html").render(w=ctx.words(request)))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/static/{name:path}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        return FileResponse(_asset(name))

    return app


def _asset(name: str) -> Path:
    """A file under ``static/`` or, under ``static/swagger/``, Swagger UI's from the swagger-ui-py package; else 404."""
    root = STATIC
    if name.startswith("swagger/"):
        import swagger_ui

        root, name = Path(swagger_ui.__file__).parent / "static", name.removeprefix("swagger/")
    path = (root / name).resolve()
    if not path.is_file() or not path.is_relative_to(root.resolve()):
        raise HTTPException(status_code=404)
    return path
