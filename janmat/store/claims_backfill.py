"""Claims added after the mentions that restate them: match new or changed claims against the mentions already
stored, as the ``misinformation`` tagger would have at ingest.

The tagger matches claims only as mentions come in, while a rumour usually spreads before its fact-check arrives.
``backfill_claims`` reads the stored mentions of a recent window (``published_at``, a page at a time), scores each
against every known claim with the tagger's own ``ClaimMatcher`` (same scorer, same operating threshold, the
tagger's ``threshold`` option if one is set), and for the claims given sets what the tagger sets:
``matched_claims`` (``claim_id``, ``score``, ``url``, ``status``, best first), the ``matched`` kind first among the
kinds, a ``claim:<id>`` flag, ``flagged`` and the score. A debunk that matches is treated as the tagger treats it:
it keeps its ``debunk`` kind and gains the match (the tracker then lists it as a rebuttal, not as spread). Matches
of other claims stay as they were; a changed claim that no longer matches a mention is taken off it. A mention an
analyst corrected to "not misinformation" is left alone. Changed mentions are written back through the store's
``upsert``, so every backend and the claim index beside it (SQLite triggers, the engine's claim field) see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from janmat.core.mention import MatchedClaim, Mention, Misinformation
from janmat.core.settings import get_settings
from janmat.store.base import MentionQuery, MentionStore
from janmat.store.claims import ClaimStore
from janmat.store.claims_tracker import is_rebuttal as tracked_as_rebuttal
from nlp.claims.matcher import ClaimMatcher

DEFAULT_DAYS = 30
"""How far back ``janmat claims add`` looks by default (``--backfill-days``)."""
PAGE = 500
"""Mentions read (and written back) per step."""


class BackfillReport(BaseModel):
    """What one backfill did."""

    days: int
    read: int = 0
    """Stored mentions of the window that were matched against the claims."""
    matched: dict[str, int] = Field(default_factory=dict)
    """Per claim id: stored mentions of the window that restate it now (flagged, rebuttals apart)."""
    rebuttals: dict[str, int] = Field(default_factory=dict)
    """Per claim id: fact-checks and debunking mentions of the window matched to it (the tracker's rebuttals)."""
    updated: int = 0
    """Mentions whose misinformation fields changed and were written back."""
    spooled: int = 0
    """Of those, written to the engine's spool, to reach the engine when it is back."""
    analyst_kept: int = 0
    """Mentions that restate a claim but stay unflagged, as an analyst corrected them ("not misinformation")."""
    failed: dict[str, str] = Field(default_factory=dict)
    """Mentions that could not be written back, with the store's reason."""


def backfill_claims(claims: ClaimStore, claim_ids: Iterable[str], *, days: int = DEFAULT_DAYS,
                    now: datetime | None = None,
                    on_progress: Callable[[int, int], None] | None = None) -> BackfillReport:
    """Match the claims ``claim_ids`` against the mentions stored in the last ``days`` days (0: none) and write
    back the mentions whose matches changed. ``on_progress(done, total)`` follows the reading."""
    wanted = list(dict.fromkeys(claim_ids))
    report = BackfillReport(days=days, matched=dict.fromkeys(wanted, 0), rebuttals=dict.fromkeys(wanted, 0))
    if days <= 0 or not wanted:
        return report
    options = get_settings().nlp.tagger_options.get("misinformation", {})
    matcher = ClaimMatcher.from_source(claims, threshold=options.get("threshold"))
    store = claims.mentions
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    total = store.count(MentionQuery(since=since))
    ids = set(wanted)
    for page in window(store, since):
        changed = []
        for mention in page:
            found = rematched(matcher, mention, ids)
            restates = [match.claim_id for match in found.matched_claims if match.claim_id in ids]
            if restates and not found.flagged:
                report.analyst_kept += 1
            counts = report.rebuttals if is_rebuttal(mention, found) else report.matched
            for claim_id in restates if found.flagged else ():
                counts[claim_id] += 1
            if found != mention.misinformation:
                changed.append(mention.model_copy(update={"misinformation": found}))
        report.read += len(page)
        if changed:
            written = store.upsert(changed)
            report.failed.update(written.failed)
            report.spooled += written.spooled
            report.updated += len(changed) - len(written.failed)
        if on_progress is not None:
            on_progress(report.read, max(total, report.read))
    store.refresh()
    return report


def rematched(matcher: ClaimMatcher, mention: Mention, claim_ids: set[str]) -> Misinformation:
    """The mention's misinformation fields with its matches of ``claim_ids`` as the tagger would set them now
    (``MisinformationComponent._match``); matches of other claims, the cues and a linked fact-check as stored, and
    ``flagged`` as an analyst corrected it, if one did."""
    old = mention.misinformation
    new = []
    for match in matcher.match(mention.full_text(), mention.scheme_ids, mention.tagged_district_keys):
        if match.claim_id not in claim_ids:
            continue
        claim = matcher.claim(match.claim_id)
        new.append(MatchedClaim(claim_id=match.claim_id, score=match.score, url=claim.url if claim else None,
                                status=claim.status if claim else None))
    kept = [match for match in old.matched_claims if match.claim_id not in claim_ids]
    merged = sorted([*kept, *new], key=lambda match: (-match.score, match.claim_id))  # the matcher's order
    if merged == old.matched_claims:
        return old
    kinds = [kind for kind in old.kinds if kind != "matched"]
    if merged:
        kinds.insert(0, "matched")
    flags = [flag for flag in old.flags if not flag.startswith("claim:")]
    flags += [f"claim:{match.claim_id}" for match in merged]
    removed = {match.claim_id for match in old.matched_claims} - {match.claim_id for match in merged}
    score = _cue_score(mention) if removed else old.score
    if merged:
        score = max(score, merged[0].score)
    flagged = bool(kinds) or old.matched_factcheck is not None
    corrected = analyst_flag(mention)
    if corrected is not None:
        flagged = corrected
    return old.model_copy(update={"matched_claims": merged, "kinds": kinds, "flags": flags, "score": score,
                                  "flagged": flagged})


def _cue_score(mention: Mention) -> float:
    """The rumour and debunk score of a mention alone (what the tagger's score is without any claim match)."""
    from nlp.misinformation import get_misinformation_tagger

    return get_misinformation_tagger().tag(mention.text, mention.title).score


def is_rebuttal(mention: Mention, found: Misinformation) -> bool:
    """A fact-check record or a debunking mention (``claims_tracker.is_rebuttal``, on the new fields)."""
    return tracked_as_rebuttal(mention.model_copy(update={"misinformation": found}))


def analyst_flag(mention: Mention) -> bool | None:
    """The misinformation flag an analyst set last on this mention, or None."""
    last = next((c for c in reversed(mention.corrections) if c.field == "misinformation"), None)
    return last.misinformation if last is not None else None


def window(store: MentionStore, since: datetime, page: int = PAGE) -> Iterator[list[Mention]]:
    """The mentions published at or after ``since``, oldest first, a page at a time, each once.

    Pages follow the time of the last mention read (``since`` moves on) rather than an offset, so a long window
    never asks a search engine for more than its result window; an offset is used only while more than a page of
    mentions share one second (engines compare ``since`` to the second, so the mentions of the last second read
    come again and are skipped)."""
    cursor, offset = since, 0
    seen: set[str] = set()
    while True:
        hits = store.search(MentionQuery(since=cursor, sort="oldest", limit=page, offset=offset)).hits
        mentions = [hit.mention for hit in hits]
        fresh = [mention for mention in mentions if mention.id not in seen]
        if fresh:
            yield fresh
        if len(mentions) < page:
            return
        last = mentions[-1].published_at
        if last is None:  # not expected with a ``since`` filter; page on by offset
            offset += len(mentions)
            seen.update(mention.id for mention in mentions)
            continue
        second = last.replace(microsecond=0)
        if second > cursor.replace(microsecond=0):
            cursor, offset = second, 0
            seen = {m.id for m in mentions if m.published_at is not None and m.published_at >= second}
        else:
            offset += len(mentions)
            seen.update(mention.id for mention in mentions)
