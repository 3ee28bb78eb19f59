"""``janmat claims add|match|list|show|status``: known claims in the configured store and how they spread.

``add FILE.jsonl`` stores analysts' claims (rows: ``id``, ``text``, ``status``, ``url`` of the rebuttal, optional
``lang``, ``date``, ``source``); a row without text is refused in one line and the others are stored. Then it
matches the claims it stored against the mentions stored in the last ``--backfill-days`` days (default 30; 0: off)
as the misinformation tagger would have at ingest (``janmat.store.claims_backfill``), writes back the mentions that
restate them and prints one line per claim. Its exit status is that of ``janmat ingest``: 0 every row stored, 3
some refused and the rest stored, 1 none stored, or a matched mention that could not be written back.
``match FILE.jsonl`` prints one JSON row per input row (``id``, ``text``) with the stored claims it restates, best
first, at or above the matcher's threshold; it stores nothing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from janmat.cli.console import clear_errors, err, out, progress
from janmat.cli.options import JsonOption, StoreOption
from janmat.core.i18n import t
from janmat.core.mention import IST

if TYPE_CHECKING:
    from janmat.store.claims import ClaimStore

claims_app = typer.Typer(help="Known claims (fact-checked or added by analysts): add, match, list, show, status.",
                         no_args_is_help=True)
TEXT_CHARS = 90
EXIT_NONE_STORED = 1
EXIT_NOT_WRITTEN = 1
EXIT_SOME_REFUSED = 3
SHOWN_CLAIMS = 50
"""Claims named one per line after a backfill; the others are summed up in one line."""
SHOWN_FAILURES = 20
"""Mentions that could not be written back named on stderr; the count covers them all."""


def _when(moment: datetime | None) -> str:
    return moment.astimezone(IST).strftime("%Y-%m-%d %H:%M IST") if moment else "–"


def _short(text: str, limit: int = TEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _dump(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")


@claims_app.command("add")
@clear_errors
def add_command(
    file: Annotated[Path, typer.Argument(help="JSONL rows: id, text, status (false|misleading|true|unverified), "
                                              "url of the rebuttal, optional lang, date, source.")],
    store: StoreOption = None,
    backfill_days: Annotated[int, typer.Option(
        "--backfill-days", min=0,
        help="Match the stored claims against the mentions stored in the last N days and update those that "
             "restate them (0: do not).")] = 30,  # janmat.store.claims_backfill.DEFAULT_DAYS
) -> None:
    """Store analysts' claims; a row without text (or with a bad status) is refused in one line, the rest stored.
    Then mark the stored mentions of the last --backfill-days days that restate them."""
    from janmat.core.errors import InputError
    from janmat.core.rows import read_jsonl
    from janmat.store.claims import analyst_claim
    from janmat.store.claims_backends import open_claims

    good, refused = [], 0
    for number, row in read_jsonl(file):
        try:
            if isinstance(row, InputError):
                raise row
            good.append(analyst_claim(row, source=f"analyst: {file.name}"))
        except InputError as exc:
            refused += 1
            err.print(t("rejected_line", where=f"line {number}", why=str(exc).removeprefix(f"line {number}: ")),
                      highlight=False)
    with open_claims(store) as claims:
        report = claims.upsert(good)
        out.print(t("claims_stored", stored=report.stored, updated=report.updated, refused=refused),
                  highlight=False)
        not_written = _backfill(claims, [claim.id for claim in good], backfill_days)
    if refused:
        raise typer.Exit(EXIT_SOME_REFUSED if good else EXIT_NONE_STORED)
    if not_written:
        raise typer.Exit(EXIT_NOT_WRITTEN)


def _backfill(claims: ClaimStore, claim_ids: list[str], days: int) -> int:
    """Mark the stored mentions of the last ``days`` days that restate the claims; print one line per claim and
    every mention that could not be written back; return how many could not."""
    from janmat.store.claims_backfill import backfill_claims

    if days <= 0 or not claim_ids:
        return 0
    with progress() as bar:
        task = bar.add_task(t("claims_backfill_task", days=days), total=None)
        done = backfill_claims(claims, claim_ids, days=days,
                               on_progress=lambda read, total: bar.update(task, completed=read, total=total))
    shown = list(done.matched.items())
    for claim_id, n in shown[:SHOWN_CLAIMS]:
        line = t("claim_backfilled", id=claim_id, n=n, days=days)
        if done.rebuttals.get(claim_id):
            line += t("claim_backfilled_rebuttals", n=done.rebuttals[claim_id])
        out.print(line, highlight=False)
    if len(shown) > SHOWN_CLAIMS:
        rest = shown[SHOWN_CLAIMS:]
        out.print(t("claims_backfilled_more", claims=len(rest), n=sum(n for _, n in rest)), highlight=False)
    out.print(t("claims_backfill_totals", read=done.read, updated=done.updated, days=days), highlight=False)
    if done.spooled:
        out.print(t("claims_backfill_spooled", n=done.spooled), highlight=False)
    if done.analyst_kept:
        out.print(t("claims_backfill_analyst", n=done.analyst_kept), highlight=False)
    for mention_id, why in list(done.failed.items())[:SHOWN_FAILURES]:
        err.print(t("claims_backfill_failed_one", id=mention_id, why=why), highlight=False, markup=False)
    if done.failed:
        err.print(t("claims_backfill_failed", n=len(done.failed)), highlight=False)
    return len(done.failed)


@claims_app.command("match")
@clear_errors
def match_command(
    file: Annotated[Path, typer.Argument(help="JSONL rows with 'id' and 'text' (as for janmat tag).")],
    store: StoreOption = None,
) -> None:
    """Print one JSON row per input row: the stored claims it restates, best first, at or above the threshold."""
    from janmat.cli.rows import mentions_in
    from janmat.store.claims_backends import open_claims
    from nlp.enrich import get_enricher
    from pipelines.enrich import with_store_claims

    rows = list(mentions_in(file))
    with open_claims(store) as claims:
        enricher = with_store_claims(get_enricher(), claims.mentions)
        enricher.enrich_many([found for _, found in rows if not isinstance(found, str)])
    for number, found in rows:
        if isinstance(found, str):
            err.print(f"line {number}: {found}", highlight=False)
            _dump({"id": None, "matches": [], "error": f"line {number}: {found}"})
            continue
        _dump({"id": found.id, "matches": [{"claim_id": match.claim_id, "score": match.score}
                                           for match in found.misinformation.matched_claims]})


@claims_app.command("list")
@clear_errors
def list_command(
    status: Annotated[list[str] | None, typer.Option("--status", help="Only claims with this status (repeat).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    as_json: JsonOption = False,
    store: StoreOption = None,
) -> None:
    """List known claims, newest first, with how many stored mentions repeat each."""
    from janmat.store.claims_backends import open_claims

    with open_claims(store) as claims:
        total, found = claims.list_claims(status or [], limit=limit)
        counts = dict(claims.sighting_counts())
    if as_json:
        for claim in found:
            _dump({**claim.model_dump(mode="json"), "mentions": counts.get(claim.id, 0)})
        return
    table = Table(title=t("claims_total", n=total))
    for key in ("col_id", "status", "lang", "source", "claim_date", "mentions", "claim"):
        table.add_column(t(key))
    for claim in found:
        table.add_row(claim.id, t(f"status_{claim.status}"), claim.lang or "–", claim.source or "–",
                      claim.date.isoformat() if claim.date else "–", str(counts.get(claim.id, 0)), _short(claim.text))
    out.print(table)


@claims_app.command("show")
@clear_errors
def show_command(claim_id: str, as_json: JsonOption = False, store: StoreOption = None) -> None:
    """One claim and its spread: first seen and by whom, outlets and platforms over time, districts, engagement,
    rebuttals."""
    from janmat.core.errors import InputError
    from janmat.store.claims_backends import open_claims
    from janmat.store.claims_tracker import track_claim

    with open_claims(store) as claims:
        claim = claims.get(claim_id)
        if claim is None:
            raise InputError(t("claim_missing", id=claim_id))
        track = track_claim(claims, claim)
    if as_json:
        _dump(track.model_dump(mode="json"))
        return
    for line in _track_lines(track):
        out.print(line, highlight=False, markup=False)


def _track_lines(track: Any) -> Iterator[str]:
    """The ``claims show`` report, line by line."""
    claim = track.claim
    yield f"{claim.id} · {t('status_' + claim.status)} · {claim.lang or '–'}"
    yield claim.text
    yield f"{t('claim_rebuttal')}: {claim.url or '–'}"
    if claim.problems:
        yield f"{t('claim_problems')}: " + "; ".join(claim.problems)
    if not track.mentions:
        yield t("claim_not_seen")
        return
    first = track.first_seen
    yield t("claim_first_seen", when=_when(first.at), who=first.source, platform=first.platform)
    yield t("claim_spread_line", n=track.mentions, sources=len(track.sources), last=_when(track.last_seen))
    yield f"{t('platform')}: " + ", ".join(f"{name} {n}" for name, n in track.platforms.items())
    if track.districts:
        yield f"{t('col_districts')}: " + ", ".join(f"{key} {n}" for key, n in track.districts)
    numbers = track.engagement
    yield t("claim_engagement", likes=numbers.likes, shares=numbers.shares, comments=numbers.comments,
            replies=numbers.replies, views=numbers.views)
    yield f"{t('claim_sources')}:"
    for seen in track.sources:
        yield f"  {_when(seen.first_at)}  {seen.source} ({seen.platform}) × {seen.mentions}"
    yield f"{t('claim_timeline')}:"
    for bucket in track.timeline:
        platforms = ", ".join(f"{name} {n}" for name, n in bucket.platforms.items())
        yield f"  {_when(bucket.start)}  +{bucket.mentions} = {bucket.total}  {platforms}"
    for rebuttal in track.rebuttals:
        yield f"{t('claim_rebuttal')} ({rebuttal.kind}): {rebuttal.url or rebuttal.title or rebuttal.mention_id}"


@claims_app.command("status")
@clear_errors
def status_command(
    claim_id: str,
    status: Annotated[str, typer.Argument(help="false, misleading, true or unverified")],
    store: StoreOption = None,
) -> None:
    """Change a claim's status."""
    from janmat.store.claims_backends import open_claims

    with open_claims(store) as claims:
        changed = claims.set_status(claim_id, status)
    out.print(t("claim_status_set", id=changed.id, status=t(f"status_{changed.status}")), highlight=False)
