"""``GET /api/schemes/candidates``: the candidate schemes of ``janmat schemes candidates --json``, as one list."""

# No "from __future__ import annotations": FastAPI reads these signatures at run time.

from fastapi import APIRouter

from janmat.store.filters import parse_when
from janmat.store.scheme_candidates import StoredCandidate, stored_candidates
from janmat.web.context import WebContext


def schemes_router(ctx: WebContext) -> APIRouter:
    """The ``/api/schemes`` routes over the context's store."""
    router = APIRouter(prefix="/api/schemes", tags=["schemes"])

    @router.get("/candidates", response_model=list[StoredCandidate])
    def candidates(since: str | None = None) -> list[StoredCandidate]:
        """Programmes outside the catalogue named by mentions published since ``since`` (``YYYY-MM-DD``, ``7d``…),
        most mentions first; a bad date is a 400 naming it."""
        return stored_candidates(ctx.store, parse_when(since))

    return router
