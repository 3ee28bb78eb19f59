"""FastAPI application: ``/api/search``, ``/api/stats``, ``/api/mentions/{id}`` and the search page at ``/``."""

# No "from __future__ import annotations" here: FastAPI reads the route signatures at run time, and the store
# dependency is a local type alias it could not resolve from a string.


from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel

from janmat import __version__
from janmat.core.errors import InputError, JanmatError, StoreUnavailableError
from janmat.core.i18n import MESSAGES
from janmat.core.mention import Mention
from janmat.store import FACETS, MentionStore, open_store
from janmat.store.filters import build_query

STATIC = Path(__file__).parent / "static"


class Hit(BaseModel):
    """One search result: the mention, its relevance score and highlighted passages."""

    mention: Mention
    score: float | None = None
    highlights: list[str] = []


class SearchResponse(BaseModel):
    """A page of results and how many mentions match in all."""

    total: int
    results: list[Hit]


class CountsResponse(BaseModel):
    """Mentions per value of one facet, with display names where the value is an id (schemes)."""

    by: str
    total: int
    counts: list[tuple[str, int]]
    labels: dict[str, str] = {}


def create_app(store: MentionStore | None = None, store_url: str | None = None) -> FastAPI:
    """Build the app around a store (given, or opened from ``store_url`` / settings on first request)."""
    app = FastAPI(title="Janmat API", version=__version__, description="Hindi news and social-media monitoring.")
    holder: dict[str, MentionStore] = {}
    if store is not None:
        holder["store"] = store

    def get_store() -> MentionStore:
        if "store" not in holder:
            holder["store"] = open_store(store_url)
        return holder["store"]

    StoreDep = Annotated[MentionStore, Depends(get_store)]  # noqa: N806 - a type alias, named like one

    @app.exception_handler(InputError)
    async def _bad_input(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": str(exc)})

    @app.exception_handler(StoreUnavailableError)
    async def _store_down(_: Request, exc: StoreUnavailableError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"error": str(exc)})

    @app.exception_handler(JanmatError)
    async def _janmat_error(_: Request, exc: JanmatError) -> JSONResponse:
        return JSONResponse(status_code=500, content={"error": str(exc)})

    def query_from(
        q: str | None = None,
        district: Annotated[list[str] | None, Query()] = None,
        scheme: Annotated[list[str] | None, Query()] = None,
        sentiment: Annotated[list[str] | None, Query()] = None,
        platform: Annotated[list[str] | None, Query()] = None,
        source: Annotated[list[str] | None, Query()] = None,
        lang: Annotated[list[str] | None, Query()] = None,
        since: str | None = None,
        until: str | None = None,
        misinformation: bool | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Any:
        return build_query(
            q, districts=_nonblank(district), schemes=_nonblank(scheme), sentiments=_nonblank(sentiment),
            platforms=_nonblank(platform), sources=_nonblank(source), langs=_nonblank(lang), since=since,
            until=until, misinformation=misinformation, limit=limit, offset=offset,
        )

    @app.get("/api/health")
    def health(store: StoreDep) -> dict[str, Any]:
        """Whether the store answers, and how many mentions it holds."""
        return {"status": "ok", "store": store.url.split("@")[-1], "mentions": store.count()}

    @app.get("/api/search", response_model=SearchResponse)
    def search(store: StoreDep, query: Annotated[Any, Depends(query_from)]) -> SearchResponse:
        """Mentions matching text and filters; best first with text, newest first without."""
        result = store.search(query)
        return SearchResponse(
            total=result.total,
            results=[Hit(mention=h.mention, score=h.score, highlights=h.highlights) for h in result.hits],
        )

    @app.get("/api/stats", response_model=CountsResponse)
    def stats(
        store: StoreDep, query: Annotated[Any, Depends(query_from)], by: str = "district", ui: str = "en"
    ) -> CountsResponse:
        """Counts of matching mentions by district, scheme, sentiment, day, source, platform or lang."""
        if by not in FACETS:
            raise InputError(f"cannot count by {by!r}: use one of {', '.join(FACETS)}")
        counts = store.counts(by, query)  # type: ignore[arg-type]
        labels = scheme_names(ui) if by == "scheme" else {}
        return CountsResponse(
            by=by, total=store.count(query), counts=counts, labels={k: labels[k] for k, _ in counts if k in labels}
        )

    @app.get("/api/mentions/{mention_id}", response_model=Mention)
    def mention(store: StoreDep, mention_id: str) -> Mention:
        """One mention with all its tags."""
        found = store.get(mention_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no mention {mention_id!r}")
        return found

    @app.get("/api/messages")
    def messages(lang: str = "en") -> dict[str, str]:
        """User-facing labels in Hindi (``hi``) or English (``en``) for the web page."""
        if lang not in ("en", "hi"):
            raise InputError(f"bad language {lang!r}: use en or hi")
        return {key: entry.get(lang) or entry["en"] for key, entry in MESSAGES.items()}

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> FileResponse:
        path = (STATIC / name).resolve()
        if path.parent != STATIC.resolve() or not path.is_file():
            raise HTTPException(status_code=404)
        return FileResponse(path)

    return app


def scheme_names(lang: str) -> dict[str, str]:
    """Scheme id -> its name in Hindi (``hi``) or English."""
    from nlp.schemes import catalogue

    return {s.id: (s.name_hi if lang == "hi" else s.name_en) for s in catalogue()}


def _nonblank(values: list[str] | None) -> list[str]:
    return [v for v in (values or []) if v and v.strip()]
