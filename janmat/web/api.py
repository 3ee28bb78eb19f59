"""The JSON API under ``/api``: search, counts, one mention, the overview's data, messages and corrections."""

# No "from __future__ import annotations": FastAPI reads these signatures at run time.

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from janmat.core.errors import InputError
from janmat.core.mention import Mention
from janmat.store.base import FACETS, MentionQuery
from janmat.store.query_parser import parse_query
from janmat.web.auth import require
from janmat.web.context import WebContext, search_query
from janmat.web.corrections import training_rows
from janmat.web.display import LANGS, Words
from janmat.web.overview import Overview, build_overview
from janmat.web.snippets import marked, snippet


class Hit(BaseModel):
    """One search result: the mention, its relevance score and a highlighted snippet (words between « »)."""

    mention: Mention
    score: float | None = None
    highlights: list[str] = []


class SearchResponse(BaseModel):
    """A page of results and how many mentions match in all."""

    total: int
    results: list[Hit]


class CountsResponse(BaseModel):
    """Mentions per value of one facet, with display names where the value is a key (districts, schemes)."""

    by: str
    total: int
    counts: list[tuple[str, int]]
    labels: dict[str, str] = {}


def api_router(ctx: WebContext) -> APIRouter:
    """The ``/api`` routes over the context's store."""
    router = APIRouter(prefix="/api")
    QueryDep = Annotated[MentionQuery, Depends(search_query)]  # noqa: N806 - a type alias, named like one

    @router.get("/health")
    def health() -> dict[str, Any]:
        """Whether the store answers, and how many mentions it holds."""
        return {"status": "ok", "store": ctx.store.url.split("@")[-1], "mentions": ctx.store.count()}

    @router.get("/search", response_model=SearchResponse)
    def search(query: QueryDep) -> SearchResponse:
        """Mentions matching text and filters; ``sort`` relevance (best first with text), newest or oldest."""
        result = ctx.store.search(query)
        parsed = parse_query(query.text)
        terms, keys = parsed.all_terms(), parsed.all_keys()  # keys: the words' other-script spellings too
        return SearchResponse(total=result.total, results=[
            Hit(mention=h.mention, score=h.score,
                highlights=[marked(snippet(h.mention.full_text(), terms, keys=keys))] if terms else [])
            for h in result.hits
        ])

    @router.get("/stats", response_model=CountsResponse)
    def stats(query: QueryDep, by: str = "district", ui: str = "en") -> CountsResponse:
        """Counts of matching mentions by district, scheme, sentiment, day, source, platform or lang."""
        if by not in FACETS:
            raise InputError(f"cannot count by {by!r}: use one of {', '.join(FACETS)}")
        counts = ctx.store.counts(by, query)  # type: ignore[arg-type]
        w = Words(ui)
        name = {"scheme": w.scheme, "district": w.district}.get(by)
        labels = {key: name(key) for key, _ in counts} if name else {}
        return CountsResponse(by=by, total=ctx.store.count(query), counts=counts, labels=labels)

    @router.get("/overview", response_model=Overview)
    def overview(period: str = "7d") -> Overview:
        """The overview's data for ``today``, ``7d`` or ``30d``: tone per day, districts (negative share with n and
        a 95 % Wilson interval), schemes and the near-duplicate clusters spreading."""
        return build_overview(ctx.store, period)

    @router.get("/mentions/{mention_id}", response_model=Mention)
    def mention(mention_id: str) -> Mention:
        """One mention with all its tags and corrections."""
        found = ctx.store.get(mention_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no mention {mention_id!r}")
        return found

    @router.get("/messages")
    def messages(lang: str = "en") -> dict[str, str]:
        """User-facing labels in Hindi (``hi``) or English (``en``)."""
        if lang not in LANGS:
            raise InputError(f"bad language {lang!r}: use en or hi")
        return Words(lang).catalogue()

    @router.get("/corrections.jsonl")
    def corrections(request: Request) -> StreamingResponse:
        """Analysts' tone corrections as JSON lines for ``janmat train sentiment --corrections FILE`` (analyst)."""
        require(request, "analyst")

        def lines() -> Iterator[str]:
            for row in training_rows(ctx.store, ctx.audit):
                yield json.dumps(row, ensure_ascii=False) + "\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson", headers={
            "Content-Disposition": 'attachment; filename="janmat-corrections.jsonl"'})

    return router
