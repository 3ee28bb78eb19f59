"""Known claims in the configured store: a ``claims`` table in the SQLite file, a ``<prefix>-claims`` index on
OpenSearch / Elasticsearch. Fed by the fact-check collector (ClaimReview) and by analysts; read by the
misinformation matcher (``ClaimStore`` is a ``nlp.claims.model.ClaimSource``), the tracker, the web app and the
brief.

``janmat.store.claims_backends.claim_store_for(store)`` gives the claim store that lives beside a mention store;
``open_claims(url)`` opens both. A claim store also finds the mentions matched to its claims ("sightings"), since
that depends on the backend.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from janmat.core.errors import InputError, JanmatError, explain
from janmat.core.mention import Mention
from janmat.store.base import MentionStore
from nlp.claims.model import STATUSES, Claim, ClaimStatus

log = logging.getLogger(__name__)

MAX_ID_CHARS = 200
SPREADING_STATUSES: tuple[str, ...] = ("false", "misleading")
"""Statuses of claims whose spread is worth an alert (a true claim repeated is news, not misinformation)."""


class StoredClaim(BaseModel):
    """One known claim as the store keeps it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=MAX_ID_CHARS)
    text: str = Field(min_length=1)
    status: ClaimStatus = "unverified"
    url: str | None = None
    """The rebuttal: the fact-check or official denial that answers the claim."""
    lang: str | None = None
    date: dt.date | None = None
    """When the claim was made or first appeared, as the reviewer or analyst gave it."""
    source: str | None = None
    """Who brought the claim in: an analyst's file or name, or the fact-check feed."""
    reviewer: str | None = None
    """The fact-checker that rated it (ClaimReview ``author``)."""
    rating: str | None = None
    """The reviewer's rating as written (``भ्रामक``, ``False``, ``Partly false``)."""
    schemes: list[str] = Field(default_factory=list)
    """Scheme ids of the claim text, from Janmat's scheme tagger."""
    districts: list[str] = Field(default_factory=list)
    """District keys of the claim text, from Janmat's district tagger."""
    record_id: str | None = None
    """The mention id of the fact-check record the claim came from (``platform = factcheck``)."""
    appearances: list[str] = Field(default_factory=list)
    """Where the reviewer saw the claim (URLs)."""
    problems: list[str] = Field(default_factory=list)
    """Fields that were missing or malformed when the claim came in, and what was kept instead."""
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    spread_alerts: int = 0
    """How many spread alerts this claim has raised (the next alert's id counts from it)."""
    last_alert_at: datetime | None = None

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a claim needs text")
        return value.strip()

    def as_claim(self) -> Claim:
        """The claim as the matcher reads it (its stored scheme and district tags, so the matcher does not tag
        the text again)."""
        return Claim(id=self.id, text=self.text, status=self.status, url=self.url, lang=self.lang,
                     schemes=tuple(self.schemes), districts=tuple(self.districts))


class ClaimWriteReport(BaseModel):
    """What a claim upsert did."""

    stored: int = 0
    updated: int = 0


class Sighting(NamedTuple):
    """A stored mention matched to a claim, with the matcher's score."""

    claim_id: str
    mention: Mention
    score: float | None


