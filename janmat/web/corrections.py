"""Analysts' corrections: applied to the mention's tags in the store, kept on the mention (``corrections``),
written to an append-only audit log, and exported as the JSONL ``janmat train sentiment --corrections`` reads."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from janmat.core.mention import HARYANA, Correction, DistrictTag, Mention, SchemeTag, Sentiment
from janmat.store.base import MentionStore
from janmat.web.display import scheme_names


class CorrectionForm(BaseModel):
    """What the analyst submitted: the values they want (None = leave that tag alone)."""

    sentiment: str | None = None
    districts: list[str] | None = None
    """District keys, already resolved from what was typed."""
    schemes: list[str] | None = None
    """Scheme ids, already resolved."""
    misinformation: bool | None = None
    note: str | None = None


def current_values(mention: Mention) -> dict[str, Any]:
    """The mention's correctable tags as plain values."""
    return {
        "sentiment": mention.sentiment.label if mention.sentiment else None,
        "districts": mention.tagged_district_keys,
        "schemes": mention.scheme_ids,
        "misinformation": mention.misinformation.flagged,
    }


def apply(mention: Mention, form: CorrectionForm, by: str, at: datetime | None = None) -> tuple[Mention, list[dict]]:
    """The mention with every changed tag replaced and a Correction recorded per change; and the audit entries."""
    at = at or datetime.now(UTC)
    before = current_values(mention)
    update: dict[str, Any] = {}
    corrections = list(mention.corrections)
    changes: list[dict] = []
    for field in ("sentiment", "districts", "schemes", "misinformation"):
        wanted = getattr(form, field)
        if wanted is None or wanted == before[field]:
            continue
        corrections.append(Correction(field=field, by=by, at=at, note=form.note or None, **{field: wanted}))
        changes.append({"field": field, "before": before[field], "after": wanted})
        if field == "sentiment":
            update["sentiment"] = Sentiment(label=wanted, score=1.0, model=f"analyst:{by}")
        elif field == "districts":
            kept = {tag.key: tag for tag in mention.districts}
            update["districts"] = [kept.get(key) or _district_tag(key) for key in wanted]
        elif field == "schemes":
            kept_schemes = {tag.id: tag for tag in mention.schemes}
            names = scheme_names()
            update["schemes"] = [kept_schemes.get(i) or SchemeTag(id=i, name=names.get(i, (i,))[0]) for i in wanted]
        else:
            update["misinformation"] = mention.misinformation.model_copy(update={"flagged": wanted})
    if not changes:
        return mention, []
    update["corrections"] = corrections
    corrected = Mention.model_validate({**mention.model_dump(), **{k: _plain(v) for k, v in update.items()}})
    return corrected, changes


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _district_tag(key: str) -> DistrictTag:
    state, _, name = key.rpartition(":")
    return DistrictTag(name=name, state=state or HARYANA)


class AuditLog:
    """An append-only JSON-lines file of who changed what and when (corrections now; alert rules later)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry and flush it to disk before returning."""
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def correct(store: MentionStore, audit: AuditLog, mention: Mention, form: CorrectionForm, by: str) -> Mention:
    """Apply a correction, store the corrected mention and log each change; returns the stored mention."""
    corrected, changes = apply(mention, form, by)
    if not changes:
        return mention
    report = store.upsert([corrected])
    if report.failed:
        raise RuntimeError(f"the store refused the correction: {report.failed.get(mention.id)}")
    store.refresh()
    at = corrected.corrections[-1].at.isoformat()
    for change in changes:
        audit.append({"at": at, "by": by, "action": "correct", "mention": mention.id, **change,
                      "note": form.note or None})
    return corrected


def training_rows(store: MentionStore, audit: AuditLog) -> Iterator[dict[str, Any]]:
    """One ``{"text", "sentiment", …}`` row per mention whose tone an analyst corrected, with its latest label."""
    seen: set[str] = set()
    for entry in audit.entries():
        mention_id = entry.get("mention")
        if entry.get("field") != "sentiment" or mention_id in seen:
            continue
        seen.add(mention_id)
        mention = store.get(mention_id)
        tone = [c for c in mention.corrections if c.field == "sentiment"] if mention else []
        if tone:
            yield {"id": mention.id, "text": mention.full_text(), "sentiment": tone[-1].sentiment,
                   "by": tone[-1].by, "at": tone[-1].at.isoformat()}
