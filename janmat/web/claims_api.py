"""Claims in the web app: the JSON API (``/api/claims``, ``/api/claims/{id}``, ``/api/clusters/{id}``), the Claims
screens (``/claims``, ``/claims/{id}``, ``/clusters/{id}``, each spread with its timeline) and the overview's
"claims spreading" panel (``claims_panel``, the ``create_app(claims=…)`` hook). Adding claims and changing a
claim's status need the admin role; reading needs none beyond the app's own login."""

# No "from __future__ import annotations": FastAPI reads these signatures at run time.

import hashlib
import logging
import threading
import weakref
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Body, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from janmat.core.errors import ConfigError, InputError
from janmat.core.i18n import message
from janmat.core.mention import IST
from janmat.core.settings import get_settings
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.claims import ClaimStore, StoredClaim, analyst_claim
from janmat.store.claims_backends import claim_store_for
from janmat.store.claims_backfill import backfill_claims
from janmat.store.claims_tracker import ClaimTrack, ClusterTrack, Spread, active_claims, track_claim, track_cluster
from janmat.web.auth import require
from janmat.web.context import WebContext
from janmat.web.display import Words
from janmat.web.pages import render_page
from janmat.web.panels import PanelItem
from janmat.web.security import check_csrf
from janmat.web.views import input_error_text

PANEL_CLAIMS = 5
PAGE_SIZE = 50
ITEMS_SHOWN = 200
RECENT = timedelta(hours=24)
_claim_stores: "weakref.WeakKeyDictionary[MentionStore, ClaimStore]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()
log = logging.getLogger(__name__)


def claims_of(store: MentionStore) -> ClaimStore | None:
    """The claim store beside ``store`` (opened once per store), or None for a backend that keeps no claims."""
    with _lock:
        found = _claim_stores.get(store)
        if found is None:
            try:
                found = _claim_stores[store] = claim_store_for(store)
            except ConfigError:
                return None
        return found


def claims_panel(store: MentionStore, query: MentionQuery) -> list[PanelItem]:
    """The overview's claims panel: the claims most repeated since the period began, with how far each spread."""
    claims = claims_of(store)
    if claims is None:
        return []
    lang = get_settings().core.ui_lang
    items = []
    for track in active_claims(claims, since=query.since, until=query.until, limit=PANEL_CLAIMS):
        items.append(PanelItem(
            title=_short(track.claim.text, 140), at=track.last_seen, link=f"/claims/{track.claim.id}",
            detail=message("claim_panel_line", lang, status=message(f"status_{track.claim.status}", lang),
                           n=track.mentions, sources=len(track.sources)),
        ))
    return items


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


class ClaimRow(BaseModel):
    """A claim with the number of stored mentions that repeat it."""

    claim: StoredClaim
    mentions: int


class ClaimsResponse(BaseModel):
    """A page of claims and how many there are in all."""

    total: int
    claims: list[ClaimRow]


class ClaimsAdded(BaseModel):
    """What adding claims did: stored new, updated, and each row refused with why."""

    stored: int
    updated: int
    refused: list[str]


def _backfill(claims: ClaimStore, claim_ids: list[str]) -> None:
    """After the response: mark the stored mentions that already restate the claims just added, as
    ``janmat claims add`` does; a mention that cannot be written back is logged as an error with its reason."""
    try:
        report = backfill_claims(claims, claim_ids)
    except Exception:  # a background task has no caller to tell: the log is where an operator looks
        log.exception("backfill of claims %s failed", ", ".join(claim_ids))
        return
    log.info("backfill of claims %s: %d stored mentions read, %d updated, matches %s", ", ".join(claim_ids),
             report.read, report.updated, report.matched)
    for mention_id, reason in report.failed.items():
        log.error("backfill of claims %s: mention %s not written: %s", ", ".join(claim_ids), mention_id, reason)


class StatusChange(BaseModel):
    """A claim's new status."""

    status: str