class ClaimStore(ABC):
    """Claims of one store, and the mentions matched to them. Also a ``ClaimSource`` for the matcher."""

    mentions: MentionStore
    """The mention store these claims live beside."""

    @abstractmethod
    def _write(self, claims: list[StoredClaim]) -> ClaimWriteReport:
        """Write the claims as given (creation times and alert state already merged)."""

    @abstractmethod
    def get_many(self, claim_ids: Iterable[str]) -> dict[str, StoredClaim]:
        """The claims with these ids that exist, by id."""

    @abstractmethod
    def list_claims(self, statuses: Iterable[str] = (), *, limit: int = 100,
                    offset: int = 0) -> tuple[int, list[StoredClaim]]:
        """How many claims have one of ``statuses`` (any when empty), and one page of them, newest first."""

    @abstractmethod
    def claims_since(self, version: int) -> tuple[list[Claim], int]:
        """The claims added or changed after ``version`` (0: all), as the matcher reads them, and the version to
        ask from next time."""

    @abstractmethod
    def sightings(self, claim_ids: Iterable[str] | None = None, *, since: datetime | None = None,
                  until: datetime | None = None, limit: int = 10_000) -> list[Sighting]:
        """Stored mentions matched to the claims (any claim when None) and still flagged, seen between ``since``
        and ``until`` (``published_at``, else ``fetched_at``), oldest first."""

    @abstractmethod
    def sighting_counts(self, *, since: datetime | None = None,
                        until: datetime | None = None) -> list[tuple[str, int]]:
        """Matched mentions per claim id in the time range, most first."""

    def close(self) -> None:  # noqa: B027 - most claim stores share their mention store's connection
        """Release what this claim store opened itself."""

    def __enter__(self) -> ClaimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upsert(self, claims: Iterable[StoredClaim]) -> ClaimWriteReport:
        """Add claims, or replace those with the same id (keeping when each was first added and its alert
        state). Claims without scheme and district tags are tagged from their text."""
        batch = list({claim.id: claim for claim in claims}.values())
        if not batch:
            return ClaimWriteReport()
        known = self.get_many(claim.id for claim in batch)
        now = datetime.now(UTC)
        merged = []
        for claim in batch:
            old = known.get(claim.id)
            keep = {"created_at": old.created_at, "spread_alerts": old.spread_alerts,
                    "last_alert_at": old.last_alert_at} if old else {"created_at": now}
            merged.append(tagged(claim).model_copy(update={**keep, "updated_at": now}))
        return self._write(merged)

    def get(self, claim_id: str) -> StoredClaim | None:
        """One claim by id, or None."""
        return self.get_many([claim_id]).get(claim_id)

    def set_status(self, claim_id: str, status: str) -> StoredClaim:
        """Change a claim's status (an ``InputError`` for an unknown claim or status)."""
        if status not in STATUSES:
            raise InputError(f"bad status {status!r}: use {', '.join(STATUSES)}")
        claim = self.get(claim_id)
        if claim is None:
            raise InputError(f"no claim {claim_id!r}")
        changed = claim.model_copy(update={"status": status, "updated_at": datetime.now(UTC)})
        self._write([changed])
        return changed

    def mark_alerted(self, claim_id: str, at: datetime) -> None:
        """Record that the claim raised one more spread alert, at ``at``."""
        claim = self.get(claim_id)
        if claim is not None:
            self._write([claim.model_copy(update={"spread_alerts": claim.spread_alerts + 1, "last_alert_at": at})])


class MatcherSource:
    """A claim store as the matcher's ``ClaimSource`` that never stops the pipeline: while the store cannot be
    read (an engine down, a busy file) the matcher keeps the claims it has and asks again at the next batch."""

    def __init__(self, claims: ClaimStore) -> None:
        self.claims = claims
        self._failing = False

    def claims_since(self, version: int) -> tuple[list[Claim], int]:
        """The store's new claims, or none for now when it cannot be read."""
        try:
            found = self.claims.claims_since(version)
        except (JanmatError, sqlite3.Error) as exc:
            if not self._failing:
                log.warning("known claims not refreshed (matching with the ones already read): %s", exc)
            self._failing = True
            return [], version
        self._failing = False
        return found


def tagged(claim: StoredClaim) -> StoredClaim:
    """The claim with scheme and district tags from Janmat's taggers when it came without any."""
    if claim.schemes or claim.districts:
        return claim
    from nlp.claims.matcher import tag_claim_text  # late: loads the gazetteer and the scheme catalogue

    schemes, districts = tag_claim_text(claim.text)
    return claim.model_copy(update={"schemes": schemes, "districts": districts})


ANALYST_FIELDS = ("id", "text", "status", "url", "lang", "date", "source")


def analyst_claim(row: Mapping[str, Any], source: str | None = None) -> StoredClaim:
    """A claim from an analyst's row (``id``, ``text``, ``status``, ``url``, optional ``lang``, ``date``,
    ``source``): an ``InputError`` in one line when it has no text, no id, or a bad status or date."""
    text = row.get("text")
    claim_id = str(row.get("id") or "").strip()
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"claim {claim_id or '(no id)'} has no text: a claim needs the words that were said")
    if not claim_id:
        raise InputError("claim has no id: give each claim an 'id'")
    status = row.get("status")
    if status not in STATUSES:
        raise InputError(f"claim {claim_id}: bad status {status!r}: use {', '.join(STATUSES)}")
    values = {key: row.get(key) for key in ANALYST_FIELDS if row.get(key) not in (None, "")}
    values.setdefault("source", source)
    try:
        return StoredClaim(**values)
    except ValidationError as exc:
        raise InputError(f"claim {claim_id}: {explain(exc)}") from None


def seen_at(mention: Mention) -> datetime:
    """When a mention was seen for the tracker: published, else fetched."""
    return mention.published_at or mention.fetched_at
