"""What every request passes through: size and rate limits, authentication, the CSRF cookie and the security
headers (a Content-Security-Policy without inline script, no framing, no MIME sniffing)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from janmat.core.settings import WebSettings
from janmat.web.auth import Authenticator
from janmat.web.display import Words
from janmat.web.views import http_error_text

CSRF_COOKIE = "janmat_csrf"
CSRF_FIELD = "csrf_token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets inline style attributes; its script still comes from /static only.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def install(app: FastAPI, settings: WebSettings, authenticator: Authenticator) -> None:
    """Add the one middleware that applies Janmat's limits, login and headers to every route."""
    limiter = MovingWindowRateLimiter(MemoryStorage())
    rate = parse(settings.rate_limit)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            _check_size(request, settings.max_body_bytes)
            client = request.client.host if request.client else "unknown"
            if not limiter.hit(rate, client):
                raise HTTPException(status_code=429, detail="too many requests / बहुत अधिक अनुरोध",
                                    headers={"Retry-After": "60"})
            request.state.user = authenticator.user_for(request)
        except HTTPException as exc:
            detail = str(exc.detail)
            response: Response = JSONResponse(
                {"error": detail, "hi": http_error_text(exc.status_code, detail, Words("hi"))},
                status_code=exc.status_code, headers=exc.headers)
        else:
            cookie = request.cookies.get(CSRF_COOKIE)
            request.state.csrf = cookie if cookie and len(cookie) >= 32 else secrets.token_urlsafe(32)
            response = await call_next(request)
            if request.state.csrf != cookie:
                response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict", path="/")
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        docs = request.url.path in ("/docs", "/docs/")
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
        return response


def _check_size(request: Request, limit: int) -> None:
    """413 for a body over the limit; 411 for a body of unknown length (chunked), which could be any size."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    length = request.headers.get("content-length")
    if length is None:
        if request.headers.get("transfer-encoding"):
            raise HTTPException(status_code=411, detail="a request body needs a Content-Length")
        return
    if not length.isdigit() or int(length) > limit:
        raise HTTPException(status_code=413, detail=f"request body over {limit} bytes")


def check_csrf(request: Request, submitted: str | None) -> None:
    """403 unless a form's CSRF token equals the request's CSRF cookie (double submit) and any Origin is ours."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise HTTPException(status_code=403, detail="the form expired or came from another site; reload the page")
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(status_code=403, detail="form posted from another site")
