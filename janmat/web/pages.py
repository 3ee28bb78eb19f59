"""The screens, rendered on the server with Jinja2 (no script at all): overview, search, one mention with its
correction form, exports, the language switch and the offline API docs."""

# No "from __future__ import annotations": FastAPI reads these signatures at run time.

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from janmat.core.errors import InputError
from janmat.core.mention import Mention
from janmat.store.base import MentionQuery
from janmat.store.filters import resolve_districts, resolve_schemes, sentiment_label
from janmat.store.query_parser import parse_query
from janmat.web import export
from janmat.web.auth import require
from janmat.web.choropleth import draw
from janmat.web.context import LANG_COOKIE, PAGE_SIZE, WebContext, probability, search_query
from janmat.web.corrections import CorrectionForm, correct, current_values
from janmat.web.display import LANGS, Words, haryana_districts, scheme_names
from janmat.web.overview import PERIODS, build_overview, period_start
from janmat.web.security import CSRF_FIELD, check_csrf
from janmat.web.snippets import snippet
from janmat.web.views import evidence_pieces, input_error_text, safe_link

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters["safe_link"] = safe_link


def page_router(ctx: WebContext) -> APIRouter:
    """The HTML routes."""
    router = APIRouter(include_in_schema=False)

    def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        return render_page(ctx, request, name, status, **values)

    @router.get("/")
    def overview(request: Request, period: str = "7d", metric: str = "negative") -> HTMLResponse:
        w = ctx.words(request)
        if period not in PERIODS:
            return render(request, "overview.html", 400, page="overview", error=input_error_text(
                InputError(f"bad period {period!r}: use {', '.join(PERIODS)}"), w), data=None)
        data = build_overview(ctx.store, period)
        since = period_start(period).date().isoformat()
        alerts = ctx.alerts(ctx.store, MentionQuery(since=data.since)) if ctx.alerts else None
        claims = ctx.claims(ctx.store, MentionQuery(since=data.since)) if ctx.claims else None
        return render(
            request, "overview.html", page="overview", data=data, period=period, periods=list(PERIODS),
            since=since, map=draw(data.districts, metric, ctx.settings.web.map_min_n),
            min_n=ctx.settings.web.map_min_n, alerts=alerts, claims=claims,
            peak=max((d.total for d in data.days), default=0),
        )

    @router.get("/search")
    def search(request: Request, page: int = 1) -> HTMLResponse:
        w = ctx.words(request)
        form = dict(request.query_params)
        try:
            if page < 1:
                raise InputError(f"bad page {page}: pages start at 1")
            query = _query_from(request, offset=(page - 1) * PAGE_SIZE)
            result = ctx.store.search(query)
            facets = {by: ctx.store.counts(by, query.model_copy(update={"limit": 0}))
                      for by in ("sentiment", "district", "scheme")}
        except InputError as exc:
            return render(request, "search.html", 400, page="search", error=input_error_text(exc, w), form=form,
                          choices=_choices(w), result=None)
        parsed = parse_query(query.text)
        terms, keys = parsed.all_terms(), parsed.all_keys()  # keys: the words' other-script spellings too
        rows = [(export.row(hit.mention, w), snippet(hit.mention.full_text(), terms, keys=keys), hit.mention)
                for hit in result.hits]
        pages = max(1, -(-min(result.total, 10_000) // PAGE_SIZE))
        return render(
            request, "search.html", page="search", form=form, choices=_choices(w), result=result, rows=rows,
            facets=facets, page_no=page, pages=pages, link=lambda **change: _link(request, **change),
            export_query=urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"]),
        )

    @router.get("/mentions/{mention_id}")
    def mention(request: Request, mention_id: str, saved: int = 0) -> HTMLResponse:
        found = ctx.store.get(mention_id)
        if found is None:
            return render(request, "missing.html", 404, page="mention", mention_id=mention_id)
        return mention_page(request, found, saved=bool(saved))

    def mention_page(request: Request, found: Mention, status: int = 200, **values: Any) -> HTMLResponse:
        cluster = ctx.store.count(MentionQuery(clusters=[found.near_dup_cluster])) if found.near_dup_cluster else 0
        return render(
            request, "mention.html", status, page="mention", m=found, cluster_size=cluster,
            title_pieces=evidence_pieces(found, "title"), text_pieces=evidence_pieces(found, "text"),
            current=current_values(found), choices=_choices(ctx.words(request)),
            may_correct=request.state.user.may("analyst"), **values,
        )

    @router.post("/mentions/{mention_id}/corrections")
    def save_correction(
        request: Request, mention_id: str,
        csrf_token: Annotated[str, Form()] = "", sentiment: Annotated[str, Form()] = "",
        districts: Annotated[str, Form()] = "", schemes: Annotated[str, Form()] = "",
        misinformation: Annotated[str, Form()] = "", note: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        user = require(request, "analyst")
        found = ctx.store.get(mention_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no mention {mention_id!r}")
        try:
            form = CorrectionForm(
                sentiment=sentiment_label(sentiment) if sentiment else None,
                districts=resolve_districts(_names(districts)), schemes=resolve_schemes(_names(schemes)),
                misinformation={"yes": True, "no": False}.get(misinformation), note=note.strip() or None,
            )
        except InputError as exc:
            return mention_page(request, found, 400, saved=False, error=input_error_text(exc, ctx.words(request)))
        correct(ctx.store, ctx.audit, found, form, user.name)
        return RedirectResponse(f"/mentions/{mention_id}?saved=1", status_code=303)

    @router.get("/export.csv")
    def export_csv(request: Request, query: Annotated[MentionQuery, Depends(search_query)]) -> StreamingResponse:
        w = ctx.words(request)
        rows = export.all_rows(ctx.store, query, w)
        return StreamingResponse(export.to_csv(rows, w), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="janmat-search.csv"'})

    @router.get("/export.xlsx")
    def export_xlsx(request: Request, query: Annotated[MentionQuery, Depends(search_query)]) -> Response:
        w = ctx.words(request)
        body = export.to_xlsx(export.all_rows(ctx.store, query, w), w)
        return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="janmat-search.xlsx"'})

    @router.get("/lang/{lang}")
    def switch_language(lang: str, next: str = "/") -> RedirectResponse:
        if lang not in LANGS:
            raise HTTPException(status_code=404)
        parts = urlsplit(next)
        target = next if next.startswith("/") and not next.startswith("//") and not parts.netloc else "/"
        response = RedirectResponse(target, status_code=303)
        remember_language(response, lang)
        return response

    def _query_from(request: Request, offset: int) -> MentionQuery:
        params = request.query_params
        return search_query(
            q=params.get("q"), district=params.getlist("district"), scheme=params.getlist("scheme"),
            sentiment=params.getlist("sentiment"), platform=params.getlist("platform"),
            source=params.getlist("source"), lang=params.getlist("lang"), cluster=params.getlist("cluster"),
            since=params.get("since"), until=params.get("until"), misinformation=params.get("misinformation"),
            min_confidence=probability(params.get("min_confidence")), sort=params.get("sort") or "relevance",
            limit=PAGE_SIZE, offset=offset,
        )

    return router


def render_page(ctx: WebContext, request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A screen: the template with the words of the request's language, the user, the CSRF token and ``values``."""
    w = ctx.words(request)
    kept = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "ui"])
    here = request.url.path + (f"?{kept}" if kept else "")  # where the language switch comes back to
    html = TEMPLATES.get_template(name).render(
        w=w, other="en" if w.lang == "hi" else "hi", here=here, user=request.state.user,
        csrf=request.state.csrf, csrf_field=CSRF_FIELD, docs=ctx.settings.web.docs, **values,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("ui") == w.lang and request.cookies.get(LANG_COOKIE) != w.lang:
        remember_language(response, w.lang)  # links from this page keep the language asked for
    return response


def remember_language(response: Response, lang: str) -> None:
    """Keep the UI language for a year in a cookie."""
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True, path="/")


def _names(typed: str) -> list[str]:
    """Comma-separated names as typed (Hindi or English), blanks dropped."""
    return [name.strip() for name in typed.replace("،", ",").split(",") if name.strip()]


def _choices(w: Words) -> dict[str, list[tuple[str, str]]]:
    """The values offered in the filter menus, with their names in the UI language."""
    return {
        "districts": sorted(((k, w.district(k)) for k in haryana_districts()), key=lambda item: item[1]),
        "schemes": sorted(((k, w.scheme(k)) for k in scheme_names()), key=lambda item: item[1]),
        "sentiments": [(label, w(label)) for label in ("negative", "neutral", "positive")],
        "platforms": [(p, w(f"platform_{p}")) for p in ("news", "x", "youtube", "facebook", "telegram", "gnews",
                                                          "factcheck", "other")],
        "sorts": [(s, w(f"sort_{s}")) for s in ("relevance", "newest", "oldest")],
    }


def _link(request: Request, **change: object) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in change]
    params += [(k, str(v)) for k, v in change.items() if v is not None]
    return f"{request.url.path}?{urlencode(params)}"


def mark_pieces(pieces: list) -> Markup:
    """Snippet pieces as HTML: text escaped, matching words in ``<mark>``."""
    return Markup("").join(Markup("<mark>{}</mark>").format(p.text) if p.hit else Markup("{}").format(p.text)
                           for p in pieces)


TEMPLATES.filters["marked"] = mark_pieces