def timeline_chart(spread: Spread, w: Words) -> dict[str, Any]:
    """The spread timeline as SVG shapes (600 × 230 like the overview's chart): a bar of new items per IST hour or
    day and the running total as a line."""
    buckets = spread.timeline
    if not buckets:
        return {}
    peak = max(b.mentions for b in buckets) or 1
    step = 560 / len(buckets)
    bars, points = [], []
    for i, bucket in enumerate(buckets):
        height = bucket.mentions / peak * 180
        x = 34 + i * step
        when = w.when(bucket.start) if spread.step == "hour" else w.day(bucket.start.astimezone(IST).date())
        platforms = ", ".join(f"{w('platform_' + name)} {n}" for name, n in bucket.platforms.items())
        bars.append({"x": x, "y": 200 - height, "width": step * 0.8, "height": height,
                     "title": f"{when}: +{bucket.mentions} ({platforms}) = {bucket.total}",
                     "label": (bucket.start.astimezone(IST).strftime("%H:%M") if spread.step == "hour"
                               else w.day(bucket.start.astimezone(IST).date(), short=True)),
                     "show_label": len(buckets) <= 12 or i % max(1, len(buckets) // 8) == 0 or i == len(buckets) - 1})
        points.append(f"{x + step * 0.4:.1f},{200 - bucket.total / spread.mentions * 180:.1f}")
    return {"bars": bars, "line": " ".join(points), "peak": peak, "total": spread.mentions}


def _claims_or_fail(ctx: WebContext) -> ClaimStore:
    claims = claims_of(ctx.store)
    if claims is None:
        raise HTTPException(status_code=404, detail="this store keeps no claims")
    return claims


def _add_rows(claims: ClaimStore, rows: list[Any], source: str,
              background: BackgroundTasks | None = None) -> ClaimsAdded:
    """Store the good rows, then (in ``background``) match them against the stored mentions of the last 30 days;
    each bad row is refused with its one-line reason."""
    good, refused = [], []
    for number, row in enumerate(rows, 1):
        try:
            if not isinstance(row, dict):
                raise InputError("a claim is a JSON object with id, text, status and url")
            good.append(analyst_claim(row, source=source))
        except InputError as exc:
            refused.append(f"claim {number}: {exc}" if len(rows) > 1 else str(exc))
    report = claims.upsert(good)
    if background is not None and good:
        background.add_task(_backfill, claims, [claim.id for claim in good])
    return ClaimsAdded(stored=report.stored, updated=report.updated, refused=refused)


def _json_from_here(request: Request) -> None:
    """403 unless a write to the API is JSON and, when the browser says where it comes from, from this app."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(status_code=415, detail="send the claims as application/json")
    origin = request.headers.get("origin")
    if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(status_code=403, detail="request from another site")


def claims_router(ctx: WebContext) -> APIRouter:
    """The claim routes: the JSON API and the screens."""
    router = APIRouter()

    def known(claim_id: str) -> tuple[ClaimStore, StoredClaim]:
        claims = _claims_or_fail(ctx)
        claim = claims.get(claim_id)
        if claim is None:
            raise HTTPException(status_code=404, detail=f"no claim {claim_id!r}")
        return claims, claim

    @router.get("/api/claims", response_model=ClaimsResponse)
    def list_claims(status: Annotated[list[str] | None, Query()] = None, limit: int = PAGE_SIZE,
                    offset: int = 0) -> ClaimsResponse:
        """Known claims, newest first, each with the number of stored mentions that repeat it."""
        if not 0 < limit <= 1000 or offset < 0:
            raise InputError(f"bad limit {limit} or offset {offset}: limit 1–1000, offset from 0")
        claims = _claims_or_fail(ctx)
        total, found = claims.list_claims(status or [], limit=limit, offset=offset)
        counts = dict(claims.sighting_counts())
        return ClaimsResponse(total=total, claims=[ClaimRow(claim=c, mentions=counts.get(c.id, 0)) for c in found])

    @router.post("/api/claims", response_model=ClaimsAdded)
    def add_claims(request: Request, payload: Annotated[Any, Body()], background: BackgroundTasks) -> Any:
        """Add claims (admin): one claim or a list, each with id, text, status and url (optional lang, date,
        source). A claim without text is refused with one line; the others are stored."""
        _json_from_here(request)
        user = require(request, "admin")
        rows = payload if isinstance(payload, list) else [payload]
        added = _add_rows(_claims_or_fail(ctx), rows, f"analyst: {user.name}", background)
        if added.refused and not (added.stored or added.updated):
            raise InputError("; ".join(added.refused))
        return added

    @router.get("/api/claims/{claim_id}", response_model=ClaimTrack)
    def claim(claim_id: str) -> ClaimTrack:
        """One claim and its spread: first seen and by whom, outlets and platforms over time, districts,
        engagement, rebuttals, every item."""
        claims, found = known(claim_id)
        return track_claim(claims, found)

    @router.post("/api/claims/{claim_id}/status", response_model=StoredClaim)
    def change_status(request: Request, claim_id: str, change: StatusChange) -> StoredClaim:
        """Change a claim's status (admin): false, misleading, true or unverified."""
        _json_from_here(request)
        require(request, "admin")
        claims, found = known(claim_id)
        return claims.set_status(found.id, change.status)

    @router.get("/api/clusters/{cluster_id}", response_model=ClusterTrack)
    def cluster(cluster_id: str) -> ClusterTrack:
        """A near-duplicate cluster's spread and the known claims its members restate."""
        found = track_cluster(ctx.store, claims_of(ctx.store), cluster_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no cluster {cluster_id!r}")
        return found

    @router.get("/claims", include_in_schema=False)
    def claims_page(request: Request, status: str = "", added: str = "") -> HTMLResponse:
        claims = _claims_or_fail(ctx)
        total, found = claims.list_claims([status] if status else [], limit=ITEMS_SHOWN)
        counts = dict(claims.sighting_counts())
        recent = dict(claims.sighting_counts(since=datetime.now(UTC) - RECENT))
        return render_page(ctx, request, "claims.html", page="claims", total=total, wanted=status, added=added,
                           rows=[(c, counts.get(c.id, 0), recent.get(c.id, 0)) for c in found],
                           may_add=request.state.user.may("admin"))

    @router.post("/claims", include_in_schema=False)
    def add_claim_form(
        request: Request, background: BackgroundTasks, csrf_token: Annotated[str, Form()] = "",
        text: Annotated[str, Form(max_length=4000)] = "",
        status: Annotated[str, Form()] = "false", url: Annotated[str, Form()] = "",
        lang: Annotated[str, Form()] = "", date: Annotated[str, Form()] = "", claim_id: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(request, csrf_token)
        user = require(request, "admin")
        claims = _claims_or_fail(ctx)
        row = {"id": claim_id.strip() or _id_for(text), "text": text, "status": status, "url": url.strip(),
               "lang": lang.strip(), "date": date.strip()}
        try:
            claims.upsert([analyst_claim(row, source=f"analyst: {user.name}")])
            background.add_task(_backfill, claims, [row["id"]])
        except InputError as exc:
            w = ctx.words(request)
            total, found = claims.list_claims(limit=ITEMS_SHOWN)
            return render_page(ctx, request, "claims.html", 400, page="claims", total=total, wanted="", added="",
                               rows=[(c, 0, 0) for c in found], may_add=True, error=input_error_text(exc, w),
                               form=row)
        return RedirectResponse(f"/claims/{row['id']}?saved=1", status_code=303)

    @router.get("/claims/{claim_id}", include_in_schema=False)
    def claim_page(request: Request, claim_id: str, saved: int = 0) -> HTMLResponse:
        claims = _claims_or_fail(ctx)
        found = claims.get(claim_id)
        if found is None:
            return render_page(ctx, request, "missing.html", 404, page="claims", mention_id=claim_id)
        track = track_claim(claims, found)
        return render_page(ctx, request, "claim.html", page="claims", track=track, claim=found, saved=bool(saved),
                           chart=timeline_chart(track, ctx.words(request)), items=track.items[-ITEMS_SHOWN:],
                           may_change=request.state.user.may("admin"))

    @router.post("/claims/{claim_id}/status", include_in_schema=False)
    def status_form(request: Request, claim_id: str, csrf_token: Annotated[str, Form()] = "",
                    status: Annotated[str, Form()] = "") -> Response:
        check_csrf(request, csrf_token)
        require(request, "admin")
        claims, found = known(claim_id)
        claims.set_status(found.id, status)
        return RedirectResponse(f"/claims/{found.id}?saved=1", status_code=303)

    @router.get("/clusters/{cluster_id}", include_in_schema=False)
    def cluster_page(request: Request, cluster_id: str) -> HTMLResponse:
        track = track_cluster(ctx.store, claims_of(ctx.store), cluster_id)
        if track is None:
            return render_page(ctx, request, "missing.html", 404, page="claims", mention_id=cluster_id)
        return render_page(ctx, request, "claim.html", page="claims", track=track, claim=None, saved=False,
                           chart=timeline_chart(track, ctx.words(request)), items=track.items[-ITEMS_SHOWN:],
                           may_change=False)

    return router


def _id_for(text: str) -> str:
    """An id for a claim typed in the form without one: a short hash of its words."""
    return "a-" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]
