"""Known claims and where the matcher gets them: a ``ClaimSource`` (in memory by default; a store-backed source
gives the claims analysts and fact-check collectors add)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

ClaimStatus = Literal["false", "misleading", "true", "unverified"]
STATUSES: tuple[str, ...] = ("false", "misleading", "true", "unverified")


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact-checked claim: its text, status, the rebuttal's URL, language, and optional scheme and district tags
    (scheme ids and district keys; ``None`` lets the matcher tag the claim text itself)."""

    id: str
    text: str
    status: ClaimStatus = "false"
    url: str | None = None
    lang: str | None = None
    schemes: tuple[str, ...] | None = None
    districts: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not self.id or not self.text or not self.text.strip():
            raise ValueError("a claim needs an id and non-empty text")
        if self.status not in STATUSES:
            raise ValueError(f"claim {self.id}: status {self.status!r} is not one of {', '.join(STATUSES)}")

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Claim:
        """A claim from a JSON row (``id``, ``text``, ``status``, ``url``, optional ``lang``, ``schemes``,
        ``districts``); other keys are ignored."""
        def tags(key: str) -> tuple[str, ...] | None:
            return tuple(row[key]) if row.get(key) is not None else None

        return cls(id=str(row["id"]), text=str(row.get("text") or ""), status=row.get("status") or "false",
                   url=row.get("url"), lang=row.get("lang"), schemes=tags("schemes"), districts=tags("districts"))


class ClaimSource(Protocol):
    """Where a matcher's claims come from. ``claims_since(version)`` returns the claims added or changed after
    ``version`` (0: all of them) and the version to ask from next time, so a running matcher takes in new
    claims without reloading the others."""

    def claims_since(self, version: int) -> tuple[list[Claim], int]:
        """Claims added or changed after ``version``, and the current version."""


class InMemoryClaims:
    """A plain in-memory claim source: an append-only list; ``add`` makes a claim visible to every matcher that
    reads this source at its next batch."""

    def __init__(self, claims: Iterable[Claim] = ()) -> None:
        self._log: list[Claim] = list(claims)
        self._lock = threading.Lock()

    def add(self, claim: Claim) -> None:
        """Add a claim, or a new version of a claim with the same id."""
        with self._lock:
            self._log.append(claim)

    def claims_since(self, version: int) -> tuple[list[Claim], int]:
        """The claims added after ``version`` (a position in the log)."""
        with self._lock:
            return self._log[version:], len(self._log)
